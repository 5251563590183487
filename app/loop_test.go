package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// branchID resolves a seeded branch code.
func branchID(t *testing.T, a *testApp, code string) int64 {
	t.Helper()
	it, err := a.store.ResolveRef(context.Background(), models.RefBranches, code)
	if err != nil {
		t.Fatal(err)
	}
	return it.ID
}

// manager creates a branch manager of the given branches.
func manager(t *testing.T, a *testApp, email string, codes ...string) *models.User {
	t.Helper()
	var ids []int64
	for _, c := range codes {
		ids = append(ids, branchID(t, a, c))
	}
	u, err := a.store.CreateUser(context.Background(), models.NewUser{Email: email, Name: "Branch Manager " + codes[0],
		Password: modeltest.Password, Roles: []string{branchRole}, Lang: "en", BranchIDs: ids}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestBranchManagerSeesOnlyItsBranches(t *testing.T) {
	a := newTestApp(t)
	amb := a.token(a.user("amb@example.com", ambassador))
	for _, b := range []string{"north", "south", "city", "north"} {
		if res := a.api("POST", "/api/v1/feedback", amb, map[string]any{"channel": "web", "branch": b, "nps": 8, "comment": "At " + b}); res.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Code, res.Body)
		}
	}
	mgr := manager(t, a, "mgr@example.com", "north", "city")
	tok := a.token(mgr)
	list := decode[apiListJSON](t, a.api("GET", "/api/v1/feedback", tok, nil))
	if len(list.Items) != 3 {
		t.Fatalf("a manager of north and city listed %d feedback, want 3", len(list.Items))
	}
	for _, it := range list.Items {
		if it.Branch == nil || (*it.Branch != "north" && *it.Branch != "city") {
			t.Errorf("listed feedback of branch %v", it.Branch)
		}
	}
	// The branch filter narrows further, for everyone; another branch stays hidden.
	if l := decode[apiListJSON](t, a.api("GET", "/api/v1/feedback?branch=city", tok, nil)); len(l.Items) != 1 {
		t.Errorf("branch=city: %d items, want 1", len(l.Items))
	}
	if l := decode[apiListJSON](t, a.api("GET", "/api/v1/feedback?branch=south", tok, nil)); len(l.Items) != 0 {
		t.Errorf("branch=south: %d items, want none for a manager of north and city", len(l.Items))
	}
	if l := decode[apiListJSON](t, a.api("GET", "/api/v1/feedback?branch=south", amb, nil)); len(l.Items) != 1 {
		t.Errorf("ambassador branch=south: %d items, want 1", len(l.Items))
	}
	// One item of another branch is not found, by API and page.
	all := decode[apiListJSON](t, a.api("GET", "/api/v1/feedback?branch=south", amb, nil))
	south := all.Items[0].ID
	if res := a.api("GET", fmt.Sprintf("/api/v1/feedback/%d", south), tok, nil); res.Code != http.StatusNotFound {
		t.Errorf("API get of another branch's feedback: %d, want 404", res.Code)
	}
	web := a.signIn("mgr@example.com")
	if res := web.get(fmt.Sprintf("/feedback/%d", south)); res.Code != http.StatusNotFound {
		t.Errorf("page of another branch's feedback: %d, want 404", res.Code)
	}
	if n := doc(t, web.get("/feedback")).Find("[data-testid=feedback-row], tbody tr").Length(); n != 3 {
		t.Errorf("web list shows %d rows, want 3", n)
	}
	export := web.get("/feedback/export.csv").Body.String()
	if strings.Contains(export, "At south") || !strings.Contains(export, "At city") {
		t.Errorf("export: %s", export)
	}
	// Staff see no customer's feedback.
	a.user("staff@example.com", "staff")
	if l := decode[apiListJSON](t, a.api("GET", "/api/v1/feedback", a.token(mustUser(t, a, "staff@example.com")), nil)); len(l.Items) != 0 {
		t.Errorf("staff listed %d feedback", len(l.Items))
	}
	// The branch page: own branch yes, another no.
	if res := web.get("/branches/north"); res.Code != http.StatusOK {
		t.Errorf("own branch page: %d", res.Code)
	}
	if res := web.get("/branches/south"); res.Code != http.StatusNotFound {
		t.Errorf("another branch's page: %d, want 404", res.Code)
	}
	// Its heading names the month in the reader's language, as the reports do.
	for lang, want := range map[string]string{"da": "mar. 2026", "en": "Mar 2026"} {
		if err := a.store.SetLanguage(context.Background(), mustUser(t, a, "mgr@example.com").ID, lang); err != nil {
			t.Fatal(err)
		}
		h1 := doc(t, a.signIn("mgr@example.com").get("/branches/north?month=2026-03")).Find("h1").Text()
		if !strings.HasSuffix(h1, "· "+want) {
			t.Errorf("%s: branch page heading %q, want it to end in %q", lang, h1, want)
		}
	}
	if res := web.get("/branch"); res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/branches/") {
		t.Errorf("/branch: %d %s", res.Code, res.Header().Get("Location"))
	}
}

func mustUser(t *testing.T, a *testApp, email string) *models.User {
	t.Helper()
	u, err := a.store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestDetractorNamingEmployeeIsTheirsAndConflictsSayWho(t *testing.T) {
	a := newTestApp(t)
	amb := a.token(a.user("amb@example.com", ambassador))
	a.user("anna@example.com", "staff")
	mgr := manager(t, a, "mgr@example.com", "north")
	res := a.api("POST", "/api/v1/feedback", amb, map[string]any{"channel": "phone", "branch": "north", "nps": 3,
		"comment": "Anna never called", "employee_email": "Anna@Example.com", "customer_phone": "+45 12 34 56 78"})
	if res.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	id := decode[apiFeedbackJSON](t, res).ID
	// Unknown employee addresses are kept as text; the follow-up goes to the manager.
	res = a.api("POST", "/api/v1/feedback", amb, map[string]any{"channel": "phone", "branch": "north", "nps": 2,
		"comment": "Someone was rude", "employee_email": "temp@agency.dk"})
	other := decode[apiFeedbackJSON](t, res).ID

	anna := a.signIn("anna@example.com")
	page := doc(t, anna.get("/my/follow-ups"))
	if got := strings.TrimSpace(page.Find("[data-testid=bell-count]").Text()); got != "1" {
		t.Errorf("Anna's bell shows %q, want 1", got)
	}
	if n := page.Find("[data-testid=my-followup]").Length(); n != 1 {
		t.Fatalf("Anna owns %d follow-ups, want 1", n)
	}
	if phone := page.Find("[data-testid=phone]").Text(); phone != "+45 12 34 56 78" {
		t.Errorf("phone %q", phone)
	}
	m := doc(t, a.signIn("mgr@example.com").get("/my/follow-ups"))
	if n := m.Find("[data-testid=my-followup]").Length(); n != 1 {
		t.Errorf("the manager owns %d follow-ups, want 1 (the unknown employee's)", n)
	}
	fbPage := doc(t, anna.get(fmt.Sprintf("/feedback/%d", other)))
	_ = fbPage
	mgrWeb := a.signIn("mgr@example.com")
	show := doc(t, mgrWeb.get(fmt.Sprintf("/feedback/%d", other)))
	if show.Find("[data-testid=employee-unknown]").Length() != 1 || !strings.Contains(show.Find("[data-testid=employee]").Text(), "temp@agency.dk") {
		t.Errorf("unknown employee shown as %q", show.Find("[data-testid=employee]").Text())
	}

	// Anna takes it (version 1); the manager, who saw version 1 too, is told who took it.
	if res := anna.postForm(fmt.Sprintf("/follow-ups/%d/take", id), url.Values{"version": {"1"}, "from": {"mine"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("take: %d", res.Code)
	}
	res = mgrWeb.postForm(fmt.Sprintf("/follow-ups/%d/tried", id), url.Values{"version": {"1"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("stale try: %d, want a redirect with the reason", res.Code)
	}
	msg := strings.TrimSpace(doc(t, mgrWeb.get(res.Header().Get("Location"))).Find("[data-testid=flash-error]").Text())
	if !strings.Contains(strings.ToLower(msg), "anna took it at") {
		t.Errorf("conflict message %q, want who did what when", msg)
	}
	// Anna records it done; the manager's later "done" is told who did it first.
	if res := anna.postForm(fmt.Sprintf("/feedback/%d/follow-up", id), url.Values{"note": {"Reached him"}, "from": {"mine"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("done: %d %s", res.Code, res.Body)
	}
	res = mgrWeb.postForm(fmt.Sprintf("/feedback/%d/follow-up", id), url.Values{"note": {"Me too"}, "from": {"mine"}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/my/follow-ups" {
		t.Fatalf("second done: %d %s, want back to my follow-ups", res.Code, res.Header().Get("Location"))
	}
	msg = strings.TrimSpace(doc(t, mgrWeb.get("/my/follow-ups")).Find("[data-testid=flash-error]").Text())
	if !strings.Contains(strings.ToLower(msg), "anna finished it at") {
		t.Errorf("second done says %q, want who finished it when", msg)
	}
	// A user with nothing to do with it may not act on it.
	a.user("bob@example.com", "staff")
	if res := a.signIn("bob@example.com").postForm(fmt.Sprintf("/follow-ups/%d/tried", id), url.Values{}); res.Code != http.StatusForbidden {
		t.Errorf("a stranger's try: %d, want 403", res.Code)
	}
	_ = mgr
}

func TestStaffIdeaProposerToldOfStatusChangeAndWebhook(t *testing.T) {
	rcv := newWebhookReceiver(t, http.StatusOK)
	a := newTestAppWith(t, func(c *Config) { c.WebhookSecret = testWebhookSecret })
	startWebhooks(t, a)
	// An admin's endpoint that wants status changes only.
	admin := a.signIn("admin@example.com", adminRole)
	if res := admin.postForm("/admin/webhooks", url.Values{"url": {rcv.srv.URL}, "events": {"improvement.status_changed"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("add endpoint: %d %s", res.Code, res.Body)
	}
	if res := admin.postForm("/admin/webhooks", url.Values{"url": {"not a url"}}); res.Code != http.StatusBadRequest {
		t.Errorf("a bad URL: %d, want 400", res.Code)
	}
	a.user("eva@example.com", "staff")
	eva := a.signIn("eva@example.com")
	if res := eva.postForm("/ideas", url.Values{"title": {"Ramp at the Vejle entrance"}}); res.Code != http.StatusBadRequest ||
		doc(t, res).Find("[data-testid=error-reason]").Length() != 1 || doc(t, res).Find("#f-title").AttrOr("value", "") != "Ramp at the Vejle entrance" {
		t.Errorf("an idea without a reason: %d, want the form again with the title and an error", res.Code)
	}
	res := eva.postForm("/ideas", url.Values{"title": {"Ramp at the Vejle entrance"}, "reason": {"Customers with prams cannot get in."}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("propose: %d %s", res.Code, res.Body)
	}
	ideas, err := a.store.MyIdeas(context.Background(), mustUser(t, a, "eva@example.com").ID)
	if err != nil || len(ideas) != 1 || ideas[0].Status != models.StatusReview {
		t.Fatalf("ideas %+v, %v", ideas, err)
	}
	// Feedback creation does not reach this endpoint: it wants status changes only.
	amb := a.token(a.user("amb@example.com", ambassador))
	a.api("POST", "/api/v1/feedback", amb, map[string]any{"channel": "web", "nps": 2, "comment": "x"})
	steer := a.user("steer@example.com", steering)
	if _, err := a.store.TransitionImprovement(context.Background(), ideas[0].ID,
		models.TransitionInput{To: models.StatusRejected, Version: ideas[0].Version, Reason: "Not our building"}, steer); err != nil {
		t.Fatal(err)
	}
	page := doc(t, eva.get("/ideas"))
	if got := strings.TrimSpace(page.Find("[data-testid=bell-count]").Text()); got != "1" {
		t.Errorf("the proposer's bell shows %q, want 1", got)
	}
	got := rcv.wait(t, 1, 5*time.Second)
	var body struct {
		Type string `json:"type"`
		Data struct {
			From, To string
		} `json:"data"`
	}
	if err := json.Unmarshal(got[0].Body, &body); err != nil || body.Type != "improvement.status_changed" || body.Data.From != "review" || body.Data.To != "rejected" {
		t.Errorf("event %s", got[0].Body)
	}
	verifySignature(t, got[0])
	time.Sleep(2500 * time.Millisecond)
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.got) != 1 {
		t.Errorf("the endpoint got %d events, want only the status change", len(rcv.got))
	}
}
