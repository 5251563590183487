package models

import (
	"fmt"
	"slices"
	"time"
)

// Follow-up states of a detractor's call-back.
const (
	FollowUpOpen  = "open"
	FollowUpTried = "tried" // called, not reached; tried again later
	FollowUpDone  = "done"
)

// FollowUpWarnAfter is when the owner and the branch manager are warned that a
// follow-up is not done: 20 of its 24 hours.
const FollowUpWarnAfter = 20 * time.Hour

// FollowUpState is who owns a detractor's call-back and how far it got. A detractor
// without a row (stored before issue 17) is open and unassigned.
type FollowUpState struct {
	FeedbackID  int64 `gorm:"primaryKey"`
	OwnerID     *int64
	State       string
	Tries       int
	LastTriedAt *time.Time
	WarnedAt    *time.Time
	OverdueAt   *time.Time
	ChangedByID *int64
	// ChangeAction is the last thing done to it (created, took, reassigned, tried,
	// done), so a refused change can say who did what when.
	ChangeAction string
	Version      int
	UpdatedAt    time.Time
}

// TableName maps FollowUpState onto follow_ups.
func (FollowUpState) TableName() string { return "follow_ups" }

// FollowUpOwner decides who owns a new detractor's call-back: the employee the
// customer dealt with when they are a user, else the branch's manager, else nobody.
func FollowUpOwner(employeeID, branchManagerID *int64) *int64 {
	if employeeID != nil {
		return employeeID
	}
	return branchManagerID
}

// FollowUpConflictError refuses a change to a follow-up that someone else changed
// first, and says who did what when.
type FollowUpConflictError struct {
	By     string
	Action string
	At     time.Time
}

func (e *FollowUpConflictError) Error() string {
	return fmt.Sprintf("%s %s this follow-up at %s", e.By, e.Action, e.At.Format(time.RFC3339))
}

// Unwrap makes it an ErrConflict for the error handler.
func (e *FollowUpConflictError) Unwrap() error { return ErrConflict }

// Notification kinds; mails follow the same kinds, so a user opts out by kind.
const (
	NotifyDetractor = "detractor"   // a detractor arrived whose call-back you own
	NotifyDueSoon   = "due_soon"    // 20 of 24 hours passed
	NotifyPraised   = "praised"     // a customer praised you by name
	NotifyAssigned  = "assigned"    // someone gave you a follow-up
	NotifyIdea      = "idea_status" // an improvement you proposed changed status
	MaxDetailLength = 300           // a notification's text snippet
)

// NotifyKinds lists the notification kinds a user can choose mails for.
var NotifyKinds = []string{NotifyDetractor, NotifyDueSoon, NotifyPraised, NotifyAssigned, NotifyIdea}

// Notification is one alert in a user's bell.
type Notification struct {
	ID            int64
	UserID        int64
	Kind          string
	FeedbackID    *int64
	ImprovementID *int64
	Detail        string
	ReadAt        *time.Time
	CreatedAt     time.Time
}

// TableName maps Notification onto notifications.
func (Notification) TableName() string { return "notifications" }

// WantsMail reports whether the user gets mail of this kind.
func (u *User) WantsMail(kind string) bool {
	return !slices.Contains(splitList(u.MailOptOut), kind)
}

// FollowUpChange is a take, reassign or try of a follow-up.
type FollowUpChange struct {
	// Action is "take", "reassign" or "tried".
	Action string
	// To is the new owner of a reassignment.
	To *int64
	// Reason is required to take one someone else owns, and to reassign.
	Reason string
	// Version is the version the user saw; 0 skips the check.
	Version int
}

// OwnedFollowUp is a follow-up in someone's list, with its feedback.
type OwnedFollowUp struct {
	Feedback Feedback
	State    FollowUpState
}
