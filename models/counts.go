package models

// WorkCounts is the work waiting across the organisation, for the navigation badges.
type WorkCounts struct {
	FollowUpsDue, FollowUpsOverdue, Untriaged, Queued, Review int
}

// NavCountCap is where the navigation's badges stop counting ("999+"): counted in
// full, 170,000 untriaged feedback took a tenth of a second, and a busy team's
// navigation is counted after every change.
const NavCountCap = 1000

// Triage statuses of feedback.
const (
	TriageNew      = "new"
	TriageLinked   = "linked"
	TriageNoAction = "no_action"
)
