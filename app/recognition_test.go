package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

func TestPraiseAndRecognition(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	f1 := a.feedbackAt(amb, cphTime(2026, time.November, 3, 10, 0), models.NewFeedback{NPS: score(10), Comment: "Sofie in Aarhus was so helpful"})
	f2 := a.feedbackAt(amb, cphTime(2026, time.February, 3, 10, 0), models.NewFeedback{NPS: score(9), Comment: "Sofie explained everything"})
	f3 := a.feedbackAt(amb, cphTime(2026, time.November, 5, 10, 0), models.NewFeedback{NPS: score(3), Comment: "Nobody called back"})
	a.store.Now = func() time.Time { return cphTime(2026, time.November, 23, 12, 0) }
	c := a.signIn("amb@example.com")

	if d := doc(t, c.get("/recognition")); d.Find("[data-testid=candidates] form").Length() != 2 {
		t.Errorf("both promoters' comments should be offered for praise")
	}
	for _, f := range []*models.Feedback{f1, f2} {
		res := c.postForm(fmt.Sprintf("/feedback/%d/praise", f.ID), url.Values{"colleague": {"  Sofie   Nielsen "}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("praise: %d %s", res.Code, res.Body)
		}
	}
	res := c.postForm(fmt.Sprintf("/feedback/%d/praise", f3.ID), url.Values{"colleague": {"Ole"}})
	if res.Code != http.StatusBadRequest || doc(t, res).Find("[data-testid=error-colleague]").Length() != 1 {
		t.Errorf("praise on a detractor: %d, want 400 with the reason", res.Code)
	}
	if res := c.postForm(fmt.Sprintf("/feedback/%d/praise", f1.ID), url.Values{"colleague": {""}}); res.Code != http.StatusBadRequest {
		t.Errorf("empty name: %d", res.Code)
	}

	viewer := a.signIn("qw@example.com", quickwin)
	d := doc(t, viewer.get("/recognition"))
	month := d.Find("[data-testid=praised-month]")
	year := d.Find("[data-testid=praised-year]")
	if got := strings.TrimSpace(month.Find("[data-testid=colleague-name]").Text()); got != "Sofie Nielsen" {
		t.Errorf("this month: %q", got)
	}
	if got := strings.TrimSpace(month.Find("[data-testid=colleague-count]").Text()); got != "1 praise" {
		t.Errorf("this month's count: %q", got)
	}
	if got := strings.TrimSpace(year.Find("[data-testid=colleague-count]").Text()); got != "2 praises" {
		t.Errorf("this year's count: %q", got)
	}
	if !strings.Contains(year.Text(), "explained everything") {
		t.Error("the year should quote the customers")
	}
	if d.Find("[data-testid=candidates]").Length() != 0 {
		t.Error("a quick-win member cannot mark praise, so no forms")
	}
	h, err := a.store.History(t.Context(), "feedback", f1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := h[len(h)-1]; last.Action != "praised" || last.ToValue != "Sofie Nielsen" {
		t.Errorf("history: %+v", last)
	}
}
