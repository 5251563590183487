package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// monthOf returns the calendar month containing t in loc, as [start, end).
func monthOf(t time.Time, loc *time.Location) (time.Time, time.Time) {
	p := models.PeriodOf(models.PeriodMonth, t, loc)
	return p.Start.UTC(), p.End.UTC()
}

// goodwillSpent sums the goodwill recorded for a branch in [start, end).
func goodwillSpent(tx *gorm.DB, branchID int64, start, end time.Time) (models.Money, error) {
	var spent models.Money
	err := tx.Raw(`SELECT COALESCE(SUM(goodwill_amount), 0) FROM feedback
		WHERE followed_up_at IS NOT NULL AND followed_up_at >= ? AND followed_up_at < ? AND branch_id = ?`,
		start, end, branchID).Scan(&spent).Error
	return spent, err
}

// RecordFollowUp records the follow-up of a feedback. It refuses a second follow-up
// (ErrConflict), a stale version (ErrConflict) and a goodwill amount that would take
// the feedback's branch over its monthly limit (GoodwillLimitError).
func (s *Store) RecordFollowUp(ctx context.Context, id int64, fu models.FollowUp) (*models.Feedback, error) {
	now := s.now()
	if fu.At.IsZero() {
		fu.At = now
	}
	fu.At = fu.At.UTC().Truncate(time.Second)
	fu.Note = strings.TrimSpace(strings.ReplaceAll(fu.Note, "\r\n", "\n"))
	// The kept lists judge by it whether this follow-up changed them (ownwrites.go).
	wrote := &feedbackWrite{followUp: true}
	err := s.Tx(withFootprint(ctx, wrote), func(tx *gorm.DB) error {
		var fb models.Feedback
		if err := tx.Take(&fb, id).Error; err != nil {
			return notFound(err)
		}
		wrote.rows = []writtenRow{{id, fb.ReceivedAt}}
		if fu.Version != 0 && fu.Version != fb.Version {
			return fmt.Errorf("models: follow up feedback %d: stale version %d: %w", id, fu.Version, models.ErrConflict)
		}
		if fb.FollowedUpAt != nil {
			return fmt.Errorf("models: feedback %d was already followed up: %w", id, models.ErrConflict)
		}
		if v := fu.Validate(now, fb.ReceivedAt); v != nil {
			return v
		}
		if fu.RootCauseID != nil {
			var n int64
			if err := tx.Table(string(models.RefCategories)).Where("id = ?", *fu.RootCauseID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return models.Invalid("root_cause", "unknown_reference")
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
		res := tx.Model(&models.Feedback{}).Where("id = ? AND followed_up_at IS NULL", id).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrConflict
		}
		if err := markFollowUpDone(tx, id, fu.By, now); err != nil {
			return err
		}
		if len(s.targetsFor(models.EventFollowUpRecorded)) > 0 {
			data := map[string]any{"feedback_id": id, "followed_up_at": fu.At, "note": fu.Note,
				"root_cause_id": fu.RootCauseID, "goodwill_amount": fu.Goodwill}
			if fu.By != nil {
				data["by"] = fu.By.Email
			}
			if err := s.emitEvent(tx, now, models.EventFollowUpRecorded, data); err != nil {
				return err
			}
		}
		note := fu.Note
		if fu.Goodwill > 0 {
			if err := record(tx, now, "feedback", id, fu.By, "goodwill", "goodwill_amount", "0", fu.Goodwill.String(), ""); err != nil {
				return err
			}
		}
		return record(tx, now, "feedback", id, fu.By, "followed_up", "followed_up_at", "", fu.At.Format(time.RFC3339), note)
	})
	if err != nil {
		var ve *models.ValidationError
		if errors.As(err, &ve) || errors.Is(err, models.ErrNotFound) || errors.Is(err, models.ErrConflict) {
			return nil, err
		}
		return nil, fmt.Errorf("models: follow up feedback %d: %w", id, err)
	}
	return s.FeedbackByID(ctx, id)
}

// checkGoodwill refuses an amount that would take the branch over its monthly limit.
// On PostgreSQL the branch row is locked so that two follow-ups at once cannot both
// take the last of the budget; SQLite transactions already run one at a time.
func (s *Store) checkGoodwill(tx *gorm.DB, branchID int64, at time.Time, amount models.Money) error {
	q := tx
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var b models.Branch
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
		return &models.GoodwillLimitError{Limit: b.GoodwillMonthlyLimit, Spent: spent,
			Remaining: max(0, b.GoodwillMonthlyLimit-spent), Validation: models.Invalid("goodwill_amount", "goodwill_over_limit")}
	}
	return nil
}
