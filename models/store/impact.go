package store

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// implementedOn is the day stored as implemented_on: the given day, or today in loc,
// as midnight UTC of the local date (as received_on is stored).
func implementedOn(given *time.Time, now time.Time, loc *time.Location) time.Time {
	if given != nil {
		y, m, d := given.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return models.LocalDate(now, loc)
}

// ImprovementImpact compares the NPS of the touchpoints of an implemented
// improvement's linked feedback in the days before and after it was implemented, from
// the daily rollup. It is refused with ErrNotAllowed for an improvement that is not
// implemented. It is kept like a report: feedback received after the last day it
// compares, which is nearly all the team writes once that day has passed, leaves it.
func (s *Store) ImprovementImpact(ctx context.Context, imp *models.Improvement, days int) (*models.Impact, error) {
	if days <= 0 {
		days = models.DefaultImpactDays
	}
	days = min(days, models.MaxImpactDays)
	day, ok := models.ImpactDay(imp, s.Location)
	if imp.Status != models.StatusImplemented || !ok {
		return nil, fmt.Errorf("models: improvement %d is not implemented: %w", imp.ID, models.ErrNotAllowed)
	}
	_, _, _, at := models.ImpactWindows(day, days)
	end := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, s.Location) // at is a day in s.Location
	key := fmt.Sprintf("impact %d from %s for %d days", imp.ID, day.Format(time.DateOnly), days)
	kept, err := cachedJudged(ctx, s, &s.aggs, key, aggregateTTL,
		func(ctx context.Context) (*models.Impact, error) { return s.improvementImpact(ctx, imp.ID, day, days) },
		unchanged(func(_ context.Context, _ *models.Impact, since []loggedWrite) bool { return allFrom(since, end) }))
	if err != nil {
		return nil, err
	}
	out := *kept // shared with other readers: only this copy's Partial is set
	out.Partial = at.After(models.LocalDate(s.now(), s.Location))
	return &out, nil
}

// impactRowsSQL sums the daily rollup of touchpoints (?) from a day to a day, split at
// the implementation day (the first ?); it reads feedback_daily_touchpoint (migration
// 00029), only the touchpoints' rows.
const impactRowsSQL = `SELECT touchpoint_id, day >= ? AS is_after, SUM(promoters) AS promoters, SUM(passives) AS passives,
	SUM(detractors) AS detractors FROM feedback_daily
	WHERE touchpoint_id IN ? AND day >= ? AND day < ? GROUP BY 1, 2`

func (s *Store) improvementImpact(ctx context.Context, id int64, day time.Time, days int) (*models.Impact, error) {
	db := s.r.WithContext(ctx)
	var tps []int64
	err := db.Raw(`SELECT DISTINCT f.touchpoint_id FROM improvement_feedback l JOIN feedback f ON f.id = l.feedback_id
		WHERE l.improvement_id = ? AND f.touchpoint_id IS NOT NULL ORDER BY f.touchpoint_id`, id).Scan(&tps).Error
	if err != nil {
		return nil, fmt.Errorf("models: impact of %d: touchpoints: %w", id, err)
	}
	bf, _, af, at := models.ImpactWindows(day, days) // before ends where after starts
	out := &models.Impact{ImplementedOn: day, Days: days}
	if len(tps) == 0 {
		return out, nil
	}
	var rows []struct {
		TouchpointID                    int64
		IsAfter                         bool
		Promoters, Passives, Detractors int
	}
	err = db.Raw(impactRowsSQL, af, tps, bf, at).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: impact of %d: %w", id, err)
	}
	names, err := s.refNames(ctx, models.RefTouchpoints)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*models.ImpactRow{}
	for _, id := range tps {
		out.ByTouchpoint = append(out.ByTouchpoint, models.ImpactRow{Name: names[id]})
	}
	for i, id := range tps {
		byID[id] = &out.ByTouchpoint[i]
	}
	for _, r := range rows {
		c := models.NPSCounts{Promoters: r.Promoters, Passives: r.Passives, Detractors: r.Detractors}
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
