package store

import (
	"context"
	"fmt"

	"github.com/improvementtracker/tracker/models"
)

// EvidenceOf counts the evidence of several improvements in one query.
func (s *Store) EvidenceOf(ctx context.Context, ids []int64) (map[int64]models.Evidence, error) {
	out := make(map[int64]models.Evidence, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ImprovementID                            int64
		Detractors, Customers, Private, Business int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT l.improvement_id,
		COALESCE(SUM(CASE WHEN f.nps_group = ? THEN 1 ELSE 0 END), 0) AS detractors,
		COUNT(DISTINCT COALESCE(f.customer_email, 'feedback ' || f.id)) AS customers,
		COALESCE(SUM(CASE WHEN f.segment = ? THEN 1 ELSE 0 END), 0) AS private,
		COALESCE(SUM(CASE WHEN f.segment = ? THEN 1 ELSE 0 END), 0) AS business
		FROM improvement_feedback l JOIN feedback f ON f.id = l.feedback_id
		WHERE l.improvement_id IN ? GROUP BY l.improvement_id`, models.GroupDetractor, models.SegmentPrivate, models.SegmentBusiness, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: evidence: %w", err)
	}
	for _, r := range rows {
		out[r.ImprovementID] = models.Evidence{Detractors: r.Detractors, Customers: r.Customers, Private: r.Private, Business: r.Business}
	}
	return out, nil
}
