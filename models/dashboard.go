package models

import (
	"strconv"
	"strings"
	"time"
)

// NPSWindowDays is how many days, today included, the dashboard's NPS covers.
const NPSWindowDays = 30

// Dashboard is what the home page shows everyone: the goal, how it splits, recent
// satisfaction and the follow-ups waiting.
type Dashboard struct {
	Goal *YearProgress
	// ByCategory and ByArea split the year's implemented improvements ("" = none).
	ByCategory, ByArea []NameCount
	// NPS30 covers NPSFrom to NPSTo, both dates included.
	NPS30            NPSCounts
	NPSFrom, NPSTo   time.Time
	FollowUpsDue     int
	FollowUpsOverdue int
	// Latest are the most recently implemented improvements, each with a quote.
	Latest []ImplementedItem
	// Savings add up the savings of this year's implemented improvements.
	Savings SavingsTotals
	// Drawn keeps the views' drawings of the improvements' figures (Goal, ByCategory,
	// ByArea, Latest, Savings) as the store keeps them; not of the feedback's.
	Drawn *Drawings `json:"-"`
}

// Quote is a customer's words from feedback linked to an improvement.
type Quote struct {
	ImprovementID int64
	FeedbackID    int64
	Comment       string
	NPS           *int `gorm:"column:nps"`
	ReceivedAt    time.Time
}

// ImplementedItem is an implemented improvement as "you said, we did" tells it.
type ImplementedItem struct {
	ID             int64
	Title          string
	Track          Track
	Category       string
	ResolutionNote string
	ImplementedAt  time.Time
	// Customers is how many feedback items are linked.
	Customers int
	Quotes    []Quote `gorm:"-"`
}

// ImplementedCursor marks where the next page of implemented improvements starts.
type ImplementedCursor struct {
	At time.Time
	ID int64
}

// String encodes the cursor for a query string.
func (c ImplementedCursor) String() string {
	return strconv.FormatInt(c.At.UnixNano(), 36) + "." + strconv.FormatInt(c.ID, 36)
}

// ParseImplementedCursor reads a cursor written by String; ok is false for anything else.
func ParseImplementedCursor(s string) (*ImplementedCursor, bool) {
	a, b, found := strings.Cut(s, ".")
	if !found {
		return nil, false
	}
	ns, err1 := strconv.ParseInt(a, 36, 64)
	id, err2 := strconv.ParseInt(b, 36, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return nil, false
	}
	return &ImplementedCursor{At: time.Unix(0, ns).UTC(), ID: id}, true
}

// WorkItem is an improvement waiting for someone.
type WorkItem struct {
	ID         int64
	Title      string
	Track      Track
	Status     Status
	TargetDate *time.Time
}

// FollowUpItem is a detractor's feedback awaiting a call.
type FollowUpItem struct {
	ID         int64
	Comment    string
	NPS        *int `gorm:"column:nps"`
	DueAt      time.Time
	ReceivedAt time.Time
}

// MyWork is what waits for one user on the home page.
type MyWork struct {
	QuickWins   []WorkItem
	Initiatives []WorkItem
	FollowUps   []FollowUpItem
}

// Empty reports whether nothing waits.
func (w MyWork) Empty() bool {
	return len(w.QuickWins) == 0 && len(w.Initiatives) == 0 && len(w.FollowUps) == 0
}

// MyWorkLimit caps each list of MyWork; the full lists are a click away.
const MyWorkLimit = 5
