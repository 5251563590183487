package models

import (
	"time"
)

// NPSTarget is the NPS the organisation aims for in a calendar year, set beside the
// yearly target of implemented improvements.
type NPSTarget struct {
	Year      int `gorm:"primaryKey;autoIncrement:false"`
	Target    int
	UpdatedAt time.Time
}

// TableName maps NPSTarget onto the nps_targets table.
func (NPSTarget) TableName() string { return "nps_targets" }

// ValidNPSTarget reports whether t can be an NPS target: an NPS runs from -100 to 100.
func ValidNPSTarget(t int) bool { return t >= -100 && t <= 100 }

// NPSMonth is the NPS responses of one calendar month (the trend against the target).
type NPSMonth struct {
	Year  int
	Month time.Month
	NPSCounts
}

// TrendYears is how many calendar years the NPS trend shows, this year included.
const TrendYears = 4

// NPSHistory is the NPS trend of several years: every month's responses, oldest first,
// and the NPS targets of the years, by year.
type NPSHistory struct {
	Months  []NPSMonth
	Targets map[int]int
	// Drawn keeps the views' drawings of the trend while the months before this one
	// stay as the store keeps them.
	Drawn *Drawings
}
