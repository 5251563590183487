package models_test

import (
	"slices"
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestMapRoles(t *testing.T) {
	for _, c := range []struct {
		claim []string
		want  []string
	}{
		{nil, nil},
		{[]string{"finance", "All-Staff"}, nil},
		{[]string{"steering"}, []string{"steering"}},
		{[]string{"Tracker.Admin", "tracker-ambassador"}, []string{"ambassador", "admin"}},
		{[]string{"tracker_quick-win", "QUICKWIN", "quick_win"}, []string{"quickwin"}},
		{[]string{"tracker:steering", "tracker/admin", " ambassador "}, []string{"ambassador", "steering", "admin"}},
		{[]string{"trackeradmin", "tracker-finance", "admins"}, nil},
	} {
		if got := models.MapRoles(c.claim); !slices.Equal(got, c.want) {
			t.Errorf("MapRoles(%q) = %q, want %q", c.claim, got, c.want)
		}
	}
}
