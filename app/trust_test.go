package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/seed"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// visibleText is what a person reads on a page: the text of its head's title and body
// (without scripts and styles) and the attributes browsers show (tooltips, labels of
// icons, placeholders, button values).
func visibleText(d *goquery.Document) string {
	d.Find("script, style, template").Remove()
	var b strings.Builder
	b.WriteString(d.Find("title").Text())
	b.WriteString("\n")
	b.WriteString(d.Find("body").Text())
	d.Find("[title], [aria-label], [placeholder], [alt], input[type=submit][value]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"title", "aria-label", "placeholder", "alt", "value"} {
			if v, ok := s.Attr(attr); ok && (attr != "value" || goquery.NodeName(s) == "input") {
				b.WriteString("\n" + v)
			}
		}
	})
	return b.String()
}

// messageIDShape finds words shaped like catalog ids ("report.then").
var messageIDShape = regexp.MustCompile(`[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+`)

// crawlKey groups the URLs of one page kind: the path with numbers replaced, so a crawl
// visits a few feedback, not all of them.
var digits = regexp.MustCompile(`[0-9]+`)

func crawlKey(u *url.URL) string { return digits.ReplaceAllString(u.Path, "N") }

// crawlPerKind and crawlPages bound the crawl of one user.
const (
	crawlPerKind = 2
	crawlPages   = 90
)

// crawl follows every internal link from the home page, breadth first, and calls visit
// with each page's path and body; it fails on any answer but 200.
func crawl(t *testing.T, c *client, visit func(path string, res *goquery.Document)) int {
	t.Helper()
	seen := map[string]bool{}
	perKind := map[string]int{}
	queue := []string{"/"}
	pages := 0
	for len(queue) > 0 && pages < crawlPages {
		path := queue[0]
		queue = queue[1:]
		res := c.get(path)
		if res.Code != http.StatusOK {
			t.Errorf("GET %s: %d", path, res.Code)
			continue
		}
		pages++
		ct := res.Header().Get("Content-Type")
		if !strings.HasPrefix(ct, "text/html") {
			// Exports: their text is read as is.
			d, _ := goquery.NewDocumentFromReader(strings.NewReader("<body><pre>" + res.Body.String() + "</pre></body>"))
			visit(path, d)
			continue
		}
		d := doc(t, res)
		d.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			u, err := url.Parse(href)
			if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "/static/") ||
				strings.HasPrefix(u.Path, "/api/") {
				return
			}
			u.Fragment = ""
			next := u.RequestURI()
			if seen[next] {
				return
			}
			seen[next] = true
			if k := crawlKey(u); perKind[k] < crawlPerKind {
				perKind[k]++
				queue = append(queue, next)
			}
		})
		visit(path, d)
	}
	return pages
}

// demoApp is a test app filled with the demo year, its clock at the end of November 2026.
func demoApp(t *testing.T) *testApp {
	t.Helper()
	a := newTestApp(t)
	now := cphTime(2026, time.November, 30, 12, 0)
	a.store.Now = func() time.Time { return now }
	if _, err := seed.FillDemo(context.Background(), a.store); err != nil {
		t.Fatal(err)
	}
	return a
}

// signInAs signs a demo user in with the demo password, in a language.
func (a *testApp) signInAs(email, lang string) *client {
	a.t.Helper()
	ctx := context.Background()
	u, err := a.store.UserByEmail(ctx, email)
	if err != nil {
		a.t.Fatal(err)
	}
	if err := a.store.SetLanguage(ctx, u.ID, lang); err != nil {
		a.t.Fatal(err)
	}
	c := a.client()
	res := c.postForm("/login", url.Values{"email": {email}, "password": {seed.DemoPassword}})
	if res.Code != http.StatusSeeOther {
		a.t.Fatalf("sign in %s: status %d", email, res.Code)
	}
	return c
}

// englishLabels are the app's English texts of three words or more that differ from
// their Danish translation: on a Danish user's page each is a label left in English.
var englishLabels = func() []string {
	en, da := i18n.For("en"), i18n.For("da")
	ids, err := i18n.MessageIDs("en")
	if err != nil {
		panic(err)
	}
	var out []string
	for id := range ids {
		s := en.T(id)
		if s == id || strings.Contains(s, "{{") || strings.Contains(s, "<") || len(strings.Fields(s)) < 3 || s == da.T(id) {
			continue
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}()

// TestCrawlShowsNoMessageIDs signs in as a user of each role in each language, follows
// the links from the home page, and fails on any catalog message id in what a person
// reads: a missing plural form, a missing message or a raw history field shows as one.
func TestCrawlShowsNoMessageIDs(t *testing.T) {
	a := demoApp(t)
	ids, err := i18n.MessageIDs("en")
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]string{"admin": "admin@demo.dk", "ambassador": "mette@demo.dk", "quickwin": "sofie@demo.dk",
		"steering": "karen@demo.dk"}
	roles := make([]string, 0, len(users))
	for r := range users {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	for _, role := range roles {
		for _, lang := range i18n.Languages {
			t.Run(role+"/"+lang, func(t *testing.T) {
				c := a.signInAs(users[role], lang)
				found := map[string][]string{}
				english := map[string][]string{}
				n := crawl(t, c, func(path string, d *goquery.Document) {
					text := visibleText(d)
					for _, w := range messageIDShape.FindAllString(text, -1) {
						if ids[w] && len(found[w]) < 3 {
							found[w] = append(found[w], path)
						}
					}
					if lang == "da" {
						for _, label := range englishLabels {
							if strings.Contains(text, label) && len(english[label]) < 3 {
								english[label] = append(english[label], path)
							}
						}
					}
				})
				for label, paths := range english {
					t.Errorf("English label %q on a Danish page: %v", label, paths)
				}
				t.Logf("%d pages", n)
				if n < 15 {
					t.Errorf("the crawl reached only %d pages", n)
				}
				for id, paths := range found {
					t.Errorf("message id %q on %v", id, paths)
				}
			})
		}
	}
}

// TestOneClock: one feedback, received at 00:30 in Copenhagen (23:30 the evening before
// in UTC), shows that date and time on every page that shows it, in both languages.
func TestOneClock(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador, steering)
	at := cphTime(2026, time.March, 2, 0, 30)
	f := a.feedbackAt(amb, at, models.NewFeedback{NPS: score(3), Comment: "The branch was closed"})
	a.store.Now = func() time.Time { return cphTime(2026, time.March, 2, 10, 0) }
	want := map[string]string{"en": "2 Mar 2026 00:30", "da": "2. mar. 2026 00.30"}
	wantDate := map[string]string{"en": "2 Mar 2026", "da": "2. mar. 2026"}
	for _, lang := range i18n.Languages {
		if err := a.store.SetLanguage(context.Background(), amb.ID, lang); err != nil {
			t.Fatal(err)
		}
		c := a.signIn("amb@example.com")
		for _, path := range []string{"/feedback/" + strconvFormat(f.ID), "/feedback", "/triage"} {
			if txt := visibleText(doc(t, c.get(path))); !strings.Contains(txt, want[lang]) {
				t.Errorf("%s (%s) does not show %q", path, lang, want[lang])
			}
		}
	}
	imp := a.implementAt(amb, "Open the branch on time", models.EffortXS, at.Add(2*time.Hour), f.ID)
	_ = imp
	// The improvement was created at 23:30 the evening before (an hour before it was
	// implemented at 02:30): its history must show Copenhagen's clock.
	wantHistory := map[string]string{"en": "2 Mar 2026 01:30", "da": "2. mar. 2026 01.30"}
	for _, lang := range i18n.Languages {
		if err := a.store.SetLanguage(context.Background(), amb.ID, lang); err != nil {
			t.Fatal(err)
		}
		c := a.signIn("amb@example.com")
		if txt := visibleText(doc(t, c.get("/improvements/"+strconvFormat(imp.ID)))); !strings.Contains(txt, wantHistory[lang]) {
			t.Errorf("improvement history (%s) does not show %q", lang, wantHistory[lang])
		}
		if txt := visibleText(doc(t, c.get("/"))); !strings.Contains(txt, wantDate[lang]) {
			t.Errorf("home's \"led to\" (%s) does not show %q", lang, wantDate[lang])
		}
	}
}

// TestErrorPagesInDanish: the 403, 404, 413 and 429 pages are in the reader's language,
// whether the user is known (signed in) or only their browser's choice is.
func TestErrorPagesInDanish(t *testing.T) {
	a := newTestAppWith(t, func(cfg *Config) { cfg.BodyLimit = "1K"; cfg.LoginBurst = 1; cfg.LoginRate = 0.001 })
	u := a.user("amb@example.com", ambassador)
	if err := a.store.SetLanguage(context.Background(), u.ID, "da"); err != nil {
		t.Fatal(err)
	}
	c := a.signIn("amb@example.com")
	title := func(res *httptest.ResponseRecorder) string {
		return strings.TrimSpace(doc(t, res).Find("h1").First().Text())
	}
	if res := c.get("/no-such-page"); res.Code != http.StatusNotFound || title(res) != "Ikke fundet" {
		t.Errorf("404: %d %q", res.Code, title(res))
	}
	if res := c.get("/admin"); res.Code != http.StatusForbidden || title(res) != "Ikke tilladt" {
		t.Errorf("403: %d %q", res.Code, title(res))
	}
	big := url.Values{"comment": {strings.Repeat("x", 4096)}}
	if res := c.postForm("/feedback/new", big); res.Code != http.StatusRequestEntityTooLarge || title(res) != "For stor" {
		t.Errorf("413: %d %q", res.Code, title(res))
	}
	anon := a.client()
	anon.ip = "192.0.2.9"
	anon.cookies["lang"] = &http.Cookie{Name: "lang", Value: "da"}
	var res *httptest.ResponseRecorder
	for range 3 {
		res = anon.postForm("/login", url.Values{"email": {"x@example.com"}, "password": {"nope"}})
	}
	if res.Code != http.StatusTooManyRequests || title(res) != "For mange forsøg" {
		t.Errorf("429: %d %q", res.Code, title(res))
	}
}

// TestDanishMoneyAndLimits: a Danish ambassador types goodwill the Danish way ("1.250" is
// 1250 kroner), is told the expected form when typing it the English way ("250.50"),
// and a refusal for a too long note names the limit with a Danish thousands separator.
func TestDanishMoneyAndLimits(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	u := a.user("amb@example.com", ambassador)
	if err := a.store.SetLanguage(ctx, u.ID, "da"); err != nil {
		t.Fatal(err)
	}
	c := a.signIn("amb@example.com")
	fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Branch: "north", NPS: score(1), Comment: "Vred"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := "/feedback/" + strconvFormat(fb.ID) + "/follow-up"
	res := c.postForm(path, url.Values{"note": {"Ringede"}, "goodwill_amount": {"250.50"}})
	if msg := doc(t, res).Find("[data-testid=error-goodwill_amount]").Text(); res.Code != http.StatusBadRequest || !strings.Contains(msg, "250,50") {
		t.Errorf("250.50: %d %q", res.Code, msg)
	}
	res = c.postForm(path, url.Values{"note": {strings.Repeat("x", models.MaxCommentLength+1)}, "goodwill_amount": {"100"}})
	if msg := doc(t, res).Find("[data-testid=error-note]").Text(); !strings.Contains(msg, "højst 10.000 tegn") {
		t.Errorf("too long note: %d %q", res.Code, msg)
	}
	res = c.postForm(path, url.Values{"note": {"Ringede"}, "goodwill_amount": {"1.250"}, "from": {"feedback"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("1.250: %d %s", res.Code, doc(t, res).Find(".error").Text())
	}
	got, err := a.store.FeedbackByID(ctx, fb.ID)
	if err != nil || got.GoodwillAmount != models.Kroner(1250) {
		t.Fatalf("stored goodwill = %s (%v), want 1250", got.GoodwillAmount, err)
	}
	d := doc(t, c.get("/feedback/"+strconvFormat(fb.ID)))
	if g := strings.TrimSpace(d.Find("[data-testid=goodwill]").Text()); g != "1.250\u00a0kr." {
		t.Errorf("goodwill on the feedback page = %q, want 1.250 kr.", g)
	}
}

// TestGzipAndFavicon: pages and htmx are sent compressed to browsers that accept it,
// and /favicon.ico answers.
func TestGzipAndFavicon(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	for _, path := range []string{"/", "/static/vendor/htmx.min.js"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := c.do(req)
		if res.Code != http.StatusOK || res.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: %d, Content-Encoding %q", path, res.Code, res.Header().Get("Content-Encoding"))
		}
	}
	if !alreadyCompressed("/export.xlsx") || alreadyCompressed("/feedback/export.csv") {
		t.Error("alreadyCompressed")
	}
	res := a.client().get("/favicon.ico")
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon: %d %s", res.Code, res.Header().Get("Content-Type"))
	}
}

// TestPhoneAndShortcuts: the menu works without JavaScript (a checkbox and its label),
// the sign-in page offers the other language, the feedback list's narrower filters fold
// away, its NPS header is short, and the shortcuts people looked for are there.
func TestPhoneAndShortcuts(t *testing.T) {
	a := newTestApp(t)
	d := doc(t, a.client().get("/login"))
	if d.Find(`.usermenu.public form[action="/lang"] button`).Length() != len(i18n.Languages)-1 {
		t.Error("the sign-in page has no language switch a phone shows")
	}
	c := a.signIn("amb@example.com", ambassador)
	d = doc(t, c.get("/"))
	if d.Find(`input#menu-open[type=checkbox]`).Length() != 1 || d.Find(`label[for=menu-open]`).Length() != 1 {
		t.Error("the phone menu needs a checkbox and a label (no script)")
	}
	if href, _ := d.Find("[data-testid=home-log-feedback]").Attr("href"); href != "/feedback/new" {
		t.Errorf("home's log feedback shortcut = %q", href)
	}
	fb, err := a.store.CreateFeedback(context.Background(), models.NewFeedback{Channel: "phone", NPS: score(2), Comment: "Slow"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d = doc(t, c.get("/feedback"))
	if _, open := d.Find("[data-testid=more-filters]").Attr("open"); open || d.Find("[data-testid=import-link]").Length() != 1 {
		t.Errorf("unfiltered list: more filters open=%v, import link %d", open, d.Find("[data-testid=import-link]").Length())
	}
	if got := strings.TrimSpace(d.Find("table[data-testid=feedback] th.nowrap").Text()); got != "NPS" {
		t.Errorf("NPS header = %q", got)
	}
	d = doc(t, c.get("/feedback?channel=phone"))
	if _, open := d.Find("[data-testid=more-filters]").Attr("open"); !open {
		t.Error("a filter in use must keep the filters open")
	}
	d = doc(t, c.get("/feedback/"+strconvFormat(fb.ID)))
	if href, _ := d.Find("[data-testid=propose-link]").Attr("href"); href != "/improvements/new?feedback="+strconvFormat(fb.ID) {
		t.Errorf("propose link = %q", href)
	}
}

// TestDetractorFlash: saving a detractor's feedback links to its follow-up, and feedback
// logged after its 24 hours says the follow-up is overdue, by how long.
func TestDetractorFlash(t *testing.T) {
	a := newTestApp(t)
	now := cphTime(2026, time.March, 5, 12, 0)
	a.store.Now = func() time.Time { return now }
	c := a.signIn("amb@example.com", ambassador)
	res := c.postForm("/feedback/new", url.Values{"nps": {"2"}, "channel": {"phone"}, "comment": {"Nobody called back"},
		"received_at": {"2026-03-02T10:00"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.Code, doc(t, res).Find(".error").Text())
	}
	page := doc(t, c.get(res.Header().Get("Location")))
	flash := page.Find("[data-testid=flash]").Text()
	if !strings.Contains(flash, "2 days overdue") {
		t.Errorf("flash %q does not say the follow-up is 2 days overdue", flash)
	}
	if href, _ := page.Find("[data-testid=flash-link]").Attr("href"); !strings.HasSuffix(href, "#follow-up") {
		t.Errorf("flash link = %q", href)
	}
}

// TestOverdueInitiativeSaysHowLong: an initiative past its target date says by how many
// days, on the initiatives page and on its owner's home page.
func TestOverdueInitiativeSaysHowLong(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	st := a.user("steer@example.com", steering)
	a.store.Now = func() time.Time { return cphTime(2026, time.March, 1, 10, 0) }
	imp, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Evening video meetings", Impact: 4, Effort: models.EffortL}, st)
	if err != nil {
		t.Fatal(err)
	}
	area, err := a.store.ResolveRef(ctx, models.RefFunctionalAreas, "it")
	if err != nil {
		t.Fatal(err)
	}
	target := time.Date(2026, time.March, 10, 0, 0, 0, 0, time.UTC)
	if _, err := a.store.TransitionImprovement(ctx, imp.ID, models.TransitionInput{To: models.StatusApproved, OwnerID: &st.ID,
		FunctionalAreaID: &area.ID, TargetDate: &target, Version: imp.Version}, st); err != nil {
		t.Fatal(err)
	}
	a.store.Now = func() time.Time { return cphTime(2026, time.March, 22, 10, 0) }
	c := a.signIn("steer@example.com")
	if got := doc(t, c.get("/initiatives")).Find("[data-testid=overdue]").Text(); got != "Overdue by 12 days" {
		t.Errorf("initiatives page: %q, want Overdue by 12 days", got)
	}
	if got := doc(t, c.get("/")).Find("[data-testid=work-overdue]").Text(); got != "Overdue by 12 days" {
		t.Errorf("owner's home: %q, want Overdue by 12 days", got)
	}
}
