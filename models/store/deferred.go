package store

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// calendarDay returns midnight UTC of t's date in loc, the way DATE columns are stored.
func calendarDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today returns the current calendar day in the store's time zone, as midnight UTC.
func (s *Store) Today() time.Time { return calendarDay(s.now(), s.Location) }

// ReturnDeferred moves every deferred improvement whose date has come back to review,
// so that it appears on the next agenda. It runs as a background job, without a user:
// history records the move with no user ("system"). Each item is its own transaction
// with the version check, so a person changing an item at the same moment wins and the
// job simply tries again next time. It returns how many items returned.
func (s *Store) ReturnDeferred(ctx context.Context) (int, error) {
	var deferred []models.Improvement
	// Deferred items are few (an index covers them), and comparing the dates in Go keeps
	// the rule the same on SQLite and PostgreSQL.
	err := s.r.WithContext(ctx).Where("status = ? AND merged_into_id IS NULL", models.StatusDeferred).
		Order("defer_until, id").Find(&deferred).Error
	if err != nil {
		return 0, fmt.Errorf("models: deferred items: %w", err)
	}
	today := s.Today()
	returned := 0
	for _, imp := range deferred {
		if !models.DeferralDue(imp.DeferUntil, today) {
			continue
		}
		ok, err := s.returnToReview(ctx, imp)
		if err != nil {
			return returned, err
		}
		if ok {
			returned++
		}
	}
	return returned, nil
}

// returnToReview applies the deferred → review move of the transition table as the
// system. It reports false when the item changed since it was read.
func (s *Store) returnToReview(ctx context.Context, imp models.Improvement) (bool, error) {
	t, err := models.FindTransition(imp.Track, imp.Status, models.StatusReview)
	if err != nil {
		return false, err
	}
	moved := false
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		updates := transitionUpdates(t, imp, models.TransitionInput{To: models.StatusReview, Version: imp.Version}, now)
		res := tx.Model(&models.Improvement{}).Where("id = ? AND version = ? AND status = ?", imp.ID, imp.Version, models.StatusDeferred).
			Updates(updates)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		moved = true
		note := ""
		if imp.DeferUntil != nil {
			note = imp.DeferUntil.Format(time.DateOnly)
		}
		return record(tx, now, "improvement", imp.ID, nil, t.Action, "status", string(imp.Status), string(models.StatusReview), note)
	})
	if err != nil {
		return false, fmt.Errorf("models: return improvement %d to review: %w", imp.ID, err)
	}
	return moved, nil
}
