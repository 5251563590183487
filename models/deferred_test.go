package models_test

import (
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

func TestDeferralDue(t *testing.T) {
	cases := []struct {
		name  string
		until *time.Time
		today time.Time
		want  bool
	}{
		{"no date", nil, *sgDay(2026, 3, 5), false},
		{"day before", sgDay(2026, 3, 6), *sgDay(2026, 3, 5), false},
		{"on the day", sgDay(2026, 3, 6), *sgDay(2026, 3, 6), true},
		{"after", sgDay(2026, 3, 6), *sgDay(2026, 4, 1), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := models.DeferralDue(tc.until, tc.today); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// sgDay is a calendar day as the store keeps it: midnight UTC.
func sgDay(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}
