package store

import (
	"context"
	"fmt"

	"github.com/improvementtracker/tracker/models"
)

// Initiatives lists the approved and in-progress steering items ordered by functional
// area, owner and target date, each with its latest progress note.
func (s *Store) Initiatives(ctx context.Context) ([]models.Initiative, error) {
	var imps []models.Improvement
	err := preloadImprovement(s.r.WithContext(ctx)).Select("improvements.*").
		Joins("LEFT JOIN functional_areas fa ON fa.id = improvements.functional_area_id").
		Joins("LEFT JOIN users ow ON ow.id = improvements.owner_id").
		Where("improvements.status IN ? AND improvements.track = ? AND improvements.merged_into_id IS NULL",
			[]models.Status{models.StatusApproved, models.StatusInProgress}, models.TrackSteering).
		Order("fa.name IS NULL, fa.name, fa.id, ow.name IS NULL, ow.name, ow.id, improvements.target_date, improvements.id").
		Find(&imps).Error
	if err != nil {
		return nil, fmt.Errorf("models: initiatives: %w", err)
	}
	if err := s.fillImprovementRefs(ctx, pointersTo(imps)); err != nil {
		return nil, err
	}
	ids := make([]int64, len(imps))
	for i, imp := range imps {
		ids[i] = imp.ID
	}
	last, err := s.latestProgress(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]models.Initiative, len(imps))
	for i, imp := range imps {
		out[i] = models.Initiative{Improvement: imp, LastProgress: last[imp.ID]}
	}
	return out, nil
}

// latestProgress returns the newest progress note of each improvement, in one query.
func (s *Store) latestProgress(ctx context.Context, ids []int64) (map[int64]*models.Comment, error) {
	out := map[int64]*models.Comment{}
	if len(ids) == 0 {
		return out, nil
	}
	var notes []models.Comment
	err := s.r.WithContext(ctx).Preload("User").
		Where("kind = ? AND id IN (SELECT MAX(id) FROM comments WHERE kind = ? AND improvement_id IN ? GROUP BY improvement_id)",
			models.CommentProgress, models.CommentProgress, ids).Find(&notes).Error
	if err != nil {
		return nil, fmt.Errorf("models: progress notes: %w", err)
	}
	for i := range notes {
		out[notes[i].ImprovementID] = &notes[i]
	}
	return out, nil
}
