package models

import (
	"context"
	"fmt"
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

// implementedOn is the day stored as implemented_on: the given day, or today in loc,
// as midnight UTC of the local date (as received_on is stored).
func implementedOn(given *time.Time, now time.Time, loc *time.Location) time.Time {
	if given != nil {
		y, m, d := given.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return localDate(now, loc)
}

// ImpactDay returns the day an implemented improvement took effect, as a received_on
// key: implemented_on, or the local day it became implemented. ok is false for an
// improvement that is not implemented.
func ImpactDay(imp *Improvement, loc *time.Location) (day time.Time, ok bool) {
	switch {
	case imp.ImplementedOn != nil:
		y, m, d := imp.ImplementedOn.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	case imp.ImplementedAt != nil:
		return localDate(*imp.ImplementedAt, loc), true
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
	// Total sums the touchpoints; ByTouchpoint has one row each, by name.
	Total        ImpactRow
	ByTouchpoint []ImpactRow
	// Partial is true while the after window has not ended yet.
	Partial bool
}

// ImprovementImpact compares the NPS of the touchpoints of an implemented
// improvement's linked feedback in the days before and after it was implemented, from
// the daily rollup. It is refused with ErrNotAllowed for an improvement that is not
// implemented.
func (s *Store) ImprovementImpact(ctx context.Context, imp *Improvement, days int) (*Impact, error) {
	if days <= 0 {
		days = DefaultImpactDays
	}
	days = min(days, MaxImpactDays)
	day, ok := ImpactDay(imp, s.Location)
	if imp.Status != StatusImplemented || !ok {
		return nil, fmt.Errorf("models: improvement %d is not implemented: %w", imp.ID, ErrNotAllowed)
	}
	db := s.r.WithContext(ctx)
	var tps []int64
	err := db.Raw(`SELECT DISTINCT f.touchpoint_id FROM improvement_feedback l JOIN feedback f ON f.id = l.feedback_id
		WHERE l.improvement_id = ? AND f.touchpoint_id IS NOT NULL ORDER BY f.touchpoint_id`, imp.ID).Scan(&tps).Error
	if err != nil {
		return nil, fmt.Errorf("models: impact of %d: touchpoints: %w", imp.ID, err)
	}
	bf, _, af, at := ImpactWindows(day, days) // before ends where after starts
	out := &Impact{ImplementedOn: day, Days: days, Partial: at.After(localDate(s.now(), s.Location))}
	if len(tps) == 0 {
		return out, nil
	}
	var rows []struct {
		TouchpointID                    int64
		IsAfter                         bool
		Promoters, Passives, Detractors int
	}
	err = db.Raw(`SELECT touchpoint_id, day >= ? AS is_after, SUM(promoters) AS promoters, SUM(passives) AS passives,
		SUM(detractors) AS detractors FROM feedback_daily
		WHERE touchpoint_id IN ? AND day >= ? AND day < ? GROUP BY 1, 2`,
		af, tps, bf, at).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: impact of %d: %w", imp.ID, err)
	}
	names, err := s.refNames(ctx, RefTouchpoints)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*ImpactRow{}
	for _, id := range tps {
		out.ByTouchpoint = append(out.ByTouchpoint, ImpactRow{Name: names[id]})
	}
	for i, id := range tps {
		byID[id] = &out.ByTouchpoint[i]
	}
	for _, r := range rows {
		c := NPSCounts{Promoters: r.Promoters, Passives: r.Passives, Detractors: r.Detractors}
		row := byID[r.TouchpointID]
		if r.IsAfter {
			row.After.NPSCounts = row.After.Add(c)
			out.Total.After.NPSCounts = out.Total.After.Add(c)
		} else {
			row.Before.NPSCounts = row.Before.Add(c)
			out.Total.Before.NPSCounts = out.Total.Before.Add(c)
		}
	}
	return out, nil
}
