package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages"
)

// Session keys of a single sign-on in progress: what the callback must see again.
const (
	sessionOIDCState    = "oidc_state"
	sessionOIDCNonce    = "oidc_nonce"
	sessionOIDCVerifier = "oidc_verifier"
	sessionOIDCNext     = "oidc_next"
)

// oidcClient signs users in through the company's OpenID Connect provider (Entra ID,
// Okta, Keycloak): the authorization code flow with PKCE, a state against forged
// callbacks and a nonce against replayed ID tokens. The provider's discovery document
// is read on first use and kept, so the app starts even while the provider is down.
type oidcClient struct {
	cfg  Config
	http *http.Client
	// now is the clock the ID token's expiry is checked against.
	now func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
}

func newOIDCClient(cfg Config) *oidcClient {
	if cfg.OIDCIssuer == "" {
		return nil
	}
	return &oidcClient{cfg: cfg, http: &http.Client{Timeout: 10 * time.Second}, now: time.Now}
}

// discover returns the provider, reading its discovery document once it answers.
func (o *oidcClient) discover() (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	// The provider keeps this context for fetching its signing keys later: it must not
	// end with the request that happened to discover it.
	p, err := oidc.NewProvider(oidc.ClientContext(context.Background(), o.http), o.cfg.OIDCIssuer)
	if err != nil {
		return nil, fmt.Errorf("app: oidc discovery of %s: %w", o.cfg.OIDCIssuer, err)
	}
	o.provider = p
	return p, nil
}

func (o *oidcClient) oauth2Config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     o.cfg.OIDCClientID,
		ClientSecret: o.cfg.OIDCClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  strings.TrimRight(o.cfg.BaseURL, "/") + "/auth/oidc/callback",
		Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

// randomToken returns 32 random bytes, URL-safe: a state or a nonce.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ssoOn reports whether the sign-in page offers single sign-on: configured, and not
// switched off by an admin.
func (s *Server) ssoOn(ctx context.Context) bool {
	if s.oidc == nil {
		return false
	}
	on, err := s.store.SSOEnabled(ctx)
	return err == nil && on
}

// ssoName is the provider's name on the sign-in button: OIDC_NAME, else the host of
// the issuer.
func (s *Server) ssoName() string {
	if s.cfg.OIDCName != "" {
		return s.cfg.OIDCName
	}
	if u, err := url.Parse(s.cfg.OIDCIssuer); err == nil && u.Host != "" {
		return u.Host
	}
	return s.cfg.OIDCIssuer
}

// ssoButton is the provider's name when the sign-in page should offer it, else "".
func (s *Server) ssoButton(c echo.Context) string {
	if !s.ssoOn(c.Request().Context()) {
		return ""
	}
	return s.ssoName()
}

// oidcStart sends the browser to the identity provider.
func (s *Server) oidcStart(c echo.Context) error {
	ctx := c.Request().Context()
	if !s.ssoOn(ctx) {
		return echo.ErrNotFound
	}
	p, err := s.oidc.discover()
	if err != nil {
		return err
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	s.sessions.Put(ctx, sessionOIDCState, state)
	s.sessions.Put(ctx, sessionOIDCNonce, nonce)
	s.sessions.Put(ctx, sessionOIDCVerifier, verifier)
	s.sessions.Put(ctx, sessionOIDCNext, safeNext(c.QueryParam("next")))
	to := s.oidc.oauth2Config(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
	return c.Redirect(http.StatusSeeOther, to)
}

// oidcCallback takes the provider's answer: it checks the state, redeems the code
// with the PKCE verifier, verifies the ID token (signature, issuer, audience, expiry)
// and its nonce, then signs the user in, creating them on their first visit.
func (s *Server) oidcCallback(c echo.Context) error {
	ctx := c.Request().Context()
	if !s.ssoOn(ctx) {
		return echo.ErrNotFound
	}
	// Each value is good for one answer: taken out of the session whatever happens next.
	state := s.sessions.PopString(ctx, sessionOIDCState)
	nonce := s.sessions.PopString(ctx, sessionOIDCNonce)
	verifier := s.sessions.PopString(ctx, sessionOIDCVerifier)
	next := s.sessions.PopString(ctx, sessionOIDCNext)
	if state == "" || c.QueryParam("state") != state {
		return s.ssoRefused(c, "sso.refused_state", "state mismatch")
	}
	if e := c.QueryParam("error"); e != "" {
		return s.ssoRefused(c, "sso.refused_provider", "provider error: "+e)
	}
	p, err := s.oidc.discover()
	if err != nil {
		return err
	}
	exchangeCtx := context.WithValue(ctx, oauth2.HTTPClient, s.oidc.http)
	tok, err := s.oidc.oauth2Config(p).Exchange(exchangeCtx, c.QueryParam("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return s.ssoRefused(c, "sso.refused_token", "code exchange: "+err.Error())
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return s.ssoRefused(c, "sso.refused_token", "no id_token in the token response")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.cfg.OIDCClientID, Now: s.oidc.now}).Verify(ctx, raw)
	if err != nil {
		return s.ssoRefused(c, "sso.refused_token", "id token: "+err.Error())
	}
	if idt.Nonce == "" || idt.Nonce != nonce {
		return s.ssoRefused(c, "sso.refused_token", "nonce mismatch")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return s.ssoRefused(c, "sso.refused_token", "claims: "+err.Error())
	}
	id := identityFromClaims(claims, idt.Subject, s.cfg.OIDCRolesClaim)
	if id.Lang == "" {
		id.Lang = i18n.FromContext(ctx).Lang
	}
	if v, ok := claims["email_verified"].(bool); ok && !v {
		return s.ssoRefused(c, "sso.refused_email", "e-mail not verified")
	}
	u, err := s.store.SignInOIDC(ctx, id)
	var ve *models.ValidationError
	switch {
	case errors.Is(err, models.ErrNoRole):
		return s.ssoRefused(c, "sso.refused_no_role", "no role maps for "+id.Email)
	case errors.Is(err, models.ErrDeactivated):
		return s.ssoRefused(c, "sso.refused_deactivated", "deactivated user "+id.Email)
	case errors.As(err, &ve):
		return s.ssoRefused(c, "sso.refused_email", "no usable e-mail claim")
	case err != nil:
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionAuthV, u.AuthVersion)
	return c.Redirect(http.StatusSeeOther, safeNext(next))
}

// ssoRefused shows why a single sign-on was refused, in the reader's language, and
// logs the technical reason for the administrators (never shown to the person).
func (s *Server) ssoRefused(c echo.Context, msgID, reason string) error {
	ctx := c.Request().Context()
	s.log.WarnContext(ctx, "single sign-on refused", "request_id", RequestID(ctx), "reason", reason)
	t := i18n.FromContext(ctx)
	return render(c, http.StatusForbidden, pages.Error(pages.ErrorPage{Status: http.StatusForbidden,
		Title: t.T("sso.refused_title"), Message: t.T(msgID)}))
}

// identityFromClaims reads the person from the ID token's claims. rolesClaim may be a
// dotted path into nested claims (Keycloak's "realm_access.roles"); its value may be a
// list of strings or one string of values separated by spaces or commas.
func identityFromClaims(claims map[string]any, subject, rolesClaim string) models.OIDCIdentity {
	str := func(k string) string { v, _ := claims[k].(string); return strings.TrimSpace(v) }
	id := models.OIDCIdentity{Subject: subject, Email: str("email"), Name: str("name")}
	if id.Email == "" {
		// Entra ID puts the sign-in address here when no e-mail claim is configured.
		id.Email = str("preferred_username")
	}
	if id.Name == "" {
		id.Name = strings.TrimSpace(str("given_name") + " " + str("family_name"))
	}
	lang, _, _ := strings.Cut(strings.ToLower(str("locale")), "-")
	if lang == "no" || lang == "nn" {
		lang = "nb"
	}
	if i18n.Supported(lang) {
		id.Lang = lang
	}
	var v any = claims
	for _, part := range strings.Split(rolesClaim, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			v = nil
			break
		}
		v = m[part]
	}
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				id.Roles = append(id.Roles, s)
			}
		}
	case string:
		id.Roles = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
	}
	id.Roles = models.MapRoles(id.Roles)
	return id
}
