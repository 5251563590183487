package app

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/layout"
	"github.com/improvementtracker/tracker/views/pages/auth"
)

// page builds the layout data every page shares.
func (s *Server) page(c echo.Context, titleID, active string) pageData {
	ctx := c.Request().Context()
	t := i18n.FromContext(ctx)
	p := pageData{Title: t.T(titleID), User: currentUser(c), Active: active, Lang: t.Lang,
		Path: c.Request().URL.RequestURI()}
	if tok, ok := c.Get("csrf").(string); ok {
		p.CSRF = tok
	}
	if p.User != nil {
		p.Flash = s.sessions.PopString(ctx, "flash")
		p.Error = s.sessions.PopString(ctx, "flash_error")
		if p.Flash != "" {
			p.FlashLink, p.FlashLinkText = s.sessions.PopString(ctx, "flash_link"), s.sessions.PopString(ctx, "flash_link_text")
		}
		p.Nav = s.navCounts(ctx)
		// One indexed count of this user's unread alerts: the bell must be current.
		p.Unread, _ = s.store.UnreadCount(ctx, p.User.ID)
	}
	return p
}

// pageData is what the layout shows around every page.
type pageData = layout.Page

// navCounts are the navigation's badges. The store keeps them between writes and
// recounts after any (a user's own write always shows on their next page); a page
// whose count fails is shown without badges rather than not at all.
func (s *Server) navCounts(ctx context.Context) layout.NavCounts {
	w, err := s.store.NavCounts(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("navigation counts", "err", err)
		}
		return layout.NavCounts{}
	}
	return layout.NavCounts{FollowUpsDue: w.FollowUpsDue, FollowUpsOverdue: w.FollowUpsOverdue,
		Untriaged: w.Untriaged, Queued: w.Queued, Review: w.Review}
}

// safeNext keeps redirects after sign-in on this site: a path on this host, nothing
// a browser could read as another host. Browsers drop tabs and line breaks from URLs
// and read a backslash as a slash, so "/\t/evil.com" and "/\\evil.com" are
// "//evil.com" to them: any control character or backslash is refused.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') ||
		strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// loginForm shows the sign-in page.
func (s *Server) loginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return render(c, http.StatusOK, auth.Login(auth.LoginPage{Page: s.page(c, "login.title", ""),
		Next: safeNext(c.QueryParam("next")), SSOName: s.ssoButton(c)}))
}

// login signs a user in and renews the session token against fixation. Two limits
// apply: per client address (failures only spend it) and per account (the model's
// growing delay, whatever address the guesses come from). Both answer 429 before the
// password is checked, so the right password does not get through a limit.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	ip := c.RealIP()
	if !s.clients.allowed(ip) {
		return echo.NewHTTPError(http.StatusTooManyRequests, "too_many_attempts")
	}
	email, password := c.FormValue("email"), c.FormValue("password")
	u, err := s.store.Authenticate(ctx, email, password)
	var throttled *models.ThrottledError
	if errors.As(err, &throttled) {
		c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, int(time.Until(throttled.Until).Seconds()+0.999))))
		return echo.NewHTTPError(http.StatusTooManyRequests, "too_many_attempts")
	}
	if errors.Is(err, models.ErrNotFound) {
		s.clients.failed(ip)
		return render(c, http.StatusUnauthorized, auth.Login(auth.LoginPage{Page: s.page(c, "login.title", ""),
			Email: email, Next: safeNext(c.FormValue("next")), Failed: true, SSOName: s.ssoButton(c)}))
	}
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionAuthV, u.AuthVersion)
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

// logout ends the session.
func (s *Server) logout(c echo.Context) error {
	if err := s.sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// switchLanguage stores the language on the user, or in a cookie before sign-in.
func (s *Server) switchLanguage(c echo.Context) error {
	lang := c.FormValue("lang")
	if !i18n.Supported(lang) {
		lang = "en"
	}
	if u := currentUser(c); u != nil {
		if err := s.store.SetLanguage(c.Request().Context(), u.ID, lang); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.CookieSecure})
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

// healthz answers 200 ok when the database answers.
func (s *Server) healthz(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ok")
}

// apiReference returns every reference list.
func (s *Server) apiReference(c echo.Context) error {
	ref, err := s.store.AllReference(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ref)
}
