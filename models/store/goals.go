package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// GoalTarget returns the target of year, or DefaultGoalTarget when none was set.
func (s *Store) GoalTarget(ctx context.Context, year int) (int, error) {
	var g models.Goal
	err := s.r.WithContext(ctx).Where("year = ?", year).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.DefaultGoalTarget, nil
	}
	if err != nil {
		return 0, fmt.Errorf("models: goal %d: %w", year, err)
	}
	return g.Target, nil
}

// Goals lists the targets set, newest year first.
func (s *Store) Goals(ctx context.Context) ([]models.Goal, error) {
	var out []models.Goal
	err := s.r.WithContext(ctx).Order("year DESC").Find(&out).Error
	return out, err
}

// SetGoalTarget sets the target of a year and records the change.
func (s *Store) SetGoalTarget(ctx context.Context, year, target int, by *models.User) error {
	f := map[string]string{}
	if year < models.MinGoalYear || year > models.MaxGoalYear {
		f["year"] = "out_of_range"
	}
	if target < 1 || target > models.MaxGoalTarget {
		f["target"] = "out_of_range"
	}
	if len(f) > 0 {
		return &models.ValidationError{Fields: f}
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		old := ""
		var g models.Goal
		if err := tx.Where("year = ?", year).Take(&g).Error; err == nil {
			old = fmt.Sprint(g.Target)
		}
		now := s.now()
		row := models.Goal{Year: year, Target: target, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "year"}},
			DoUpdates: clause.AssignmentColumns([]string{"target", "updated_at"})}).Create(&row).Error; err != nil {
			return fmt.Errorf("models: set goal %d: %w", year, err)
		}
		return record(tx, now, "goal", int64(year), by, "updated", "target", old, fmt.Sprint(target), "")
	})
}

// yearBounds returns the first instants of year and of the year after, in loc.
func yearBounds(year int, loc *time.Location) (time.Time, time.Time) {
	return time.Date(year, time.January, 1, 0, 0, 0, 0, loc), time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc)
}

// YearProgress measures the goal of year as of now: improvements whose status became
// implemented in that calendar year (in the store's location), both tracks.
func (s *Store) YearProgress(ctx context.Context, year int) (*models.YearProgress, error) {
	start, end := yearBounds(year, s.Location)
	return s.progressUntil(ctx, year, end, s.now().In(s.Location), start)
}

// progressUntil counts implemented improvements in [start, until) and measures pace on
// today; reports use it to show the goal as it stood at the end of a period.
func (s *Store) progressUntil(ctx context.Context, year int, until, today, start time.Time) (*models.YearProgress, error) {
	target, err := s.GoalTarget(ctx, year)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Track         models.Track
		ImplementedAt time.Time
	}
	// The partial index on implemented_at makes this a range read of one year's items.
	err = s.r.WithContext(ctx).Table("improvements").Select("track, implemented_at").
		Where("implemented_at >= ? AND implemented_at < ? AND status = ? AND merged_into_id IS NULL",
			start.UTC(), until.UTC(), models.StatusImplemented).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: goal progress %d: %w", year, err)
	}
	p := &models.YearProgress{Today: today}
	for _, r := range rows {
		switch r.Track {
		case models.TrackQuickWin:
			p.QuickWin++
		default:
			p.Steering++
		}
		p.ByMonth[r.ImplementedAt.In(s.Location).Month()-1]++
	}
	p.GoalStatus = models.GoalProgress(year, target, len(rows), today)
	return p, nil
}
