package models

import (
	"time"
)

// MinImpactResponses is the fewest NPS responses on each side of an implementation for
// its impact to tell anything: below it one customer more or less moves the NPS by
// several points, so the page and the API say "too few to tell".
const MinImpactResponses = 30

// DefaultImpactDays is the window before and after an implementation that impact
// compares unless asked otherwise; MaxImpactDays caps it at two years.
const (
	DefaultImpactDays = 90
	MaxImpactDays     = 730
)

// ImpactDay returns the day an implemented improvement took effect, as a received_on
// key: implemented_on, or the local day it became implemented. ok is false for an
// improvement that is not implemented.
func ImpactDay(imp *Improvement, loc *time.Location) (day time.Time, ok bool) {
	switch {
	case imp.ImplementedOn != nil:
		y, m, d := imp.ImplementedOn.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	case imp.ImplementedAt != nil:
		return LocalDate(*imp.ImplementedAt, loc), true
	}
	return time.Time{}, false
}

// ImpactWindows returns the days compared around day: before is the `days` days
// before it, after is day itself and the days-1 that follow ([from, to) each).
func ImpactWindows(day time.Time, days int) (beforeFrom, beforeTo, afterFrom, afterTo time.Time) {
	return day.AddDate(0, 0, -days), day, day, day.AddDate(0, 0, days)
}

// ImpactSide is the NPS of one side of an implementation.
type ImpactSide struct {
	NPSCounts
}

// DetractorShare returns the share of detractors in percent; ok is false without responses.
func (s ImpactSide) DetractorShare() (float64, bool) {
	n := s.Responses()
	if n == 0 {
		return 0, false
	}
	return float64(s.Detractors) * 100 / float64(n), true
}

// ImpactRow compares before and after for one touchpoint (or all of them).
type ImpactRow struct {
	// Name is the touchpoint's name; "" for the total.
	Name          string
	Before, After ImpactSide
}

// Change returns the NPS after minus before, in points; ok is false when either side
// has no responses.
func (r ImpactRow) Change() (float64, bool) { return NPSChange(r.After.NPSCounts, r.Before.NPSCounts) }

// TooFew reports whether either side has fewer than MinImpactResponses responses.
func (r ImpactRow) TooFew() bool {
	return TooFewToTell(r.Before.NPSCounts, r.After.NPSCounts)
}

// TooFewToTell reports whether before or after has fewer than MinImpactResponses
// responses, too few for a change in NPS to mean anything.
func TooFewToTell(before, after NPSCounts) bool {
	return before.Responses() < MinImpactResponses || after.Responses() < MinImpactResponses
}

// Impact is what happened to the NPS of an improvement's touchpoints around the day it
// was implemented.
type Impact struct {
	ImplementedOn time.Time
	Days          int
	// Total sums the touchpoints; ByTouchpoint has one row each, in the order of their ids.
	Total        ImpactRow
	ByTouchpoint []ImpactRow
	// Partial is true while the after window has not ended yet.
	Partial bool
}
