package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/improvementtracker/tracker/models"
)

// ssoUser is a person at the mock identity provider, with a roles claim in the ID
// token as Entra ID sends app roles.
type ssoUser struct {
	sub, email, name string
	roles            []string
}

func (u ssoUser) ID() string { return u.sub }

func (u ssoUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": u.sub, "email": u.email, "name": u.name})
}

type ssoClaims struct {
	*mockoidc.IDTokenClaims
	Email         string   `json:"email"`
	EmailVerified bool     `json:"email_verified"`
	Name          string   `json:"name"`
	Roles         []string `json:"roles,omitempty"`
}

func (u ssoUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &ssoClaims{IDTokenClaims: base, Email: u.email, EmailVerified: true, Name: u.name, Roles: u.roles}, nil
}

// ssoApp is the real app configured against a real OpenID provider on a local port.
func ssoApp(t *testing.T) (*testApp, *mockoidc.MockOIDC) {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	a := newTestAppWith(t, func(c *Config) {
		c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecret = m.Issuer(), m.ClientID, m.ClientSecret
		c.OIDCName = "Contoso ID"
	})
	return a, m
}

// ssoSignIn walks the browser through the flow: the app's start route, the provider's
// authorization endpoint (over real HTTP), then the app's callback. tamperAuth and
// tamperCallback may change the URLs on the way, as an attacker would.
func ssoSignIn(t *testing.T, c *client, tamperAuth, tamperCallback func(url.Values)) *httptest.ResponseRecorder {
	t.Helper()
	start := c.get("/auth/oidc?next=/feedback")
	if start.Code != http.StatusSeeOther {
		t.Fatalf("start: status %d: %s", start.Code, start.Body.String())
	}
	auth, err := url.Parse(start.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := auth.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		t.Fatalf("authorization request lacks PKCE, nonce or state: %s", auth)
	}
	if tamperAuth != nil {
		tamperAuth(q)
		auth.RawQuery = q.Encode()
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(auth.String())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cb, err := url.Parse(res.Header.Get("Location"))
	if err != nil || cb.Path != "/auth/oidc/callback" {
		t.Fatalf("provider answered %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	if tamperCallback != nil {
		cq := cb.Query()
		tamperCallback(cq)
		cb.RawQuery = cq.Encode()
	}
	return c.get(cb.RequestURI())
}

func TestSingleSignOnCreatesTheUserWithTheMappedRole(t *testing.T) {
	a, m := ssoApp(t)
	c := a.client()
	login := doc(t, c.get("/login"))
	if got := strings.TrimSpace(login.Find("[data-testid=sso-button]").Text()); got != "Sign in with Contoso ID" {
		t.Fatalf("sign-in button = %q", got)
	}
	m.QueueUser(ssoUser{sub: "entra-42", email: "Kari.Nordmann@Bank.example", name: "Kari Nordmann",
		roles: []string{"All-Staff", "Tracker.Steering"}})
	res := ssoSignIn(t, c, nil, nil)
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/feedback" {
		t.Fatalf("callback: %d to %q: %s", res.Code, res.Header().Get("Location"), res.Body.String())
	}
	if got := c.get("/steering").Code; got != http.StatusOK {
		t.Errorf("steering page for a mapped steering member: %d", got)
	}
	if got := c.get("/admin").Code; got != http.StatusForbidden {
		t.Errorf("admin page for a steering member: %d", got)
	}
	u, err := a.store.UserByEmail(context.Background(), "kari.nordmann@bank.example")
	if err != nil {
		t.Fatal(err)
	}
	if u.Roles != "steering" || u.Name != "Kari Nordmann" || u.OIDCSubject == nil || *u.OIDCSubject != "entra-42" {
		t.Errorf("created user = %+v", u)
	}

	// The next sign-in finds the same user by subject and takes the roles the provider
	// gives now.
	m.QueueUser(ssoUser{sub: "entra-42", email: "kari.nordmann@bank.example", name: "Kari Nordmann",
		roles: []string{"tracker-ambassador"}})
	c2 := a.client()
	if res := ssoSignIn(t, c2, nil, nil); res.Code != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d", res.Code)
	}
	if got := c2.get("/follow-ups").Code; got != http.StatusOK {
		t.Errorf("follow-ups for the new ambassador role: %d", got)
	}
	if got := c2.get("/steering").Code; got != http.StatusForbidden {
		t.Errorf("steering after the role was taken away at the provider: %d", got)
	}
}

// signedOut reports whether a client is still anonymous.
func signedOut(c *client) bool { return c.get("/").Code == http.StatusSeeOther }

func TestSingleSignOnRefusesTamperedStateWrongNonceAndExpiredToken(t *testing.T) {
	a, m := ssoApp(t)
	kari := ssoUser{sub: "s-1", email: "kari@bank.example", name: "Kari", roles: []string{"ambassador"}}

	t.Run("tampered state", func(t *testing.T) {
		c := a.client()
		m.QueueUser(kari)
		res := ssoSignIn(t, c, nil, func(q url.Values) { q.Set("state", q.Get("state")+"x") })
		if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "could not be matched") {
			t.Fatalf("tampered state: %d %s", res.Code, res.Body.String())
		}
		if !signedOut(c) {
			t.Error("signed in despite a tampered state")
		}
	})
	t.Run("callback without a started sign-in", func(t *testing.T) {
		c := a.client()
		res := c.get("/auth/oidc/callback?code=abc&state=abc")
		if res.Code != http.StatusForbidden || !signedOut(c) {
			t.Fatalf("forged callback: %d", res.Code)
		}
	})
	t.Run("wrong nonce", func(t *testing.T) {
		c := a.client()
		m.QueueUser(kari)
		res := ssoSignIn(t, c, func(q url.Values) { q.Set("nonce", "replayed-nonce") }, nil)
		if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "could not be verified") {
			t.Fatalf("wrong nonce: %d %s", res.Code, res.Body.String())
		}
		if !signedOut(c) {
			t.Error("signed in despite a wrong nonce")
		}
	})
	t.Run("expired token", func(t *testing.T) {
		c := a.client()
		m.QueueUser(kari)
		m.FastForward(-time.Hour) // the provider issues a token that expired 50 minutes ago
		defer m.FastForward(time.Hour)
		res := ssoSignIn(t, c, nil, nil)
		if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "could not be verified") {
			t.Fatalf("expired token: %d %s", res.Code, res.Body.String())
		}
		if !signedOut(c) {
			t.Error("signed in with an expired token")
		}
	})
	t.Run("the same flow untampered signs in", func(t *testing.T) {
		c := a.client()
		m.QueueUser(kari)
		if res := ssoSignIn(t, c, nil, nil); res.Code != http.StatusSeeOther || signedOut(c) {
			t.Fatalf("untampered: %d", res.Code)
		}
	})
}

func TestSingleSignOnRefusesWithoutRoleAndDeactivatedUsers(t *testing.T) {
	a, m := ssoApp(t)

	// No role maps: a clear page in the reader's language, and no user is created.
	c := a.client()
	c.cookies["lang"] = &http.Cookie{Name: "lang", Value: "nb"}
	m.QueueUser(ssoUser{sub: "s-2", email: "ola@bank.example", name: "Ola", roles: []string{"finance", "all-staff"}})
	res := ssoSignIn(t, c, nil, nil)
	if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "ingen av gruppene dine gir tilgang") {
		t.Fatalf("no role: %d %s", res.Code, res.Body.String())
	}
	if _, err := a.store.UserByEmail(context.Background(), "ola@bank.example"); err == nil {
		t.Error("a user without a role was created")
	}

	// A user an admin deactivated stays out, whatever the provider's roles say.
	admin := a.user("admin@bank.example", models.RoleAdmin)
	u := a.user("per@bank.example", models.RoleAmbassador)
	if err := a.store.UpdateUser(context.Background(), u.ID, models.UserChange{Name: u.Name,
		Roles: u.RoleList(), Lang: "en", Active: false}, admin); err != nil {
		t.Fatal(err)
	}
	c = a.client()
	m.QueueUser(ssoUser{sub: "s-3", email: "per@bank.example", name: "Per", roles: []string{"ambassador"}})
	res = ssoSignIn(t, c, nil, nil)
	if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "has been deactivated") {
		t.Fatalf("deactivated: %d %s", res.Code, res.Body.String())
	}
	if !signedOut(c) {
		t.Error("a deactivated user was signed in")
	}
}

func TestAdminTurnsSingleSignOnOff(t *testing.T) {
	a, _ := ssoApp(t)
	admin := a.signIn("admin@bank.example", models.RoleAdmin)
	if doc(t, admin.get("/admin/settings")).Find("[data-testid=sso-setting] input[name=enabled][checked]").Length() != 1 {
		t.Fatal("the settings page does not show single sign-on as on")
	}
	res := admin.postForm("/admin/settings/sso", url.Values{})
	if res.Code != http.StatusSeeOther || admin.flashOf(res) == "" {
		t.Fatalf("switch off: %d", res.Code)
	}
	anon := a.client()
	if doc(t, anon.get("/login")).Find("[data-testid=sso-button]").Length() != 0 {
		t.Error("the sign-in button is still shown")
	}
	if got := anon.get("/auth/oidc").Code; got != http.StatusNotFound {
		t.Errorf("start of a switched-off sign-on: %d", got)
	}
	admin.postForm("/admin/settings/sso", url.Values{"enabled": {"on"}})
	if doc(t, anon.get("/login")).Find("[data-testid=sso-button]").Length() != 1 {
		t.Error("the sign-in button is not back")
	}
}

func TestSignInPageHasNoSingleSignOnWhenNotConfigured(t *testing.T) {
	a := newTestApp(t)
	if doc(t, a.client().get("/login")).Find("[data-testid=sso-button]").Length() != 0 {
		t.Error("a sign-in button without OIDC_ISSUER")
	}
	if got := a.client().get("/auth/oidc").Code; got != http.StatusNotFound {
		t.Errorf("/auth/oidc without OIDC_ISSUER: %d", got)
	}
}
