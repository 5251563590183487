package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// TestNULIsRefusedInEveryInput: a NUL character in a form field, a query or any string
// of a JSON body is a 400 naming the field, and nothing is stored; an imported row with
// one is rejected with its reason.
func TestNULIsRefusedInEveryInput(t *testing.T) {
	a := newTestApp(t)
	amb := a.signIn("amb@example.com", ambassador)
	before := tableCounts(t, a)
	res := amb.postForm("/feedback/new", url.Values{"nps": {"3"}, "channel": {"phone"}, "comment": {"bad\x00byte"}})
	if res.Code != http.StatusBadRequest || doc(t, res).Find("[data-testid=error-comment]").Length() != 1 {
		t.Errorf("form with NUL: %d, want 400 naming comment", res.Code)
	}
	if res := amb.get("/feedback?q=a%00b"); res.Code != http.StatusBadRequest || doc(t, res).Find("[data-testid=error-q]").Length() != 1 {
		t.Errorf("query with NUL: %d, want 400 naming q", res.Code)
	}
	u, _ := a.store.UserByEmail(context.Background(), "amb@example.com")
	res = a.api(http.MethodPost, "/api/v1/feedback", a.token(u), map[string]any{"channel": "phone", "nps": 3,
		"comment": "ok", "customer_name": "Nul\x00Person"})
	if res.Code != http.StatusBadRequest || decode[apiError](t, res).Fields["customer_name"] != "no_nul" {
		t.Errorf("API with NUL: %d %s", res.Code, res.Body)
	}
	after := tableCounts(t, a)
	if after["feedback"] != before["feedback"] {
		t.Error("feedback with a NUL was stored")
	}
	d := doc(t, amb.upload("/feedback/import", "survey.csv", "received_at,channel,nps,comment\n2026-03-02,survey,9,a\x00b\n", nil))
	if got := d.Find("[data-testid=rejected-row]").Text(); !strings.Contains(got, "NUL") {
		t.Errorf("imported row with NUL: %q", got)
	}
}

// TestReceivedAtMustBeSane: received times before the year 2000 or in the future are
// field errors on the form, the API (the zero time included, which was stored as
// "now") and the import.
func TestReceivedAtMustBeSane(t *testing.T) {
	a := newTestApp(t)
	a.store.Now = func() time.Time { return time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) }
	amb := a.signIn("amb@example.com", ambassador)
	for _, v := range []string{"0000-01-01T10:00", "1970-01-01T00:00", "1999-12-31T23:00", "2030-01-01T10:00"} {
		res := amb.postForm("/feedback/new", url.Values{"nps": {"3"}, "channel": {"phone"}, "comment": {"x"}, "received_at": {v}})
		if res.Code != http.StatusBadRequest || doc(t, res).Find("[data-testid=error-received_at]").Length() != 1 {
			t.Errorf("form received_at %s: %d, want 400 with a field error", v, res.Code)
		}
	}
	u, _ := a.store.UserByEmail(context.Background(), "amb@example.com")
	tok := a.token(u)
	for _, v := range []string{"0001-01-01T00:00:00Z", "0001-01-01", "1970-01-01", "2099-01-01"} {
		res := a.api(http.MethodPost, "/api/v1/feedback", tok, map[string]any{"channel": "phone", "nps": 3, "received_at": v})
		if res.Code != http.StatusBadRequest || decode[apiError](t, res).Fields["received_at"] == "" {
			t.Errorf("API received_at %s: %d %s", v, res.Code, res.Body)
		}
	}
	if res := a.api(http.MethodPost, "/api/v1/feedback", tok, map[string]any{"channel": "phone", "nps": 3, "received_at": "2026-03-01"}); res.Code != http.StatusCreated {
		t.Errorf("a sane date: %d %s", res.Code, res.Body)
	}
	d := doc(t, amb.upload("/feedback/import", "survey.csv", "received_at,channel,nps\n1970-01-01,survey,9\n0001-01-01T00:00:00Z,survey,9\n", nil))
	if n := d.Find("[data-testid=rejected-row]").Length(); n != 2 {
		t.Errorf("imported rows of 1970 and year 1: %d rejected, want 2", n)
	}
}

// TestEmailLengthIsLimited: an address over 254 characters is refused for a customer
// and for a user.
func TestEmailLengthIsLimited(t *testing.T) {
	a := newTestApp(t)
	long := strings.Repeat("a", 990) + "@example.com"
	u := a.user("amb@example.com", ambassador)
	res := a.api(http.MethodPost, "/api/v1/feedback", a.token(u), map[string]any{"channel": "phone", "nps": 3,
		"customer_email": long})
	if res.Code != http.StatusBadRequest || decode[apiError](t, res).Fields["customer_email"] != "too_long" {
		t.Errorf("a 1,002-character customer e-mail: %d %s", res.Code, res.Body)
	}
	admin := a.signIn("admin@example.com", adminRole)
	res = admin.postForm("/admin/users", url.Values{"email": {long}, "name": {"Long"}, "password": {"tracker-test-2026"},
		"roles": {ambassador}, "lang": {"en"}})
	if res.Code != http.StatusBadRequest {
		t.Errorf("a 1,002-character user e-mail: %d", res.Code)
	}
	if _, err := a.store.UserByEmail(context.Background(), long); err == nil {
		t.Error("the user was created")
	}
	ok := strings.Repeat("b", models.MaxEmailLength-len("@example.com")) + "@example.com" // exactly the limit
	if res := a.api(http.MethodPost, "/api/v1/feedback", a.token(u), map[string]any{"channel": "phone", "nps": 3,
		"customer_email": ok}); res.Code != http.StatusCreated {
		t.Errorf("an address of exactly %d characters: %d %s", models.MaxEmailLength, res.Code, res.Body)
	}
}

// TestContactOnlyForRolesThatUseIt: the quick-win team sees and exports no customer
// contact (page, CSV, API); an ambassador does.
func TestContactOnlyForRolesThatUseIt(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	fb := a.feedbackAt(amb, cphTime(2026, time.March, 2, 10, 0), models.NewFeedback{NPS: score(3), Comment: "Slow",
		CustomerName: "Karen Holm", CustomerEmail: "karen@kunde.example", Consent: true})
	qw := a.signIn("qw@example.com", quickwin)
	qwUser, _ := a.store.UserByEmail(context.Background(), "qw@example.com")
	page := qw.get("/feedback/" + itoa64(fb.ID))
	if page.Code != http.StatusOK || strings.Contains(page.Body.String(), "karen") || strings.Contains(page.Body.String(), "Karen Holm") {
		t.Errorf("the quick-win team sees the contact on the page (%d)", page.Code)
	}
	if csv := qw.get("/feedback/export.csv").Body.String(); !strings.Contains(csv, "Slow") || strings.Contains(csv, "karen") {
		t.Errorf("the quick-win team exports the contact:\n%s", csv)
	}
	tok := a.token(qwUser)
	for _, path := range []string{"/api/v1/feedback", "/api/v1/feedback/" + itoa64(fb.ID)} {
		if body := a.api(http.MethodGet, path, tok, nil).Body.String(); strings.Contains(body, "karen") || !strings.Contains(body, "Slow") {
			t.Errorf("%s shows the quick-win team the contact: %s", path, body)
		}
	}
	ambC := a.signIn("amb@example.com")
	if !strings.Contains(ambC.get("/feedback/"+itoa64(fb.ID)).Body.String(), "karen@kunde.example") {
		t.Error("an ambassador does not see the contact")
	}
	if !strings.Contains(ambC.get("/feedback/export.csv").Body.String(), "karen@kunde.example") {
		t.Error("an ambassador does not export the contact")
	}
	if !strings.Contains(a.api(http.MethodGet, "/api/v1/feedback", a.token(amb), nil).Body.String(), "karen@kunde.example") {
		t.Error("the API does not give an ambassador the contact")
	}
}
