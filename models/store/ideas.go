package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/improvementtracker/tracker/models"
)

// An idea is an improvement proposed by any employee with a reason. Impact and effort
// are the steering group's to judge: an idea starts at the middle of both (3, M), which
// routes it to the steering group's review, where it is edited and decided.
const (
	ideaImpact = 3
	ideaEffort = models.EffortM
)

// ProposeIdea stores an employee's idea with the reason for it; the proposer is told
// whenever its status changes.
func (s *Store) ProposeIdea(ctx context.Context, title, reason string, by *models.User) (*models.Improvement, error) {
	f := map[string]string{}
	if strings.TrimSpace(reason) == "" {
		f["reason"] = "required"
	} else if len(reason) > models.MaxCommentLength {
		f["reason"] = "too_long"
	}
	if strings.TrimSpace(title) == "" {
		f["title"] = "required"
	}
	if len(f) > 0 {
		return nil, &models.ValidationError{Fields: f}
	}
	return s.CreateImprovement(ctx, models.NewImprovement{Title: title, Description: reason, Impact: ideaImpact,
		Effort: ideaEffort, Track: models.TrackSteering, TrackReason: "proposed as an idea"}, by)
}

// MyIdeas lists the improvements a user proposed, newest first.
func (s *Store) MyIdeas(ctx context.Context, userID int64) ([]models.Improvement, error) {
	var out []models.Improvement
	err := s.r.WithContext(ctx).Where("created_by_id = ?", userID).Order("id DESC").Limit(200).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: ideas of %d: %w", userID, err)
	}
	return out, nil
}
