package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
)

// columns reads the board's three columns as lists of card titles.
func columns(t *testing.T, d *goquery.Document) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, key := range []string{"queued", "in_progress", "implemented"} {
		out[key] = []string{}
		d.Find("[data-testid=column-" + key + "] [data-testid=card-title]").Each(func(_ int, s *goquery.Selection) {
			out[key] = append(out[key], strings.TrimSpace(s.Text()))
		})
	}
	return out
}

func cardVersion(t *testing.T, d *goquery.Document, id int64) string {
	t.Helper()
	v, ok := d.Find(fmt.Sprintf("[data-testid=card][data-id='%d'] input[name=version]", id)).First().Attr("value")
	if !ok {
		t.Fatalf("card %d has no version", id)
	}
	return v
}

func wantColumns(t *testing.T, step string, got map[string][]string, queued, inProgress, implemented string) {
	t.Helper()
	want := map[string]string{"queued": queued, "in_progress": inProgress, "implemented": implemented}
	for k, w := range want {
		if strings.Join(got[k], "|") != w {
			t.Errorf("%s: column %s = %q, want %q", step, k, strings.Join(got[k], "|"), w)
		}
	}
}

// TestBoardWalksQueuedToImplemented is acceptance 1 of the board issue: an item goes
// from queued to implemented through the board's routes, as plain posts and with htmx.
func TestBoardWalksQueuedToImplemented(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	st := a.user("st@example.com", steering)
	amb := a.user("amb@example.com", ambassador)
	fb := feedbackRow(t, a, intp(4), "Typo in the welcome e-mail", amb, "north")
	imp, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Fix welcome e-mail", Impact: 4,
		Effort: models.EffortXS, FeedbackIDs: []int64{fb}}, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Other typo", Impact: 1, Effort: models.EffortS}, st); err != nil {
		t.Fatal(err)
	}
	c := a.signIn("anna@example.com", quickwin)
	d := doc(t, c.get("/quick-wins"))
	wantColumns(t, "start", columns(t, d), "Fix welcome e-mail|Other typo", "", "")
	if n := d.Find("[data-testid=card][data-id='" + fmt.Sprint(imp.ID) + "'] [data-testid=customers]").Text(); !strings.Contains(n, "1 customer") {
		t.Errorf("customers on card: %q", n)
	}

	res := c.postForm(fmt.Sprintf("/quick-wins/%d/claim", imp.ID), url.Values{"version": {cardVersion(t, d, imp.ID)}})
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/quick-wins") {
		t.Fatalf("claim: %d", res.Code)
	}
	d = doc(t, c.get("/quick-wins?mine=1"))
	wantColumns(t, "claimed, mine", columns(t, d), "Fix welcome e-mail", "", "")
	if h := d.Find("[data-testid=holder]").Text(); h != "A" {
		t.Errorf("holder initials %q", h)
	}

	res = c.htmx(fmt.Sprintf("/quick-wins/%d/start", imp.ID), url.Values{"version": {cardVersion(t, d, imp.ID)}, "mine": {"1"}})
	if res.Code != http.StatusOK || res.Header().Get("Vary") != "HX-Request" {
		t.Fatalf("start with htmx: %d", res.Code)
	}
	d = doc(t, res)
	if d.Find("html").Length() > 0 && d.Find("header.topbar").Length() > 0 {
		t.Fatal("htmx got a whole page, want the board only")
	}
	wantColumns(t, "started", columns(t, d), "", "Fix welcome e-mail", "")
	if !strings.Contains(d.Find("[data-testid=board-flash]").Text(), "in progress") {
		t.Errorf("htmx confirmation: %q", d.Find("[data-testid=board-flash]").Text())
	}
	// The navigation's queued badge is updated along with the move: only "Other typo"
	// is still queued.
	badge := d.Find("#nav-count-quickwins[hx-swap-oob=true]")
	if badge.Length() != 1 || strings.TrimSpace(badge.Text()) != "1" {
		t.Errorf("queued badge after start: %d elements, text %q", badge.Length(), badge.Text())
	}

	res = c.postForm(fmt.Sprintf("/quick-wins/%d/finish", imp.ID), url.Values{"version": {cardVersion(t, d, imp.ID)}})
	if res.Code != http.StatusBadRequest || doc(t, res).Find("[data-testid=error-note]").Length() == 0 {
		t.Fatalf("finish without note: %d", res.Code)
	}
	res = c.postForm(fmt.Sprintf("/quick-wins/%d/finish", imp.ID), url.Values{"version": {cardVersion(t, d, imp.ID)},
		"note": {"Corrected the template in the mail system"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("finish: %d %s", res.Code, res.Body.String())
	}
	if flash := c.flashOf(res); !strings.Contains(flash, "implemented") {
		t.Errorf("flash %q", flash)
	}
	d = doc(t, c.get("/quick-wins"))
	wantColumns(t, "finished", columns(t, d), "Other typo", "", "Fix welcome e-mail")
	d = doc(t, c.get("/quick-wins?branch=north"))
	wantColumns(t, "branch filter", columns(t, d), "", "", "Fix welcome e-mail")

	led, err := a.store.ImplementedForAmbassador(ctx, amb.ID, 5)
	if err != nil || len(led) != 1 || led[0].Title != "Fix welcome e-mail" {
		t.Fatalf("ambassador's feedback led to: %+v %v", led, err)
	}
}

// TestBoardSimultaneousClaim is acceptance 2: of two claims at once exactly one wins;
// the other is told who holds the item.
func TestBoardSimultaneousClaim(t *testing.T) {
	a := newTestApp(t)
	st := a.user("st@example.com", steering)
	imp, _ := a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Typo", Impact: 3, Effort: models.EffortXS}, st)
	clients := []*client{a.signIn("anna@example.com", quickwin), a.signIn("bo@example.com", quickwin)}
	for _, c := range clients {
		c.csrf()
	}
	results := make([]*httptest.ResponseRecorder, 2)
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			results[i] = c.postForm(fmt.Sprintf("/quick-wins/%d/claim", imp.ID), url.Values{"version": {"1"}})
		})
	}
	wg.Wait()
	won, lost := 0, 0
	for _, res := range results {
		switch res.Code {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
			lost++
			msg := doc(t, res).Find("[data-testid=flash-error]").Text()
			if !strings.Contains(msg, "already holds") || !(strings.Contains(msg, "anna") || strings.Contains(msg, "bo")) {
				t.Errorf("loser's message %q", msg)
			}
		default:
			t.Errorf("claim: %d", res.Code)
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("%d won, %d lost", won, lost)
	}
	got, _ := a.store.ImprovementByID(context.Background(), imp.ID)
	if got.Assignee == nil || got.Version != 2 {
		t.Fatalf("after claims: %+v", got)
	}
}

// TestBoardEscalationNeedsReason is acceptance 3: escalating needs a reason and puts
// the item into review on the steering track.
func TestBoardEscalationNeedsReason(t *testing.T) {
	a := newTestApp(t)
	st := a.user("st@example.com", steering)
	imp, _ := a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Website error", Impact: 3, Effort: models.EffortS}, st)
	c := a.signIn("qw@example.com", quickwin)
	path := fmt.Sprintf("/quick-wins/%d/escalate", imp.ID)
	res := c.htmx(path, url.Values{"version": {"1"}, "reason": {"  "}})
	if res.Code != http.StatusBadRequest || doc(t, res).Find("[data-testid=error-reason]").Length() == 0 {
		t.Fatalf("escalate without reason: %d", res.Code)
	}
	got, _ := a.store.ImprovementByID(context.Background(), imp.ID)
	if got.Status != models.StatusQueued || got.Version != 1 {
		t.Fatalf("changed without a reason: %+v", got)
	}
	res = c.postForm(path, url.Values{"version": {"1"}, "reason": {"Needs a change to the core banking system"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("escalate: %d", res.Code)
	}
	got, _ = a.store.ImprovementByID(context.Background(), imp.ID)
	if got.Status != models.StatusReview || got.Track != models.TrackSteering || got.TrackReason == nil {
		t.Fatalf("escalated: %+v", got)
	}
	review, _ := a.store.ListImprovements(context.Background(), models.ImprovementFilter{Status: models.StatusReview, Track: models.TrackSteering}, "", 10)
	if len(review.Items) != 1 || review.Items[0].ID != imp.ID {
		t.Fatalf("review queue: %+v", review.Items)
	}
	if cols := columns(t, doc(t, c.get("/quick-wins"))); len(cols["queued"])+len(cols["in_progress"]) != 0 {
		t.Fatalf("escalated item still on the board: %v", cols)
	}
}
