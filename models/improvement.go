package models

import (
	"slices"
	"strings"
	"time"
)

// Improvement is one change the organisation will make, answering one or more pieces
// of feedback.
type Improvement struct {
	ID               int64
	Title            string
	Description      string
	CategoryID       *int64
	Category         *RefItem `gorm:"foreignKey:CategoryID;references:ID"`
	Impact           int
	Effort           Effort
	Priority         int
	Track            Track
	SuggestedTrack   Track
	TrackReason      *string
	Status           Status
	OwnerID          *int64
	Owner            *User `gorm:"foreignKey:OwnerID"`
	AssigneeID       *int64
	Assignee         *User `gorm:"foreignKey:AssigneeID"`
	FunctionalAreaID *int64
	FunctionalArea   *RefItem `gorm:"foreignKey:FunctionalAreaID;references:ID"`
	TargetDate       *time.Time
	DeferUntil       *time.Time
	ResolutionNote   *string
	RejectReason     *string
	MergedIntoID     *int64
	CreatedByID      *int64
	ImplementedAt    *time.Time
	StatusChangedAt  time.Time
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time

	// ImplementedOn is the day the change took effect, given when it is recorded later
	// than the status change; nil means the local day of ImplementedAt (ImpactDay).
	ImplementedOn *time.Time
	// The optional savings: estimated before and realised after, in money (øre in the
	// columns since migration 00020) and hours.
	SavingsEstimatedKr *Money `gorm:"column:savings_estimated_kr"`
	SavingsRealisedKr  *Money `gorm:"column:savings_realised_kr"`
	HoursEstimated     *int
	HoursRealised      *int
}

// NewImprovement is the input to CreateImprovement.
type NewImprovement struct {
	Title, Description string
	CategoryID         *int64
	Impact             int
	Effort             Effort
	FeedbackIDs        []int64
	// Track overrides the routing rule's suggestion; TrackReason then says why.
	Track       Track
	TrackReason string
}

// Validate names each problem by field.
func (n NewImprovement) Validate() *ValidationError {
	f := map[string]string{}
	if strings.TrimSpace(n.Title) == "" {
		f["title"] = "required"
	} else if len(n.Title) > 200 {
		f["title"] = "too_long"
	}
	if !ValidImpact(n.Impact) {
		f["impact"] = "out_of_range"
	}
	if n.Effort.Rank() == 0 {
		f["effort"] = "invalid_choice"
	}
	if n.Track != "" && n.Track != TrackQuickWin && n.Track != TrackSteering {
		f["track"] = "invalid_choice"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// Route decides the track: the rule's suggestion unless overridden, and an override
// needs a reason.
func Route(effort, threshold Effort, override Track, reason string) (track, suggested Track, err *ValidationError) {
	suggested = SuggestTrack(effort, threshold)
	if override == "" || override == suggested {
		return suggested, suggested, nil
	}
	if strings.TrimSpace(reason) == "" {
		return "", suggested, Invalid("track_reason", "reason_required")
	}
	return override, suggested, nil
}

func UniqueIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// TransitionInput is a requested status change, based on the version the user saw.
type TransitionInput struct {
	To               Status
	Version          int
	Reason, Note     string
	OwnerID          *int64
	FunctionalAreaID *int64
	TargetDate       *time.Time
	DeferUntil       *time.Time
	// ImplementedOn is the day an implemented change took effect when it is recorded
	// later (not in the future); nil is today. Other moves ignore it.
	ImplementedOn *time.Time
}

// HolderOnly reports whether a move is for the holder of the item alone (or a steering
// member): finishing a started quick win or giving it back. Another member of the
// team takes it over by asking the holder, not by moving it.
func HolderOnly(track Track, from, to Status) bool {
	return track == TrackQuickWin && from == StatusInProgress && (to == StatusImplemented || to == StatusQueued)
}

// Comment is a remark or progress note on an improvement.
type Comment struct {
	ID            int64
	ImprovementID int64
	UserID        int64
	User          *User `gorm:"foreignKey:UserID"`
	Kind          string
	Body          string
	CreatedAt     time.Time
}

// Comment kinds.
const (
	CommentRemark   = "comment"
	CommentProgress = "progress"
)
