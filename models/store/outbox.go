package store

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// enqueue adds a message inside a transaction; it reports false when a message with
// the same dedupe key exists already, which is not an error: that message was queued.
func enqueue(tx *gorm.DB, now time.Time, key, to, subject, body string) (bool, error) {
	res := tx.Exec(`INSERT INTO outbox (dedupe_key, to_addr, subject, body, status, attempts, next_attempt_at,
		last_error, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, '', ?) ON CONFLICT (dedupe_key) DO NOTHING`,
		key, to, subject, body, models.OutboxPending, now, now)
	if res.Error != nil {
		return false, fmt.Errorf("models: enqueue %s: %w", key, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Enqueue queues a message unless one with the same key exists; see enqueue.
func (s *Store) Enqueue(ctx context.Context, key, to, subject, body string) (bool, error) {
	return enqueue(s.w.WithContext(ctx), s.now(), key, to, subject, body)
}

// ClaimOutbox takes up to limit due messages for sending. Each is claimed by its own
// conditional update (pending and due -> sending with a lease), so two workers never
// take the same row, on either database, without row locks. Before claiming, messages
// whose sender died mid-send are marked failed rather than retried: they may have
// gone out, and a customer must never get a message twice.
func (s *Store) ClaimOutbox(ctx context.Context, limit int) ([]models.OutboxMessage, error) {
	now := s.now()
	db := s.w.WithContext(ctx)
	if err := db.Model(&models.OutboxMessage{}).Where("status = ? AND locked_until < ?", models.OutboxSending, now).
		Updates(map[string]any{"status": models.OutboxFailed, "locked_until": nil,
			"last_error": "interrupted while sending; not retried so that it is never sent twice"}).Error; err != nil {
		return nil, fmt.Errorf("models: release outbox: %w", err)
	}
	var due []models.OutboxMessage
	if err := s.r.WithContext(ctx).Where("status = ? AND next_attempt_at <= ?", models.OutboxPending, now).
		Order("next_attempt_at, id").Limit(limit).Find(&due).Error; err != nil {
		return nil, fmt.Errorf("models: due outbox: %w", err)
	}
	out := due[:0]
	lease := now.Add(models.OutboxLease)
	for _, m := range due {
		res := db.Model(&models.OutboxMessage{}).Where("id = ? AND status = ? AND next_attempt_at <= ?", m.ID, models.OutboxPending, now).
			Updates(map[string]any{"status": models.OutboxSending, "locked_until": lease, "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil {
			return out, fmt.Errorf("models: claim outbox %d: %w", m.ID, res.Error)
		}
		if res.RowsAffected == 1 {
			m.Status, m.LockedUntil, m.Attempts = models.OutboxSending, &lease, m.Attempts+1
			out = append(out, m)
		}
	}
	return out, nil
}

// MarkOutboxSent records a delivered message.
func (s *Store) MarkOutboxSent(ctx context.Context, id int64) error {
	now := s.now()
	err := s.w.WithContext(ctx).Model(&models.OutboxMessage{}).Where("id = ? AND status = ?", id, models.OutboxSending).
		Updates(map[string]any{"status": models.OutboxSent, "sent_at": now, "locked_until": nil, "last_error": ""}).Error
	if err != nil {
		return fmt.Errorf("models: mark outbox %d sent: %w", id, err)
	}
	return nil
}

// MarkOutboxFailed records a failed attempt: the message is retried after a backoff,
// or given up after OutboxMaxAttempts.
func (s *Store) MarkOutboxFailed(ctx context.Context, m models.OutboxMessage, sendErr error) error {
	msg := sendErr.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	u := map[string]any{"status": models.OutboxPending, "locked_until": nil, "last_error": msg,
		"next_attempt_at": s.now().Add(models.OutboxBackoff(m.Attempts))}
	if m.Attempts >= models.OutboxMaxAttempts {
		u["status"] = models.OutboxFailed
	}
	err := s.w.WithContext(ctx).Model(&models.OutboxMessage{}).Where("id = ? AND status = ?", m.ID, models.OutboxSending).Updates(u).Error
	if err != nil {
		return fmt.Errorf("models: mark outbox %d failed: %w", m.ID, err)
	}
	return nil
}

// OutboxByKeys returns the messages with the given dedupe keys, by key.
func (s *Store) OutboxByKeys(ctx context.Context, keys []string) (map[string]models.OutboxMessage, error) {
	out := map[string]models.OutboxMessage{}
	if len(keys) == 0 {
		return out, nil
	}
	var rows []models.OutboxMessage
	if err := s.r.WithContext(ctx).Where("dedupe_key IN ?", keys).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: outbox by key: %w", err)
	}
	for _, r := range rows {
		out[r.DedupeKey] = r
	}
	return out, nil
}
