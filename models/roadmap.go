package models

import (
	"time"
)

// RoadmapRecentDays is how long an implemented initiative stays on the roadmap, so
// that readers see what was delivered as well as what is coming.
const RoadmapRecentDays = 90

// RoadmapQuarter is one quarter of the roadmap's timeline and the initiatives due in it.
type RoadmapQuarter struct {
	Year, Quarter int
	Items         []Improvement
}

// QuarterOf returns the calendar quarter (1-4) of t.
func QuarterOf(t time.Time) int { return (int(t.Month())-1)/3 + 1 }

// GroupByQuarter puts initiatives sorted by target date into their quarters, in order.
func GroupByQuarter(items []Improvement) []RoadmapQuarter {
	var out []RoadmapQuarter
	for _, it := range items {
		if it.TargetDate == nil {
			continue
		}
		y, q := it.TargetDate.Year(), QuarterOf(*it.TargetDate)
		if n := len(out); n == 0 || out[n-1].Year != y || out[n-1].Quarter != q {
			out = append(out, RoadmapQuarter{Year: y, Quarter: q})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return out
}
