package app

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// routeRule is who may use a route, as this test expects it. It is written out here
// on purpose, apart from routes.go, so a change to access must change both.
type routeRule struct {
	method, path string
	public       bool
	roles        []string // empty: any signed-in user
}

// routeTable lists every route of the app. A route missing here fails the test.
var routeTable = []routeRule{
	{"GET", "/healthz", true, nil},
	{"GET", "/favicon.ico", true, nil},
	{"GET", "/login", true, nil},
	{"POST", "/login", true, nil},
	{"POST", "/lang", true, nil},
	// Single sign-on, monitoring (its handler checks METRICS_ALLOW or an admin's token)
	// and the API's description.
	{"GET", "/auth/oidc", true, nil},
	{"GET", "/auth/oidc/callback", true, nil},
	{"GET", "/metrics", true, nil},
	{"GET", "/api/v1/openapi.json", true, nil},
	{"POST", "/logout", false, nil},
	{"GET", "/", false, nil},
	// Closing the loop (issue 17).
	{"GET", "/my/follow-ups", false, nil},
	{"POST", "/follow-ups/:id/take", false, nil},
	{"POST", "/follow-ups/:id/tried", false, nil},
	{"POST", "/follow-ups/:id/reassign", false, nil},
	{"GET", "/notifications", false, nil},
	{"POST", "/notifications/read", false, nil},
	{"GET", "/preferences", false, nil},
	{"POST", "/preferences", false, nil},
	{"GET", "/ideas", false, nil},
	{"POST", "/ideas", false, nil},
	{"GET", "/branch", false, []string{branchRole}},
	{"GET", "/branches/:code", false, []string{branchRole, steering, adminRole}},
	{"GET", "/branches/:code/pack", false, []string{branchRole, steering, adminRole}},
	{"GET", "/admin/webhooks", false, []string{adminRole}},
	{"POST", "/admin/webhooks", false, []string{adminRole}},
	{"POST", "/admin/webhooks/:id", false, []string{adminRole}},
	{"GET", "/admin", false, []string{adminRole}},
	{"GET", "/admin/users", false, []string{adminRole}},
	{"POST", "/admin/users", false, []string{adminRole}},
	{"GET", "/admin/users/:id", false, []string{adminRole}},
	{"POST", "/admin/users/:id", false, []string{adminRole}},
	{"POST", "/admin/users/:id/password", false, []string{adminRole}},
	{"GET", "/admin/reference/:kind", false, []string{adminRole}},
	{"POST", "/admin/reference/:kind", false, []string{adminRole}},
	{"POST", "/admin/reference/:kind/:id", false, []string{adminRole}},
	{"GET", "/admin/settings", false, []string{adminRole}},
	{"POST", "/admin/settings", false, []string{adminRole}},
	{"GET", "/admin/tokens", false, []string{adminRole}},
	{"POST", "/admin/tokens/:id/revoke", false, []string{adminRole}},
	{"POST", "/admin/settings/sso", false, []string{adminRole}},
	// Goals, reports, "you said, we did", telling customers, recognition.
	{"GET", "/admin/goals", false, []string{adminRole}},
	{"POST", "/admin/goals", false, []string{adminRole}},
	{"GET", "/reports", false, nil},
	{"GET", "/roadmap", false, nil},
	{"GET", "/reports/export.csv", false, nil},
	{"GET", "/reports/export.xlsx", false, nil},
	{"POST", "/reports/comment", false, []string{steering}},
	{"GET", "/you-said-we-did", false, nil},
	{"GET", "/improvements/:id/notify", false, []string{steering}},
	{"POST", "/improvements/:id/notify", false, []string{steering}},
	{"GET", "/recognition", false, nil},
	{"GET", "/feedback/:id/praise", false, []string{ambassador, steering}},
	{"POST", "/feedback/:id/praise", false, []string{ambassador, steering}},
	{"GET", "/api/v1/goals/:year", false, nil},
	{"GET", "/api/v1/reports/nps", false, nil},
	// Steering group.
	{"GET", "/steering", false, []string{steering}},
	{"POST", "/steering/meetings", false, []string{steering}},
	{"GET", "/steering/meetings/:id", false, []string{steering}},
	{"POST", "/steering/meetings/:id/decisions", false, []string{steering}},
	{"POST", "/steering/meetings/:id/items/:item/decide", false, []string{steering}},
	{"POST", "/steering/meetings/:id/items/:item/move", false, []string{steering}},
	{"POST", "/steering/meetings/:id/items/:item/remove", false, []string{steering}},
	{"POST", "/steering/meetings/:id/refresh", false, []string{steering}},
	{"POST", "/steering/meetings/:id/close", false, []string{steering}},
	{"GET", "/steering/meetings/:id/minutes", false, []string{steering}},
	{"GET", "/steering/meetings/:id/minutes.md", false, []string{steering}},
	{"GET", "/initiatives", false, []string{steering, adminRole}},
	{"POST", "/initiatives/:id/transition", false, []string{steering}},
	{"POST", "/improvements/:id/comments", false, nil},
	// Triage and improvements.
	{"GET", "/triage", false, []string{steering, ambassador}},
	{"GET", "/triage/no-action", false, []string{steering, ambassador}},
	{"POST", "/triage/no-action", false, []string{steering, ambassador}},
	{"GET", "/triage/link", false, []string{steering, ambassador}},
	{"GET", "/improvements", false, nil},
	{"GET", "/improvements/matrix", false, nil},
	{"GET", "/improvements/new", false, []string{steering, ambassador}},
	{"GET", "/improvements/route-suggestion", false, []string{steering, ambassador}},
	{"POST", "/improvements", false, []string{steering, ambassador}},
	{"GET", "/improvements/:id", false, nil},
	{"POST", "/improvements/:id/transition", false, []string{quickwin, steering}},
	{"POST", "/improvements/:id/savings", false, []string{steering}},
	{"POST", "/improvements/:id/link", false, []string{steering, ambassador}},
	{"POST", "/improvements/:id/merge", false, []string{steering}},
	{"POST", "/improvements/:id/edit", false, []string{steering}},
	// Quick-win board.
	{"GET", "/quick-wins", false, []string{quickwin, steering}},
	{"POST", "/quick-wins/:id/claim", false, []string{quickwin, steering}},
	{"POST", "/quick-wins/:id/start", false, []string{quickwin, steering}},
	{"POST", "/quick-wins/:id/finish", false, []string{quickwin, steering}},
	{"POST", "/quick-wins/:id/hand-back", false, []string{quickwin, steering}},
	{"POST", "/quick-wins/:id/escalate", false, []string{quickwin, steering}},
	{"GET", "/api/v1/reference", false, nil},
	// Feedback.
	{"GET", "/feedback/new", false, []string{ambassador}},
	{"POST", "/feedback/new", false, []string{ambassador}},
	{"GET", "/feedback/import", false, []string{ambassador}},
	{"POST", "/feedback/import", false, []string{ambassador}},
	{"GET", "/feedback", false, nil},
	{"GET", "/feedback/export.csv", false, nil},
	{"GET", "/feedback/export.xlsx", false, nil},
	{"GET", "/feedback/:id", false, nil},
	{"POST", "/feedback/:id/follow-up", false, nil},
	{"GET", "/follow-ups", false, []string{ambassador}},
	{"GET", "/admin/goodwill", false, []string{adminRole}},
	{"GET", "/admin/goodwill/:id", false, []string{adminRole}},
	{"POST", "/admin/goodwill/:id", false, []string{adminRole}},
	{"GET", "/admin/privacy", false, []string{adminRole}},
	{"POST", "/admin/privacy/erase", false, []string{adminRole}},
	{"POST", "/admin/privacy/retention", false, []string{adminRole}},
	{"POST", "/api/v1/feedback", false, []string{ambassador}},
	{"GET", "/api/v1/feedback", false, nil},
	{"GET", "/api/v1/feedback/:id", false, nil},
	{"POST", "/api/v1/feedback/:id/follow-up", false, []string{ambassador}},

	{"POST", "/api/v1/improvements", false, []string{steering, ambassador}},
	{"GET", "/api/v1/improvements", false, nil},
	{"GET", "/api/v1/improvements/:id", false, nil},
	{"POST", "/api/v1/improvements/:id/transition", false, []string{quickwin, steering}},
	{"GET", "/api/v1/improvements/:id/impact", false, nil},
}

// samplePath fills a route's parameters with values that exist in a fresh database.
func samplePath(path string) string {
	r := strings.NewReplacer(":kind", "channels", ":year", "2026", ":id", "1", ":token", "x")
	return r.Replace(path)
}

func TestEveryRouteIsInTheAccessTable(t *testing.T) {
	a := newTestApp(t)
	want := map[string]bool{}
	for _, r := range routeTable {
		want[r.method+" "+r.path] = true
	}
	var missing []string
	for _, r := range a.srv.Echo().Routes() {
		key := r.Method + " " + r.Path
		if strings.HasPrefix(r.Path, "/static/") || strings.HasSuffix(r.Name, "glob..func1") && r.Path == "/*" {
			continue
		}
		if r.Method == http.MethodHead {
			// Every GET route answers HEAD too, with the GET route's rule.
			key = http.MethodGet + " " + r.Path
			head, get := a.srv.Access()[r.Method+" "+r.Path], a.srv.Access()[key]
			if head.Public != get.Public || strings.Join(head.Roles, ",") != strings.Join(get.Roles, ",") {
				t.Errorf("HEAD %s has another rule than GET", r.Path)
			}
		}
		if !want[key] {
			missing = append(missing, key)
		}
		if _, ok := a.srv.Access()[key]; !ok {
			t.Errorf("route %s has no access rule in routes.go", key)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("route %s is not in routeTable: add it with the roles that may use it", m)
	}
	for _, r := range routeTable {
		key := r.method + " " + r.path
		got, ok := a.srv.Access()[key]
		if !ok {
			t.Errorf("routeTable lists %s but the app has no such route", key)
			continue
		}
		if got.Public != r.public || strings.Join(got.Roles, ",") != strings.Join(r.roles, ",") {
			t.Errorf("%s: app allows %+v, table expects public=%v roles=%v", key, got, r.public, r.roles)
		}
	}
}

func TestRouteAccessByRole(t *testing.T) {
	a := newTestApp(t)
	roles := []string{ambassador, quickwin, steering, adminRole, branchRole, "staff"}
	for _, role := range roles {
		a.user(role+"@example.com", role)
	}
	for _, r := range routeTable {
		if r.path == "/metrics" {
			// Reached by network address or an admin's API token, not by session role:
			// TestMetricsOnlyFromAllowedAddressesOrWithAnAdminToken checks it.
			continue
		}
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			path := samplePath(r.path)
			anon := a.client()
			res := request(anon, r.method, path, "")
			switch {
			case r.public:
				if res.Code == http.StatusForbidden || res.Code == http.StatusSeeOther && strings.HasPrefix(res.Header().Get("Location"), "/login?") {
					t.Errorf("signed out: %d, want access", res.Code)
				}
			case strings.HasPrefix(path, "/api/"):
				if res.Code != http.StatusUnauthorized {
					t.Errorf("signed out: %d, want 401", res.Code)
				}
			default:
				if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/login") {
					t.Errorf("signed out: %d %s, want 303 to /login", res.Code, res.Header().Get("Location"))
				}
			}
			for _, role := range roles {
				allowed := r.public || len(r.roles) == 0 || contains(r.roles, role)
				var res *httptest.ResponseRecorder
				email := role + "@example.com"
				if strings.HasPrefix(path, "/api/") {
					u, _ := a.store.UserByEmail(t.Context(), email)
					res = a.api(r.method, path, a.token(u), map[string]any{})
				} else {
					res = request(a.signIn(email), r.method, path, "")
				}
				code := res.Code
				if allowed && (code == http.StatusForbidden || code == http.StatusUnauthorized && !r.public) {
					t.Errorf("%s: %d, want access", role, code)
				}
				if !allowed && code != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", role, code)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// request sends a GET, or a POST with a valid CSRF token and an empty form.
func request(c *client, method, path, _ string) *httptest.ResponseRecorder {
	if method == http.MethodGet {
		return c.get(path)
	}
	return c.postForm(path, nil)
}

func TestUnknownRouteIsNotFound(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("admin@example.com", adminRole)
	if res := c.get("/no/such/page"); res.Code != http.StatusNotFound {
		t.Fatalf("unknown page: %d, want 404", res.Code)
	}
	if res := c.get("/admin/users/999999"); res.Code != http.StatusNotFound {
		t.Fatalf("missing user: %d, want 404", res.Code)
	}
}
