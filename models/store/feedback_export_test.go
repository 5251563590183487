package store

import (
	"context"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// FeedbackListPlan returns SQLite's query plan of ListFeedback's query, so benchmarks
// and tests can check that filters use an index and search uses FTS.
func (s *Store) FeedbackListPlan(ctx context.Context, f models.FeedbackFilter, after models.Cursor, limit int) (string, error) {
	stmt := s.listQuery(s.r.WithContext(ctx).Session(&gorm.Session{DryRun: true}), f, after, limit).
		Find(&[]models.Feedback{}).Statement
	return s.plan(ctx, stmt.SQL.String(), stmt.Vars...)
}

// plan is SQLite's plan for query, its steps joined by "; ".
func (s *Store) plan(ctx context.Context, query string, vars ...any) (string, error) {
	var steps []struct{ Detail string }
	err := s.r.WithContext(ctx).Raw("EXPLAIN QUERY PLAN "+query, vars...).Scan(&steps).Error
	details := make([]string, len(steps))
	for i, st := range steps {
		details[i] = st.Detail
	}
	return strings.Join(details, "; "), err
}
