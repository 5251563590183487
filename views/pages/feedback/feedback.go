// Package feedback holds the pages of customer feedback: the form, the list, one
// feedback and the import.
package feedback

import (
	"context"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/layout"
	"github.com/improvementtracker/tracker/views/pages/followups"
	"github.com/improvementtracker/tracker/views/pages/loop"
)

// Form is the input of the feedback form, kept as typed so a failed post shows it again.
type Form struct {
	ReceivedAt, Channel, Touchpoint, Branch, Segment, NPS, Comment string
	CustomerName, CustomerEmail                                    string
	Consent                                                        bool
	// EmployeeEmail and CustomerPhone are issue 17's people on feedback.
	EmployeeEmail, CustomerPhone string
	// Resolved ("", "true", "false") and CSAT ("", "1".."5") are the service answers.
	Resolved, CSAT string
}

// NewPage is the view model of the feedback form.
type NewPage struct {
	layout.Page
	Form                            Form
	Errors                          components.Errors
	Channels, Touchpoints, Branches []models.RefItem
}

// Filter is the list's filter as it appears in the URL.
type Filter struct {
	From, To, Channel, Touchpoint, Branch, Segment, Group, Triage, LoggedBy, Q string
	Overdue                                                                    bool
}

// Chip is one active filter, with the link that removes it.
type Chip struct {
	Label, Value, RemoveHref string
}

// ListPage is the view model of the feedback list.
type ListPage struct {
	layout.Page
	Filter Filter
	Chips  []Chip
	Items  []models.Feedback
	// PartsFrom is the index in Items of the first feedback the search found only
	// inside longer words (a heading goes before it); -1 for none.
	PartsFrom                       int
	Count                           int
	Capped                          bool
	Now                             time.Time
	Loc                             *time.Location
	FirstHref, NextHref, ExportHref string
	// ExportXLSXHref is the same list as an Excel workbook.
	ExportXLSXHref                  string
	Channels, Touchpoints, Branches []models.RefItem
	Users                           []models.User
	// Drawn is the store's page's: set, the rows (keptRows) and the filter bar
	// (keptFilters) are drawn once for all who read that page in one language and
	// zone. Items must then be the page's rows as the store gave them.
	Drawn *models.Drawings
}

// ShowPage is the view model of one feedback.
type ShowPage struct {
	layout.Page
	Feedback     models.Feedback
	History      []models.HistoryEntry
	Improvements []models.LinkedImprovement
	Now          time.Time
	Loc          *time.Location
	// FollowUp is the follow-up form, when this user may record one.
	FollowUp   *followups.Item
	Categories []models.RefItem
	// ContactHidden says the reader's roles do not show customers' contacts.
	ContactHidden bool
	// Loop is the employee, phone and follow-up owner (issue 17).
	Loop FeedbackLoop
}

// FeedbackLoop is what issue 17 adds to the feedback page.
type FeedbackLoop struct {
	Employee *models.User
	Panel    *loop.Panel
}

// ImportPage is the upload form and, after an upload, its result.
type ImportPage struct {
	layout.Page
	CreateMissing bool
	// MayCreateMissing offers "create missing": reference data is the admin's.
	MayCreateMissing bool
	Error            string
	Result           *models.ImportResult
	FileName         string
}

var scores = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}

func npsClass(score int) string {
	return string(models.GroupOf(&score))
}

func itoa(n int) string { return strconv.Itoa(n) }

func id64(n int64) string { return strconv.FormatInt(n, 10) }

func feedbackHref(id int64) string { return "/feedback/" + strconv.FormatInt(id, 10) }

func refLabel(it *models.RefItem) string {
	if it == nil {
		return ""
	}
	return it.Name
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func group(f models.Feedback) string { return string(f.Group()) }

// excerpt cuts s after n characters (runes), marking the cut with an ellipsis. It
// walks the string rather than converting it to runes: the list calls it for each of
// its fifty rows, and the conversion was a twentieth of the page's rendering.
func excerpt(s string, n int) string {
	runes := 0
	for at := range s {
		if runes == n {
			return s[:at] + "…"
		}
		runes++
	}
	return s
}

func userName(u *models.User) string {
	if u == nil {
		return ""
	}
	return u.Name
}

// keptRows draws the list's rows at m.Now to the second, so that they are the same
// for every reader of the page in that second, language and zone, and draws them
// once for all of them (components.Kept).
func keptRows(m ListPage) templ.Component {
	m.Now = m.Now.Truncate(time.Second)
	return components.Kept(m.Drawn, "rows\x00"+m.Loc.String(), strconv.FormatInt(m.Now.Unix(), 10),
		func(context.Context) templ.Component { return feedbackRows(m) })
}

// keptFilters draws the filter bar once for all readers of the page in one language
// and zone whose filter and choices (reference lists, users) are the same.
func keptFilters(m ListPage) templ.Component {
	return components.Kept(m.Drawn, "filters", filtersVersion(m), func(context.Context) templ.Component { return filters(m) })
}

// filtersVersion names all the filter bar shows beyond its labels: the filter as typed,
// and each choice's code and name (each length first, so none can pose as another).
func filtersVersion(m ListPage) string {
	f := m.Filter
	b := make([]byte, 0, 1024)
	for _, v := range []string{f.From, f.To, f.Channel, f.Touchpoint, f.Branch, f.Segment, f.Group, f.Triage, f.LoggedBy, f.Q,
		strconv.FormatBool(f.Overdue)} {
		b = appendField(b, v)
	}
	for _, items := range [][]models.RefItem{m.Channels, m.Touchpoints, m.Branches} {
		b = append(strconv.AppendInt(b, int64(len(items)), 10), ';')
		for _, it := range items {
			b = appendField(appendField(b, it.Code), it.Name)
		}
	}
	for _, u := range m.Users {
		b = appendField(append(strconv.AppendInt(b, u.ID, 10), '='), u.Name)
	}
	return string(b)
}

func appendField(b []byte, s string) []byte {
	return append(append(strconv.AppendInt(b, int64(len(s)), 10), ':'), s...)
}
