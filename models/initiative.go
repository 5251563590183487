package models

import (
	"time"
)

// Initiative is an approved or started steering decision being followed to
// implementation, with its latest progress note.
type Initiative struct {
	Improvement
	LastProgress *Comment
}

// Overdue reports whether the initiative has passed its target date without being
// implemented: the target date is the last day to finish on.
func (i Initiative) Overdue(today time.Time) bool {
	return InitiativeOverdue(i.Status, i.TargetDate, today)
}

// InitiativeOverdue reports whether an item in status with a target date is late on
// today (calendar days as midnight UTC): after the target date and not implemented.
func InitiativeOverdue(status Status, target *time.Time, today time.Time) bool {
	if target == nil || status == StatusImplemented || status == StatusRejected {
		return false
	}
	return today.After(*target)
}

// InitiativeDaysOverdue returns how many days past its target date an overdue item is
// on today (both calendar days as midnight UTC), 0 when it is not overdue, so the page
// can say "overdue by 12 days" rather than only "overdue".
func InitiativeDaysOverdue(status Status, target *time.Time, today time.Time) int {
	if !InitiativeOverdue(status, target, today) {
		return 0
	}
	return int(today.Sub(*target).Hours()/24 + 0.5)
}

// DaysOverdue returns how many days past its target date the initiative is (0: not late).
func (i Initiative) DaysOverdue(today time.Time) int {
	return InitiativeDaysOverdue(i.Status, i.TargetDate, today)
}

// OwnerGroup is one owner's initiatives within a functional area.
type OwnerGroup struct {
	Owner *User // nil: no owner
	Items []Initiative
}

// AreaGroup is a functional area's initiatives, by owner.
type AreaGroup struct {
	Area   *RefItem // nil: no functional area
	Owners []OwnerGroup
}

// GroupInitiatives groups initiatives by functional area and owner, keeping the order
// of the list (which Initiatives sorts by area name, owner name, target date).
func GroupInitiatives(list []Initiative) []AreaGroup {
	var out []AreaGroup
	for _, it := range list {
		areaID, ownerID := int64(0), int64(0)
		if it.FunctionalArea != nil {
			areaID = it.FunctionalArea.ID
		}
		if it.Owner != nil {
			ownerID = it.Owner.ID
		}
		if n := len(out); n == 0 || groupAreaID(out[n-1]) != areaID {
			out = append(out, AreaGroup{Area: it.FunctionalArea})
		}
		area := &out[len(out)-1]
		if n := len(area.Owners); n == 0 || groupOwnerID(area.Owners[n-1]) != ownerID {
			area.Owners = append(area.Owners, OwnerGroup{Owner: it.Owner})
		}
		og := &area.Owners[len(area.Owners)-1]
		og.Items = append(og.Items, it)
	}
	return out
}

func groupAreaID(g AreaGroup) int64 {
	if g.Area == nil {
		return 0
	}
	return g.Area.ID
}

func groupOwnerID(g OwnerGroup) int64 {
	if g.Owner == nil {
		return 0
	}
	return g.Owner.ID
}
