package store_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		in     string
		want   string // RFC 3339, "" for no date
		wantOK bool
	}{
		{"2026-03-05", "2026-03-05T00:00:00Z", true},
		{" 2026-12-31 ", "2026-12-31T00:00:00Z", true},
		{"", "", true},
		{"   ", "", true},
		{"5/3", "", false},
		{"2026-02-30", "", false},
		{"2026-03-05T10:00:00Z", "", false},
	}
	for _, tt := range tests {
		got, ok := models.ParseDay(tt.in)
		s := ""
		if got != nil {
			s = got.Format(time.RFC3339)
		}
		if ok != tt.wantOK || s != tt.want {
			t.Errorf("ParseDay(%q) = %q, %v; want %q, %v", tt.in, s, ok, tt.want, tt.wantOK)
		}
	}
}

func TestTransitionRequestValidate(t *testing.T) {
	long := strings.Repeat("x", 2001)
	tests := []struct {
		name string
		req  models.TransitionRequest
		want map[string]string
	}{
		{"a plain move", models.TransitionRequest{To: "in_progress", Version: "3"}, nil},
		{"unknown status", models.TransitionRequest{To: "done", Version: "3"}, map[string]string{"to": "invalid_choice"}},
		{"no version", models.TransitionRequest{To: "in_progress"}, map[string]string{"version": "required"}},
		{"version not a number", models.TransitionRequest{To: "in_progress", Version: "x"}, map[string]string{"version": "required"}},
		{"reason too long", models.TransitionRequest{To: "rejected", Version: "1", Reason: long}, map[string]string{"reason": "out_of_range"}},
		{"approval with bad fields", models.TransitionRequest{To: "approved", Version: "1", OwnerID: "me", AreaID: "-2", TargetDate: "5/3"},
			map[string]string{"owner": "invalid_choice", "functional_area": "invalid_choice", "target_date": "invalid_date"}},
		{"a deferral reads only its date", models.TransitionRequest{To: "deferred", Version: "1", OwnerID: "me", TargetDate: "5/3", DeferUntil: "2026-13-01"},
			map[string]string{"defer_until": "invalid_date"}},
		{"a rejection ignores the approval's fields", models.TransitionRequest{To: "rejected", Version: "1", Reason: "No", TargetDate: "x", DeferUntil: "y"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.req.Validate()
			var got map[string]string
			if err != nil {
				got = err.Fields
			}
			if !maps.Equal(got, tt.want) {
				t.Fatalf("Validate() = %v, want %v", got, tt.want)
			}
		})
	}
	in, err := models.TransitionRequest{To: "approved", Version: "4", OwnerID: "7", AreaID: "2", TargetDate: "2026-06-30"}.Validate()
	if err != nil || in.To != models.StatusApproved || in.Version != 4 || *in.OwnerID != 7 || *in.FunctionalAreaID != 2 ||
		in.TargetDate.Format(time.DateOnly) != "2026-06-30" {
		t.Fatalf("approval input %+v, %v", in, err)
	}
}

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
