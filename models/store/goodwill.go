package store

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// GoodwillLedger returns every branch's goodwill for the month containing month (in
// the store's location), from the index of follow-ups.
func (s *Store) GoodwillLedger(ctx context.Context, month time.Time) ([]models.GoodwillLine, error) {
	branches, err := s.Branches(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: goodwill ledger: %w", err)
	}
	start, end := monthOf(month, s.Location)
	var sums []struct {
		BranchID int64
		Spent    models.Money
		Entries  int
	}
	err = s.r.WithContext(ctx).Raw(`SELECT branch_id, SUM(goodwill_amount) AS spent, COUNT(*) AS entries
		FROM feedback WHERE followed_up_at IS NOT NULL AND followed_up_at >= ? AND followed_up_at < ?
		AND goodwill_amount > 0 AND branch_id IS NOT NULL GROUP BY branch_id`, start, end).Scan(&sums).Error
	if err != nil {
		return nil, fmt.Errorf("models: goodwill ledger: %w", err)
	}
	out := make([]models.GoodwillLine, len(branches))
	for i, b := range branches {
		out[i].Branch = b
		for _, sm := range sums {
			if sm.BranchID == b.ID {
				out[i].Spent, out[i].Entries = sm.Spent, sm.Entries
			}
		}
	}
	return out, nil
}

// GoodwillEntries lists the follow-ups of a branch that spent goodwill in the month
// containing month, newest first.
func (s *Store) GoodwillEntries(ctx context.Context, branchID int64, month time.Time) ([]models.Feedback, error) {
	start, end := monthOf(month, s.Location)
	var items []models.Feedback
	err := s.r.WithContext(ctx).Where(`followed_up_at IS NOT NULL AND followed_up_at >= ? AND followed_up_at < ?
		AND goodwill_amount > 0 AND branch_id = ?`, start, end, branchID).
		Order("followed_up_at DESC, id DESC").Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("models: goodwill entries: %w", err)
	}
	if err := s.fillRefs(ctx, pointersTo(items)); err != nil {
		return nil, err
	}
	// Who spent it matters in a ledger; load those users in one query.
	var ids []int64
	for _, f := range items {
		if f.FollowUpByID != nil {
			ids = append(ids, *f.FollowUpByID)
		}
	}
	if len(ids) > 0 {
		var users []models.User
		if err := s.r.WithContext(ctx).Where("id IN ?", ids).Find(&users).Error; err != nil {
			return nil, err
		}
		byID := map[int64]*models.User{}
		for i := range users {
			byID[users[i].ID] = &users[i]
		}
		for i := range items {
			if items[i].FollowUpByID != nil {
				items[i].FollowUpBy = byID[*items[i].FollowUpByID]
			}
		}
	}
	return items, nil
}
