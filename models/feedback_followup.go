package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// FollowUp is what an ambassador records after contacting a customer: who called,
// when, what was agreed, the root cause and any goodwill amount spent.
type FollowUp struct {
	By          *User
	At          time.Time // zero: now
	Note        string
	RootCauseID *int64
	// Goodwill is the amount spent to make amends, in whole currency units.
	Goodwill int64
	// Version, when not 0, must match the feedback's version (optimistic locking).
	Version int
}

// MaxGoodwill caps one goodwill amount, so a typo of three extra zeros is caught even
// at a branch without a limit.
const MaxGoodwill = 1_000_000

// GoodwillLimitError refuses a goodwill amount that would take the branch over its
// monthly limit. It is a ValidationError on goodwill_amount, and carries the amount
// still available so the message can name it.
type GoodwillLimitError struct {
	Limit, Spent, Remaining int64
	v                       *ValidationError
}

func (e *GoodwillLimitError) Error() string {
	return fmt.Sprintf("goodwill amount over the branch's monthly limit: %d of %d left this month", e.Remaining, e.Limit)
}

// Unwrap lets errors.As find the field error, so handlers treat it like any other.
func (e *GoodwillLimitError) Unwrap() error { return e.v }

// validate checks the follow-up on its own.
func (fu FollowUp) validate(now, receivedAt time.Time) *ValidationError {
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

// monthOf returns the calendar month containing t in loc, as [start, end).
func monthOf(t time.Time, loc *time.Location) (time.Time, time.Time) {
	p := PeriodOf(PeriodMonth, t, loc)
	return p.Start.UTC(), p.End.UTC()
}

// goodwillSpent sums the goodwill recorded for a branch in [start, end).
func goodwillSpent(tx *gorm.DB, branchID int64, start, end time.Time) (int64, error) {
	var spent int64
	err := tx.Raw(`SELECT COALESCE(SUM(goodwill_amount), 0) FROM feedback
		WHERE followed_up_at IS NOT NULL AND followed_up_at >= ? AND followed_up_at < ? AND branch_id = ?`,
		start, end, branchID).Scan(&spent).Error
	return spent, err
}

// RecordFollowUp records the follow-up of a feedback. It refuses a second follow-up
// (ErrConflict), a stale version (ErrConflict) and a goodwill amount that would take
// the feedback's branch over its monthly limit (GoodwillLimitError).
func (s *Store) RecordFollowUp(ctx context.Context, id int64, fu FollowUp) (*Feedback, error) {
	now := s.now()
	if fu.At.IsZero() {
		fu.At = now
	}
	fu.At = fu.At.UTC().Truncate(time.Second)
	fu.Note = strings.TrimSpace(strings.ReplaceAll(fu.Note, "\r\n", "\n"))
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		var fb Feedback
		if err := tx.Take(&fb, id).Error; err != nil {
			return notFound(err)
		}
		if fu.Version != 0 && fu.Version != fb.Version {
			return fmt.Errorf("models: follow up feedback %d: stale version %d: %w", id, fu.Version, ErrConflict)
		}
		if fb.FollowedUpAt != nil {
			return fmt.Errorf("models: feedback %d was already followed up: %w", id, ErrConflict)
		}
		if v := fu.validate(now, fb.ReceivedAt); v != nil {
			return v
		}
		if fu.RootCauseID != nil {
			var n int64
			if err := tx.Table(string(RefCategories)).Where("id = ?", *fu.RootCauseID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return Invalid("root_cause", "unknown_reference")
			}
		}
		if fu.Goodwill > 0 && fb.BranchID != nil {
			if err := s.checkGoodwill(tx, *fb.BranchID, fu.At, fu.Goodwill); err != nil {
				return err
			}
		}
		updates := map[string]any{"followed_up_at": fu.At, "follow_up_note": fu.Note,
			"follow_up_root_cause_id": fu.RootCauseID, "goodwill_amount": fu.Goodwill,
			"version": gorm.Expr("version + 1"), "updated_at": now}
		if fu.By != nil {
			updates["follow_up_by_id"] = fu.By.ID
		}
		res := tx.Model(&Feedback{}).Where("id = ? AND followed_up_at IS NULL", id).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if err := markFollowUpDone(tx, id, fu.By, now); err != nil {
			return err
		}
		if len(s.targetsFor(EventFollowUpRecorded)) > 0 {
			data := map[string]any{"feedback_id": id, "followed_up_at": fu.At, "note": fu.Note,
				"root_cause_id": fu.RootCauseID, "goodwill_amount": fu.Goodwill}
			if fu.By != nil {
				data["by"] = fu.By.Email
			}
			if err := s.emitEvent(tx, now, EventFollowUpRecorded, data); err != nil {
				return err
			}
		}
		note := fu.Note
		if fu.Goodwill > 0 {
			if err := record(tx, now, "feedback", id, fu.By, "goodwill", "goodwill_amount", "0", fmt.Sprint(fu.Goodwill), ""); err != nil {
				return err
			}
		}
		return record(tx, now, "feedback", id, fu.By, "followed_up", "followed_up_at", "", fu.At.Format(time.RFC3339), note)
	})
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
			return nil, err
		}
		return nil, fmt.Errorf("models: follow up feedback %d: %w", id, err)
	}
	return s.FeedbackByID(ctx, id)
}

// checkGoodwill refuses an amount that would take the branch over its monthly limit.
// On PostgreSQL the branch row is locked so that two follow-ups at once cannot both
// take the last of the budget; SQLite transactions already run one at a time.
func (s *Store) checkGoodwill(tx *gorm.DB, branchID int64, at time.Time, amount int64) error {
	q := tx
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var b Branch
	if err := q.Take(&b, branchID).Error; err != nil {
		return notFound(err)
	}
	if b.GoodwillMonthlyLimit <= 0 {
		return nil
	}
	start, end := monthOf(at, s.Location)
	spent, err := goodwillSpent(tx, branchID, start, end)
	if err != nil {
		return err
	}
	if spent+amount > b.GoodwillMonthlyLimit {
		return &GoodwillLimitError{Limit: b.GoodwillMonthlyLimit, Spent: spent,
			Remaining: max(0, b.GoodwillMonthlyLimit-spent), v: Invalid("goodwill_amount", "goodwill_over_limit")}
	}
	return nil
}
