package store

import (
	"context"
	"database/sql"

	"github.com/improvementtracker/tracker/models"
)

// PoolStats returns the connection pool figures of the writer and of the readers (on
// PostgreSQL both are the same pool).
func (s *Store) PoolStats() (write, read sql.DBStats) {
	if db, err := s.w.DB(); err == nil {
		write = db.Stats()
	}
	if db, err := s.r.DB(); err == nil {
		read = db.Stats()
	}
	return write, read
}

// WriterQueueDepth is how many feedback writes wait for SQLite's single writer or are
// in its commit now (the group commit); 0 on PostgreSQL, which has no such queue. A
// depth that keeps growing means writes arrive faster than the disk commits them.
func (s *Store) WriterQueueDepth() int {
	if s.group == nil {
		return 0
	}
	return int(s.group.waiting.Load())
}

// OutboxBacklog counts the customer e-mails waiting to be sent (from the outbox's
// partial index of pending messages) and those given up after every retry.
func (s *Store) OutboxBacklog(ctx context.Context) (pending, failed int, err error) {
	db := s.r.WithContext(ctx)
	var n int64
	if err = db.Table("outbox").Where("status = ?", models.OutboxPending).Count(&n).Error; err != nil {
		return 0, 0, err
	}
	pending = int(n)
	// Failed messages are few (each is a customer who was not told): a scan is cheap.
	if err = db.Table("outbox").Where("status = ?", models.OutboxFailed).Count(&n).Error; err != nil {
		return 0, 0, err
	}
	return pending, int(n), nil
}

// OverdueFollowUps counts detractors not called back within 24 hours, from the partial
// index of open follow-ups, stopping at limit (0: all), kept like the badges' count.
func (s *Store) OverdueFollowUps(ctx context.Context, limit int) (int, error) {
	return s.overdueFollowUps(ctx, limit)
}
