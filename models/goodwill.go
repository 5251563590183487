package models

import (
	"context"
	"fmt"
	"time"
)

// GoodwillLine is one branch's goodwill for a month: its limit, what was spent and
// what is left.
type GoodwillLine struct {
	Branch Branch
	// Spent is the goodwill recorded in the month; Entries is how many follow-ups spent any.
	Spent   int64
	Entries int
}

// Remaining is what is left of the limit, or -1 when the branch has no limit.
func (l GoodwillLine) Remaining() int64 {
	if l.Branch.GoodwillMonthlyLimit <= 0 {
		return -1
	}
	return max(0, l.Branch.GoodwillMonthlyLimit-l.Spent)
}

// GoodwillLedger returns every branch's goodwill for the month containing month (in
// the store's location), from the index of follow-ups.
func (s *Store) GoodwillLedger(ctx context.Context, month time.Time) ([]GoodwillLine, error) {
	branches, err := s.Branches(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: goodwill ledger: %w", err)
	}
	start, end := monthOf(month, s.Location)
	var sums []struct {
		BranchID int64
		Spent    int64
		Entries  int
	}
	err = s.r.WithContext(ctx).Raw(`SELECT branch_id, SUM(goodwill_amount) AS spent, COUNT(*) AS entries
		FROM feedback WHERE followed_up_at IS NOT NULL AND followed_up_at >= ? AND followed_up_at < ?
		AND goodwill_amount > 0 AND branch_id IS NOT NULL GROUP BY branch_id`, start, end).Scan(&sums).Error
	if err != nil {
		return nil, fmt.Errorf("models: goodwill ledger: %w", err)
	}
	out := make([]GoodwillLine, len(branches))
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
func (s *Store) GoodwillEntries(ctx context.Context, branchID int64, month time.Time) ([]Feedback, error) {
	start, end := monthOf(month, s.Location)
	var items []Feedback
	err := s.r.WithContext(ctx).Where(`followed_up_at IS NOT NULL AND followed_up_at >= ? AND followed_up_at < ?
		AND goodwill_amount > 0 AND branch_id = ?`, start, end, branchID).
		Order("followed_up_at DESC, id DESC").Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("models: goodwill entries: %w", err)
	}
	ptrs := make([]*Feedback, len(items))
	for i := range items {
		ptrs[i] = &items[i]
	}
	if err := s.fillRefs(ctx, ptrs); err != nil {
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
		var users []User
		if err := s.r.WithContext(ctx).Where("id IN ?", ids).Find(&users).Error; err != nil {
			return nil, err
		}
		byID := map[int64]*User{}
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
