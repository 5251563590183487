package store

import (
	"context"
	"fmt"

	"github.com/improvementtracker/tracker/models"
)

// ReviewQueue lists the improvements in review, highest priority first (oldest first
// among equals), each with its linked feedback.
func (s *Store) ReviewQueue(ctx context.Context) ([]models.ReviewItem, error) {
	var imps []models.Improvement
	err := preloadImprovement(s.r.WithContext(ctx)).
		Where("status = ? AND merged_into_id IS NULL", models.StatusReview).
		Order("priority DESC, id").Find(&imps).Error
	if err != nil {
		return nil, fmt.Errorf("models: review queue: %w", err)
	}
	if err := s.fillImprovementRefs(ctx, pointersTo(imps)); err != nil {
		return nil, err
	}
	ids := make([]int64, len(imps))
	for i, imp := range imps {
		ids[i] = imp.ID
	}
	quotes, err := s.LinkedQuotes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]models.ReviewItem, len(imps))
	for i, imp := range imps {
		out[i] = models.ReviewItem{Improvement: imp, Quotes: quotes[imp.ID]}
	}
	return out, nil
}

// LinkedQuotes returns the feedback linked to each of the improvements, newest first,
// in one query.
func (s *Store) LinkedQuotes(ctx context.Context, improvementIDs []int64) (map[int64][]models.LinkedQuote, error) {
	out := map[int64][]models.LinkedQuote{}
	if len(improvementIDs) == 0 {
		return out, nil
	}
	var rows []models.LinkedQuote
	err := s.r.WithContext(ctx).Raw(`SELECT l.improvement_id, f.id AS feedback_id, f.comment, f.nps, f.nps_group,
		COALESCE(b.name, '') AS branch, f.received_at
		FROM improvement_feedback l
		JOIN feedback f ON f.id = l.feedback_id
		LEFT JOIN branches b ON b.id = f.branch_id
		WHERE l.improvement_id IN ?
		ORDER BY l.improvement_id, f.received_at DESC, f.id DESC`, improvementIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: linked feedback: %w", err)
	}
	for _, q := range rows {
		out[q.ImprovementID] = append(out[q.ImprovementID], q)
	}
	return out, nil
}
