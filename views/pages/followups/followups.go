// Package followups holds the detractor follow-up queue and the follow-up form that
// the queue and the feedback page share.
package followups

import (
	"fmt"
	"github.com/a-h/templ"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/layout"
)

// Form is the input of the follow-up form, kept as typed.
type Form struct {
	Note, Goodwill, RootCause string
}

// Item is one feedback in the queue with its form.
type Item struct {
	Feedback models.Feedback
	Form     Form
	Errors   components.Errors
	// Remaining is the branch's goodwill left this month when an amount was refused.
	Remaining models.Money
	// Open shows the form expanded (after a failed post).
	Open bool
	// From is "feedback" when the form sits on the feedback's own page, so a plain
	// post returns there.
	From string
}

// Context is what every row needs besides its item.
type Context struct {
	CSRF       string
	Now        time.Time
	Loc        *time.Location
	Categories []models.RefItem
}

// IndexPage is the follow-up queue.
type IndexPage struct {
	layout.Page
	Items []Item
	Ctx   Context
}

func actionHref(id int64) string { return fmt.Sprintf("/feedback/%d/follow-up", id) }

func feedbackHref(id int64) string { return fmt.Sprintf("/feedback/%d", id) }

func rowID(id int64) string { return fmt.Sprintf("fu-%d", id) }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func refName(it *models.RefItem) string {
	if it == nil {
		return ""
	}
	return it.Name
}

func score(f models.Feedback) string {
	if f.NPS == nil {
		return ""
	}
	return fmt.Sprint(*f.NPS)
}

func idText(n int64) string { return fmt.Sprint(n) }

func fid(name string, it Item) string { return fmt.Sprintf("f-%s-%d", name, it.Feedback.ID) }

func eid(name string, it Item) string { return fmt.Sprintf("e-%s-%d", name, it.Feedback.ID) }

// invalid ties a control to its error message for screen readers.
func invalid(name string, it Item) templ.Attributes {
	if it.Errors[name] == "" {
		return templ.Attributes{}
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": eid(name, it)}
}
