package models

import (
	"context"
	"fmt"
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

// Initiatives lists the approved and in-progress steering items ordered by functional
// area, owner and target date, each with its latest progress note.
func (s *Store) Initiatives(ctx context.Context) ([]Initiative, error) {
	var imps []Improvement
	err := preloadImprovement(s.r.WithContext(ctx)).Select("improvements.*").
		Joins("LEFT JOIN functional_areas fa ON fa.id = improvements.functional_area_id").
		Joins("LEFT JOIN users ow ON ow.id = improvements.owner_id").
		Where("improvements.status IN ? AND improvements.track = ? AND improvements.merged_into_id IS NULL",
			[]Status{StatusApproved, StatusInProgress}, TrackSteering).
		Order("fa.name IS NULL, fa.name, fa.id, ow.name IS NULL, ow.name, ow.id, improvements.target_date, improvements.id").
		Find(&imps).Error
	if err != nil {
		return nil, fmt.Errorf("models: initiatives: %w", err)
	}
	ids := make([]int64, len(imps))
	for i, imp := range imps {
		ids[i] = imp.ID
	}
	last, err := s.latestProgress(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Initiative, len(imps))
	for i, imp := range imps {
		out[i] = Initiative{Improvement: imp, LastProgress: last[imp.ID]}
	}
	return out, nil
}

// latestProgress returns the newest progress note of each improvement, in one query.
func (s *Store) latestProgress(ctx context.Context, ids []int64) (map[int64]*Comment, error) {
	out := map[int64]*Comment{}
	if len(ids) == 0 {
		return out, nil
	}
	var notes []Comment
	err := s.r.WithContext(ctx).Preload("User").
		Where("kind = ? AND id IN (SELECT MAX(id) FROM comments WHERE kind = ? AND improvement_id IN ? GROUP BY improvement_id)",
			CommentProgress, CommentProgress, ids).Find(&notes).Error
	if err != nil {
		return nil, fmt.Errorf("models: progress notes: %w", err)
	}
	for i := range notes {
		out[notes[i].ImprovementID] = &notes[i]
	}
	return out, nil
}
