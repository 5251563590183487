package store_test

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// An approval's target date, given through the one request, reads back as the same
// calendar day on either database, and the initiative is not overdue on that very day.
// (A date parsed as midnight in Copenhagen read back from SQLite as 23:00 UTC the day
// before, and the initiative showed as overdue on its target date.)
func TestTransitionInputResolvesAndKeepsTheDay(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	chair := modeltest.User(t, s, "chair@example.com", models.RoleSteering)
	gone := modeltest.User(t, s, "gone@example.com", models.RoleSteering)
	if err := s.UpdateUser(ctx, gone.ID, models.UserChange{Name: gone.Name, Roles: gone.RoleList(), Lang: "en", Active: false}, nil); err != nil {
		t.Fatal(err)
	}
	areas, err := s.ActiveRefs(ctx, models.RefFunctionalAreas)
	if err != nil || len(areas) == 0 {
		t.Fatalf("areas %v, %v", areas, err)
	}
	imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Open on Saturdays", Impact: 3, Effort: models.EffortXL}, chair)
	if err != nil || imp.Status != models.StatusReview {
		t.Fatalf("improvement %+v, %v", imp, err)
	}

	refused := []struct {
		req  models.TransitionRequest
		want map[string]string
	}{
		{models.TransitionRequest{To: "approved", Version: "1", OwnerEmail: "nobody@example.com", Area: "no-such-area", TargetDate: "2026-06-30"},
			map[string]string{"owner": "unknown_user", "functional_area": "unknown_functional_area"}},
		{models.TransitionRequest{To: "approved", Version: "1", OwnerID: fmt.Sprint(gone.ID), AreaID: "999999", TargetDate: "2026-06-30"},
			map[string]string{"owner": "invalid_choice", "functional_area": "invalid_choice"}},
	}
	for _, tt := range refused {
		_, err := s.TransitionInput(ctx, tt.req)
		ve, ok := err.(*models.ValidationError)
		if !ok || !maps.Equal(ve.Fields, tt.want) {
			t.Errorf("TransitionInput(%+v) = %v, want fields %v", tt.req, err, tt.want)
		}
	}

	today := s.Today().Format(time.DateOnly)
	in, err := s.TransitionInput(ctx, models.TransitionRequest{To: "approved", Version: "1", OwnerEmail: chair.Email,
		Area: areas[0].Code, TargetDate: today})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TransitionImprovement(ctx, imp.ID, in, chair); err != nil {
		t.Fatal(err)
	}
	got, err := s.ImprovementByID(ctx, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TargetDate == nil || got.TargetDate.Format(time.DateOnly) != today {
		t.Fatalf("target date reads back as %v, want %s", got.TargetDate, today)
	}
	if models.InitiativeOverdue(got.Status, got.TargetDate, s.Today()) {
		t.Fatalf("the initiative is overdue on its target date %s (stored %v)", today, got.TargetDate)
	}
}
