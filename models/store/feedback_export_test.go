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
	rows, err := s.r.WithContext(ctx).Raw("EXPLAIN QUERY PLAN "+stmt.SQL.String(), stmt.Vars...).Rows()
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return "", err
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "; "), rows.Err()
}
