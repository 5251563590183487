package app

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
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
		if p.Flash != "" {
			p.FlashLink, p.FlashLinkText = s.sessions.PopString(ctx, "flash_link"), s.sessions.PopString(ctx, "flash_link_text")
		}
		p.Nav = s.counts.For(ctx, p.User)
	}
	return p
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
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
		Next: safeNext(c.QueryParam("next"))}))
}

// login signs a user in and renews the session token against fixation.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	email, password := c.FormValue("email"), c.FormValue("password")
	u, err := s.store.Authenticate(ctx, email, password)
	if errors.Is(err, models.ErrNotFound) {
		return render(c, http.StatusUnauthorized, auth.Login(auth.LoginPage{Page: s.page(c, "login.title", ""),
			Email: email, Next: safeNext(c.FormValue("next")), Failed: true}))
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
	if lang != "da" {
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
