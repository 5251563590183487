package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// Feedback logged at the same moment shares commits on SQLite; each must still succeed
// or fail on its own, a failing one must leave nothing behind, and each success must
// get its own id and history entry.
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
			case 5: // logged by a user who does not exist: fails in the database, alone
				ghost := &models.User{ID: 1_000_000 + int64(i), Roles: amb.Roles}
				_, out[i].err = s.CreateFeedback(ctx, newFeedback(fmt.Sprintf("ghost-%d", i)), ghost)
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
		case 5:
			if o.err == nil {
				t.Errorf("writer %d (unknown user): want its own error, got nil", i)
			}
		default:
			if o.err != nil {
				t.Fatalf("writer %d: %v", i, o.err)
			}
			if ids[o.id] {
				t.Errorf("writer %d got id %d twice", i, o.id)
			}
			ids[o.id] = true
			got, err := s.FeedbackByID(ctx, o.id)
			if err != nil {
				t.Errorf("feedback %d answered as created but not found: %v", o.id, err)
			} else if want := fmt.Sprintf("ext-%d", i); got.ExternalID == nil || *got.ExternalID != want {
				t.Errorf("writer %d got id %d, which holds %v, not its own %s", i, o.id, got.ExternalID, want)
			}
		}
	}
	if want := writers - 2*writers/8; len(ids) != want {
		t.Errorf("%d feedback created, want %d", len(ids), want)
	}
	var stored int64
	if err := s.Reader(ctx).Model(&models.Feedback{}).Count(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if want := int64(len(ids) + 1); stored != want {
		t.Errorf("%d feedback stored, want %d (the first, and every success)", stored, want)
	}
	var history int64
	if err := s.Reader(ctx).Model(&models.HistoryEntry{}).Where("entity = ? AND action = ?", "feedback", "created").
		Count(&history).Error; err != nil {
		t.Fatal(err)
	}
	if history != stored {
		t.Errorf("%d history entries for %d feedback, want one each", history, stored)
	}
	for id := range ids {
		h, err := s.History(ctx, "feedback", id)
		if err != nil || len(h) != 1 || h[0].UserID == nil || *h[0].UserID != amb.ID {
			t.Errorf("history of %d = %+v, %v; want one entry by the ambassador", id, h, err)
		}
	}
}

// Feedback stored together must each get the id of their own row.
func TestConcurrentFeedbackGetsItsOwnID(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	const writers = 64
	ids := make([]int64, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fb, err := s.CreateFeedback(ctx, models.NewFeedback{ReceivedAt: time.Now().Add(-time.Minute),
				Channel: "phone", NPS: score(i % 11), Comment: fmt.Sprintf("comment %d", i)}, amb)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = fb.ID
		}()
	}
	wg.Wait()
	for i, id := range ids {
		got, err := s.FeedbackByID(ctx, id)
		if err != nil {
			t.Fatalf("writer %d: id %d: %v", i, id, err)
		}
		if want := fmt.Sprintf("comment %d", i); got.Comment != want || got.NPS == nil || *got.NPS != i%11 {
			t.Errorf("writer %d got id %d, which holds %q, not %q", i, id, got.Comment, want)
		}
	}
}
