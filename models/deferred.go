package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DeferralDue reports whether an item deferred until a date is due back in review on
// today: from that date on, counted in calendar days (both as midnight UTC of the day).
func DeferralDue(deferUntil *time.Time, today time.Time) bool {
	if deferUntil == nil {
		return false
	}
	return !deferUntil.After(today)
}

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
	var deferred []Improvement
	// Deferred items are few (an index covers them), and comparing the dates in Go keeps
	// the rule the same on SQLite and PostgreSQL.
	err := s.r.WithContext(ctx).Where("status = ? AND merged_into_id IS NULL", StatusDeferred).
		Order("defer_until, id").Find(&deferred).Error
	if err != nil {
		return 0, fmt.Errorf("models: deferred items: %w", err)
	}
	today := s.Today()
	returned := 0
	for _, imp := range deferred {
		if !DeferralDue(imp.DeferUntil, today) {
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
func (s *Store) returnToReview(ctx context.Context, imp Improvement) (bool, error) {
	t, err := FindTransition(imp.Track, imp.Status, StatusReview)
	if err != nil {
		return false, err
	}
	moved := false
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		updates := transitionUpdates(t, imp, TransitionInput{To: StatusReview, Version: imp.Version}, now)
		res := tx.Model(&Improvement{}).Where("id = ? AND version = ? AND status = ?", imp.ID, imp.Version, StatusDeferred).
			Updates(updates)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		moved = true
		note := ""
		if imp.DeferUntil != nil {
			note = imp.DeferUntil.Format(time.DateOnly)
		}
		return record(tx, now, "improvement", imp.ID, nil, t.Action, "status", string(imp.Status), string(StatusReview), note)
	})
	if err != nil {
		return false, fmt.Errorf("models: return improvement %d to review: %w", imp.ID, err)
	}
	return moved, nil
}
