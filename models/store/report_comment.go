package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ReportComment returns the comment on a period, or nil when there is none.
func (s *Store) ReportComment(ctx context.Context, p models.Period) (*models.ReportComment, error) {
	var c models.ReportComment
	err := s.r.WithContext(ctx).Where("kind = ? AND period = ?", p.Kind, p.String()).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("models: report comment: %w", err)
	}
	if c.UpdatedByID != nil {
		if u, err := s.UserByID(ctx, *c.UpdatedByID); err == nil {
			c.UpdatedBy = u
		}
	}
	return &c, nil
}

// SetReportComment stores (or, when body is blank, removes) the comment on a period and
// records the change in the history.
func (s *Store) SetReportComment(ctx context.Context, p models.Period, body string, by *models.User) error {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if utf8.RuneCountInString(body) > models.MaxReportComment {
		return models.Invalid("comment", "too_long")
	}
	if p.Kind.Months() == 0 {
		return models.Invalid("period", "invalid")
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var old models.ReportComment
		_ = tx.Where("kind = ? AND period = ?", p.Kind, p.String()).Take(&old).Error
		if body == "" {
			if err := tx.Where("kind = ? AND period = ?", p.Kind, p.String()).Delete(&models.ReportComment{}).Error; err != nil {
				return fmt.Errorf("models: remove report comment: %w", err)
			}
		} else {
			row := models.ReportComment{Kind: p.Kind, Period: p.String(), Body: body, UpdatedAt: s.now()}
			if by != nil {
				row.UpdatedByID = &by.ID
			}
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "kind"}, {Name: "period"}},
				DoUpdates: clause.AssignmentColumns([]string{"body", "updated_by_id", "updated_at"})}).Create(&row).Error; err != nil {
				return fmt.Errorf("models: save report comment: %w", err)
			}
		}
		return record(tx, s.now(), "report_comments", 0, by, "updated", string(p.Kind)+" "+p.String(), old.Body, body, "")
	})
}

// npsTrend returns the NPS of the TrendMonths months ending with p's last month.
func (s *Store) npsTrend(ctx context.Context, p models.Period) ([]models.NPSMonth, error) {
	last := p.End.Add(-time.Nanosecond).In(s.Location)
	end := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	return s.keptMonthlyNPS(ctx, end.AddDate(0, -models.TrendMonths, 0), end)
}

// rootCausesSQL counts the root causes of the follow-ups made from ? until ?, by id from
// the follow-ups' index (migration 00030) and then by name: a year's 26,000 follow-ups
// each joined to their category took three times as long.
const rootCausesSQL = `SELECT c.name AS name, SUM(x.n) AS n
	FROM (SELECT follow_up_root_cause_id AS id, COUNT(*) AS n FROM feedback
		WHERE followed_up_at >= ? AND followed_up_at < ? AND follow_up_root_cause_id IS NOT NULL
		GROUP BY follow_up_root_cause_id) x
	JOIN categories c ON c.id = x.id
	GROUP BY c.name`

// rootCauses counts the root causes recorded at the follow-ups made in p, the most
// frequent RootCausesShown first; like goodwill it reads only the follow-ups' partial
// index, so a year of a million feedback reads only the year's follow-ups.
func (s *Store) rootCauses(ctx context.Context, p models.Period) ([]models.NameCount, error) {
	from, to := p.Start.UTC(), p.End.UTC()
	var rows []struct {
		Name string
		N    int
	}
	err := s.r.WithContext(ctx).Raw(rootCausesSQL, from, to).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: root causes: %w", err)
	}
	m := make(map[string]int, len(rows))
	for _, r := range rows {
		m[r.Name] += r.N
	}
	out := sortedCounts(m)
	if len(out) > models.RootCausesShown {
		out = out[:models.RootCausesShown]
	}
	return out, nil
}
