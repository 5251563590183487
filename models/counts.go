package models

import (
	"context"

	"gorm.io/gorm"
)

// WorkCounts is the work waiting across the organisation, for the navigation badges.
type WorkCounts struct {
	FollowUpsDue, FollowUpsOverdue, Untriaged, Queued, Review int
}

// WorkCounts counts open follow-ups (due within 24 hours, overdue), untriaged
// feedback and improvements waiting per track, each from a partial or leading index.
func (s *Store) WorkCounts(ctx context.Context) (WorkCounts, error) {
	return s.WorkCountsUpTo(ctx, 0)
}

// NavCountCap is where the navigation's badges stop counting ("999+"): counted in
// full, 170,000 untriaged feedback took a tenth of a second, and a busy team's
// navigation is counted after every change.
const NavCountCap = 1000

// WorkCountsUpTo is WorkCounts with each figure counted up to limit only (0: all).
func (s *Store) WorkCountsUpTo(ctx context.Context, limit int) (WorkCounts, error) {
	var w WorkCounts
	now := s.now()
	db := s.r.WithContext(ctx)
	count := func(q *gorm.DB) (int, error) {
		var n int64
		if limit > 0 {
			q = db.Table("(?) AS t", q.Select("1").Limit(limit))
		}
		err := q.Count(&n).Error
		return int(n), err
	}
	// Spelled like the partial index feedback_follow_up_open so that it is used.
	open := func() *gorm.DB {
		return db.Table("feedback").Where("follow_up_due_at IS NOT NULL AND followed_up_at IS NULL")
	}
	var err error
	if w.FollowUpsOverdue, err = count(open().Where("follow_up_due_at < ?", now)); err != nil {
		return w, err
	}
	if w.FollowUpsDue, err = count(open().Where("follow_up_due_at >= ? AND follow_up_due_at < ?", now, now.Add(FollowUpWindow))); err != nil {
		return w, err
	}
	if w.Untriaged, err = count(db.Table("feedback").Where("triage_status = ?", TriageNew)); err != nil {
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

// Triage statuses of feedback.
const (
	TriageNew      = "new"
	TriageLinked   = "linked"
	TriageNoAction = "no_action"
)
