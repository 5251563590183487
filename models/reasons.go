package models

import (
	"cmp"
	"math"
	"slices"
)

// SegmentCounts is one slice of responses (a category or a touchpoint) in the current and
// the previous period.
type SegmentCounts struct {
	Key               string
	Current, Previous NPSCounts
}

// Reason is a segment that moved the NPS between two periods; reports name these as the
// reasons satisfaction rose or fell.
type Reason struct {
	Key string
	// Effect is how many NPS points the segment added (positive) or took away (negative).
	Effect            float64
	Current, Previous NPSCounts
}

// NPSReasons returns the segments that raised the NPS (up, largest effect first) and those
// that lowered it (down, most negative first), at most limit of each (limit <= 0: all);
// segments with no effect are left out, and ties go by key so the report is stable.
//
// A segment's contribution to a period's NPS is (its promoters - its detractors) / all
// responses of the period * 100, and its effect is the change in that contribution. Unlike
// the change in the segment's own NPS, effects weigh a segment by its share of responses and
// add up to the change in the overall NPS, provided the segments cover each response once
// (include an "uncategorised" segment) and both periods have responses.
func NPSReasons(segments []SegmentCounts, limit int) (up, down []Reason) {
	var cur, prev int
	for _, s := range segments {
		cur += s.Current.Responses()
		prev += s.Previous.Responses()
	}
	for _, s := range segments {
		r := Reason{Key: s.Key, Current: s.Current, Previous: s.Previous}
		r.Effect = contribution(s.Current, cur) - contribution(s.Previous, prev)
		switch {
		case r.Effect > 0:
			up = append(up, r)
		case r.Effect < 0:
			down = append(down, r)
		}
	}
	slices.SortFunc(up, biggestFirst)
	slices.SortFunc(down, biggestFirst)
	return firstN(up, limit), firstN(down, limit)
}

// contribution is a segment's share of a period's NPS; a period without responses has no
// NPS, and nothing to contribute to.
func contribution(c NPSCounts, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(c.Promoters-c.Detractors) * 100 / float64(total)
}

// biggestFirst orders reasons by the size of their effect, largest first, then by key.
// Within up or down all effects share a sign, so this is descending for up and ascending
// (most negative first) for down.
func biggestFirst(a, b Reason) int {
	return cmp.Or(cmp.Compare(math.Abs(b.Effect), math.Abs(a.Effect)), cmp.Compare(a.Key, b.Key))
}

// firstN keeps at most n reasons; n <= 0 keeps all.
func firstN(rs []Reason, n int) []Reason {
	if n > 0 && len(rs) > n {
		return rs[:n]
	}
	return rs
}
