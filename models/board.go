package models

import (
	"errors"
	"fmt"
	"time"
)

// BoardFilter narrows the quick-win board. Zero fields do not filter.
type BoardFilter struct {
	// HolderID keeps the items held by this user ("mine").
	HolderID *int64
	// Unassigned keeps the items nobody holds.
	Unassigned bool
	CategoryID *int64
	// BranchID keeps items with at least one linked feedback from that branch.
	BranchID *int64
}

// BoardCard is one quick win as a card on the board.
type BoardCard struct {
	ID           int64
	Title        string
	Status       Status
	Priority     int
	Version      int
	CreatedAt    time.Time
	CategoryName string
	// Customers is how many pieces of feedback asked for this.
	Customers  int
	AssigneeID *int64
	HolderName string
}

// HolderInitials returns the holder's initials for the card, or "".
func (c BoardCard) HolderInitials() string {
	if c.HolderName == "" {
		return ""
	}
	return (&User{Name: c.HolderName}).Initials()
}

// Board is the quick-win team's three columns, each highest priority first.
type Board struct {
	Queued, InProgress, Implemented []BoardCard
	// ImplementedThisYear counts every quick win implemented this year; Implemented
	// holds the latest boardImplementedShown of them.
	ImplementedThisYear int
	// Drawn keeps the views' drawings of the columns while the store keeps the board.
	Drawn *Drawings `json:"-"`
}

// Key identifies the filter in the cache.
func (f BoardFilter) Key() string {
	id := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("%s %t %s %s", id(f.HolderID), f.Unassigned, id(f.CategoryID), id(f.BranchID))
}

// ClaimedError reports that someone else holds a quick win. It matches ErrConflict.
type ClaimedError struct {
	ID     int64
	Holder string
}

// Error names who holds the item.
func (e *ClaimedError) Error() string {
	return fmt.Sprintf("models: improvement %d is already held by %s", e.ID, e.Holder)
}

// Unwrap makes a ClaimedError match ErrConflict.
func (e *ClaimedError) Unwrap() error { return ErrConflict }

// LedTo is an implemented improvement that an ambassador's logged feedback asked for.
type LedTo struct {
	ID             int64
	Title          string
	ImplementedAt  time.Time
	ResolutionNote string
	// Customers is how many of this ambassador's logged feedback items it answers.
	Customers int
}

// IsClaimed reports whether err says someone else holds the item, and who.
func IsClaimed(err error) (string, bool) {
	var ce *ClaimedError
	if errors.As(err, &ce) {
		return ce.Holder, true
	}
	return "", false
}
