package models

import "strings"

// Effort is the size of an improvement in T-shirt sizes. Sizes are coarse on purpose: they
// only need to route an item to a track and rank it, not to plan the work.
type Effort string

// The effort sizes, smallest first.
const (
	EffortXS Effort = "XS"
	EffortS  Effort = "S"
	EffortM  Effort = "M"
	EffortL  Effort = "L"
	EffortXL Effort = "XL"
)

// Efforts lists every effort, smallest first, for select boxes and validation.
var Efforts = []Effort{EffortXS, EffortS, EffortM, EffortL, EffortXL}

// ParseEffort reads an effort as a person types it ("xs", " M ").
func ParseEffort(s string) (Effort, bool) {
	e := Effort(strings.ToUpper(strings.TrimSpace(s)))
	return e, e.Rank() > 0
}

// Rank returns 1 for XS up to 5 for XL, and 0 for an unknown effort, so that sizes can be
// compared and used in the priority.
func (e Effort) Rank() int {
	for i, known := range Efforts {
		if e == known {
			return i + 1
		}
	}
	return 0
}

// Track says who carries an improvement out: the quick-win team or the steering group.
type Track string

// The two tracks.
const (
	// TrackQuickWin is for small fixes the quick-win team does without a decision.
	TrackQuickWin Track = "quick_win"
	// TrackSteering is for larger changes the steering group must decide on.
	TrackSteering Track = "steering"
)

// ParseTrack reads a track from a form or API value.
func ParseTrack(s string) (Track, bool) {
	t := Track(strings.ToLower(strings.TrimSpace(s)))
	if t == TrackQuickWin || t == TrackSteering {
		return t, true
	}
	return "", false
}

// DefaultRoutingThreshold is the largest effort sent to the quick-win team until the admin
// changes it.
const DefaultRoutingThreshold = EffortS

// SuggestTrack applies the routing rule: up to the threshold effort goes to the quick-win
// team, anything larger to the steering group. An unsized effort goes to steering, where it
// gets looked at; an unknown threshold means DefaultRoutingThreshold.
func SuggestTrack(effort, threshold Effort) Track {
	if threshold.Rank() == 0 {
		threshold = DefaultRoutingThreshold
	}
	if effort.Rank() > 0 && effort.Rank() <= threshold.Rank() {
		return TrackQuickWin
	}
	return TrackSteering
}

// ValidImpact reports whether i is on the 1-5 impact scale.
func ValidImpact(i int) bool {
	return i >= 1 && i <= 5
}

// Priority orders the queues: impact * (6 - effort rank), from 1 (impact 1, effort XL) to
// 25 (impact 5, effort XS). High impact for little effort comes first, as the design asks
// of quick wins. It is 0 when impact or effort is invalid, so unsized items sort last.
func Priority(impact int, effort Effort) int {
	if !ValidImpact(impact) || effort.Rank() == 0 {
		return 0
	}
	return impact * (6 - effort.Rank())
}
