package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// WorkCounts is the work waiting across the organisation, for the navigation badges.
type WorkCounts struct {
	FollowUpsDue, FollowUpsOverdue, Untriaged, Queued, Review int
}

// NavCountCap is where the navigation's badges stop counting ("999+"): counted in
// full, 170,000 untriaged feedback took a tenth of a second, and a busy team's
// navigation is counted after every change.
const NavCountCap = 1000

// WorkCountsUpTo counts open follow-ups (due within 24 hours, overdue), untriaged
// feedback and improvements waiting per track, each from a partial or leading index,
// and each up to limit only (0: all).
func (s *Store) WorkCountsUpTo(ctx context.Context, limit int) (WorkCounts, error) {
	var w WorkCounts
	db := s.r.WithContext(ctx)
	var err error
	if w.FollowUpsOverdue, w.FollowUpsDue, err = s.followUpCounts(db, limit); err != nil {
		return w, err
	}
	if w.Untriaged, err = countUpTo(db, db.Table("feedback").Where("triage_status = ?", TriageNew), limit); err != nil {
		return w, err
	}
	var byStatus []struct {
		Status string
		N      int
	}
	if err := db.Raw(`SELECT status, COUNT(*) AS n FROM improvements WHERE merged_into_id IS NULL
		AND status IN (?, ?) GROUP BY status`, StatusQueued, StatusReview).Scan(&byStatus).Error; err != nil {
		return w, err
	}
	for _, b := range byStatus {
		switch Status(b.Status) {
		case StatusQueued:
			w.Queued = b.N
		case StatusReview:
			w.Review = b.N
		}
	}
	return w, nil
}

// followUpCounts counts the open follow-ups that are overdue and those due within
// FollowUpWindow, each up to limit (0: all).
func (s *Store) followUpCounts(db *gorm.DB, limit int) (overdue, due int, err error) {
	now := s.now()
	// Spelled like the partial index feedback_follow_up_open so that it is used.
	open := func() *gorm.DB {
		return db.Table("feedback").Where("follow_up_due_at IS NOT NULL AND followed_up_at IS NULL")
	}
	if overdue, err = countUpTo(db, open().Where("follow_up_due_at < ?", now), limit); err != nil {
		return 0, 0, err
	}
	due, err = countUpTo(db, open().Where("follow_up_due_at >= ? AND follow_up_due_at < ?", now, now.Add(FollowUpWindow)), limit)
	return overdue, due, err
}

// countUpTo counts the rows of q, stopping at limit when it is above 0.
func countUpTo(db, q *gorm.DB, limit int) (int, error) {
	var n int64
	if limit > 0 {
		q = db.Table("(?) AS t", q.Select("1").Limit(limit))
	}
	err := q.Count(&n).Error
	return int(n), err
}

// Triage statuses of feedback.
const (
	TriageNew      = "new"
	TriageLinked   = "linked"
	TriageNoAction = "no_action"
)

// navCountTTL bounds how long the badges are kept: follow-ups fall due and overdue with
// the clock, not only with writes.
const navCountTTL = 3 * time.Second

// NavCounts returns the work counts of the navigation's badges, each up to NavCountCap.
// They are shown on every page, so they are kept between writes (see cachedFor): a
// busy team does not pay four count queries per click, and pages that find them stale
// share one recount.
func (s *Store) NavCounts(ctx context.Context) (WorkCounts, error) {
	return cachedFor(ctx, s, "nav counts", navCountTTL, func(ctx context.Context) (WorkCounts, error) {
		return s.WorkCountsUpTo(ctx, NavCountCap)
	})
}
