package models

import (
	"slices"
	"strconv"
	"strings"
)

// SeesAllFeedback reports whether a user's roles let them read every branch's
// feedback: everyone but branch managers and staff, who see only their own.
func SeesAllFeedback(u *User) bool {
	return u.Has(RoleAmbassador, RoleQuickWin, RoleSteering, RoleAdmin)
}

// BranchScopeOf is the FeedbackFilter.BranchScope for a user who manages branches
// (sees all: ""; no branch: NoBranches).
func BranchScopeOf(u *User, branchIDs []int64) string {
	if SeesAllFeedback(u) {
		return ""
	}
	if len(branchIDs) == 0 {
		return NoBranches
	}
	parts := make([]string, len(branchIDs))
	for i, id := range branchIDs {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// ScopeIDs reads a BranchScope; ok is false when there is no scope.
func ScopeIDs(scope string) ([]int64, bool) {
	if scope == "" {
		return nil, false
	}
	var ids []int64
	for _, p := range strings.Split(scope, ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids, true
}

// InScope reports whether a feedback of branchID is visible under scope.
func InScope(scope string, branchID *int64) bool {
	ids, ok := ScopeIDs(scope)
	if !ok {
		return true
	}
	return branchID != nil && slices.Contains(ids, *branchID)
}

// MayWorkFollowUp reports whether a user may take, try, reassign or record a
// follow-up: ambassadors (the follow-up team), its owner, the employee it names and
// the managers of its branch.
func MayWorkFollowUp(u *User, ownerID, employeeID *int64, managesBranch bool) bool {
	switch {
	case u == nil:
		return false
	case u.Has(RoleAmbassador):
		return true
	case ownerID != nil && *ownerID == u.ID, employeeID != nil && *employeeID == u.ID:
		return true
	default:
		return managesBranch && u.Has(RoleBranch)
	}
}

// BranchMonth is the branch page: how one branch did in a month.
type BranchMonth struct {
	Branch RefItem
	Period Period
	NPS    NPSCounts
	// Trend is the NPS counts of the last twelve months, oldest first.
	Trend []NPSMonth
	// Detractors, FollowedUp and Within24h count this month's detractors and their
	// follow-ups; MedianHours is the median time to follow up (-1 when none).
	Detractors, FollowedUp, Within24h, Tried int
	MedianHours                              float64
	// RootCauses are the most named root causes of this month's follow-ups.
	RootCauses []NamedCount
	// Praised are the employees customers praised this month (promoters naming them).
	Praised []NamedCount
}

// NamedCount is a name and how often it came up.
type NamedCount struct {
	Name  string
	Count int
}

// FollowUpRate is the share of this month's detractors followed up, in percent (-1
// when there were none).
func (b BranchMonth) FollowUpRate() float64 {
	if b.Detractors == 0 {
		return -1
	}
	return 100 * float64(b.FollowedUp) / float64(b.Detractors)
}
