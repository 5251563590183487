package models

import (
	"time"
)

// MaxColleagueName caps a praised colleague's name.
const MaxColleagueName = 120

// Praise is one customer's praise of a colleague.
type Praise struct {
	FeedbackID int64
	Colleague  string
	Comment    string
	ReceivedAt time.Time
}

// PraisedColleague is a colleague customers praised, with how often and what they said.
type PraisedColleague struct {
	Name  string
	Count int
	// Quotes are the latest praises, newest first, at most QuotesPerColleague.
	Quotes []Praise
}

// QuotesPerColleague is how many praises the recognition page quotes per colleague.
const QuotesPerColleague = 3

// Recognition is the colleagues praised this month and this year.
type Recognition struct {
	Month, Year []PraisedColleague
	MonthStart  time.Time
	YearStart   time.Time
}

// PraiseCandidate is a promoter's comment that may name a colleague.
type PraiseCandidate struct {
	ID         int64
	Comment    string
	NPS        *int `gorm:"column:nps"`
	ReceivedAt time.Time
}

// PraiseTarget is the feedback shown on the praise form.
type PraiseTarget struct {
	ID               int64
	Comment          string
	NPS              *int    `gorm:"column:nps"`
	NPSGroup         *string `gorm:"column:nps_group"`
	PraisedColleague *string
	ReceivedAt       time.Time
}
