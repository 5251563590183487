package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// TestTokenLifecycle: a token's use is noted (once a minute at most), an admin sees it
// and revokes it; a password reset and a deactivation revoke the user's tokens, and a
// reactivation does not bring them back; an expired token stops working.
func TestTokenLifecycle(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a.store.Now = func() time.Time { return now }
	amb := a.user("amb@example.com", ambassador)
	admin := a.signIn("admin@example.com", adminRole)
	tok := a.token(amb)
	if res := a.api(http.MethodGet, "/api/v1/reference", tok, nil); res.Code != http.StatusOK {
		t.Fatalf("api: %d", res.Code)
	}
	lastUsed := func() *time.Time {
		ts, err := a.store.Tokens(ctx, amb.ID)
		if err != nil || len(ts) == 0 {
			t.Fatalf("tokens: %v", err)
		}
		return ts[0].LastUsedAt
	}
	if lu := lastUsed(); lu == nil || !lu.Equal(now) {
		t.Fatalf("last_used_at = %v, want %v", lu, now)
	}
	now = now.Add(30 * time.Second)
	a.api(http.MethodGet, "/api/v1/reference", tok, nil)
	if lu := lastUsed(); !lu.Equal(now.Add(-30 * time.Second)) {
		t.Errorf("written again within a minute: %v", lu)
	}
	now = now.Add(31 * time.Second)
	a.api(http.MethodGet, "/api/v1/reference", tok, nil)
	if lu := lastUsed(); !lu.Equal(now) {
		t.Errorf("not written after a minute: %v", lu)
	}

	page := doc(t, admin.get("/admin/tokens"))
	if page.Find("[data-testid=token]").Length() != 1 || strings.Contains(page.Find("[data-testid=last-used]").Text(), "never") {
		t.Fatalf("the admin page should list the token with its last use: %s", page.Find("table").Text())
	}
	id, _ := page.Find("[data-testid=token]").Attr("data-id")
	res := admin.postForm("/admin/tokens/"+id+"/revoke", nil)
	if res.Code != http.StatusSeeOther || !strings.Contains(admin.flashOf(res), "revoked") {
		t.Fatalf("revoke: %d", res.Code)
	}
	if res := a.api(http.MethodGet, "/api/v1/reference", tok, nil); res.Code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", res.Code)
	}

	// A password reset revokes the user's tokens.
	tok2 := a.token(amb)
	if res := admin.postForm("/admin/users/"+itoa64(amb.ID)+"/password", url.Values{"password": {"another-pass-phrase-7"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Code)
	}
	if res := a.api(http.MethodGet, "/api/v1/reference", tok2, nil); res.Code != http.StatusUnauthorized {
		t.Errorf("token after a password reset: %d, want 401", res.Code)
	}
	// Deactivation revokes them; reactivation does not bring them back.
	tok3 := a.token(amb)
	edit := func(active string) {
		form := url.Values{"name": {"amb"}, "roles": {ambassador}, "lang": {"en"}}
		if active != "" {
			form.Set("active", active)
		}
		if res := admin.postForm("/admin/users/"+itoa64(amb.ID), form); res.Code != http.StatusSeeOther {
			t.Fatalf("edit user: %d %s", res.Code, res.Body)
		}
	}
	edit("")
	edit("true")
	if res := a.api(http.MethodGet, "/api/v1/reference", tok3, nil); res.Code != http.StatusUnauthorized {
		t.Errorf("token after deactivation and reactivation: %d, want 401", res.Code)
	}
	// An expired token stops working.
	soon := now.Add(time.Hour)
	tok4, _, err := a.store.CreateTokenExpiring(ctx, amb.ID, "short", &soon)
	if err != nil {
		t.Fatal(err)
	}
	if res := a.api(http.MethodGet, "/api/v1/reference", tok4, nil); res.Code != http.StatusOK {
		t.Fatalf("fresh token: %d", res.Code)
	}
	now = now.Add(2 * time.Hour)
	if res := a.api(http.MethodGet, "/api/v1/reference", tok4, nil); res.Code != http.StatusUnauthorized {
		t.Errorf("expired token: %d, want 401", res.Code)
	}
	page = doc(t, admin.get("/admin/tokens"))
	if n := page.Find("[data-testid=revoke]").Length(); n != 0 {
		t.Errorf("%d tokens still offer a revoke button; all are revoked or expired", n)
	}
}

func TestParseTokenLifetime(t *testing.T) {
	now := time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"90d": now.AddDate(0, 0, 90), "2w": now.AddDate(0, 0, 14), "6m": now.AddDate(0, 6, 0),
		"1y": now.AddDate(1, 0, 0), "36h": now.Add(36 * time.Hour),
	} {
		if got, err := models.ParseTokenLifetime(now, in); err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0d", "-5d", "soon", "6y", "d"} {
		if _, err := models.ParseTokenLifetime(now, bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSessionsAreStoredHashed: the cookie's token is not in the sessions table, so a
// copy of the database cannot be used to take over a session.
func TestSessionsAreStoredHashed(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	cookie := c.cookies["tracker_session"].Value
	var n int64
	a.store.Reader(context.Background()).Table("sessions").Where("token = ?", cookie).Count(&n)
	if n != 0 {
		t.Fatal("the session token is stored in clear")
	}
	a.store.Reader(context.Background()).Table("sessions").Where("token = ?", sha256Hex(cookie)).Count(&n)
	if n != 1 {
		t.Fatal("the session is not stored under its hash")
	}
	if res := c.get("/"); res.Code != http.StatusOK {
		t.Fatalf("the session does not work: %d", res.Code)
	}
}

// TestLastAdminKeepsTheRole: the only active admin cannot remove their own admin role
// or deactivate themselves; with a second admin they can.
func TestLastAdminKeepsTheRole(t *testing.T) {
	a := newTestApp(t)
	me := a.user("admin@example.com", adminRole, steering)
	c := a.signIn("admin@example.com")
	path := "/admin/users/" + itoa64(me.ID)
	res := c.postForm(path, url.Values{"name": {"Admin"}, "roles": {steering}, "lang": {"en"}, "active": {"true"}})
	if res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "last active admin") {
		t.Fatalf("dropping the last admin role: %d", res.Code)
	}
	res = c.postForm(path, url.Values{"name": {"Admin"}, "roles": {adminRole, steering}, "lang": {"en"}})
	if res.Code != http.StatusBadRequest || doc(t, res).Find("[data-testid=error-active]").Length() != 1 {
		t.Fatalf("deactivating the last admin: %d", res.Code)
	}
	if u, _ := a.store.UserByID(context.Background(), me.ID); !u.Active || !u.Has(adminRole) {
		t.Fatal("the last admin lost the role")
	}
	modeltest.User(t, a.store, "second@example.com", adminRole)
	res = c.postForm(path, url.Values{"name": {"Admin"}, "roles": {steering}, "lang": {"en"}, "active": {"true"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("with a second admin: %d", res.Code)
	}
}
