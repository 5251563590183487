package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"gorm.io/gorm"
)

// A batch that fails after suspending the insert triggers rolls their removal back
// with everything else, and a trigger that is not there stops the batch instead of
// leaving its work undone.
func TestSuspendedTriggersComeBackOnRollback(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "sqlite:"+t.TempDir()+"/t.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	names := func(db *gorm.DB) []string {
		var out []string
		if err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ? ORDER BY name`,
			feedbackInsertTriggers).Scan(&out).Error; err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := names(s.Writer(ctx))
	if len(before) != len(feedbackInsertTriggers) {
		t.Fatalf("triggers before: %v, want %v", before, feedbackInsertTriggers)
	}
	stop := errors.New("stop")
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		st, err := sqlTxOf(tx)
		if err != nil {
			return err
		}
		if _, err := suspendTriggers(ctx, st, feedbackInsertTriggers); err != nil {
			return err
		}
		if inside := names(tx); len(inside) != 0 {
			t.Errorf("triggers while suspended: %v", inside)
		}
		return stop
	})
	if !errors.Is(err, stop) {
		t.Fatalf("transaction: %v", err)
	}
	if after := names(s.Writer(ctx)); !slices.Equal(after, before) {
		t.Fatalf("triggers after the rollback: %v, want %v", after, before)
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		st, err := sqlTxOf(tx)
		if err != nil {
			return err
		}
		_, err = suspendTriggers(ctx, st, append(slices.Clone(feedbackInsertTriggers), "feedback_no_such_trigger"))
		return err
	})
	if err == nil {
		t.Fatal("suspending a missing trigger did not fail")
	}
	if after := names(s.Writer(ctx)); !slices.Equal(after, before) {
		t.Fatalf("triggers after the refused suspension: %v, want %v", after, before)
	}
}
