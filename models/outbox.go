package models

import (
	"time"
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

// OutboxBackoff returns how long to wait before attempt number attempts+1: a minute,
// doubling each time, at most six hours.
func OutboxBackoff(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}
