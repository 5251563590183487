package store

import (
	"context"
	"fmt"

	"github.com/improvementtracker/tracker/models"
)

// Roadmap lists the initiatives with a target date that are approved or in progress,
// and those implemented in the last RoadmapRecentDays, by target date.
func (s *Store) Roadmap(ctx context.Context) ([]models.RoadmapQuarter, error) {
	var items []models.Improvement
	since := s.now().AddDate(0, 0, -models.RoadmapRecentDays)
	err := preloadImprovement(s.r.WithContext(ctx)).
		Where("merged_into_id IS NULL AND target_date IS NOT NULL").
		Where("status IN ? OR (status = ? AND implemented_at >= ?)",
			[]models.Status{models.StatusApproved, models.StatusInProgress}, models.StatusImplemented, since).
		Order("target_date, id").Limit(500).Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("models: roadmap: %w", err)
	}
	if err := s.fillImprovementRefs(ctx, pointersTo(items)); err != nil {
		return nil, err
	}
	return models.GroupByQuarter(items), nil
}
