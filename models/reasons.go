package models

import (
	"cmp"
	"math"
	"slices"
)

// SegmentCounts is one slice of responses (a category or a touchpoint) in the current and
// the previous period. An empty Key is the responses without one.
type SegmentCounts struct {
	Key               string
	Current, Previous NPSCounts
}

// MinReasonResponses is how many responses a segment needs in each of the two periods
// before the report names it as a reason: below that one or two answers swing its NPS by
// tens of points, and ranking them would name chance as a cause.
const MinReasonResponses = 5

// minReasonEffect is the smallest own effect, in NPS points, that counts as a movement:
// an effect that rounds to 0.0 on the page is no reason.
const minReasonEffect = 0.05

// Reason is a segment whose own NPS changed enough to move the overall NPS.
type Reason struct {
	Key string
	// Own is the NPS points the segment's own change of NPS added to (positive) or took
	// from (negative) the overall NPS: its share of responses now × the change of its NPS.
	Own float64
	// Mix is the points that came from its share of responses changing: the change of
	// its share × (its NPS before − the overall NPS before). It is shown beside Own, never
	// as a reason of its own: a segment whose NPS stood still did not cause anything.
	Mix               float64
	Current, Previous NPSCounts
}

// Effect returns the segment's whole contribution to the change (Own + Mix).
func (r Reason) Effect() float64 { return r.Own + r.Mix }

// Reasons explains the change of NPS between two periods along one dimension.
//
// With s the share of a segment's responses and n its NPS (0 = before, 1 = now), the
// overall NPS is Σ s·n, and its change splits exactly into
//
//	ΔNPS = Σ s1·(n1 − n0)              the segments' own changes (Own)
//	     + Σ (s1 − s0)·(n0 − NPS0)     the changed mix of responses (Mix)
//
// since Σ (s1 − s0) = 0. A segment without responses in one period takes its NPS of the
// other period there (no own change, only mix).
type Reasons struct {
	// NoEarlier is set when the earlier period had no responses: there is nothing to
	// explain a change from, and no reasons are given.
	NoEarlier bool
	// Change is the change of the overall NPS (0 when NoEarlier or no responses now).
	Change float64
	// Up and Down are the segments with enough responses in both periods whose own NPS
	// change raised or lowered the overall NPS, largest first.
	Up, Down []Reason
	// MixTotal is the change that came from shifted shares of all segments together;
	// SmallTotal the own changes of the segments (and of the responses without a
	// segment) too small to be named. Change = Σ Own of Up and Down + MixTotal + SmallTotal.
	MixTotal, SmallTotal float64
	// TooFew counts the segments with responses left out for having fewer than
	// MinReasonResponses in either period.
	TooFew int
}

// NPSReasons decomposes the NPS change between the periods of segments (which must cover
// each response once, including an empty-Key segment for responses without a value) and
// keeps at most limit reasons each way (limit <= 0: all). Segments whose own NPS did not
// move, segments with too few responses, and the responses without a segment ("no
// category", "no touchpoint") are never listed; their effects land in SmallTotal and
// MixTotal so the figures still add up to the change.
func NPSReasons(segments []SegmentCounts, limit int) Reasons {
	var cur, prev NPSCounts
	for _, s := range segments {
		cur = cur.Add(s.Current)
		prev = prev.Add(s.Previous)
	}
	var out Reasons
	if prev.Responses() == 0 {
		out.NoEarlier = true
		return out
	}
	if cur.Responses() == 0 {
		return out
	}
	total0, _ := prev.Score()
	total1, _ := cur.Score()
	out.Change = total1 - total0
	n1, n0 := float64(cur.Responses()), float64(prev.Responses())
	for _, s := range segments {
		c, p := s.Current.Responses(), s.Previous.Responses()
		if c == 0 && p == 0 {
			continue
		}
		nps1, ok1 := s.Current.Score()
		nps0, ok0 := s.Previous.Score()
		if !ok1 {
			nps1 = nps0
		}
		if !ok0 {
			nps0 = nps1
		}
		s1, s0 := float64(c)/n1, float64(p)/n0
		r := Reason{Key: s.Key, Current: s.Current, Previous: s.Previous,
			Own: s1 * (nps1 - nps0), Mix: (s1 - s0) * (nps0 - total0)}
		out.MixTotal += r.Mix
		switch {
		case s.Key == "":
			out.SmallTotal += r.Own
		case c < MinReasonResponses || p < MinReasonResponses:
			out.SmallTotal += r.Own
			out.TooFew++
		case r.Own >= minReasonEffect:
			out.Up = append(out.Up, r)
		case r.Own <= -minReasonEffect:
			out.Down = append(out.Down, r)
		default:
			out.SmallTotal += r.Own
		}
	}
	slices.SortFunc(out.Up, biggestFirst)
	slices.SortFunc(out.Down, biggestFirst)
	// Reasons past the limit are not named, but their effect is still accounted for.
	for _, rs := range [][]Reason{out.Up, out.Down} {
		if limit > 0 && len(rs) > limit {
			for _, r := range rs[limit:] {
				out.SmallTotal += r.Own
			}
		}
	}
	out.Up, out.Down = firstN(out.Up, limit), firstN(out.Down, limit)
	return out
}

// Empty reports whether there is no reason to name either way.
func (r Reasons) Empty() bool { return len(r.Up) == 0 && len(r.Down) == 0 }

// biggestFirst orders reasons by the size of their own effect, largest first, then by key.
func biggestFirst(a, b Reason) int {
	return cmp.Or(cmp.Compare(math.Abs(b.Own), math.Abs(a.Own)), cmp.Compare(a.Key, b.Key))
}

// firstN keeps at most n reasons; n <= 0 keeps all.
func firstN(rs []Reason, n int) []Reason {
	if n > 0 && len(rs) > n {
		return rs[:n]
	}
	return rs
}
