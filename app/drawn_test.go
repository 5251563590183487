package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
)

// A kept first page's rows are drawn once a second for all its readers (models.Drawings):
// each reader still gets them in their own language, a reader's own new feedback is on
// their next page within the same second, and the drawing follows the clock: the row
// that falls overdue is marked the second after.
func TestKeptListRowsAreDrawnPerLanguageOwnWriteAndSecond(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	da := a.signInSpeaking("da@example.com", "da", ambassador)
	en := a.signIn("en@example.com", ambassador)
	now := time.Now().Truncate(time.Second)
	if _, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: fbScore(2),
		Comment: "Rådgiveren ringede aldrig", ReceivedAt: now.Add(-25 * time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	rows := func(c *client) string {
		t.Helper()
		res := c.get("/feedback?q=" + url.QueryEscape("rådgiver"))
		if res.Code != http.StatusOK {
			t.Fatalf("list: %d", res.Code)
		}
		return doc(t, res).Find("tbody").Text()
	}
	a.clockAt(now.Add(-2*time.Hour), func() {
		// Due a day after receipt: one hour left.
		if got := rows(en); !strings.Contains(got, "Detractor") || strings.Contains(got, "Kritiker") {
			t.Errorf("English reader's rows: %q", got)
		}
		if got := rows(da); !strings.Contains(got, "Kritiker") || strings.Contains(got, "Detractor") {
			t.Errorf("Danish reader's rows, drawn in the same second as the English ones: %q", got)
		}
		res := en.postForm("/feedback/new", url.Values{"nps": {"9"}, "channel": {"web"},
			"comment": {"Min rådgiver er god"}, "then": {"another"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("post: %d", res.Code)
		}
		if got := rows(en); !strings.Contains(got, "Min rådgiver er god") {
			t.Errorf("own feedback missing from the next page in the same second: %q", got)
		}
	})
	overdue := func() int {
		res := en.get("/feedback?q=" + url.QueryEscape("rådgiver"))
		return doc(t, res).Find("tr.overdue").Length()
	}
	due := now.Add(-time.Hour)
	a.clockAt(due.Add(-time.Second), func() {
		if n := overdue(); n != 0 {
			t.Errorf("a second before the due time: %d rows overdue, want 0", n)
		}
	})
	a.clockAt(due.Add(time.Second), func() {
		if n := overdue(); n != 1 {
			t.Errorf("a second after the due time: %d rows overdue, want 1", n)
		}
	})
}

// The trend of several years is drawn once for all its readers in one language while
// its figures are the same (components.KeptTrend): a response this month is on the
// responder's next dashboard and yearly report at once, and each language has its own.
func TestKeptTrendFollowsThisMonthAndLanguage(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	a.feedbackAt(amb, cphTime(2026, time.February, 3, 12, 0), models.NewFeedback{NPS: score(9), Comment: "z"})
	a.store.Now = func() time.Time { return cphTime(2026, time.March, 10, 12, 0) }
	en := a.signIn("en@example.com", ambassador)
	da := a.signInSpeaking("da@example.com", "da", ambassador)
	points := func(c *client, path string) string {
		t.Helper()
		res := c.get(path)
		if res.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, res.Code)
		}
		var titles []string
		doc(t, res).Find(`[data-testid="nps-trend"] circle.trend-point title`).Each(func(_ int, s *goquery.Selection) {
			titles = append(titles, s.Text())
		})
		return strings.Join(titles, " | ")
	}
	for _, path := range []string{"/", "/reports?kind=year&period=2026"} {
		if got := points(en, path); !strings.Contains(got, "from 1 responses") || strings.Contains(got, "Mar") {
			t.Errorf("%s in English before March's response: %q", path, got)
		}
		if got := points(da, path); !strings.Contains(got, "af 1 besvarelser") {
			t.Errorf("%s in Danish, drawn after the English: %q", path, got)
		}
	}
	res := en.postForm("/feedback/new", url.Values{"nps": {"10"}, "channel": {"web"}, "comment": {"Ventetid"}, "then": {"another"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("post: %d", res.Code)
	}
	for _, path := range []string{"/", "/reports?kind=year&period=2026"} {
		if got := points(en, path); !strings.Contains(got, "Mar 2026: NPS 100.0 from 1 responses") {
			t.Errorf("%s after the responder's own response in March: %q", path, got)
		}
	}
}

// The yearly report's parts are drawn once per language for the report the store keeps:
// each reader gets them in their own language, and a response the reader gives in the
// year is in their next report's figures and in its follow-up card.
func TestKeptReportPartsFollowFiguresAndLanguage(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	a.feedbackAt(amb, cphTime(2026, time.February, 3, 12, 0), models.NewFeedback{NPS: score(9), Comment: "z"})
	a.store.Now = func() time.Time { return cphTime(2026, time.March, 10, 12, 0) }
	en := a.signIn("en@example.com", ambassador)
	da := a.signInSpeaking("da@example.com", "da", ambassador)
	report := func(c *client) (responses, followUp string) {
		t.Helper()
		res := c.get("/reports?kind=year&period=2026")
		if res.Code != http.StatusOK {
			t.Fatalf("report: %d", res.Code)
		}
		d := doc(t, res)
		return d.Find(`[data-testid="responses"]`).Text(), strings.Join(strings.Fields(d.Find(`[data-testid="report-followup"]`).Text()), " ")
	}
	if got, f := report(en); got != "1 response" || !strings.Contains(f, "No detractors") {
		t.Errorf("English report: %q, follow-up %q", got, f)
	}
	if got, f := report(da); got != "1 besvarelse" || !strings.Contains(f, "Ingen kritikere") {
		t.Errorf("Danish report, drawn after the English: %q, follow-up %q", got, f)
	}
	res := en.postForm("/feedback/new", url.Values{"nps": {"2"}, "channel": {"web"}, "comment": {"Ventetid"}, "then": {"another"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("post: %d", res.Code)
	}
	if got, f := report(en); got != "2 responses" || strings.Contains(f, "No detractors") {
		t.Errorf("English report after the reader's detractor: %q, follow-up %q", got, f)
	}
}

// The dashboard's parts that show only the improvements' figures (the goal with its
// chart, the split by track, category and area, the latest implemented) are drawn once
// per language for the figures the store keeps: each reader gets them in their
// language, and an improvement implemented is in every one of them on the
// implementer's next dashboard.
func TestKeptDashboardPartsFollowImprovementsAndLanguage(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	lead := a.signIn("lead@example.com", steering, quickwin)
	da := a.signInSpeaking("da@example.com", "da", ambassador)
	type parts struct{ chart, quickWins, latest string }
	dashboard := func(c *client) parts {
		t.Helper()
		d := doc(t, c.get("/"))
		return parts{chart: d.Find(`[data-testid="goal-chart"] desc`).Text(),
			quickWins: strings.TrimSpace(d.Find(`[data-testid="split-track"] td.num`).First().Text()),
			latest:    strings.Join(strings.Fields(d.Find(`[data-testid="latest"] h3`).Text()), " ")}
	}
	if got := dashboard(lead); !strings.HasPrefix(got.chart, "0 of 50 implemented") || got.quickWins != "0" || got.latest != "" {
		t.Errorf("English dashboard: %+v", got)
	}
	if got := dashboard(da); !strings.HasPrefix(got.chart, "0 af 50 gennemført") {
		t.Errorf("Danish goal chart, drawn after the English: %q", got.chart)
	}
	me, err := a.store.UserByEmail(ctx, "lead@example.com")
	if err != nil {
		t.Fatal(err)
	}
	a.implementAt(me, "Ring tilbage samme dag", models.EffortXS, time.Now())
	if got := dashboard(lead); !strings.HasPrefix(got.chart, "1 of 50 implemented") || got.quickWins != "1" || got.latest != "Ring tilbage samme dag" {
		t.Errorf("after implementing one: %+v", got)
	}
}

// The list's filter bar is drawn once for all readers of a kept page, yet shows what
// each asked for: a user renamed is in the "logged by" choices of the renamer's next
// page, though the page's rows are kept (the rename touched no feedback), and the
// filter typed is the one shown.
func TestKeptFilterBarFollowsChoicesAndFilter(t *testing.T) {
	a := newTestApp(t)
	admin := a.signIn("admin@example.com", adminRole, steering)
	amb := a.user("amb@example.com", ambassador)
	if _, err := a.store.CreateFeedback(context.Background(), models.NewFeedback{Channel: "phone", NPS: fbScore(9),
		Comment: "Rådgiveren var god", ReceivedAt: time.Now().Add(-time.Hour)}, amb); err != nil {
		t.Fatal(err)
	}
	loggedBy := func(path string) string {
		t.Helper()
		res := admin.get(path)
		if res.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, res.Code)
		}
		return doc(t, res).Find(`#f-logged_by`).Text()
	}
	path := "/feedback?q=" + url.QueryEscape("rådgiver")
	if got := loggedBy(path); !strings.Contains(got, amb.Name) {
		t.Fatalf("logged-by choices %q lack %q", got, amb.Name)
	}
	res := admin.postForm("/admin/users/"+itoa64(amb.ID), url.Values{"name": {"Birgitte Ny"},
		"roles": {ambassador}, "lang": {"en"}, "active": {"on"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("rename: %d %s", res.Code, res.Body.String())
	}
	if got := loggedBy(path); !strings.Contains(got, "Birgitte Ny") {
		t.Errorf("after the rename, the renamer's list offers %q", got)
	}
	// "07" and "7" are one filter, so one kept page; the bar shows each as typed.
	selected := func(id string) string {
		d := doc(t, admin.get(path+"&logged_by="+id))
		return d.Find(`#f-logged_by option[selected]`).AttrOr("value", "")
	}
	id := itoa64(amb.ID)
	if got := selected(id); got != id {
		t.Errorf("logged_by=%s: the bar selects %q", id, got)
	}
	if got := selected("0" + id); got != "" {
		t.Errorf("logged_by=0%s, drawn after logged_by=%s: the bar selects %q, as if the other was typed", id, id, got)
	}
}

// The board's columns are drawn once for the quick-win team (components.KeptForms), and
// each member still gets forms that work for them alone: their own CSRF token in every
// card's form, which the move then accepts; "start" on a held card offered to its
// holder only; a refused move shown on its card to the one it was refused, and gone
// from their next board.
func TestKeptBoardFormsAreEachReadersOwn(t *testing.T) {
	a := newTestApp(t)
	st := a.user("st@example.com", steering)
	imp, err := a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Typo in the letter", Impact: 3, Effort: models.EffortXS}, st)
	if err != nil {
		t.Fatal(err)
	}
	anna := a.signIn("anna@example.com", quickwin)
	bo := a.signIn("bo@example.com", quickwin)
	card := fmt.Sprintf("[data-testid=card][data-id='%d'] ", imp.ID)
	board := func(who string, c *client) *goquery.Document {
		t.Helper()
		res := c.get("/quick-wins")
		if res.Code != http.StatusOK {
			t.Fatalf("%s's board: %d", who, res.Code)
		}
		d := doc(t, res)
		tokens := d.Find("[data-testid=card] input[name=_csrf]")
		if tokens.Length() == 0 {
			t.Fatalf("%s's board has no card forms", who)
		}
		tokens.Each(func(_ int, s *goquery.Selection) {
			if s.AttrOr("value", "") != c.csrf() {
				t.Errorf("%s's card form carries another token", who)
			}
		})
		return d
	}
	board("Anna", anna)
	d := board("Bo", bo)
	// Bo posts the claim form exactly as his board drew it, token included.
	form := url.Values{}
	d.Find(card + "[data-testid=move-claim] input").Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/quick-wins/%d/claim", imp.ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := bo.do(req); res.Code != http.StatusSeeOther {
		t.Fatalf("Bo's claim with his board's form: %d %s", res.Code, res.Body.String())
	}
	if n := board("Bo", bo).Find(card + "[data-testid=move-start]").Length(); n != 1 {
		t.Errorf("Bo, who holds the card, is offered %d starts, want 1", n)
	}
	d = board("Anna", anna)
	if n := d.Find(card + "[data-testid=move-start]").Length(); n != 0 {
		t.Errorf("Anna is offered to start Bo's card")
	}
	if got := d.Find(card + "[data-testid=holder]").Text(); got != "B" {
		t.Errorf("holder on Anna's board: %q", got)
	}
	res := anna.postForm(fmt.Sprintf("/quick-wins/%d/escalate", imp.ID), url.Values{"version": {cardVersion(t, d, imp.ID)}})
	if res.Code != http.StatusBadRequest || doc(t, res).Find(card+"[data-testid=error-reason]").Length() != 1 {
		t.Fatalf("escalation without a reason: %d, want 400 with the problem on the card", res.Code)
	}
	for who, c := range map[string]*client{"Anna": anna, "Bo": bo} {
		if n := board(who, c).Find("[data-testid=error-reason]").Length(); n != 0 {
			t.Errorf("%s's next board still shows the refused escalation", who)
		}
	}
}

// signInSpeaking creates a user holding roles who reads the app in lang, and signs
// them in.
func (a *testApp) signInSpeaking(email, lang string, roles ...string) *client {
	a.t.Helper()
	u := a.user(email, roles...)
	if err := a.store.SetLanguage(context.Background(), u.ID, lang); err != nil {
		a.t.Fatal(err)
	}
	return a.signIn(email)
}
