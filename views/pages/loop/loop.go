// Package loop holds the pages that close the loop across the bank (issue 17): the
// user's own follow-ups, the bell's notifications, mail preferences, the branch page
// and its meeting pack, and the admin's webhooks.
package loop

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/layout"
)

// MyPage is "My follow-ups".
type MyPage struct {
	layout.Page
	Items      []models.OwnedFollowUp
	Users      []models.User
	Categories []models.RefItem
	Now        time.Time
	Loc        *time.Location
	// Failed is the follow-up whose form was refused, with its problems.
	Failed int64
	Note   string
	Errors components.Errors
}

// Panel is the follow-up's owner and state on the feedback page.
type Panel struct {
	State    models.FollowUpState
	Owner    *models.User
	Employee *models.User
	Feedback models.Feedback
	CSRF     string
	Me       *models.User
	// CanWork says the user may take or try it.
	CanWork bool
	Loc     *time.Location
}

// NotificationsPage is the bell's list.
type NotificationsPage struct {
	layout.Page
	Items []models.Notification
	Loc   *time.Location
}

// PreferencesPage is the choice of mails.
type PreferencesPage struct {
	layout.Page
	Kinds []string
}

// WebhooksPage is the admin's webhook endpoints and the latest deliveries.
type WebhooksPage struct {
	layout.Page
	EnvURLs    []string
	Endpoints  []models.WebhookEndpoint
	Deliveries []models.WebhookDelivery
	Loc        *time.Location
	Form       EndpointForm
	Errors     components.Errors
}

// EndpointForm is the add-endpoint form as typed.
type EndpointForm struct {
	URL    string
	Events []string
}

// BranchPage is a branch's month; Pack prints it as the monthly meeting pack.
type BranchPage struct {
	layout.Page
	Report   *models.BranchMonth
	Branches []models.RefItem
	Prev     string
	Next     string
	Month    string
	Pack     bool
}

func itoa(n int) string   { return fmt.Sprint(n) }
func id64(n int64) string { return fmt.Sprint(n) }
func followHref(id int64, action string) string {
	return fmt.Sprintf("/follow-ups/%d/%s", id, action)
}
func feedbackHref(id int64) string { return fmt.Sprintf("/feedback/%d", id) }

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

func taken(st models.FollowUpState, me *models.User) bool {
	return me != nil && st.OwnerID != nil && *st.OwnerID == me.ID && st.ChangeAction != "created"
}

func ownedByOther(st models.FollowUpState, me *models.User) bool {
	return st.OwnerID != nil && (me == nil || *st.OwnerID != me.ID)
}

func notificationHref(n models.Notification) string {
	switch {
	case n.Kind == models.NotifyDetractor || n.Kind == models.NotifyDueSoon || n.Kind == models.NotifyAssigned:
		return "/my/follow-ups"
	case n.FeedbackID != nil:
		return feedbackHref(*n.FeedbackID)
	case n.ImprovementID != nil:
		return fmt.Sprintf("/improvements/%d", *n.ImprovementID)
	}
	return "/notifications"
}

func wants(u *models.User, kind string) bool { return u != nil && u.WantsMail(kind) }

func hours(ctx context.Context, h float64) string {
	if h < 0 {
		return "–"
	}
	return i18n.Number(ctx, h, 1)
}

func percent(ctx context.Context, v float64) string {
	if v < 0 {
		return "–"
	}
	return i18n.Percent(ctx, v)
}

func npsText(ctx context.Context, c models.NPSCounts) string { return components.FormatNPS(ctx, c) }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// IdeasPage is a user's own ideas and the form to propose one.
type IdeasPage struct {
	layout.Page
	Ideas  []models.Improvement
	Title  string
	Reason string
	Errors components.Errors
}
