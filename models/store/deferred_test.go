package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestReturnDeferredFollowsTheClock(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	// 5 March 2026, 10:00 in Copenhagen.
	clock := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	st := modeltest.User(t, s, "chair@example.com", models.RoleSteering)
	imp := steeringItem(t, s, "Later", 4, models.EffortL, st)
	if _, err := s.TransitionImprovement(ctx, imp.ID, models.TransitionInput{To: models.StatusDeferred, Version: 1,
		DeferUntil: sgDay(2026, 4, 1)}, st); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		at     time.Time
		moved  int
		status models.Status
	}{
		{"a day before", time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC), 0, models.StatusDeferred},
		// 22:30 UTC on 31 March is already 1 April in Copenhagen.
		{"just after midnight in Copenhagen", time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), 1, models.StatusReview},
		{"again the same day", time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC), 0, models.StatusReview},
	}
	for _, step := range steps {
		clock = step.at
		n, err := s.ReturnDeferred(ctx)
		if err != nil || n != step.moved {
			t.Fatalf("%s: returned %d, %v; want %d", step.name, n, err, step.moved)
		}
		got, _ := s.ImprovementByID(ctx, imp.ID)
		if got.Status != step.status {
			t.Fatalf("%s: status %s, want %s", step.name, got.Status, step.status)
		}
	}
	got, _ := s.ImprovementByID(ctx, imp.ID)
	if got.DeferUntil != nil || got.Version != 3 {
		t.Fatalf("returned item keeps its date or version: %+v", got)
	}
	hist, _ := s.History(ctx, "improvement", imp.ID)
	last := hist[len(hist)-1]
	if last.Action != "return_to_review" || last.UserID != nil || last.FromValue != "deferred" || last.ToValue != "review" {
		t.Fatalf("history of the return: %+v", last)
	}
	// The returned item is on the next meeting's agenda.
	m, err := s.CreateMeeting(ctx, models.NewMeeting{HeldOn: sgDay(2026, 4, 2), AttendeeIDs: []int64{st.ID}}, st)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := s.MeetingByID(ctx, m.ID)
	if len(full.Items) != 1 || full.Items[0].ImprovementID != imp.ID {
		t.Fatalf("agenda %+v", full.Items)
	}
}
