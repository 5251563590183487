package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// Feedback logged at the same moment shares commits on SQLite; each write must still
// succeed or fail on its own, and a failing one must leave nothing behind.
func TestConcurrentWritesSucceedOrFailAlone(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	received := time.Now().Add(-time.Hour)
	newFeedback := func(ext string) models.NewFeedback {
		return models.NewFeedback{ReceivedAt: received, Channel: "phone", NPS: score(3),
			Comment: "Waited a week for an answer", ExternalID: ext}
	}
	if _, err := s.CreateFeedback(ctx, newFeedback("taken"), amb); err != nil {
		t.Fatal(err)
	}

	const writers = 48
	type outcome struct {
		id  int64
		err error
	}
	out := make([]outcome, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 8 {
			case 3: // a duplicate: rejected alone
				_, out[i].err = s.CreateFeedback(ctx, newFeedback("taken"), amb)
			case 5: // a write that fails after writing: its row must not stay
				out[i].err = s.GroupTx(ctx, func(tx *gorm.DB) error {
					e := models.HistoryEntry{Entity: "probe", EntityID: int64(i), Action: "failed", CreatedAt: time.Now()}
					if err := tx.Create(&e).Error; err != nil {
						return err
					}
					return errors.New("changed my mind")
				})
			case 7: // a write that panics: an error for it, nothing for the others
				out[i].err = s.GroupTx(ctx, func(tx *gorm.DB) error { panic("bug") })
			default:
				fb, err := s.CreateFeedback(ctx, newFeedback(fmt.Sprintf("ext-%d", i)), amb)
				out[i].err = err
				if err == nil {
					out[i].id = fb.ID
				}
			}
		}()
	}
	wg.Wait()

	ids := map[int64]bool{}
	for i, o := range out {
		switch i % 8 {
		case 3:
			var verr *models.ValidationError
			if !errors.As(o.err, &verr) || verr.Fields["external_id"] != "already_imported" {
				t.Errorf("writer %d (duplicate): err = %v, want external_id already_imported", i, o.err)
			}
		case 5, 7:
			if o.err == nil {
				t.Errorf("writer %d: want its own error, got nil", i)
			}
		default:
			if o.err != nil {
				t.Fatalf("writer %d: %v", i, o.err)
			}
			if ids[o.id] {
				t.Errorf("writer %d got id %d twice", i, o.id)
			}
			ids[o.id] = true
			if _, err := s.FeedbackByID(ctx, o.id); err != nil {
				t.Errorf("feedback %d answered as created but not found: %v", o.id, err)
			}
		}
	}
	if want := writers - 3*writers/8; len(ids) != want {
		t.Errorf("%d feedback created, want %d", len(ids), want)
	}
	var stored, probes int64
	if err := s.Reader(ctx).Model(&models.Feedback{}).Count(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if want := int64(len(ids) + 1); stored != want {
		t.Errorf("%d feedback stored, want %d (the first, and every success)", stored, want)
	}
	if err := s.Reader(ctx).Model(&models.HistoryEntry{}).Where("entity = ?", "probe").Count(&probes).Error; err != nil {
		t.Fatal(err)
	}
	if probes != 0 {
		t.Errorf("%d rows of failed writes stayed, want 0", probes)
	}
}
