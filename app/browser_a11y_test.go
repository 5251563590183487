package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// The main pages, with content in them and their folded forms opened, have no serious
// or critical accessibility problems by axe-core.
func TestBrowserAccessibility(t *testing.T) {
	a := newTestApp(t)
	u := a.user("everyone@example.com", adminRole, ambassador, steering, quickwin)
	ids := seedAccessibility(t, a, u)
	a.token(u) // the token list shows a row with its revoke button

	b := newBrowser(t, a, 1280, 900)
	b.open("/login")
	b.checkAccessibility("sign-in")
	b.signIn("everyone@example.com", modeltest.Password)

	pages := []struct {
		name, path string
		// open is clicked first, to unfold what the page folds away.
		open []string
	}{
		{"home", "/", nil},
		{"log feedback", "/feedback/new", []string{`details summary`}},
		{"feedback list", "/feedback", nil},
		{"follow-ups", "/follow-ups", []string{`[data-testid="followup"] summary`}},
		{"triage", "/triage", nil},
		{"improvement", fmt.Sprintf("/improvements/%d", ids.review), nil},
		{"quick-win board", "/quick-wins", []string{`[data-testid="column-in_progress"] details summary`}},
		{"steering", "/steering", []string{`[data-testid="quotes"] summary`}},
		{"meeting", fmt.Sprintf("/steering/meetings/%d", ids.meeting), nil},
		{"reports", "/reports", nil},
		{"you said, we did", "/you-said-we-did", nil},
		{"admin users", "/admin/users", nil},
		{"admin tokens", "/admin/tokens", nil},
	}
	for _, p := range pages {
		b.open(p.path)
		for _, sel := range p.open {
			b.click(sel)
		}
		b.screenshot(p.name)
		b.checkAccessibility(p.name)
	}

	// Forms showing their problems: messages tied to their controls.
	b.open("/feedback/new")
	b.click(`[data-testid="feedback-form"] button[name="then"][value="show"]`)
	b.waitFor(`[data-testid="feedback-form"] .error`)
	b.screenshot("log feedback with errors")
	b.checkAccessibility("log feedback with errors")
	b.open(fmt.Sprintf("/improvements/new?feedback=%d", ids.feedback))
	b.click(`[data-testid="new-improvement"] button[type="submit"]`)
	b.waitFor(`[data-testid="error-title"]`)
	b.screenshot("new improvement with errors")
	b.checkAccessibility("new improvement with errors")

	// The phone layout, with the menu unfolded, on the page ambassadors use most.
	phone := newBrowser(t, a, 390, 844)
	phone.signIn("everyone@example.com", modeltest.Password)
	phone.open("/feedback/new")
	phone.click(`label[data-menu-toggle]`)
	phone.waitFor(`nav#mainnav`)
	phone.screenshot("log feedback on a phone")
	phone.checkAccessibility("log feedback on a phone")
}

// a11yIDs are the seeded records whose pages are checked.
type a11yIDs struct {
	review, meeting, feedback int64
}

// seedAccessibility fills every checked page with some of everything: feedback of each
// group, a detractor to follow up, an item in review with a meeting, a quick win in
// progress and one implemented.
func seedAccessibility(t *testing.T, a *testApp, u *models.User) a11yIDs {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var fbIDs []int64
	for i, score := range []int{2, 8, 10, 5} {
		fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "survey", Branch: "city",
			Touchpoint: "mobile_app", NPS: &score, Comment: fmt.Sprintf("Comment number %d about the mobile app.", i+1),
			CustomerName: "Karen Jensen", CustomerEmail: "karen@example.com", Consent: true}, u)
		must(err)
		fbIDs = append(fbIDs, fb.ID)
	}
	review, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Clearer card delivery letters",
		Description: "Customers do not know when the new card arrives.", Impact: 4, Effort: models.Effort("M"),
		FeedbackIDs: fbIDs[:2]}, u)
	must(err)
	for i, title := range []string{"Fix the typo on the login page", "Larger buttons in the app"} {
		qw, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: title, Impact: 3,
			Effort: models.Effort("XS"), FeedbackIDs: fbIDs[2+i : 3+i]}, u)
		must(err)
		qw, err = a.store.TransitionImprovement(ctx, qw.ID, models.TransitionInput{To: models.StatusInProgress,
			Version: qw.Version}, u)
		must(err)
		if i == 0 {
			_, err = a.store.TransitionImprovement(ctx, qw.ID, models.TransitionInput{To: models.StatusImplemented,
				Version: qw.Version, Note: "Corrected the text on the login page."}, u)
			must(err)
		}
	}
	today := a.store.Today()
	held := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	m, err := a.store.CreateMeeting(ctx, models.NewMeeting{HeldOn: &held, AttendeeIDs: []int64{u.ID}}, u)
	must(err)
	return a11yIDs{review: review.ID, meeting: m.ID, feedback: fbIDs[3]}
}
