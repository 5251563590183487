package app

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/views/i18n"
)

// wordsOf returns the lower-cased words of a text, without template placeholders.
var (
	placeholder = regexp.MustCompile(`\{\{[^}]*\}\}|\{name\}`)
	wordSplit   = regexp.MustCompile(`[^\p{L}]+`)
)

func wordsOf(text string) []string {
	var out []string
	for _, w := range wordSplit.Split(strings.ToLower(placeholder.ReplaceAllString(text, " ")), -1) {
		if len([]rune(w)) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

// catalogWords collects every word of a language's messages.
func catalogWords(t *testing.T, lang string) map[string]bool {
	t.Helper()
	ids, err := i18n.MessageIDs(lang)
	if err != nil {
		t.Fatal(err)
	}
	tr := i18n.For(lang)
	words := map[string]bool{}
	for id := range ids {
		// Both plural forms, and the plain form for messages without them.
		for _, n := range []int{1, 2} {
			for _, w := range wordsOf(tr.T(id, map[string]any{"Count": n})) {
				words[w] = true
			}
		}
	}
	return words
}

// foreignWords are the app's words that are Danish or English only: in the Danish or
// English catalog and nowhere in the Norwegian one ("gem", "opfølgning", "save",
// "follow", ...). Computed from the catalogs, so it grows with them.
func foreignWords(t *testing.T) map[string]bool {
	nb := catalogWords(t, "nb")
	out := map[string]bool{}
	for _, lang := range []string{"da", "en"} {
		for w := range catalogWords(t, lang) {
			if !nb[w] {
				out[w] = true
			}
		}
	}
	return out
}

// visibleWords reads what a reader (or a screen reader) gets from a page: its text and
// its labelling attributes, leaving out elements marked as another language (the
// language switch names each language in itself).
func visibleWords(d *goquery.Document) []string {
	// <code> holds identifiers that are the same in every language: the CSV columns of
	// the import contract and reference data codes.
	d.Find("script, style, code").Remove()
	d.Find("[lang]").Each(func(_ int, s *goquery.Selection) {
		if l, _ := s.Attr("lang"); l != "nb" && !s.Is("html") {
			s.Remove()
		}
	})
	var words []string
	words = append(words, wordsOf(d.Text())...)
	d.Find("[aria-label], [title], [placeholder], [alt], input[type=submit][value]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"aria-label", "title", "placeholder", "alt", "value"} {
			if v, ok := s.Attr(attr); ok && (attr != "value" || s.Is("input[type=submit]")) {
				words = append(words, wordsOf(v)...)
			}
		}
	})
	return words
}

// A Norwegian user sees no Danish or English word of the app on any main page: every
// text comes from the Norwegian catalog, and dates are written the Norwegian way.
func TestNorwegianUserSeesNoDanishOrEnglishWords(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	nb, err := a.store.CreateUser(ctx, models.NewUser{Email: "kari@sparebanken.nb", Name: "Kari Nordmann",
		Password: modeltest.Password, Roles: []string{models.RoleAmbassador, models.RoleQuickWin, models.RoleSteering, models.RoleAdmin, models.RoleStaff}, Lang: "nb"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Reference data is the bank's own (an admin names it); give it Norwegian names so
	// that only the app's words are checked.
	ref, err := a.store.AllReference(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for kind, items := range map[models.RefKind][]models.RefItem{models.RefChannels: ref.Channels,
		models.RefTouchpoints: ref.Touchpoints, models.RefBranches: ref.Branches,
		models.RefFunctionalAreas: ref.FunctionalAreas, models.RefCategories: ref.Categories} {
		for i, it := range items {
			full, err := a.store.ResolveRef(ctx, kind, it.Code)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.store.UpdateRef(ctx, kind, full.ID, fmt.Sprintf("Kontaktpunkt %d", i+1), true, nb); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Some content, so that lists, cards and the report have rows.
	score := func(n int) *int { return &n }
	var ids []int64
	for i, n := range []int{2, 9, 10, 6, 8} {
		fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: ref.Channels[0].Code, Branch: ref.Branches[0].Code,
			Touchpoint: ref.Touchpoints[0].Code, NPS: score(n), Comment: fmt.Sprintf("Lang ventetid på telefon %d", i),
			ReceivedAt: time.Now().Add(-time.Duration(30+i) * time.Hour)}, nb)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fb.ID)
	}
	quick, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Kortere ventetid", Impact: 4,
		Effort: models.EffortXS, FeedbackIDs: ids[:2]}, nb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Ny boliglånsprosess", Impact: 5,
		Effort: models.EffortXL, FeedbackIDs: ids[2:3]}, nb); err != nil {
		t.Fatal(err)
	}

	c := a.signIn("kari@sparebanken.nb")
	foreign := foreignWords(t)
	if len(foreign) < 300 {
		t.Fatalf("only %d Danish or English words to look for: the catalogs did not load", len(foreign))
	}
	year := time.Now().Year()
	pages := []string{"/", "/feedback", "/feedback/new", "/feedback/import", fmt.Sprintf("/feedback/%d", ids[0]),
		"/follow-ups", "/triage", "/triage/no-action?ids=" + fmt.Sprint(ids[3]), "/improvements", "/improvements/matrix",
		"/improvements/new", fmt.Sprintf("/improvements/%d", quick.ID), "/quick-wins", "/steering", "/initiatives",
		fmt.Sprintf("/reports?kind=year&period=%d", year), "/reports", "/you-said-we-did", "/recognition", "/admin",
		"/admin/users", fmt.Sprintf("/admin/users/%d", nb.ID), "/admin/settings", "/admin/goals", "/admin/goodwill",
		"/admin/privacy", "/admin/reference/channels", "/no/such/page"}
	found := map[string][]string{}
	for _, p := range pages {
		res := c.get(p)
		if res.Code != http.StatusOK && p != "/no/such/page" {
			t.Errorf("%s: status %d", p, res.Code)
			continue
		}
		d := doc(t, res)
		if l, _ := d.Find("html").Attr("lang"); l != "nb" {
			t.Errorf("%s: <html lang=%q>", p, l)
		}
		for _, w := range visibleWords(d) {
			if foreign[w] && !contains(found[p], w) {
				found[p] = append(found[p], w)
			}
		}
	}
	var paths []string
	for p := range found {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		t.Errorf("%s shows Danish or English words: %s", p, strings.Join(found[p], ", "))
	}

	// Dates are Norwegian: "3. mars 2026".
	fb, err := a.store.FeedbackByID(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	local := fb.ReceivedAt.In(a.store.Location)
	months := []string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"}
	want := fmt.Sprintf("%d. %s %d", local.Day(), months[local.Month()-1], local.Year())
	if body := c.get(fmt.Sprintf("/feedback/%d", ids[0])).Body.String(); !strings.Contains(body, want) {
		t.Errorf("the feedback page does not show the date as %q", want)
	}
}

func TestLanguageSwitchOffersTheOtherTwoLanguages(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("per@bank.example", models.RoleAmbassador)
	d := doc(t, c.get("/"))
	var offered []string
	d.Find("[data-testid=lang-switch] button").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		name, _ := s.Attr("title") // each language named in itself; the bar shows its code
		offered = append(offered, v+"="+name)
	})
	if strings.Join(offered, ",") != "da=Dansk,nb=Norsk (bokmål)" {
		t.Fatalf("an English page offers %v", offered)
	}
	res := c.postForm("/lang", map[string][]string{"lang": {"nb"}, "next": {"/feedback"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("switch: %d", res.Code)
	}
	u, _ := a.store.UserByEmail(context.Background(), "per@bank.example")
	if u.Lang != "nb" {
		t.Errorf("stored language %q", u.Lang)
	}
	if got := strings.TrimSpace(doc(t, c.get("/feedback")).Find("h1").First().Text()); got != "Tilbakemeldinger" {
		t.Errorf("Norwegian feedback list heading = %q", got)
	}
	// Before sign-in, a Norwegian browser gets Norwegian.
	anon := a.client()
	req, _ := http.NewRequest(http.MethodGet, "/login", nil)
	req.Header.Set("Accept-Language", "nb-NO,nb;q=0.9,en;q=0.5")
	if l, _ := doc(t, anon.do(req)).Find("html").Attr("lang"); l != "nb" {
		t.Errorf("a Norwegian browser's sign-in page is %q", l)
	}
}

func TestBrowserLanguage(t *testing.T) {
	for h, want := range map[string]string{"": "en", "da-DK,da;q=0.9": "da", "nb-NO": "nb", "no": "nb",
		"nn-NO,nb;q=0.8": "nb", "sv-SE,da;q=0.5": "en", "en-GB": "en", "DA": "da"} {
		if got := browserLanguage(h); got != want {
			t.Errorf("browserLanguage(%q) = %q, want %q", h, got, want)
		}
	}
}

func TestAdminCreatesAndSetsNorwegianUsers(t *testing.T) {
	a := newTestApp(t)
	admin := a.signIn("admin@bank.example", models.RoleAdmin)
	if doc(t, admin.get("/admin/users")).Find("select[name=lang] option[value=nb]").Length() != 1 {
		t.Fatal("the user form does not offer Norwegian")
	}
	res := admin.postForm("/admin/users", map[string][]string{"email": {"ola@bank.example"}, "name": {"Ola Nordmann"},
		"password": {modeltest.Password}, "roles": {models.RoleAmbassador}, "lang": {"nb"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("create a Norwegian user: %d %s", res.Code, res.Body.String())
	}
	u, err := a.store.UserByEmail(context.Background(), "ola@bank.example")
	if err != nil || u.Lang != "nb" {
		t.Fatalf("created %+v %v", u, err)
	}
	if l, _ := doc(t, a.signIn("ola@bank.example").get("/")).Find("html").Attr("lang"); l != "nb" {
		t.Errorf("Ola's pages are in %q", l)
	}
	res = admin.postForm(fmt.Sprintf("/admin/users/%d", u.ID), map[string][]string{"name": {"Ola Nordmann"},
		"roles": {models.RoleAmbassador}, "lang": {"da"}, "active": {"true"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("update: %d", res.Code)
	}
	res = admin.postForm(fmt.Sprintf("/admin/users/%d", u.ID), map[string][]string{"name": {"Ola Nordmann"},
		"roles": {models.RoleAmbassador}, "lang": {"nb"}, "active": {"true"}})
	if u, _ = a.store.UserByEmail(context.Background(), "ola@bank.example"); res.Code != http.StatusSeeOther || u.Lang != "nb" {
		t.Errorf("set back to Norwegian: %d, lang %q", res.Code, u.Lang)
	}
}

// A Norwegian bank tells its customers in Norwegian: the notify page offers a
// Norwegian template.
func TestNotifyOffersANorwegianTemplate(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@bank.example", steering, ambassador)
	at := cphTime(2026, time.March, 2, 10, 0)
	f1 := a.feedbackAt(st, at, models.NewFeedback{NPS: score(3), Comment: "Feil dato i brevet",
		CustomerName: "Kari Nordmann", CustomerEmail: "kari@example.com", Consent: true})
	imp := a.implementAt(st, "Riktige datoer i brev", models.EffortXS, cphTime(2026, time.March, 20, 10, 0), f1.ID)
	c := a.signIn("steer@bank.example")
	d := doc(t, c.get(fmt.Sprintf("/improvements/%d/notify?lang=nb", imp.ID)))
	if d.Find("#f-template option[value=nb][selected]").Length() != 1 {
		t.Error("Norwegian is not offered or not selected")
	}
	subject, _ := d.Find("#f-subject").Attr("value")
	if body := d.Find("#f-body").Text(); !strings.HasPrefix(subject, "Du sa, vi gjorde: Riktige datoer i brev") || !strings.Contains(body, "Kjære {name}") {
		t.Errorf("Norwegian template not prefilled: %q / %q", subject, body)
	}
}
