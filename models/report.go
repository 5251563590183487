package models

import (
	"slices"
	"time"
)

// ReasonsShown is how many reasons a report names each way (up and down) per dimension:
// with two dimensions that is at most eight lines a side on the printed page.
const ReasonsShown = 4

// RootCausesShown is how many root causes a report lists.
const RootCausesShown = 5

// Report is the one-page report of a month, quarter or year.
type Report struct {
	Period Period
	// Current, Previous and YearBefore are the NPS responses of the period, the period
	// just before it and the same period a year earlier.
	Current, Previous, YearBefore NPSCounts
	// Categories and Touchpoints explain the change of NPS against the previous period
	// (see NPSReasons).
	Categories, Touchpoints Reasons
	// RootCauses are the root causes recorded at follow-up of the period's feedback,
	// the ReasonsShown most frequent first.
	RootCauses []NameCount
	// Trend is the NPS of the 13 months up to the period's last month, oldest first.
	Trend []NPSMonth
	// Comment is the steering group's comment on the period (nil: none yet).
	Comment     *ReportComment
	FollowUp    FollowUpStats
	Implemented ImplementedStats
	// Goal is the goal of the period's year as it stood at the end of the period (or
	// today, for a period still running).
	Goal          *YearProgress
	Goodwill      []GoodwillSpent
	GoodwillTotal Money

	// Service and ServicePrevious are the first-contact resolution and CSAT of the
	// period and the one before; ServiceByTouchpoint splits the period's by touchpoint.
	Service, ServicePrevious ServiceCounts
	ServiceByTouchpoint      []TouchpointService
	// Savings add up the savings of the improvements implemented in the period.
	Savings SavingsTotals

	// Drawn keeps the views' drawings of the report while the store keeps it.
	Drawn *Drawings `json:"-"`
}

// NPSChange returns the change in NPS from before to now, in points; ok is false when
// either side has no responses, since a change from or to "no NPS" means nothing.
func NPSChange(now, before NPSCounts) (float64, bool) {
	a, okA := now.Score()
	b, okB := before.Score()
	if !okA || !okB {
		return 0, false
	}
	return a - b, true
}

// FollowUpStats measures how quickly the period's detractors were contacted.
type FollowUpStats struct {
	// Detractors received in the period, how many of them were followed up at all and
	// how many within FollowUpWindow of being received.
	Detractors, FollowedUp, Within int
	// Median is the median time from receipt to follow-up of those followed up.
	Median time.Duration
}

// WithinShare returns the share (0-100) of detractors followed up within the window;
// ok is false when the period had no detractors.
func (f FollowUpStats) WithinShare() (float64, bool) {
	if f.Detractors == 0 {
		return 0, false
	}
	return float64(f.Within) * 100 / float64(f.Detractors), true
}

// FollowUpFigures computes a period's follow-up figures from how many detractors it had
// and how long each of those followed up waited to be contacted (took, one per
// followed-up detractor; a contact recorded before the receipt counts as no wait).
func FollowUpFigures(detractors int, took []time.Duration) FollowUpStats {
	st := FollowUpStats{Detractors: detractors, FollowedUp: len(took)}
	waits := make([]time.Duration, len(took))
	for i, d := range took {
		waits[i] = max(d, 0)
		if waits[i] <= FollowUpWindow {
			st.Within++
		}
	}
	st.Median = median(waits)
	return st
}

// median returns the middle duration, or the mean of the two middle ones; 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[m]
	}
	return (ds[m-1] + ds[m]) / 2
}

// NameCount is a name with a count, for splits by category, area or branch.
type NameCount struct {
	Name  string
	Count int
}

// ImplementedStats counts the improvements implemented in a period.
type ImplementedStats struct {
	QuickWin, Steering int
	// ByCategory is sorted by count, largest first; Name "" means no category.
	ByCategory []NameCount
}

// Total returns the improvements implemented on both tracks.
func (i ImplementedStats) Total() int { return i.QuickWin + i.Steering }

// GoodwillSpent is the goodwill handed out by one branch in a period.
type GoodwillSpent struct {
	// Branch is the branch's name, "" for feedback without a branch.
	Branch string
	Amount Money
	// FollowUps is how many follow-ups spent goodwill.
	FollowUps int
}
