package models

import (
	"math"
	"testing"
)

// The worked example of the report (categories, 100 responses in each month):
//
//	category       before P/Pa/D  NPS    now P/Pa/D   NPS   own effect        mix effect
//	Waiting time   10/10/20  (40) −25    20/10/10 (40)  25  0.40 × 50  = +20  0
//	Advice         30/10/0   (40)  75    15/5/0   (20)  75  0.20 × 0   =   0  (0.20−0.40)×(75−20) = −11
//	Mobile          8/4/4    (16)  25    18/9/9   (36)  25  0.36 × 0   =   0  (0.36−0.16)×(25−20) =  +1
//	Letters         0/0/4     (4) −100    4/0/0    (4) 100  0.04 × 200 =  +8  0   (too few: 4 < 5)
//
// NPS 20 → 38, a change of +18 = 20 + 8 (own) − 11 + 1 (mix). Only "Waiting time" is named:
// Advice and Mobile kept their NPS (the old per-contribution ranking called Advice −15 and
// Mobile +5), and Letters has too few responses.
var workedExample = []SegmentCounts{
	{Key: "Waiting time", Previous: NPSCounts{10, 10, 20}, Current: NPSCounts{20, 10, 10}},
	{Key: "Advice", Previous: NPSCounts{30, 10, 0}, Current: NPSCounts{15, 5, 0}},
	{Key: "Mobile", Previous: NPSCounts{8, 4, 4}, Current: NPSCounts{18, 9, 9}},
	{Key: "Letters", Previous: NPSCounts{0, 0, 4}, Current: NPSCounts{4, 0, 0}},
}

// reasonOwn reduces reasons to key and rounded own effect.
type reasonOwn struct {
	key string
	own float64
}

func owns(rs []Reason) []reasonOwn {
	out := []reasonOwn{}
	for _, r := range rs {
		out = append(out, reasonOwn{r.Key, math.Round(r.Own*1e6) / 1e6})
	}
	return out
}

func equalOwns(a, b []reasonOwn) bool {
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

func TestNPSReasons(t *testing.T) {
	big := func(p, pa, d int) NPSCounts { return NPSCounts{p, pa, d} }
	tests := []struct {
		name      string
		segments  []SegmentCounts
		limit     int
		up, down  []reasonOwn
		noEarlier bool
		change    float64
		mix       float64
		small     float64
		tooFew    int
	}{
		{name: "worked example", segments: workedExample,
			up: []reasonOwn{{"Waiting time", 20}}, down: []reasonOwn{},
			change: 18, mix: -10, small: 8, tooFew: 1},
		{name: "unchanged group with a changed share is never a reason", segments: []SegmentCounts{
			{Key: "Staff", Previous: big(10, 0, 0), Current: big(5, 0, 0)},
			{Key: "Queue", Previous: big(5, 0, 5), Current: big(5, 0, 5)},
		}, up: []reasonOwn{}, down: []reasonOwn{}, change: -50.0 / 3, mix: -50.0 / 3},
		{name: "no touchpoint is never a reason", segments: []SegmentCounts{
			{Key: "", Previous: big(0, 0, 10), Current: big(10, 0, 0)},
			{Key: "Phone", Previous: big(5, 5, 0), Current: big(0, 5, 5)},
		}, up: []reasonOwn{}, down: []reasonOwn{{"Phone", -50}}, change: 50, small: 100, mix: 0},
		{name: "no earlier data", segments: []SegmentCounts{
			{Key: "a", Current: big(9, 0, 0)},
		}, up: []reasonOwn{}, down: []reasonOwn{}, noEarlier: true},
		{name: "limit keeps the largest, the rest is accounted for", segments: []SegmentCounts{
			{Key: "a", Previous: big(0, 10, 0), Current: big(10, 0, 0)},
			{Key: "b", Previous: big(0, 10, 0), Current: big(5, 5, 0)},
		}, limit: 1, up: []reasonOwn{{"a", 50}}, down: []reasonOwn{}, change: 75, small: 25},
		{name: "ties by key", segments: []SegmentCounts{
			{Key: "b", Previous: big(0, 10, 0), Current: big(10, 0, 0)},
			{Key: "a", Previous: big(0, 10, 0), Current: big(10, 0, 0)},
		}, up: []reasonOwn{{"a", 50}, {"b", 50}}, down: []reasonOwn{}, change: 100},
		{name: "nothing", up: []reasonOwn{}, down: []reasonOwn{}, noEarlier: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NPSReasons(tt.segments, tt.limit)
			if got := owns(r.Up); !equalOwns(got, tt.up) {
				t.Errorf("up = %v, want %v", got, tt.up)
			}
			if got := owns(r.Down); !equalOwns(got, tt.down) {
				t.Errorf("down = %v, want %v", got, tt.down)
			}
			if r.NoEarlier != tt.noEarlier || r.TooFew != tt.tooFew {
				t.Errorf("no earlier %v too few %d, want %v %d", r.NoEarlier, r.TooFew, tt.noEarlier, tt.tooFew)
			}
			for _, x := range []struct {
				name      string
				got, want float64
			}{{"change", r.Change, tt.change}, {"mix", r.MixTotal, tt.mix}, {"small", r.SmallTotal, tt.small}} {
				if math.Abs(x.got-x.want) > 1e-9 {
					t.Errorf("%s = %v, want %v", x.name, x.got, x.want)
				}
			}
		})
	}
}

// TestNPSReasonsAddUp checks the decomposition is exact on many shapes: the named own
// effects, the small ones and the mix add up to the change of the overall NPS.
func TestNPSReasonsAddUp(t *testing.T) {
	cases := [][]SegmentCounts{workedExample,
		{{Key: "a", Previous: NPSCounts{3, 3, 4}, Current: NPSCounts{6, 2, 2}},
			{Key: "b", Previous: NPSCounts{6, 2, 1}, Current: NPSCounts{2, 2, 6}},
			{Key: "c", Current: NPSCounts{2, 1, 0}},
			{Key: "", Previous: NPSCounts{0, 1, 0}, Current: NPSCounts{1, 0, 1}},
			{Key: "gone", Previous: NPSCounts{7, 0, 0}}},
	}
	for i, segs := range cases {
		var cur, prev NPSCounts
		for _, s := range segs {
			cur, prev = cur.Add(s.Current), prev.Add(s.Previous)
		}
		now, _ := cur.Score()
		before, _ := prev.Score()
		r := NPSReasons(segs, 1)
		sum := r.MixTotal + r.SmallTotal
		for _, x := range append(r.Up, r.Down...) {
			sum += x.Own
		}
		if math.Abs(sum-(now-before)) > 1e-9 || math.Abs(r.Change-(now-before)) > 1e-9 {
			t.Errorf("case %d: parts add up to %v, change %v, NPS %v -> %v", i, sum, r.Change, before, now)
		}
	}
}
