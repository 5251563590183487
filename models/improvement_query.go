package models

import (
	"time"
)

// ImprovementFilter narrows the improvement list. Zero fields do not filter.
type ImprovementFilter struct {
	Track            Track
	Status           Status
	CategoryID       *int64
	FunctionalAreaID *int64
	OwnerID          *int64
	// Year keeps improvements created or implemented in that calendar year (in the
	// store's time zone): "this year's improvements" to a reader means both the ones
	// raised and the ones delivered, and an item raised last year and implemented this
	// year belongs to this year's goal.
	Year int
	// Open keeps only improvements not yet implemented or rejected.
	Open bool
}

// ImprovementPage is one page of the improvement list.
type ImprovementPage struct {
	Items []Improvement
	// Next is the cursor of the following page, empty on the last.
	Next string
}

// FeedbackTally is how many customers an improvement answers, and how many of them
// were detractors and promoters.
type FeedbackTally struct {
	Customers, Detractors, Promoters int
}

// LinkedFeedback is one customer's feedback as an improvement page quotes it.
type LinkedFeedback struct {
	ID              int64
	ReceivedAt      time.Time
	Comment         string
	NPS             *int
	NPSGroup        string
	BranchName      string
	ChannelName     string
	CustomerConsent bool
	LoggedByID      *int64
}

// Tally counts customers, detractors and promoters in a list of linked feedback.
func Tally(list []LinkedFeedback) FeedbackTally {
	t := FeedbackTally{Customers: len(list)}
	for _, f := range list {
		switch NPSGroup(f.NPSGroup) {
		case GroupDetractor:
			t.Detractors++
		case GroupPromoter:
			t.Promoters++
		}
	}
	return t
}

// ImprovementEdit is a change of an improvement's description and sizing, based on
// the version the editor saw.
type ImprovementEdit struct {
	Version            int
	Title, Description string
	CategoryID         *int64
	Impact             int
	Effort             Effort
}

// MatrixCell is one cell of the impact/effort matrix.
type MatrixCell struct {
	Impact int
	Effort Effort
	// Quick marks the quick-win zone: efforts the routing rule sends to the quick-win team.
	Quick bool
	Items []Improvement
}

// BuildMatrix places improvements on a 5 × 5 grid: rows by impact from 5 down to 1,
// columns by effort from XS to XL, each cell by priority as the list came. Items with
// an impact or effort off the scales are left out.
func BuildMatrix(items []Improvement, threshold Effort) [][]MatrixCell {
	if threshold.Rank() == 0 {
		threshold = DefaultRoutingThreshold
	}
	grid := make([][]MatrixCell, 5)
	for r := range grid {
		impact := 5 - r
		grid[r] = make([]MatrixCell, len(Efforts))
		for c, e := range Efforts {
			grid[r][c] = MatrixCell{Impact: impact, Effort: e, Quick: e.Rank() <= threshold.Rank()}
		}
	}
	for _, it := range items {
		if !ValidImpact(it.Impact) || it.Effort.Rank() == 0 {
			continue
		}
		cell := &grid[5-it.Impact][it.Effort.Rank()-1]
		cell.Items = append(cell.Items, it)
	}
	return grid
}
