package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/improvementtracker/tracker/models"
)

// maxOpenForSimilar caps how many open improvements are compared; a steering group
// has far fewer open at once.
const maxOpenForSimilar = 2000

// SimilarOpenImprovements suggests up to limit open improvements (not implemented,
// rejected or merged) whose title and description share words with text, most words
// shared first, so that triage links feedback to them instead of making a duplicate.
func (s *Store) SimilarOpenImprovements(ctx context.Context, text string, limit int) ([]models.SimilarImprovement, error) {
	if len(models.SimilarWords(text)) == 0 {
		return nil, nil
	}
	var open []models.Improvement
	err := s.r.WithContext(ctx).Select("id, title, description, status").
		Where("merged_into_id IS NULL AND status NOT IN ?", []models.Status{models.StatusImplemented, models.StatusRejected}).
		Order("priority DESC, id").Limit(maxOpenForSimilar).Find(&open).Error
	if err != nil {
		return nil, fmt.Errorf("models: similar improvements: %w", err)
	}
	var out []models.SimilarImprovement
	for _, imp := range open {
		if n := models.SimilarityScore(text, imp.Title+" "+imp.Description); n > 0 {
			out = append(out, models.SimilarImprovement{ID: imp.ID, Title: imp.Title, Status: imp.Status, Score: n})
		}
	}
	slices.SortStableFunc(out, func(a, b models.SimilarImprovement) int { return b.Score - a.Score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
