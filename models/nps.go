package models

import (
	"math"
	"time"
)

// NPSGroup is the Net Promoter group a score puts a customer in. Reports count groups, not
// raw scores, so the group is derived in one place.
type NPSGroup string

// The three Net Promoter groups.
const (
	// GroupPromoter is a score of 9 or 10.
	GroupPromoter NPSGroup = "promoter"
	// GroupPassive is a score of 7 or 8.
	GroupPassive NPSGroup = "passive"
	// GroupDetractor is a score of 0 to 6; detractors must be contacted within FollowUpWindow.
	GroupDetractor NPSGroup = "detractor"
)

// FollowUpWindow is how soon an unhappy customer must be contacted after their feedback
// was received.
const FollowUpWindow = 24 * time.Hour

// ValidScore reports whether score is on the 0-10 NPS scale.
func ValidScore(score int) bool {
	return score >= 0 && score <= 10
}

// GroupOf returns the NPS group of score. Feedback without a score, or with one outside
// 0-10, belongs to no group ("") so that it never skews the NPS.
func GroupOf(score *int) NPSGroup {
	switch {
	case score == nil || !ValidScore(*score):
		return ""
	case *score >= 9:
		return GroupPromoter
	case *score >= 7:
		return GroupPassive
	default:
		return GroupDetractor
	}
}

// FollowUpDue returns when a detractor's follow-up is due (receivedAt plus FollowUpWindow),
// or nil when the feedback needs no follow-up.
func FollowUpDue(receivedAt time.Time, score *int) *time.Time {
	if GroupOf(score) != GroupDetractor {
		return nil
	}
	due := receivedAt.Add(FollowUpWindow)
	return &due
}

// NPSCounts holds how many responses fell in each group; it is what an NPS is computed from
// and what reports add up across segments and periods.
type NPSCounts struct {
	Promoters, Passives, Detractors int
}

// Count counts n more responses of group; an unknown group counts nowhere.
func (c *NPSCounts) Count(group NPSGroup, n int) {
	switch group {
	case GroupPromoter:
		c.Promoters += n
	case GroupPassive:
		c.Passives += n
	case GroupDetractor:
		c.Detractors += n
	}
}

// Responses returns the number of scored responses.
func (c NPSCounts) Responses() int {
	return c.Promoters + c.Passives + c.Detractors
}

// Add returns the sum of c and o.
func (c NPSCounts) Add(o NPSCounts) NPSCounts {
	return NPSCounts{
		Promoters:  c.Promoters + o.Promoters,
		Passives:   c.Passives + o.Passives,
		Detractors: c.Detractors + o.Detractors,
	}
}

// Score returns the NPS, (promoters - detractors) / responses * 100, from -100 to 100.
// ok is false when there are no responses: "no data" must not be shown as an NPS of 0.
func (c NPSCounts) Score() (nps float64, ok bool) {
	n := c.Responses()
	if n == 0 {
		return 0, false
	}
	// Multiply before dividing so that round figures stay exact (3*100/10 is 30, 0.3*100 is not).
	return float64(c.Promoters-c.Detractors) * 100 / float64(n), true
}

// RoundTo1 rounds v to one decimal, halves away from zero (12.25 -> 12.3, -12.25 -> -12.3),
// the way reports and the API show an NPS.
func RoundTo1(v float64) float64 {
	return math.Round(v*10) / 10
}
