package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestInitiativeOverdue(t *testing.T) {
	today := *sgDay(2026, 6, 10)
	cases := []struct {
		name   string
		status models.Status
		target *time.Time
		want   bool
		days   int
	}{
		{"no target", models.StatusApproved, nil, false, 0},
		{"due today", models.StatusInProgress, sgDay(2026, 6, 10), false, 0},
		{"due yesterday", models.StatusInProgress, sgDay(2026, 6, 9), true, 1},
		{"approved and late", models.StatusApproved, sgDay(2026, 1, 1), true, 160},
		{"implemented late", models.StatusImplemented, sgDay(2026, 1, 1), false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := models.InitiativeOverdue(tc.status, tc.target, today); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if got := models.InitiativeDaysOverdue(tc.status, tc.target, today); got != tc.days {
				t.Fatalf("days overdue = %d, want %d", got, tc.days)
			}
		})
	}
}

func TestGroupInitiatives(t *testing.T) {
	it := &models.RefItem{ID: 1, Name: "IT"}
	ops := &models.RefItem{ID: 2, Name: "Operations"}
	ann := &models.User{ID: 1, Name: "Ann"}
	bo := &models.User{ID: 2, Name: "Bo"}
	mk := func(id int64, area *models.RefItem, owner *models.User) models.Initiative {
		return models.Initiative{Improvement: models.Improvement{ID: id, FunctionalArea: area, Owner: owner}}
	}
	groups := models.GroupInitiatives([]models.Initiative{mk(1, it, ann), mk(2, it, ann), mk(3, it, bo), mk(4, ops, ann), mk(5, nil, nil)})
	if len(groups) != 3 {
		t.Fatalf("%d area groups, want 3", len(groups))
	}
	if len(groups[0].Owners) != 2 || len(groups[0].Owners[0].Items) != 2 || groups[0].Owners[1].Owner != bo {
		t.Fatalf("IT group %+v", groups[0])
	}
	if groups[2].Area != nil || groups[2].Owners[0].Owner != nil {
		t.Fatalf("items without area or owner form their own group: %+v", groups[2])
	}
}

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
