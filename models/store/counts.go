package store

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// WorkCountsUpTo counts open follow-ups (due within 24 hours, overdue), untriaged
// feedback and improvements waiting per track, each from a partial or leading index,
// and each up to limit only (0: all).
func (s *Store) WorkCountsUpTo(ctx context.Context, limit int) (models.WorkCounts, error) {
	var w models.WorkCounts
	db := s.r.WithContext(ctx)
	var err error
	if w.FollowUpsOverdue, w.FollowUpsDue, err = s.followUpCounts(ctx, limit); err != nil {
		return w, err
	}
	untriaged := db.Table("feedback").Where("triage_status = ?", models.TriageNew)
	if s.dialect == Postgres {
		untriaged = untriaged.Order(walkedInTimeOrder)
	}
	if w.Untriaged, err = countUpTo(db, untriaged, limit); err != nil {
		return w, err
	}
	var byStatus []struct {
		Status string
		N      int
	}
	if err := db.Raw(`SELECT status, COUNT(*) AS n FROM improvements WHERE merged_into_id IS NULL
		AND status IN (?, ?) GROUP BY status`, models.StatusQueued, models.StatusReview).Scan(&byStatus).Error; err != nil {
		return w, err
	}
	for _, b := range byStatus {
		switch models.Status(b.Status) {
		case models.StatusQueued:
			w.Queued = b.N
		case models.StatusReview:
			w.Review = b.N
		}
	}
	return w, nil
}

// followUpCounts counts the open follow-ups that are overdue (kept: overdueFollowUps)
// and those due within FollowUpWindow, each up to limit (0: all).
func (s *Store) followUpCounts(ctx context.Context, limit int) (overdue, due int, err error) {
	if overdue, err = s.overdueFollowUps(ctx, limit); err != nil {
		return 0, 0, err
	}
	db := s.r.WithContext(ctx)
	now := s.now()
	due, err = countUpTo(db, openFollowUps(db).Where("follow_up_due_at >= ? AND follow_up_due_at < ?", now, now.Add(models.FollowUpWindow)), limit)
	return overdue, due, err
}

// openFollowUps are the feedback whose follow-up is due and not yet recorded, spelled
// like the partial index feedback_follow_up_open so that it is used.
func openFollowUps(db *gorm.DB) *gorm.DB {
	return db.Table("feedback").Where("follow_up_due_at IS NOT NULL AND followed_up_at IS NULL")
}

// overdueCount is a kept count of the follow-ups overdue at a time.
type overdueCount struct {
	n  int
	at time.Time // the count's clock: it counts the follow-ups due before it
}

// overdueFollowUps counts the open follow-ups due before now, up to limit (0: all). The
// count reads an index entry and a table row for each of them, and it stays as it was
// after nearly all of a team's writes (overdueHeld): kept and judged after them, not
// counted again for each page after a write. Counted again after every write, the
// badges' and the dashboard's overdue counts were the soak's largest reads on
// PostgreSQL, 8-14 ms each, 2,000 times a minute.
func (s *Store) overdueFollowUps(ctx context.Context, limit int) (int, error) {
	// Keyed by the minute, like the dashboard: a clock set forward counts afresh.
	key := fmt.Sprintf("overdue follow-ups up to %d %s", limit, s.now().Truncate(time.Minute).Format(time.RFC3339))
	c, err := cachedJudged(ctx, s, &s.aggs, key, navCountTTL,
		func(ctx context.Context) (overdueCount, error) {
			db := s.r.WithContext(ctx)
			now := s.now()
			n, err := countUpTo(db, openFollowUps(db).Where("follow_up_due_at < ?", now), limit)
			return overdueCount{n, now}, err
		},
		unchanged(func(_ context.Context, kept overdueCount, since []loggedWrite) bool {
			return overdueHeld(since, kept.at)
		}))
	return c.n, err
}

// overdueHeld reports whether the follow-ups overdue at t are as they were after the
// writes: each wrote no feedback, or only created or followed up feedback received
// within FollowUpWindow before t or later, whose follow-up was not yet due at t (a
// follow-up is due FollowUpWindow after its feedback was received, models.FollowUpDue).
func overdueHeld(since []loggedWrite, t time.Time) bool {
	return allFrom(writesOf(since, "feedback"), t.Add(-models.FollowUpWindow))
}

// walkedInTimeOrder orders a capped count on PostgreSQL the way its (column,
// received_at, id) index is read, so that the index answers it. Unordered, the count
// of "triage_status = $1 LIMIT $2" was planned once for any status (a prepared
// statement's generic plan) as a scan of the table that stops at the cap, and the
// untriaged are a few percent of the feedback: under the soak it read the table for
// 40-200 ms, against 0.5 ms through the index, and took half of the database's time.
// Oldest first: a count has no direction, and older rows are more often marked
// all-visible, which spares the index-only scan a visit to the table.
const walkedInTimeOrder = "feedback.received_at, feedback.id"

// countUpTo counts the rows of q, stopping at limit when it is above 0.
func countUpTo(db, q *gorm.DB, limit int) (int, error) {
	var n int64
	if limit > 0 {
		q = db.Table("(?) AS t", q.Select("1").Limit(limit))
	}
	err := q.Count(&n).Error
	return int(n), err
}

// navCountTTL bounds how long the badges are kept: follow-ups fall due and overdue with
// the clock, not only with writes.
const navCountTTL = 3 * time.Second

// NavCounts returns the work counts of the navigation's badges, each up to NavCountCap.
// They are shown on every page, so they are kept between writes (see cachedFor): a
// busy team does not pay four count queries per click, and pages that find them stale
// share one recount.
func (s *Store) NavCounts(ctx context.Context) (models.WorkCounts, error) {
	return cachedFor(ctx, s, "nav counts", navCountTTL, func(ctx context.Context) (models.WorkCounts, error) {
		return s.WorkCountsUpTo(ctx, models.NavCountCap)
	})
}
