package store

import (
	"context"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// SetLastSearchWindow lowers lastSearchWindow for a test, so that a small data set
// reaches the fallback; the returned func restores it.
func SetLastSearchWindow(n int) (restore func()) {
	old := lastSearchWindow
	lastSearchWindow = n
	return func() { lastSearchWindow = old }
}

// UserColumns is what UserByID reads.
const UserColumns = userColumns

// ImpactRowsPlan is SQLite's plan for the impact's rollup rows of touchpoints.
func (s *Store) ImpactRowsPlan(ctx context.Context, touchpoints []int64) (string, error) {
	day := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	return s.plan(ctx, impactRowsSQL, day, touchpoints, day.AddDate(0, 0, -90), day.AddDate(0, 0, 90))
}

// SetCommitEvery makes a bulk load commit after every n rows (at least one statement's
// worth), so a small load spans several transactions.
func (fb *FeedbackBulk) SetCommitEvery(n int) { fb.b.CommitEvery = n }

// FollowUpPlans are SQLite's plans for a year's follow-up figures, root causes and
// goodwill.
func (s *Store) FollowUpPlans(ctx context.Context) (map[string]string, error) {
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	waits, waitArgs := s.followUpWaits(models.PeriodOf(models.PeriodYear, time.Date(2025, 6, 1, 0, 0, 0, 0, s.Location), s.Location))
	plans := map[string]string{}
	for name, q := range map[string]struct {
		sql  string
		args []any
	}{
		"waits":       {waits, waitArgs},
		"root causes": {rootCausesSQL, []any{from, to}},
		"goodwill":    {goodwillByBranchSQL, []any{from, to}},
	} {
		plan, err := s.plan(ctx, q.sql, q.args...)
		if err != nil {
			return nil, err
		}
		plans[name] = plan
	}
	return plans, nil
}

// WritesChannel is the channel the store's writes are announced on.
func (s *Store) WritesChannel() string { return s.channel }
