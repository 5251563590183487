package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Outbox statuses. A message goes pending -> sending -> sent; a failed attempt puts it
// back to pending with a later next_attempt_at until OutboxMaxAttempts, then failed.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// OutboxMaxAttempts is how often delivery is tried before a message is given up.
const OutboxMaxAttempts = 6

// OutboxLease is how long a worker may take to send one message before it counts as
// interrupted.
const OutboxLease = 2 * time.Minute

// OutboxMessage is one e-mail waiting to be sent, or sent. The dedupe key is unique, so
// the same message can never be queued twice.
type OutboxMessage struct {
	ID            int64
	DedupeKey     string
	ToAddr        string
	Subject       string
	Body          string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	LastError     string
	SentAt        *time.Time
	CreatedAt     time.Time
}

// TableName maps OutboxMessage onto the outbox table.
func (OutboxMessage) TableName() string { return "outbox" }

// enqueue adds a message inside a transaction; it reports false when a message with
// the same dedupe key exists already, which is not an error: that message was queued.
func enqueue(tx *gorm.DB, now time.Time, key, to, subject, body string) (bool, error) {
	res := tx.Exec(`INSERT INTO outbox (dedupe_key, to_addr, subject, body, status, attempts, next_attempt_at,
		last_error, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, '', ?) ON CONFLICT (dedupe_key) DO NOTHING`,
		key, to, subject, body, OutboxPending, now, now)
	if res.Error != nil {
		return false, fmt.Errorf("models: enqueue %s: %w", key, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Enqueue queues a message unless one with the same key exists; see enqueue.
func (s *Store) Enqueue(ctx context.Context, key, to, subject, body string) (bool, error) {
	return enqueue(s.w.WithContext(ctx), s.now(), key, to, subject, body)
}

// OutboxBackoff returns how long to wait before attempt number attempts+1: a minute,
// doubling each time, at most six hours.
func OutboxBackoff(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// ClaimOutbox takes up to limit due messages for sending. Each is claimed by its own
// conditional update (pending and due -> sending with a lease), so two workers never
// take the same row, on either database, without row locks. Before claiming, messages
// whose sender died mid-send are marked failed rather than retried: they may have
// gone out, and a customer must never get a message twice.
func (s *Store) ClaimOutbox(ctx context.Context, limit int) ([]OutboxMessage, error) {
	now := s.now()
	db := s.w.WithContext(ctx)
	if err := db.Model(&OutboxMessage{}).Where("status = ? AND locked_until < ?", OutboxSending, now).
		Updates(map[string]any{"status": OutboxFailed, "locked_until": nil,
			"last_error": "interrupted while sending; not retried so that it is never sent twice"}).Error; err != nil {
		return nil, fmt.Errorf("models: release outbox: %w", err)
	}
	var due []OutboxMessage
	if err := s.r.WithContext(ctx).Where("status = ? AND next_attempt_at <= ?", OutboxPending, now).
		Order("next_attempt_at, id").Limit(limit).Find(&due).Error; err != nil {
		return nil, fmt.Errorf("models: due outbox: %w", err)
	}
	out := due[:0]
	lease := now.Add(OutboxLease)
	for _, m := range due {
		res := db.Model(&OutboxMessage{}).Where("id = ? AND status = ? AND next_attempt_at <= ?", m.ID, OutboxPending, now).
			Updates(map[string]any{"status": OutboxSending, "locked_until": lease, "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil {
			return out, fmt.Errorf("models: claim outbox %d: %w", m.ID, res.Error)
		}
		if res.RowsAffected == 1 {
			m.Status, m.LockedUntil, m.Attempts = OutboxSending, &lease, m.Attempts+1
			out = append(out, m)
		}
	}
	return out, nil
}

// MarkOutboxSent records a delivered message.
func (s *Store) MarkOutboxSent(ctx context.Context, id int64) error {
	now := s.now()
	err := s.w.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", id, OutboxSending).
		Updates(map[string]any{"status": OutboxSent, "sent_at": now, "locked_until": nil, "last_error": ""}).Error
	if err != nil {
		return fmt.Errorf("models: mark outbox %d sent: %w", id, err)
	}
	return nil
}

// MarkOutboxFailed records a failed attempt: the message is retried after a backoff,
// or given up after OutboxMaxAttempts.
func (s *Store) MarkOutboxFailed(ctx context.Context, m OutboxMessage, sendErr error) error {
	msg := sendErr.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	u := map[string]any{"status": OutboxPending, "locked_until": nil, "last_error": msg,
		"next_attempt_at": s.now().Add(OutboxBackoff(m.Attempts))}
	if m.Attempts >= OutboxMaxAttempts {
		u["status"] = OutboxFailed
	}
	err := s.w.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", m.ID, OutboxSending).Updates(u).Error
	if err != nil {
		return fmt.Errorf("models: mark outbox %d failed: %w", m.ID, err)
	}
	return nil
}

// OutboxByKeys returns the messages with the given dedupe keys, by key.
func (s *Store) OutboxByKeys(ctx context.Context, keys []string) (map[string]OutboxMessage, error) {
	out := map[string]OutboxMessage{}
	if len(keys) == 0 {
		return out, nil
	}
	var rows []OutboxMessage
	if err := s.r.WithContext(ctx).Where("dedupe_key IN ?", keys).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: outbox by key: %w", err)
	}
	for _, r := range rows {
		out[r.DedupeKey] = r
	}
	return out, nil
}
