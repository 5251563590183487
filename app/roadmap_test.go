package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// The roadmap shows approved, started and recently implemented initiatives by the
// quarter of their target date to every role, the late ones marked.
func TestRoadmapShowsInitiativesByQuarterToEveryone(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@example.com", steering)
	ctx := context.Background()
	area, err := a.store.ResolveRef(ctx, models.RefFunctionalAreas, "it")
	if err != nil {
		t.Fatal(err)
	}
	approve := func(title string, target time.Time, start bool) *models.Improvement {
		imp, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: title, Impact: 3, Effort: models.EffortL}, st)
		if err != nil {
			t.Fatal(err)
		}
		if imp, err = a.store.TransitionImprovement(ctx, imp.ID, models.TransitionInput{To: models.StatusApproved,
			Version: imp.Version, OwnerID: &st.ID, FunctionalAreaID: &area.ID, TargetDate: &target}, st); err != nil {
			t.Fatal(err)
		}
		if start {
			if imp, err = a.store.TransitionImprovement(ctx, imp.ID, models.TransitionInput{To: models.StatusInProgress, Version: imp.Version}, st); err != nil {
				t.Fatal(err)
			}
		}
		return imp
	}
	today := a.store.Today()
	approve("New letters", today.AddDate(0, 4, 0), false)
	approve("Shorter queue", today.AddDate(0, 0, -3), true)
	if _, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Only in review", Impact: 3, Effort: models.EffortL}, st); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{ambassador, quickwin, steering, adminRole} {
		t.Run(role, func(t *testing.T) {
			c := a.signIn(role+"@example.com", role)
			res := c.get("/roadmap")
			if res.Code != http.StatusOK {
				t.Fatalf("status %d", res.Code)
			}
			d := doc(t, res)
			if n := d.Find(`[data-testid="quarter"]`).Length(); n != 2 {
				t.Errorf("%d quarters, want 2", n)
			}
			items := d.Find(`[data-testid="roadmap-item"]`)
			if items.Length() != 2 || !strings.Contains(items.First().Text(), "Shorter queue") ||
				!items.First().HasClass("overdue") || items.Last().HasClass("overdue") {
				t.Errorf("items: %q", items.Text())
			}
			// Every role finds it from the improvements, which the bar marks while it shows.
			if d.Find(`nav a[aria-current="page"][href="/improvements"]`).Length() != 1 {
				t.Errorf("the roadmap is not marked as part of the improvements in the navigation")
			}
			if n := doc(t, c.get("/improvements")).Find(`a[href="/roadmap"]`).Length(); n != 1 {
				t.Errorf("%d roadmap links on the improvements page, want 1", n)
			}
		})
	}
}
