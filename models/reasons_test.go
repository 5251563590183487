package models

import (
	"math"
	"testing"
)

// reasonKeys lists the keys and rounded effects of rs, for compact comparison.
func reasonKeys(rs []Reason) []reasonEffect {
	out := make([]reasonEffect, 0, len(rs))
	for _, r := range rs {
		out = append(out, reasonEffect{r.Key, math.Round(r.Effect*1e6) / 1e6})
	}
	return out
}

// reasonEffect is a reason reduced to what the tests compare.
type reasonEffect struct {
	key    string
	effect float64
}

// reasonSegments is a hand-computed case: 25 responses now, 20 before.
//
//	segment  now (P/Pa/D)  net  before (P/Pa/D)  net  effect
//	A        6/2/2          4   3/3/4            -1   16 - (-5) = 21
//	B        2/2/6         -4   6/2/1             5  -16 - 25   = -41
//	C        2/1/0          2   none              0    8 - 0    = 8
//	D        1/0/1          0   0/1/0             0    0 - 0    = 0
//
// NPS now (11-9)/25 = 8, before (9-5)/20 = 20: a change of -12 = 21 - 41 + 8.
var reasonSegments = []SegmentCounts{
	{Key: "A", Current: NPSCounts{6, 2, 2}, Previous: NPSCounts{3, 3, 4}},
	{Key: "B", Current: NPSCounts{2, 2, 6}, Previous: NPSCounts{6, 2, 1}},
	{Key: "C", Current: NPSCounts{2, 1, 0}},
	{Key: "D", Current: NPSCounts{1, 0, 1}, Previous: NPSCounts{0, 1, 0}},
}

func TestNPSReasons(t *testing.T) {
	tests := []struct {
		name     string
		segments []SegmentCounts
		limit    int
		up, down []reasonEffect
	}{
		{"hand-computed", reasonSegments, 0,
			[]reasonEffect{{"A", 21}, {"C", 8}}, []reasonEffect{{"B", -41}}},
		{"limit", reasonSegments, 1,
			[]reasonEffect{{"A", 21}}, []reasonEffect{{"B", -41}}},
		{"ties by key, no previous responses", []SegmentCounts{
			{Key: "b", Current: NPSCounts{Promoters: 1}},
			{Key: "a", Current: NPSCounts{Promoters: 1}},
			{Key: "c", Current: NPSCounts{Detractors: 1}},
			{Key: "d", Current: NPSCounts{Detractors: 2}},
		}, 0, []reasonEffect{{"a", 20}, {"b", 20}}, []reasonEffect{{"d", -40}, {"c", -20}}},
		{"no current responses", []SegmentCounts{
			{Key: "x", Previous: NPSCounts{Promoters: 3, Detractors: 1}},
		}, 0, []reasonEffect{}, []reasonEffect{{"x", -50}}},
		{"nothing", nil, 3, []reasonEffect{}, []reasonEffect{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, down := NPSReasons(tt.segments, tt.limit)
			if got := reasonKeys(up); !equalReasonEffects(got, tt.up) {
				t.Errorf("up = %v, want %v", got, tt.up)
			}
			if got := reasonKeys(down); !equalReasonEffects(got, tt.down) {
				t.Errorf("down = %v, want %v", got, tt.down)
			}
		})
	}
}

func equalReasonEffects(a, b []reasonEffect) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNPSReasonsSumToChange(t *testing.T) {
	var cur, prev NPSCounts
	for _, s := range reasonSegments {
		cur, prev = cur.Add(s.Current), prev.Add(s.Previous)
	}
	now, _ := cur.Score()
	before, _ := prev.Score()
	up, down := NPSReasons(reasonSegments, 0)
	var sum float64
	for _, r := range append(up, down...) {
		sum += r.Effect
	}
	if math.Abs(sum-(now-before)) > 1e-9 || math.Abs(sum-(-12)) > 1e-9 {
		t.Errorf("effects sum to %v, NPS changed %v -> %v", sum, before, now)
	}
}

func TestNPSReasonsKeepsCounts(t *testing.T) {
	up, _ := NPSReasons(reasonSegments, 1)
	if len(up) != 1 || up[0].Current != reasonSegments[0].Current || up[0].Previous != reasonSegments[0].Previous {
		t.Errorf("up = %+v, want segment A's counts", up)
	}
}
