package models

import (
	"fmt"
	"slices"
	"strings"
)

// Status is where an improvement stands. Which statuses can follow which is decided only by
// the transitions table in this file, so the web pages and the API cannot disagree.
type Status string

// The statuses of an improvement.
const (
	// StatusQueued is a quick win waiting for the quick-win team.
	StatusQueued Status = "queued"
	// StatusReview is a steering item awaiting the steering group's decision.
	StatusReview Status = "review"
	// StatusApproved is a steering item with an owner, a functional area and a target date.
	StatusApproved Status = "approved"
	// StatusDeferred is a steering item set aside until a date, when it returns to review.
	StatusDeferred Status = "deferred"
	// StatusRejected is a steering item the steering group decided against, with a reason.
	StatusRejected Status = "rejected"
	// StatusInProgress is an item being worked on.
	StatusInProgress Status = "in_progress"
	// StatusImplemented is a finished item; it counts toward the yearly goal.
	StatusImplemented Status = "implemented"
)

// Statuses lists every status in the order an item usually passes through them.
var Statuses = []Status{
	StatusQueued, StatusReview, StatusApproved, StatusDeferred,
	StatusRejected, StatusInProgress, StatusImplemented,
}

// ParseStatus reads a status from a form, query string or API value.
func ParseStatus(s string) (Status, bool) {
	st := Status(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Statuses, st) {
		return st, true
	}
	return "", false
}

// InitialStatus returns the status a new improvement starts in on track t. Anything not a
// quick win starts in review, so that the steering group sees it.
func InitialStatus(t Track) Status {
	if t == TrackQuickWin {
		return StatusQueued
	}
	return StatusReview
}

// Needs lists what a transition requires from the person making it, so that forms show
// only those fields and handlers validate only those.
type Needs struct {
	Reason    bool // why: rejecting, escalating or handing back
	Note      bool // what was changed: finishing
	Approval  bool // owner, functional area and target date: approving
	DeferDate bool // when the item returns to review: deferring
}

// Transition is one allowed move of an improvement from one status to another.
type Transition struct {
	Track    Track
	From, To Status
	// Action is a stable identifier for the move, used in i18n keys and button names.
	Action string
	Needs  Needs
	// NewTrack is the track the item moves to; empty means it stays on its track.
	NewTrack Track
	// Role may perform the move, besides the steering role, which may perform every move.
	Role string
}

// transitions is the one table of allowed status changes; anything not in it is refused.
var transitions = []Transition{
	{Track: TrackQuickWin, From: StatusQueued, To: StatusInProgress, Action: "start", Role: RoleQuickWin},
	{Track: TrackQuickWin, From: StatusInProgress, To: StatusImplemented, Action: "finish",
		Needs: Needs{Note: true}, Role: RoleQuickWin},
	{Track: TrackQuickWin, From: StatusInProgress, To: StatusQueued, Action: "hand_back",
		Needs: Needs{Reason: true}, Role: RoleQuickWin},
	{Track: TrackQuickWin, From: StatusQueued, To: StatusReview, Action: "escalate",
		Needs: Needs{Reason: true}, NewTrack: TrackSteering, Role: RoleQuickWin},
	{Track: TrackQuickWin, From: StatusInProgress, To: StatusReview, Action: "escalate",
		Needs: Needs{Reason: true}, NewTrack: TrackSteering, Role: RoleQuickWin},

	{Track: TrackSteering, From: StatusReview, To: StatusApproved, Action: "approve",
		Needs: Needs{Approval: true}, Role: RoleSteering},
	{Track: TrackSteering, From: StatusReview, To: StatusRejected, Action: "reject",
		Needs: Needs{Reason: true}, Role: RoleSteering},
	{Track: TrackSteering, From: StatusReview, To: StatusDeferred, Action: "defer",
		Needs: Needs{DeferDate: true}, Role: RoleSteering},
	{Track: TrackSteering, From: StatusDeferred, To: StatusReview, Action: "return_to_review", Role: RoleSteering},
	{Track: TrackSteering, From: StatusApproved, To: StatusInProgress, Action: "start", Role: RoleSteering},
	{Track: TrackSteering, From: StatusInProgress, To: StatusImplemented, Action: "finish",
		Needs: Needs{Note: true}, Role: RoleSteering},
}

// TransitionError explains a refused status change and names what would have been
// accepted, so that the user sees a clear message. It matches ErrNotAllowed with errors.Is.
type TransitionError struct {
	Track    Track
	From, To Status
	Allowed  []Status // the statuses reachable from From; empty when From is final
}

// Error names the refused move and the allowed ones.
func (e *TransitionError) Error() string {
	msg := fmt.Sprintf("models: cannot move a %s item from %s to %s; ", e.Track, e.From, e.To)
	if len(e.Allowed) == 0 {
		return msg + "no further changes are allowed"
	}
	names := make([]string, len(e.Allowed))
	for i, s := range e.Allowed {
		names[i] = string(s)
	}
	return msg + "allowed: " + strings.Join(names, ", ")
}

// Unwrap makes a TransitionError match ErrNotAllowed.
func (e *TransitionError) Unwrap() error { return ErrNotAllowed }

// FindTransition returns the transition that moves an item on track from one status to
// another, or a *TransitionError (matching ErrNotAllowed) when the table has none.
func FindTransition(track Track, from, to Status) (Transition, error) {
	allowed := AllowedTransitions(track, from)
	for _, t := range allowed {
		if t.To == to {
			return t, nil
		}
	}
	err := &TransitionError{Track: track, From: from, To: to}
	for _, t := range allowed {
		err.Allowed = append(err.Allowed, t.To)
	}
	return Transition{}, err
}

// AllowedTransitions returns the moves open to an item on track in status from, in table
// order, for building buttons. The result is a copy: changing it does not change the rules.
func AllowedTransitions(track Track, from Status) []Transition {
	var out []Transition
	for _, t := range transitions {
		if t.Track == track && t.From == from {
			out = append(out, t)
		}
	}
	return out
}

// TargetTrack returns the track an item on current is on after the transition.
func (t Transition) TargetTrack(current Track) Track {
	if t.NewTrack != "" {
		return t.NewTrack
	}
	return current
}

// MayPerform reports whether someone holding roles may make transition t. The steering
// role may make every move, quick wins included, because the steering group answers for
// all improvements; any other role only the moves assigned to it.
func MayPerform(roles []string, t Transition) bool {
	if slices.Contains(roles, RoleSteering) {
		return true
	}
	return t.Role != "" && slices.Contains(roles, t.Role)
}
