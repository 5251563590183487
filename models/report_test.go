package models_test

import (
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

func TestFollowUpFigures(t *testing.T) {
	h := func(n int) time.Duration { return time.Duration(n) * time.Hour }
	tests := []struct {
		name       string
		detractors int
		took       []time.Duration
		want       models.FollowUpStats
	}{
		{"none", 0, nil, models.FollowUpStats{}},
		{"one not followed up", 1, nil, models.FollowUpStats{Detractors: 1}},
		{"exactly 24 hours is within", 1, []time.Duration{h(24)}, models.FollowUpStats{Detractors: 1, FollowedUp: 1, Within: 1, Median: h(24)}},
		{"a millisecond more is not", 1, []time.Duration{h(24) + time.Millisecond}, models.FollowUpStats{Detractors: 1, FollowedUp: 1, Median: h(24) + time.Millisecond}},
		{"odd count median", 3, []time.Duration{h(1), h(30), h(3)}, models.FollowUpStats{Detractors: 3, FollowedUp: 3, Within: 2, Median: h(3)}},
		{"even count median", 3, []time.Duration{h(2), h(30)}, models.FollowUpStats{Detractors: 3, FollowedUp: 2, Within: 1, Median: h(16)}},
		{"contacted before the receipt waited nothing", 2, []time.Duration{-h(1), h(5)}, models.FollowUpStats{Detractors: 2, FollowedUp: 2, Within: 2, Median: h(5) / 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := models.FollowUpFigures(tt.detractors, tt.took); got != tt.want {
				t.Errorf("FollowUpFigures = %+v, want %+v", got, tt.want)
			}
		})
	}
}
