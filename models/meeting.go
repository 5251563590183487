package models

import (
	"slices"
	"strings"
	"time"
)

// MeetingStatus says whether a steering meeting still takes decisions.
type MeetingStatus string

// The statuses of a meeting.
const (
	// MeetingPlanned is a meeting whose agenda can still change and that takes decisions.
	MeetingPlanned MeetingStatus = "planned"
	// MeetingClosed is a finished meeting; its minutes no longer change.
	MeetingClosed MeetingStatus = "closed"
)

// Meeting is one steering group meeting: a date, who was there, and its agenda.
type Meeting struct {
	ID          int64
	HeldOn      time.Time
	Title       string
	Status      MeetingStatus
	CreatedByID *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Attendees   []User       `gorm:"many2many:meeting_attendees;joinForeignKey:MeetingID;joinReferences:UserID"`
	Items       []AgendaItem `gorm:"foreignKey:MeetingID"`
}

// AgendaItem is one improvement on a meeting's agenda and, once taken, the decision on it.
type AgendaItem struct {
	ID            int64
	MeetingID     int64
	ImprovementID int64
	Improvement   *Improvement `gorm:"foreignKey:ImprovementID"`
	Position      int
	// Decision is the status the meeting moved the item to (approved, rejected or
	// deferred); nil while the item is not decided.
	Decision    *Status
	Rationale   string
	DecidedAt   *time.Time
	DecidedByID *int64
	DecidedBy   *User `gorm:"foreignKey:DecidedByID"`
}

// Decided reports whether the meeting took a decision on the item.
func (a AgendaItem) Decided() bool { return a.Decision != nil }

// Open reports whether the item can still be decided at this meeting: not decided yet
// and its improvement still awaiting review (it may have been decided elsewhere).
func (a AgendaItem) Open() bool {
	return a.Decision == nil && a.Improvement != nil && a.Improvement.Status == StatusReview &&
		a.Improvement.MergedIntoID == nil
}

// DecisionCounts tallies a meeting's decisions for its running summary and minutes.
type DecisionCounts struct {
	Approved, Rejected, Deferred, Open int
}

// Counts tallies the decisions taken so far; Open counts the items not (yet) decided.
func (m Meeting) Counts() DecisionCounts {
	var c DecisionCounts
	for _, it := range m.Items {
		switch {
		case it.Decision == nil:
			c.Open++
		case *it.Decision == StatusApproved:
			c.Approved++
		case *it.Decision == StatusRejected:
			c.Rejected++
		case *it.Decision == StatusDeferred:
			c.Deferred++
		}
	}
	return c
}

// NewMeeting is the input to CreateMeeting.
type NewMeeting struct {
	HeldOn      *time.Time // a calendar date, as midnight UTC
	Title       string
	AttendeeIDs []int64
}

// Validate names each problem by field; that attendees are steering members is
// checked against the database by CreateMeeting.
func (n NewMeeting) Validate() *ValidationError {
	f := map[string]string{}
	if n.HeldOn == nil {
		f["held_on"] = "required"
	}
	if len(strings.TrimSpace(n.Title)) > 200 {
		f["title"] = "too_long"
	}
	if len(UniqueIDs(n.AttendeeIDs)) == 0 {
		f["attendees"] = "required"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// MeetingSummary is one row of the meetings list.
type MeetingSummary struct {
	ID      int64
	HeldOn  time.Time
	Title   string
	Status  MeetingStatus
	Items   int
	Decided int
}

// Decision is the steering group's decision on one agenda item. To is the status the
// item moves to: approved, rejected or deferred; each needs what its transition needs.
type Decision struct {
	ItemID           int64
	To               Status
	Version          int // the improvement's version the decision was based on
	Rationale        string
	Reason           string // rejecting
	OwnerID          *int64 // approving
	FunctionalAreaID *int64
	TargetDate       *time.Time
	DeferUntil       *time.Time // deferring
}

// decisionStatuses are the moves a meeting can make.
var decisionStatuses = []Status{StatusApproved, StatusRejected, StatusDeferred}

// DecisionStatuses lists the decisions a meeting can take, in the order they are offered.
func DecisionStatuses() []Status { return slices.Clone(decisionStatuses) }
