package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestUnknownMethodsAre405: a method a route does not have answers 405 with Allow,
// not 403; HEAD answers like GET.
func TestUnknownMethodsAre405(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, "PROPFIND"} {
		for _, path := range []string{"/feedback", "/login", "/admin/users"} {
			res := c.do(httptest.NewRequest(m, path, nil))
			if res.Code != http.StatusMethodNotAllowed || !strings.Contains(res.Header().Get("Allow"), "GET") {
				t.Errorf("%s %s: %d (Allow %q), want 405", m, path, res.Code, res.Header().Get("Allow"))
			}
		}
	}
	if res := c.do(httptest.NewRequest(http.MethodHead, "/feedback", nil)); res.Code != http.StatusOK {
		t.Errorf("HEAD /feedback: %d, want 200 like GET", res.Code)
	}
	if res := a.client().do(httptest.NewRequest(http.MethodHead, "/healthz", nil)); res.Code != http.StatusOK {
		t.Errorf("HEAD /healthz: %d", res.Code)
	}
	if res := c.do(httptest.NewRequest(http.MethodGet, "/admin/users", nil)); res.Code != http.StatusForbidden {
		t.Errorf("a role refusal must stay 403: %d", res.Code)
	}
}

// TestSignedInPagesAreNotStored: pages and API answers for a signed-in user carry
// Cache-Control: no-store; static files stay cacheable.
func TestSignedInPagesAreNotStored(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	for _, path := range []string{"/", "/feedback", "/feedback/export.csv", "/reports"} {
		if got := c.get(path).Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, got)
		}
	}
	u, _ := a.store.UserByEmail(t.Context(), "amb@example.com")
	if got := a.api(http.MethodGet, "/api/v1/feedback", a.token(u), nil).Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("API: Cache-Control %q", got)
	}
	if got := c.get("/static/app.css").Header().Get("Cache-Control"); !strings.HasPrefix(got, "public") {
		t.Errorf("static file: Cache-Control %q", got)
	}
}

// TestStaticFolderIsNotListed: /static/ and its sub-folders answer 404, files work.
func TestStaticFolderIsNotListed(t *testing.T) {
	a := newTestApp(t)
	c := a.client()
	for _, path := range []string{"/static/", "/static/vendor/", "/static/vendor", "/static/../"} {
		if res := c.get(path); res.Code != http.StatusNotFound || strings.Contains(res.Body.String(), "app.css") {
			t.Errorf("%s: %d, want 404 without a listing", path, res.Code)
		}
	}
	if res := c.get("/static/app.css"); res.Code != http.StatusOK {
		t.Errorf("a static file: %d", res.Code)
	}
}
