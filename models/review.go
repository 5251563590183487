package models

import (
	"time"
)

// LinkedQuote is one piece of feedback linked to an improvement, as the steering group reads
// it: what the customer said, their NPS group and the branch.
type LinkedQuote struct {
	ImprovementID int64
	FeedbackID    int64
	Comment       string
	NPS           *int
	NPSGroup      *string
	Branch        string
	ReceivedAt    time.Time
}

// Group returns the quote's NPS group, or "" when the customer gave no score.
func (q LinkedQuote) Group() string {
	if q.NPSGroup == nil {
		return ""
	}
	return *q.NPSGroup
}

// ReviewItem is an improvement awaiting the steering group's decision, with the
// feedback that led to it.
type ReviewItem struct {
	Improvement
	Quotes []LinkedQuote
}
