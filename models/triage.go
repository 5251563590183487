package models

import (
	"strings"
	"time"
)

// TriageItem is one piece of feedback as the triage inbox shows it: only the columns
// the inbox needs, so triage does not depend on the feedback pages' own struct.
type TriageItem struct {
	ID             int64
	ReceivedAt     time.Time
	Comment        string
	NPS            *int
	NPSGroup       string
	TriageStatus   string
	ChannelName    string
	BranchName     string
	TouchpointName string
}

// ImprovementHit is an improvement found by title, for "link to…".
type ImprovementHit struct {
	ID       int64
	Title    string
	Track    Track
	Status   Status
	Priority int
}

// EscapeLike makes % and _ in user input match themselves.
func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
