package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestInitiativesListsApprovedAndStartedWithLatestProgress(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "chair@example.com", models.RoleSteering)
	owner := modeltest.User(t, s, "owner@example.com", models.RoleSteering)
	s.Now = func() time.Time { return time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC) }
	a := steeringItem(t, s, "Ops item", 5, models.EffortM, st)
	b := steeringItem(t, s, "IT item", 4, models.EffortM, st)
	steeringItem(t, s, "Still in review", 3, models.EffortM, st)
	for _, x := range []struct {
		imp  *models.Improvement
		area string
	}{{a, "operations"}, {b, "it"}} {
		if _, err := s.TransitionImprovement(ctx, x.imp.ID, models.TransitionInput{To: models.StatusApproved, Version: 1,
			OwnerID: &owner.ID, FunctionalAreaID: sgArea(t, s, x.area), TargetDate: sgDay(2026, 6, 1)}, st); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.TransitionImprovement(ctx, b.ID, models.TransitionInput{To: models.StatusInProgress, Version: 2}, st); err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"Vendor chosen", "Pilot in two branches"} {
		if _, err := s.AddComment(ctx, b.ID, models.CommentProgress, body, owner); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddComment(ctx, b.ID, models.CommentRemark, "A plain remark", st); err != nil {
		t.Fatal(err)
	}
	list, err := s.Initiatives(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Title != "IT item" || list[1].Title != "Ops item" {
		t.Fatalf("initiatives %+v, want IT then Operations", list)
	}
	if list[0].LastProgress == nil || list[0].LastProgress.Body != "Pilot in two branches" || list[1].LastProgress != nil {
		t.Fatalf("latest progress: %+v / %+v", list[0].LastProgress, list[1].LastProgress)
	}
	if !list[0].Overdue(*sgDay(2026, 6, 2)) || list[0].Overdue(*sgDay(2026, 6, 1)) {
		t.Fatal("overdue from the day after the target date")
	}
}
