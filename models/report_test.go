package models_test

import (
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

func TestFollowUpFigures(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	h := func(n int) *time.Time { x := at.Add(time.Duration(n) * time.Hour); return &x }
	tests := []struct {
		name     string
		followed []*time.Time
		want     models.FollowUpStats
	}{
		{"none", nil, models.FollowUpStats{}},
		{"one not followed up", []*time.Time{nil}, models.FollowUpStats{Detractors: 1}},
		{"exactly 24 hours is within", []*time.Time{h(24)}, models.FollowUpStats{Detractors: 1, FollowedUp: 1, Within: 1, Median: 24 * time.Hour}},
		{"odd count median", []*time.Time{h(1), h(30), h(3)}, models.FollowUpStats{Detractors: 3, FollowedUp: 3, Within: 2, Median: 3 * time.Hour}},
		{"even count median", []*time.Time{h(2), h(30), nil}, models.FollowUpStats{Detractors: 3, FollowedUp: 2, Within: 1, Median: 16 * time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			received := make([]time.Time, len(tt.followed))
			for i := range received {
				received[i] = at
			}
			if got := models.FollowUpFigures(received, tt.followed); got != tt.want {
				t.Errorf("FollowUpFigures = %+v, want %+v", got, tt.want)
			}
		})
	}
}
