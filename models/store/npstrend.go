package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NPSTargets returns the NPS targets set, by year.
func (s *Store) NPSTargets(ctx context.Context) (map[int]int, error) {
	var rows []models.NPSTarget
	if err := s.r.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: nps targets: %w", err)
	}
	out := make(map[int]int, len(rows))
	for _, r := range rows {
		out[r.Year] = r.Target
	}
	return out, nil
}

// SetNPSTarget sets the NPS target of a year and records the change.
func (s *Store) SetNPSTarget(ctx context.Context, year, target int, by *models.User) error {
	f := map[string]string{}
	if year < models.MinGoalYear || year > models.MaxGoalYear {
		f["year"] = "out_of_range"
	}
	if !models.ValidNPSTarget(target) {
		f["nps_target"] = "nps_target_range"
	}
	if len(f) > 0 {
		return &models.ValidationError{Fields: f}
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		old := ""
		var t models.NPSTarget
		if err := tx.Where("year = ?", year).Take(&t).Error; err == nil {
			old = fmt.Sprint(t.Target)
		}
		now := s.now()
		row := models.NPSTarget{Year: year, Target: target, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "year"}},
			DoUpdates: clause.AssignmentColumns([]string{"target", "updated_at"})}).Create(&row).Error; err != nil {
			return fmt.Errorf("models: set nps target %d: %w", year, err)
		}
		return record(tx, now, "goal", int64(year), by, "updated", "nps_target", old, fmt.Sprint(target), "")
	})
}

// NPSTrend returns the NPS responses of every month from January of firstYear to
// December of lastYear (months without responses included, empty), from the monthly
// rollup, with the NPS targets of those years. Kept like the dashboard's figures, in two
// parts: the months before this one change only by feedback received in them, so they
// outlive the feedback written since (nearly all of it received this month), its
// follow-ups and every write that leaves the feedback and its rollups alone (an
// improvement moved: npsHeldBefore), and only this month and the later ones are read
// again after each.
func (s *Store) NPSTrend(ctx context.Context, firstYear, lastYear int) (models.NPSHistory, error) {
	type trend struct {
		months  []models.NPSMonth
		targets map[int]int
		drawn   *models.Drawings
	}
	first, end := time.Date(firstYear, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(lastYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	split, from := s.thisMonthWithin(first, end)
	past, err := cachedJudged(ctx, s, &s.aggs, fmt.Sprintf("nps trend %d %d before %s", firstYear, lastYear, monthKey(split)), aggregateTTL,
		func(ctx context.Context) (trend, error) {
			months, err := s.monthlyNPS(ctx, first, split)
			if err != nil {
				return trend{}, err
			}
			targets, err := s.NPSTargets(ctx)
			return trend{months, targets, new(models.Drawings)}, err
		},
		unchanged(func(_ context.Context, _ trend, since []loggedWrite) bool {
			return npsHeldBefore(since, from, "nps_targets")
		}))
	if err != nil {
		return models.NPSHistory{}, err
	}
	recent, err := cachedAggregate(ctx, s, fmt.Sprintf("nps trend from %s to %d", monthKey(split), lastYear),
		func(ctx context.Context) ([]models.NPSMonth, error) { return s.monthlyNPS(ctx, split, end) })
	if err != nil {
		return models.NPSHistory{}, err
	}
	// The drawings are the past part's: they are of the months before this one as kept,
	// and a view tells this month's figures apart by their version.
	return models.NPSHistory{Months: slices.Concat(past.months, recent), Targets: past.targets, Drawn: past.drawn}, nil
}

// keptMonthlyNPS is monthlyNPS kept in the same two parts as NPSTrend's, for figures
// that show months up to this one beside others that each write changes (a report of
// this month): computed again after a write, they read only this month from the rollup.
// Recomputed whole, the report's thirteen months were the soak's second-largest
// statement on PostgreSQL (a scan of the rollup, 1,510 times a minute).
func (s *Store) keptMonthlyNPS(ctx context.Context, first, end time.Time) ([]models.NPSMonth, error) {
	split, from := s.thisMonthWithin(first, end)
	past, err := cachedJudged(ctx, s, &s.aggs, fmt.Sprintf("nps months from %s before %s", monthKey(first), monthKey(split)), aggregateTTL,
		func(ctx context.Context) ([]models.NPSMonth, error) { return s.monthlyNPS(ctx, first, split) },
		unchanged(func(_ context.Context, _ []models.NPSMonth, since []loggedWrite) bool {
			return npsHeldBefore(since, from)
		}))
	if err != nil {
		return nil, err
	}
	recent, err := cachedAggregate(ctx, s, fmt.Sprintf("nps months from %s before %s", monthKey(split), monthKey(end)),
		func(ctx context.Context) ([]models.NPSMonth, error) { return s.monthlyNPS(ctx, split, end) })
	if err != nil {
		return nil, err
	}
	return slices.Concat(past, recent), nil
}

// thisMonthWithin returns the first day of this month, as the monthly rollup keys it,
// held within [first, end], and the moment this month began in s.Location: the
// rollup's months are of received_on, the day in s.Location, so feedback received from
// that midnight counts in this month.
func (s *Store) thisMonthWithin(first, end time.Time) (split, from time.Time) {
	now := s.now().In(s.Location)
	split = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if split.Before(first) {
		split = first
	} else if split.After(end) {
		split = end
	}
	return split, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.Location)
}

// monthlyNPS returns the NPS responses of every month from first up to end (first days
// of months; months without responses included, empty) from the monthly rollup.
func (s *Store) monthlyNPS(ctx context.Context, first, end time.Time) ([]models.NPSMonth, error) {
	if !first.Before(end) {
		return nil, nil // a past period's "this month and later": no months, no query
	}
	var rows []struct {
		Month                           string
		Promoters, Passives, Detractors int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT month, SUM(promoters) AS promoters, SUM(passives) AS passives,
		SUM(detractors) AS detractors FROM feedback_monthly WHERE month >= ? AND month < ? GROUP BY month`,
		monthKey(first), monthKey(end)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: nps by month: %w", err)
	}
	byMonth := make(map[string]models.NPSCounts, len(rows))
	for _, r := range rows {
		byMonth[r.Month] = models.NPSCounts{Promoters: r.Promoters, Passives: r.Passives, Detractors: r.Detractors}
	}
	var out []models.NPSMonth
	for m := first; m.Before(end); m = m.AddDate(0, 1, 0) {
		out = append(out, models.NPSMonth{Year: m.Year(), Month: m.Month(), NPSCounts: byMonth[monthKey(m)]})
	}
	return out, nil
}
