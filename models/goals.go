package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Goal is the admin's target of implemented improvements for one calendar year.
type Goal struct {
	Year      int `gorm:"primaryKey;autoIncrement:false"`
	Target    int
	UpdatedAt time.Time
}

// TableName maps Goal onto the goals table.
func (Goal) TableName() string { return "goals" }

// Bounds of what the admin may enter; outside them a typo is more likely than a plan.
const (
	MinGoalYear   = 2000
	MaxGoalYear   = 2100
	MaxGoalTarget = 100000
)

// GoalTarget returns the target of year, or DefaultGoalTarget when none was set.
func (s *Store) GoalTarget(ctx context.Context, year int) (int, error) {
	var g Goal
	err := s.r.WithContext(ctx).Where("year = ?", year).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultGoalTarget, nil
	}
	if err != nil {
		return 0, fmt.Errorf("models: goal %d: %w", year, err)
	}
	return g.Target, nil
}

// Goals lists the targets set, newest year first.
func (s *Store) Goals(ctx context.Context) ([]Goal, error) {
	var out []Goal
	err := s.r.WithContext(ctx).Order("year DESC").Find(&out).Error
	return out, err
}

// SetGoalTarget sets the target of a year and records the change.
func (s *Store) SetGoalTarget(ctx context.Context, year, target int, by *User) error {
	f := map[string]string{}
	if year < MinGoalYear || year > MaxGoalYear {
		f["year"] = "out_of_range"
	}
	if target < 1 || target > MaxGoalTarget {
		f["target"] = "out_of_range"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		old := ""
		var g Goal
		if err := tx.Where("year = ?", year).Take(&g).Error; err == nil {
			old = fmt.Sprint(g.Target)
		}
		now := s.now()
		row := Goal{Year: year, Target: target, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "year"}},
			DoUpdates: clause.AssignmentColumns([]string{"target", "updated_at"})}).Create(&row).Error; err != nil {
			return fmt.Errorf("models: set goal %d: %w", year, err)
		}
		return record(tx, now, "goal", int64(year), by, "updated", "target", old, fmt.Sprint(target), "")
	})
}

// YearProgress is a year's goal with its progress split the ways the dashboard and the
// API show it.
type YearProgress struct {
	GoalStatus
	// QuickWin and Steering split Implemented by the track the items were on.
	QuickWin, Steering int
	// ByMonth counts the improvements implemented in each month (January first).
	ByMonth [12]int
	// Today is the day the pace was measured on, in the store's location.
	Today time.Time
}

// Cumulative returns how many improvements were implemented by the end of each month.
func (p YearProgress) Cumulative() [12]int {
	var out [12]int
	sum := 0
	for i, n := range p.ByMonth {
		sum += n
		out[i] = sum
	}
	return out
}

// yearBounds returns the first instants of year and of the year after, in loc.
func yearBounds(year int, loc *time.Location) (time.Time, time.Time) {
	return time.Date(year, time.January, 1, 0, 0, 0, 0, loc), time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc)
}

// YearProgress measures the goal of year as of now: improvements whose status became
// implemented in that calendar year (in the store's location), both tracks.
func (s *Store) YearProgress(ctx context.Context, year int) (*YearProgress, error) {
	start, end := yearBounds(year, s.Location)
	return s.progressUntil(ctx, year, end, s.now().In(s.Location), start)
}

// progressUntil counts implemented improvements in [start, until) and measures pace on
// today; reports use it to show the goal as it stood at the end of a period.
func (s *Store) progressUntil(ctx context.Context, year int, until, today, start time.Time) (*YearProgress, error) {
	target, err := s.GoalTarget(ctx, year)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Track         Track
		ImplementedAt time.Time
	}
	// The partial index on implemented_at makes this a range read of one year's items.
	err = s.r.WithContext(ctx).Table("improvements").Select("track, implemented_at").
		Where("implemented_at >= ? AND implemented_at < ? AND status = ? AND merged_into_id IS NULL",
			start.UTC(), until.UTC(), StatusImplemented).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: goal progress %d: %w", year, err)
	}
	p := &YearProgress{Today: today}
	for _, r := range rows {
		switch r.Track {
		case TrackQuickWin:
			p.QuickWin++
		default:
			p.Steering++
		}
		p.ByMonth[r.ImplementedAt.In(s.Location).Month()-1]++
	}
	p.GoalStatus = GoalProgress(year, target, len(rows), today)
	return p, nil
}
