package models

import (
	"time"
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
