package models_test

import (
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
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
