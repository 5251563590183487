package models

import (
	"time"
)

// MaxReportComment is the longest comment the steering group may write on a period: the
// report is one printed page, and the comment has a few lines of it.
const MaxReportComment = 600

// ReportComment is the steering group's short comment on a report period.
type ReportComment struct {
	Kind        PeriodKind `gorm:"primaryKey"`
	Period      string     `gorm:"primaryKey"`
	Body        string
	UpdatedByID *int64
	UpdatedAt   time.Time
	// UpdatedBy is the user who wrote the comment last, when known.
	UpdatedBy *User `gorm:"-"`
}

// TableName is the comments' table.
func (ReportComment) TableName() string { return "report_comments" }

// TrendMonths is how many months the report's NPS trend shows: a year and the month a
// year before the last, so seasons compare.
const TrendMonths = 13
