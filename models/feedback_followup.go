package models

import (
	"fmt"
	"strings"
	"time"
)

// FollowUp is what an ambassador records after contacting a customer: who called,
// when, what was agreed, the root cause and any goodwill amount spent.
type FollowUp struct {
	By          *User
	At          time.Time // zero: now
	Note        string
	RootCauseID *int64
	// Goodwill is the amount spent to make amends, exact to the øre.
	Goodwill Money
	// Version, when not 0, must match the feedback's version (optimistic locking).
	Version int
}

// MaxGoodwill caps one goodwill amount, so a typo of three extra zeros is caught even
// at a branch without a limit.
const MaxGoodwill = 1_000_000 * Krone

// GoodwillLimitError refuses a goodwill amount that would take the branch over its
// monthly limit. It is a ValidationError on goodwill_amount, and carries the amount
// still available so the message can name it.
type GoodwillLimitError struct {
	Limit, Spent, Remaining Money
	Validation              *ValidationError
}

func (e *GoodwillLimitError) Error() string {
	return fmt.Sprintf("goodwill amount over the branch's monthly limit: %s of %s kroner left this month", e.Remaining, e.Limit)
}

// Unwrap lets errors.As find the field error, so handlers treat it like any other.
func (e *GoodwillLimitError) Unwrap() error { return e.Validation }

// Validate checks the follow-up on its own.
func (fu FollowUp) Validate(now, receivedAt time.Time) *ValidationError {
	f := map[string]string{}
	if strings.TrimSpace(fu.Note) == "" {
		f["note"] = "required"
	} else if len(fu.Note) > MaxCommentLength {
		f["note"] = "too_long"
	}
	if fu.Goodwill < 0 {
		f["goodwill_amount"] = "must_not_be_negative"
	} else if fu.Goodwill > MaxGoodwill {
		f["goodwill_amount"] = "out_of_range"
	}
	if fu.At.After(now.Add(FutureTolerance)) {
		f["followed_up_at"] = "in_future"
	} else if fu.At.Before(receivedAt.Add(-time.Minute)) {
		f["followed_up_at"] = "before_received"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}
