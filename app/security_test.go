package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/modeltest"
)

// tableCounts snapshots the row count of every table, to prove a refused request
// changed nothing.
func tableCounts(t *testing.T, a *testApp) map[string]int64 {
	t.Helper()
	tables := []string{"users", "api_tokens", "channels", "touchpoints", "branches", "functional_areas",
		"categories", "settings", "goals", "feedback", "improvements", "improvement_feedback", "history",
		"comments", "meetings", "meeting_attendees", "agenda_items", "outbox"}
	out := map[string]int64{}
	for _, tb := range tables {
		var n int64
		if err := a.store.Reader(context.Background()).Table(tb).Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", tb, err)
		}
		out[tb] = n
	}
	return out
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("admin@example.com", ambassador, quickwin, steering, adminRole)
	before := tableCounts(t, a)
	form := url.Values{"name": {"Evil"}, "email": {"evil@example.com"}, "password": {"password-123456"},
		"roles": {"admin"}, "lang": {"en"}, "code": {"evil"}, "threshold": {"XL"}, "active": {"true"},
		"comment": {"x"}, "channel": {"phone"}, "title": {"x"}, "impact": {"5"}, "effort": {"XS"}}
	for _, r := range routeTable {
		if r.method != http.MethodPost || strings.HasPrefix(r.path, "/api/") {
			continue
		}
		path := samplePath(r.path)
		t.Run(path, func(t *testing.T) {
			cross := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
			cross.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			cross.Header.Set("Sec-Fetch-Site", "cross-site")
			cross.Header.Set("Origin", "https://evil.example")
			if res := c.do(cross); res.Code != http.StatusForbidden {
				t.Errorf("cross-site post: %d, want 403", res.Code)
			}
			noToken := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
			noToken.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if res := c.do(noToken); res.Code != http.StatusBadRequest && res.Code != http.StatusForbidden {
				t.Errorf("post without token: %d, want 400 or 403", res.Code)
			}
			wrong := url.Values{}
			for k, v := range form {
				wrong[k] = v
			}
			wrong.Set("_csrf", "forged-token")
			bad := httptest.NewRequest(http.MethodPost, path, strings.NewReader(wrong.Encode()))
			bad.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if res := c.do(bad); res.Code != http.StatusForbidden && res.Code != http.StatusBadRequest {
				t.Errorf("post with a forged token: %d, want 403", res.Code)
			}
		})
	}
	after := tableCounts(t, a)
	for tb, n := range before {
		if after[tb] != n {
			t.Errorf("table %s changed from %d to %d rows", tb, n, after[tb])
		}
	}
	if res := c.get("/admin/users"); res.Code != http.StatusOK {
		t.Fatalf("still signed in after refused posts: %d", res.Code)
	}
}

func TestDeactivatedUserIsSignedOutAtOnce(t *testing.T) {
	a := newTestApp(t)
	admin := a.signIn("admin@example.com", adminRole)
	victim := a.user("amb@example.com", ambassador)
	c := a.signIn("amb@example.com")
	if res := c.get("/"); res.Code != http.StatusOK {
		t.Fatalf("home before: %d", res.Code)
	}
	res := admin.postForm("/admin/users/"+itoa64(victim.ID), url.Values{"name": {victim.Name},
		"roles": {ambassador}, "lang": {"en"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("deactivate: %d %s", res.Code, res.Body.String())
	}
	res = c.get("/")
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/login") {
		t.Fatalf("after deactivation: %d %s, want redirect to sign-in", res.Code, res.Header().Get("Location"))
	}
	again := a.client().postForm("/login", url.Values{"email": {"amb@example.com"}, "password": {modeltest.Password}})
	if again.Code != http.StatusUnauthorized {
		t.Fatalf("deactivated user signs in: %d", again.Code)
	}
}

func TestPasswordResetEndsSessions(t *testing.T) {
	a := newTestApp(t)
	admin := a.signIn("admin@example.com", adminRole)
	u := a.user("amb@example.com", ambassador)
	c := a.signIn("amb@example.com")
	res := admin.postForm("/admin/users/"+itoa64(u.ID)+"/password", url.Values{"password": {"short"}})
	if res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "at least 12") {
		t.Fatalf("short password: %d", res.Code)
	}
	res = admin.postForm("/admin/users/"+itoa64(u.ID)+"/password", url.Values{"password": {"a-new-password-1"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Code)
	}
	if res := c.get("/"); res.Code != http.StatusSeeOther {
		t.Fatalf("old session still works: %d", res.Code)
	}
}

func TestLoginRateLimit(t *testing.T) {
	a := newTestAppWith(t, func(c *Config) { c.LoginRate, c.LoginBurst = 5, 5 }) // refills one attempt every 200 ms
	a.store.Login.FreeFailures = 1000                                            // this test is about the per-client limit
	a.user("amb@example.com", ambassador)
	c := a.client()
	limited := 0
	for i := 0; i < 10; i++ {
		res := c.postForm("/login", url.Values{"email": {"amb@example.com"}, "password": {"wrong-password"}})
		switch res.Code {
		case http.StatusTooManyRequests:
			limited++
		case http.StatusUnauthorized:
		default:
			t.Fatalf("attempt %d: %d", i, res.Code)
		}
	}
	if limited == 0 {
		t.Fatal("ten wrong passwords in a row were never limited")
	}
	if res := c.postForm("/login", url.Values{"email": {"amb@example.com"}, "password": {modeltest.Password}}); res.Code != http.StatusTooManyRequests {
		t.Fatalf("right password while limited: %d, want 429", res.Code)
	}
	time.Sleep(400 * time.Millisecond)
	res := c.postForm("/login", url.Values{"email": {"amb@example.com"}, "password": {modeltest.Password}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("right password after the limit passed: %d", res.Code)
	}
	other := a.client()
	other.ip = "192.0.2.99"
	if res := other.postForm("/login", url.Values{"email": {"amb@example.com"}, "password": {modeltest.Password}}); res.Code != http.StatusSeeOther {
		t.Fatalf("another address is not limited: %d", res.Code)
	}
}

func TestSecureHeadersAndCookies(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	res := c.get("/")
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
		if res.Header().Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	for name, ck := range c.cookies {
		if !ck.HttpOnly {
			t.Errorf("cookie %s is not HttpOnly", name)
		}
		if ck.SameSite == http.SameSiteDefaultMode || ck.SameSite == http.SameSiteNoneMode {
			t.Errorf("cookie %s has no SameSite", name)
		}
	}
	var n int64
	a.store.Reader(context.Background()).Table("sessions").Count(&n)
	if n == 0 {
		t.Error("sessions are not stored server-side")
	}
}

func TestRequestBodyLimit(t *testing.T) {
	a := newTestApp(t)
	c := a.client()
	big := strings.Repeat("a", 2<<20)
	res := c.postForm("/login", url.Values{"email": {big}})
	if res.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MB form: %d, want 413", res.Code)
	}
}

func TestErrorPagesLeakNothing(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	res := c.get("/admin")
	if res.Code != http.StatusForbidden {
		t.Fatalf("%d", res.Code)
	}
	body := res.Body.String()
	if !strings.Contains(body, "Not allowed") || strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
		t.Fatalf("403 page: %s", body)
	}
}

func TestAPIWithoutOrWithBadTokenIs401(t *testing.T) {
	a := newTestApp(t)
	for _, tok := range []string{"", "itk_nope"} {
		res := a.api(http.MethodGet, "/api/v1/reference", tok, nil)
		if res.Code != http.StatusUnauthorized || !strings.Contains(res.Body.String(), `"error"`) {
			t.Fatalf("token %q: %d %s", tok, res.Code, res.Body.String())
		}
	}
	u := a.user("amb@example.com", ambassador)
	res := a.api(http.MethodGet, "/api/v1/reference", a.token(u), nil)
	ref := decode[map[string][]map[string]any](t, res)
	for _, k := range []string{"channels", "touchpoints", "branches", "functional_areas", "categories"} {
		if len(ref[k]) == 0 {
			t.Errorf("reference %s is empty", k)
		}
		for _, it := range ref[k] {
			if it["code"] == nil || it["name"] == nil || it["active"] == nil {
				t.Errorf("reference %s item %v lacks code, name or active", k, it)
			}
		}
	}
}

func itoa64(n int64) string { return strconvFormat(n) }

func TestFormsWithInvalidUTF8AreRefused(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	before := tableCounts(t, a)
	res := c.postForm("/feedback/new", url.Values{"channel": {"phone"}, "comment": {"bad \xff byte"}})
	if res.Code != http.StatusBadRequest {
		t.Fatalf("form with invalid UTF-8: %d, want 400", res.Code)
	}
	if res := c.get("/feedback?q=%ff"); res.Code != http.StatusBadRequest {
		t.Fatalf("query with invalid UTF-8: %d, want 400", res.Code)
	}
	after := tableCounts(t, a)
	if after["feedback"] != before["feedback"] {
		t.Fatal("a form with invalid UTF-8 stored feedback")
	}
}

// A signed-in page reads its session and its user in one statement (the session names
// its user): what the user is now, a role given a moment ago included, is what the next
// page shows, and the session row names them.
func TestSessionNamesItsUserAndThePageSeesTheUserAsTheyAreNow(t *testing.T) {
	a := newTestApp(t)
	admin := a.signIn("admin@example.com", adminRole)
	u := a.user("amb@example.com", ambassador)
	c := a.signIn("amb@example.com")
	var named int64
	if err := a.store.Writer(context.Background()).Raw("SELECT COUNT(*) FROM sessions WHERE user_id = ?", u.ID).Scan(&named).Error; err != nil || named == 0 {
		t.Fatalf("sessions naming the user: %d, %v", named, err)
	}
	steeringLinks := func() int { return doc(t, c.get("/")).Find("[data-testid=nav-steering]").Length() }
	if n := steeringLinks(); n != 0 {
		t.Fatalf("an ambassador sees %d steering links", n)
	}
	res := admin.postForm("/admin/users/"+itoa64(u.ID), url.Values{"name": {u.Name}, "roles": {ambassador, steering},
		"lang": {"en"}, "active": {"true"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("give the steering role: %d %s", res.Code, res.Body.String())
	}
	if n := steeringLinks(); n == 0 {
		t.Error("the next page after the steering role was given does not show it")
	}
}
