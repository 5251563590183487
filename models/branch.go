package models

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
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

// scopeIDs reads a BranchScope; ok is false when there is no scope.
func scopeIDs(scope string) ([]int64, bool) {
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
	ids, ok := scopeIDs(scope)
	if !ok {
		return true
	}
	return branchID != nil && slices.Contains(ids, *branchID)
}

// UserBranches returns the ids of the branches a user manages.
func (s *Store) UserBranches(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := s.r.WithContext(ctx).Table("user_branches").Where("user_id = ?", userID).Order("branch_id").Pluck("branch_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: branches of user %d: %w", userID, err)
	}
	return ids, nil
}

// FeedbackScope is BranchScopeOf for a stored user.
func (s *Store) FeedbackScope(ctx context.Context, u *User) (string, error) {
	if SeesAllFeedback(u) {
		return "", nil
	}
	ids, err := s.UserBranches(ctx, u.ID)
	if err != nil {
		return "", err
	}
	return BranchScopeOf(u, ids), nil
}

// SetUserBranches replaces the branches a user manages and records the change.
func (s *Store) SetUserBranches(ctx context.Context, userID int64, branchIDs []int64, by *User) error {
	return s.Tx(ctx, func(tx *gorm.DB) error { return setUserBranches(tx, s.now(), userID, branchIDs, by) })
}

func setUserBranches(tx *gorm.DB, now time.Time, userID int64, branchIDs []int64, by *User) error {
	var old []int64
	if err := tx.Table("user_branches").Where("user_id = ?", userID).Order("branch_id").Pluck("branch_id", &old).Error; err != nil {
		return err
	}
	ids := slices.Clone(branchIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if slices.Equal(old, ids) {
		return nil
	}
	if err := tx.Exec("DELETE FROM user_branches WHERE user_id = ?", userID).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.Exec("INSERT INTO user_branches (user_id, branch_id) VALUES (?, ?)", userID, id).Error; err != nil {
			return fmt.Errorf("models: branches of user %d: %w", userID, err)
		}
	}
	return record(tx, now, "user", userID, by, "updated", "branches", joinIDs(old), joinIDs(ids), "")
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
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
	Trend []MonthNPS
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

// MedianOf returns the median of values (-1 for none).
func MedianOf(values []float64) float64 {
	if len(values) == 0 {
		return -1
	}
	v := slices.Clone(values)
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// BranchReport computes the branch page for the month containing at.
func (s *Store) BranchReport(ctx context.Context, branchID int64, at time.Time) (*BranchMonth, error) {
	db := s.r.WithContext(ctx)
	var b Branch
	if err := db.Take(&b, branchID).Error; err != nil {
		return nil, notFound(err)
	}
	p := PeriodOf(PeriodMonth, at, s.Location)
	out := &BranchMonth{Branch: RefItem{ID: b.ID, Code: b.Code, Name: b.Name}, Period: p}
	start := p.Start
	for i := 11; i >= 0; i-- {
		ms := start.AddDate(0, -i, 0)
		me := ms.AddDate(0, 1, 0)
		c, err := branchNPS(db, branchID, ms, me)
		if err != nil {
			return nil, err
		}
		out.Trend = append(out.Trend, MonthNPS{Month: ms, Counts: c})
	}
	out.NPS = out.Trend[len(out.Trend)-1].Counts
	var dets []struct {
		ReceivedAt   time.Time
		FollowedUpAt *time.Time
		Tries        *int
	}
	err := db.Raw(`SELECT f.received_at, f.followed_up_at, fu.tries FROM feedback f LEFT JOIN follow_ups fu ON fu.feedback_id = f.id
		WHERE f.branch_id = ? AND f.nps_group = ? AND f.received_at >= ? AND f.received_at < ?`,
		branchID, GroupDetractor, p.Start.UTC(), p.End.UTC()).Scan(&dets).Error
	if err != nil {
		return nil, fmt.Errorf("models: branch follow-ups: %w", err)
	}
	var hours []float64
	for _, d := range dets {
		out.Detractors++
		if d.Tries != nil && *d.Tries > 0 {
			out.Tried++
		}
		if d.FollowedUpAt != nil {
			out.FollowedUp++
			h := d.FollowedUpAt.Sub(d.ReceivedAt).Hours()
			hours = append(hours, h)
			if h <= FollowUpWindow.Hours() {
				out.Within24h++
			}
		}
	}
	out.MedianHours = MedianOf(hours)
	err = db.Raw(`SELECT c.name AS name, COUNT(*) AS count FROM feedback f JOIN categories c ON c.id = f.follow_up_root_cause_id
		WHERE f.branch_id = ? AND f.received_at >= ? AND f.received_at < ? GROUP BY c.name ORDER BY count DESC, c.name LIMIT 5`,
		branchID, p.Start.UTC(), p.End.UTC()).Scan(&out.RootCauses).Error
	if err != nil {
		return nil, fmt.Errorf("models: branch root causes: %w", err)
	}
	err = db.Raw(`SELECT COALESCE(u.name, f.praised_colleague, f.employee_email) AS name, COUNT(*) AS count
		FROM feedback f LEFT JOIN users u ON u.id = f.employee_id
		WHERE f.branch_id = ? AND f.nps_group = ? AND f.received_at >= ? AND f.received_at < ?
		AND (f.employee_id IS NOT NULL OR f.praised_colleague IS NOT NULL OR f.employee_email IS NOT NULL)
		GROUP BY COALESCE(u.name, f.praised_colleague, f.employee_email) ORDER BY count DESC, name LIMIT 10`,
		branchID, GroupPromoter, p.Start.UTC(), p.End.UTC()).Scan(&out.Praised).Error
	if err != nil {
		return nil, fmt.Errorf("models: branch praise: %w", err)
	}
	return out, nil
}

func branchNPS(db *gorm.DB, branchID int64, start, end time.Time) (NPSCounts, error) {
	var rows []struct {
		NPSGroup string `gorm:"column:nps_group"`
		N        int
	}
	err := db.Raw(`SELECT nps_group, COUNT(*) AS n FROM feedback WHERE branch_id = ? AND received_at >= ? AND received_at < ?
		AND nps_group IS NOT NULL GROUP BY nps_group`, branchID, start.UTC(), end.UTC()).Scan(&rows).Error
	var c NPSCounts
	for _, r := range rows {
		switch NPSGroup(r.NPSGroup) {
		case GroupPromoter:
			c.Promoters = r.N
		case GroupPassive:
			c.Passives = r.N
		case GroupDetractor:
			c.Detractors = r.N
		}
	}
	return c, err
}
