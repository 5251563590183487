package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

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
func (s *Store) FeedbackScope(ctx context.Context, u *models.User) (string, error) {
	if models.SeesAllFeedback(u) {
		return "", nil
	}
	ids, err := s.UserBranches(ctx, u.ID)
	if err != nil {
		return "", err
	}
	return models.BranchScopeOf(u, ids), nil
}

// SetUserBranches replaces the branches a user manages and records the change.
func (s *Store) SetUserBranches(ctx context.Context, userID int64, branchIDs []int64, by *models.User) error {
	return s.Tx(ctx, func(tx *gorm.DB) error { return setUserBranches(tx, s.now(), userID, branchIDs, by) })
}

func setUserBranches(tx *gorm.DB, now time.Time, userID int64, branchIDs []int64, by *models.User) error {
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

// BranchReport computes the branch page for the month containing at.
func (s *Store) BranchReport(ctx context.Context, branchID int64, at time.Time) (*models.BranchMonth, error) {
	db := s.r.WithContext(ctx)
	var b models.Branch
	if err := db.Take(&b, branchID).Error; err != nil {
		return nil, notFound(err)
	}
	p := models.PeriodOf(models.PeriodMonth, at, s.Location)
	out := &models.BranchMonth{Branch: models.RefItem{ID: b.ID, Code: b.Code, Name: b.Name}, Period: p}
	start := p.Start
	for i := 11; i >= 0; i-- {
		ms := start.AddDate(0, -i, 0)
		me := ms.AddDate(0, 1, 0)
		c, err := branchNPS(db, branchID, ms, me)
		if err != nil {
			return nil, err
		}
		local := ms.In(s.Location)
		out.Trend = append(out.Trend, models.NPSMonth{Year: local.Year(), Month: local.Month(), NPSCounts: c})
	}
	out.NPS = out.Trend[len(out.Trend)-1].NPSCounts
	var dets []struct {
		ReceivedAt   time.Time
		FollowedUpAt *time.Time
		Tries        *int
	}
	err := db.Raw(`SELECT f.received_at, f.followed_up_at, fu.tries FROM feedback f LEFT JOIN follow_ups fu ON fu.feedback_id = f.id
		WHERE f.branch_id = ? AND f.nps_group = ? AND f.received_at >= ? AND f.received_at < ?`,
		branchID, models.GroupDetractor, p.Start.UTC(), p.End.UTC()).Scan(&dets).Error
	if err != nil {
		return nil, fmt.Errorf("models: branch follow-ups: %w", err)
	}
	var took []time.Duration
	for _, d := range dets {
		if d.Tries != nil && *d.Tries > 0 {
			out.Tried++
		}
		if d.FollowedUpAt != nil {
			took = append(took, d.FollowedUpAt.Sub(d.ReceivedAt))
		}
	}
	// The same rules as the report's follow-up figures (models.FollowUpFigures).
	fu := models.FollowUpFigures(len(dets), took)
	out.Detractors, out.FollowedUp, out.Within24h, out.MedianHours = fu.Detractors, fu.FollowedUp, fu.Within, -1
	if fu.FollowedUp > 0 {
		out.MedianHours = fu.Median.Hours()
	}
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
		branchID, models.GroupPromoter, p.Start.UTC(), p.End.UTC()).Scan(&out.Praised).Error
	if err != nil {
		return nil, fmt.Errorf("models: branch praise: %w", err)
	}
	return out, nil
}

func branchNPS(db *gorm.DB, branchID int64, start, end time.Time) (models.NPSCounts, error) {
	var rows []struct {
		NPSGroup string `gorm:"column:nps_group"`
		N        int
	}
	err := db.Raw(`SELECT nps_group, COUNT(*) AS n FROM feedback WHERE branch_id = ? AND received_at >= ? AND received_at < ?
		AND nps_group IS NOT NULL GROUP BY nps_group`, branchID, start.UTC(), end.UTC()).Scan(&rows).Error
	var c models.NPSCounts
	for _, r := range rows {
		c.Count(models.NPSGroup(r.NPSGroup), r.N)
	}
	return c, err
}
