package models

import "context"

// WorkCounts is the work waiting across the organisation, for the navigation badges.
type WorkCounts struct {
	FollowUpsDue, FollowUpsOverdue, Untriaged, Queued, Review int
}

// WorkCounts counts open follow-ups (due within 24 hours, overdue), untriaged
// feedback and improvements waiting per track, each from a partial or leading index.
func (s *Store) WorkCounts(ctx context.Context) (WorkCounts, error) {
	var w WorkCounts
	now := s.now()
	db := s.r.WithContext(ctx)
	var row struct{ Overdue, Due int }
	err := db.Raw(`SELECT COALESCE(SUM(CASE WHEN follow_up_due_at < ? THEN 1 ELSE 0 END), 0) AS overdue,
		COALESCE(SUM(CASE WHEN follow_up_due_at >= ? AND follow_up_due_at < ? THEN 1 ELSE 0 END), 0) AS due
		FROM feedback WHERE follow_up_due_at IS NOT NULL AND followed_up_at IS NULL`,
		now, now, now.Add(FollowUpWindow)).Scan(&row).Error
	if err != nil {
		return w, err
	}
	w.FollowUpsOverdue, w.FollowUpsDue = row.Overdue, row.Due
	var n int64
	if err := db.Table("feedback").Where("triage_status = ?", TriageNew).Count(&n).Error; err != nil {
		return w, err
	}
	w.Untriaged = int(n)
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
