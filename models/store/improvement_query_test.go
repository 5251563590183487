package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// TestCreateImprovementRoutesByAdminThreshold is acceptance 1 of the triage issue
// through the store: every effort under two thresholds the admin sets.
func TestCreateImprovementRoutesByAdminThreshold(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	admin := modeltest.User(t, s, "admin@example.com", models.RoleAdmin)
	want := map[models.Effort]map[models.Effort]models.Track{
		models.EffortS: {models.EffortXS: models.TrackQuickWin, models.EffortS: models.TrackQuickWin,
			models.EffortM: models.TrackSteering, models.EffortL: models.TrackSteering, models.EffortXL: models.TrackSteering},
		models.EffortL: {models.EffortXS: models.TrackQuickWin, models.EffortS: models.TrackQuickWin,
			models.EffortM: models.TrackQuickWin, models.EffortL: models.TrackQuickWin, models.EffortXL: models.TrackSteering},
	}
	for _, threshold := range []models.Effort{models.EffortS, models.EffortL} {
		if err := s.SetRoutingThreshold(ctx, threshold, admin); err != nil {
			t.Fatal(err)
		}
		for _, effort := range models.Efforts {
			t.Run(string(threshold)+"/"+string(effort), func(t *testing.T) {
				imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "x", Impact: 3, Effort: effort}, st)
				if err != nil {
					t.Fatal(err)
				}
				wantTrack := want[threshold][effort]
				if imp.Track != wantTrack || imp.SuggestedTrack != wantTrack || imp.Status != models.InitialStatus(wantTrack) {
					t.Fatalf("track %s suggested %s status %s, want %s", imp.Track, imp.SuggestedTrack, imp.Status, wantTrack)
				}
			})
		}
	}
}

func TestListImprovementsFiltersAndKeyset(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	digital := category(t, s, "digital")
	var all []*models.Improvement
	for i, e := range []models.Effort{models.EffortXS, models.EffortM, models.EffortXL, models.EffortS, models.EffortM} {
		imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "item", Impact: 1 + i%5, Effort: e, CategoryID: digital}, st)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, imp)
	}
	var seen []models.Improvement
	cursor := ""
	for range 10 {
		page, err := s.ListImprovements(ctx, models.ImprovementFilter{}, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, page.Items...)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if len(seen) != len(all) {
		t.Fatalf("paged through %d, want %d", len(seen), len(all))
	}
	for i := 1; i < len(seen); i++ {
		a, b := seen[i-1], seen[i]
		if a.Priority < b.Priority || a.Priority == b.Priority && a.ID > b.ID {
			t.Fatalf("order broken at %d: %+v then %+v", i, a, b)
		}
	}
	tests := []struct {
		name string
		f    models.ImprovementFilter
		want int
	}{
		{"quick wins", models.ImprovementFilter{Track: models.TrackQuickWin}, 2},
		{"in review", models.ImprovementFilter{Status: models.StatusReview}, 3},
		{"category", models.ImprovementFilter{CategoryID: digital}, 5},
		{"this year", models.ImprovementFilter{Year: time.Now().Year()}, 5},
		{"last year", models.ImprovementFilter{Year: time.Now().Year() - 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.ListImprovements(ctx, tt.f, "", 50)
			if err != nil || len(page.Items) != tt.want {
				t.Fatalf("got %d, %v; want %d", len(page.Items), err, tt.want)
			}
		})
	}
	if _, err := s.ListImprovements(ctx, models.ImprovementFilter{}, "not a cursor!", 2); err == nil {
		t.Fatal("bad cursor accepted")
	}
}

func TestEditImprovementRecomputesPriorityAndChecksVersion(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	imp, _ := s.CreateImprovement(ctx, models.NewImprovement{Title: "Typo", Impact: 2, Effort: models.EffortXS}, st)
	edited, err := s.EditImprovement(ctx, imp.ID, models.ImprovementEdit{Version: 1, Title: "Typo in letter",
		Impact: 4, Effort: models.EffortS, CategoryID: category(t, s, "communication")}, st)
	if err != nil {
		t.Fatal(err)
	}
	if edited.Priority != models.Priority(4, models.EffortS) || edited.Version != 2 || edited.Category.Code != "communication" {
		t.Fatalf("edited: %+v", edited)
	}
	if _, err := s.EditImprovement(ctx, imp.ID, models.ImprovementEdit{Version: 1, Title: "x", Impact: 1, Effort: models.EffortXS}, st); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("stale edit: %v", err)
	}
	hist, _ := s.History(ctx, "improvement", imp.ID)
	fields := map[string]bool{}
	for _, h := range hist {
		if h.Action == "edited" {
			fields[h.Field] = true
		}
	}
	for _, f := range []string{"title", "impact", "effort", "priority", "category"} {
		if !fields[f] {
			t.Errorf("no history entry for %s: %+v", f, hist)
		}
	}
}
