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
// rollup, with the NPS targets of those years. The months are kept like the report's
// (keptMonthlyNPS), the targets until one is set.
func (s *Store) NPSTrend(ctx context.Context, firstYear, lastYear int) (models.NPSHistory, error) {
	first, end := time.Date(firstYear, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(lastYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	months, err := s.keptMonthlyNPS(ctx, first, end)
	if err != nil {
		return models.NPSHistory{}, err
	}
	targets, err := s.keptNPSTargets(ctx)
	if err != nil {
		return models.NPSHistory{}, err
	}
	return models.NPSHistory{Months: months, Targets: targets.byYear, Drawn: targets.drawn}, nil
}

// keptTargets are the NPS targets as kept, with the drawings of the trends shown
// against them. The drawings may outlive the months they were drawn from: a trend's
// drawing is named by all its figures (trendVersion in views), so one of other months
// is drawn again, never shown.
type keptTargets struct {
	byYear map[int]int
	drawn  *models.Drawings
}

// keptNPSTargets returns the NPS targets, read again only after a target was set.
func (s *Store) keptNPSTargets(ctx context.Context) (keptTargets, error) {
	return cachedJudged(ctx, s, &s.aggs, "nps targets", aggregateTTL,
		func(ctx context.Context) (keptTargets, error) {
			byYear, err := s.NPSTargets(ctx)
			return keptTargets{byYear, new(models.Drawings)}, err
		},
		unchanged(func(_ context.Context, _ keptTargets, since []loggedWrite) bool {
			return len(writesOf(since, "nps_targets")) == 0
		}))
}

// keptMonthlyNPS is monthlyNPS kept in two parts: the months before this one change
// only by feedback received in them, so they outlive the feedback written since (nearly
// all of it received this month), its follow-ups and every write that leaves the
// feedback and its rollups alone (an improvement moved: npsHeldBefore); only this month
// and the later ones are read again after each. Recomputed whole after every write, a
// report's thirteen months were the soak's second-largest statement on PostgreSQL (a
// scan of the rollup, 1,510 times a minute).
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
