package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
)

// The matrix shows the customer evidence beside impact × effort and sorts each cell
// by it on request.
func TestMatrixShowsAndSortsByEvidence(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	st := a.user("steer@example.com", steering)
	ctx := context.Background()
	var weak, strong []int64
	weak = append(weak, a.feedbackAt(amb, cphTime(2026, time.March, 1, 9, 0), models.NewFeedback{NPS: score(9), Comment: "ok", Segment: "private"}).ID)
	for i := range 3 {
		strong = append(strong, a.feedbackAt(amb, cphTime(2026, time.March, 2+i, 9, 0), models.NewFeedback{NPS: score(2), Comment: "bad", Segment: "business",
			CustomerName: "A", CustomerEmail: "same@example.dk", Consent: true}).ID)
	}
	strong = append(strong, a.feedbackAt(amb, cphTime(2026, time.March, 6, 9, 0), models.NewFeedback{NPS: score(1), Comment: "bad too", Segment: "private"}).ID)
	// Same impact and effort: the weak one was created first, so priority order puts it first.
	for _, n := range []models.NewImprovement{{Title: "Weak", Impact: 4, Effort: models.EffortM, FeedbackIDs: weak},
		{Title: "Strong", Impact: 4, Effort: models.EffortM, FeedbackIDs: strong}} {
		if _, err := a.store.CreateImprovement(ctx, n, st); err != nil {
			t.Fatal(err)
		}
	}
	c := a.signIn("steer@example.com")
	order := func(path string) []string {
		var out []string
		doc(t, c.get(path)).Find(`[data-testid="cell-4-M"] [data-testid="matrix-item"]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, strings.TrimSpace(s.Find("a").Text())+" | "+strings.Join(strings.Fields(s.Find(`[data-testid="evidence"]`).Text()), " "))
		})
		return out
	}
	got := order("/improvements/matrix")
	if len(got) != 2 || !strings.HasPrefix(got[0], "Weak") {
		t.Fatalf("priority order: %q", got)
	}
	// Four feedback from two customers (one e-mail three times), all detractors.
	if !strings.Contains(got[1], "Detractors: 4 · customers: 2 · private 1, business 3") {
		t.Errorf("evidence: %q", got[1])
	}
	if got := order("/improvements/matrix?sort=evidence"); len(got) != 2 || !strings.HasPrefix(got[0], "Strong") {
		t.Errorf("evidence order: %q", got)
	}
}

// Triage suggests open improvements with similar words before a duplicate is made.
func TestNewImprovementSuggestsSimilarOpenOnes(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	st := a.user("steer@example.com", steering)
	ctx := context.Background()
	for _, title := range []string{"Lavere gebyrer på kontoudtog", "Nyt kortdesign"} {
		if _, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: title, Impact: 3, Effort: models.EffortM}, st); err != nil {
			t.Fatal(err)
		}
	}
	fb := a.feedbackAt(amb, cphTime(2026, time.March, 1, 9, 0), models.NewFeedback{NPS: score(3), Comment: "Gebyrerne er alt for høje"})
	c := a.signIn("steer@example.com")
	d := doc(t, c.get("/improvements/new?feedback="+strconvFormat(fb.ID)))
	got := d.Find(`[data-testid="similar-improvement"]`)
	if got.Length() != 1 || !strings.Contains(got.Text(), "Lavere gebyrer") {
		t.Errorf("similar: %q", got.Text())
	}
}

// "Link to…" in triage shows the evidence of each improvement and orders by it.
func TestTriageLinkSortsByEvidence(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	st := a.user("steer@example.com", steering)
	ctx := context.Background()
	bad := a.feedbackAt(amb, cphTime(2026, time.March, 1, 9, 0), models.NewFeedback{NPS: score(1), Comment: "bad"})
	for _, n := range []models.NewImprovement{{Title: "High priority, no evidence", Impact: 5, Effort: models.EffortXS},
		{Title: "Low priority, a detractor", Impact: 1, Effort: models.EffortXL, FeedbackIDs: []int64{bad.ID}}} {
		if _, err := a.store.CreateImprovement(ctx, n, st); err != nil {
			t.Fatal(err)
		}
	}
	other := a.feedbackAt(amb, cphTime(2026, time.March, 2, 9, 0), models.NewFeedback{NPS: score(5), Comment: "other"})
	c := a.signIn("steer@example.com")
	first := func(query string) string {
		return doc(t, c.get("/triage/link?feedback="+strconvFormat(other.ID)+query)).Find(`[data-testid="link-results"] li`).First().Text()
	}
	if got := first(""); !strings.Contains(got, "High priority") {
		t.Errorf("priority order starts with %q", got)
	}
	if got := first("&sort=evidence"); !strings.Contains(got, "Low priority") || !strings.Contains(got, "Detractors: 1") {
		t.Errorf("evidence order starts with %q", got)
	}
}
