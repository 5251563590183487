package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// Access says who may use a route: anyone (Public), any signed-in user (no Roles), or
// only users holding one of Roles.
type Access struct {
	Public bool
	Roles  []string
}

var (
	public   = Access{Public: true}
	signedIn = Access{}
)

func only(roles ...string) Access { return Access{Roles: roles} }

// route registers a handler together with its access rule, so routes.go is the one
// place that answers "who may do what".
func (s *Server) route(g interface {
	Add(string, string, echo.HandlerFunc, ...echo.MiddlewareFunc) *echo.Route
}, method, path string, a Access, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	r := g.Add(method, path, h, m...)
	s.access[method+" "+r.Path] = a
	if method == http.MethodGet {
		// HEAD answers like GET, as HTTP expects; net/http sends no body for it.
		g.Add(http.MethodHead, path, h, m...)
		s.access[http.MethodHead+" "+r.Path] = a
	}
}

const (
	ctxUser       = "user"
	sessionUserID = "user_id"
	sessionAuthV  = "auth_version"
)

// authorize runs after routing: it finds the rule of the matched route, identifies the
// user (session for pages, bearer token for the API) and refuses what the rule does
// not allow. A route without a rule is refused.
func (s *Server) authorize(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isStatic(c) {
			return next(c)
		}
		// The user and their language come first, so that even the page of an unknown
		// address or a refused route is in the reader's language.
		user, err := s.identify(c)
		if err != nil {
			return err
		}
		if user != nil {
			c.Set(ctxUser, user)
			// The store keeps figures between writes; this makes everything it computes
			// for the request include the user's own writes (read-your-writes).
			c.SetRequest(c.Request().WithContext(store.WithLastWrite(store.ForUser(c.Request().Context(), user.ID), user.LastWriteAt, user.LastWriteBy, user.ElsewhereWriteAt)))
			// Pages and answers for a signed-in user hold what only that user may see
			// (customers' names among them): no browser or proxy may keep a copy.
			c.Response().Header().Set("Cache-Control", "no-store")
		}
		s.setLanguage(c, user)
		rule, ok := s.access[c.Request().Method+" "+c.Path()]
		if !ok {
			if c.Path() == "" || c.Path() == "/*" {
				return echo.ErrNotFound
			}
			return echo.ErrForbidden
		}
		if rule.Public {
			return next(c)
		}
		if user == nil {
			if isAPI(c) {
				return echo.NewHTTPError(http.StatusUnauthorized, "unauthorized")
			}
			return s.redirectToLogin(c)
		}
		if len(rule.Roles) > 0 && !user.Has(rule.Roles...) {
			return echo.ErrForbidden
		}
		return next(c)
	}
}

// allowedMethods lists the methods that path has a route for ("GET, POST"), HEAD
// with GET; empty when it has none.
func (s *Server) allowedMethods(path string) string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if _, ok := s.access[m+" "+path]; ok {
			out = append(out, m)
			if m == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	return strings.Join(out, ", ")
}

// methodAllowed answers 405, with the methods the path has, to a method no route of
// that path has (PUT, DELETE, PROPFIND...). It runs before the session and the CSRF
// check, which would otherwise answer 400 or 403 to what is simply a wrong method.
func (s *Server) methodAllowed(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isStatic(c) || c.Path() == "" || c.Path() == "/*" {
			return next(c)
		}
		if _, ok := s.access[c.Request().Method+" "+c.Path()]; ok {
			return next(c)
		}
		if allow := s.allowedMethods(c.Path()); allow != "" {
			c.Response().Header().Set("Allow", allow)
			return echo.ErrMethodNotAllowed
		}
		return next(c)
	}
}

// identify returns the signed-in user or nil. A session whose user was deactivated or
// had a password reset (a new auth version) is destroyed on the spot.
func (s *Server) identify(c echo.Context) (*models.User, error) {
	ctx := c.Request().Context()
	if isAPI(c) {
		h := c.Request().Header.Get("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			return nil, nil
		}
		u, err := s.store.UserByToken(ctx, strings.TrimSpace(token))
		if errors.Is(err, models.ErrNotFound) {
			return nil, nil
		}
		return u, err
	}
	if c.Path() == "/healthz" || c.Path() == "/metrics" {
		return nil, nil
	}
	id := s.sessions.GetInt64(ctx, sessionUserID)
	if id == 0 {
		return nil, nil
	}
	u := store.SessionUser(ctx, id)
	var err error
	if u == nil {
		u, err = s.store.UserByID(ctx, id)
	}
	if errors.Is(err, models.ErrNotFound) || (err == nil && (!u.Active || u.AuthVersion != s.sessions.GetInt(ctx, sessionAuthV))) {
		return nil, s.sessions.Destroy(ctx)
	}
	return u, err
}

func (s *Server) redirectToLogin(c echo.Context) error {
	next := c.Request().URL.RequestURI()
	if c.Request().Method != http.MethodGet {
		next = "/"
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", "/login")
		return c.NoContent(http.StatusUnauthorized)
	}
	return c.Redirect(http.StatusSeeOther, "/login?next="+urlQueryEscape(next))
}

// setLanguage picks the user's stored language, else the lang cookie, else the
// browser's preference.
func (s *Server) setLanguage(c echo.Context, u *models.User) {
	lang := ""
	ck, ckErr := c.Cookie("lang")
	if u != nil {
		lang = u.Lang
		// The cookie follows the user's language, so pages answered before the session
		// is read (a body over the limit, 413) are in that language too.
		if ckErr != nil || ck.Value != lang {
			c.SetCookie(&http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.CookieSecure})
		}
	} else if ckErr == nil {
		lang = ck.Value
	} else {
		lang = browserLanguage(c.Request().Header.Get("Accept-Language"))
	}
	ctx := i18n.WithLocation(i18n.WithTranslator(c.Request().Context(), i18n.For(lang)), s.store.Location)
	c.SetRequest(c.Request().WithContext(ctx))
}

// browserLanguage picks the first language of an Accept-Language header that the app
// speaks: "da", or "nb" for any Norwegian ("nb", "no", "nn"; a Nynorsk reader reads
// bokmål far better than English). Anything else is English.
func browserLanguage(header string) string {
	first, _, _ := strings.Cut(strings.ToLower(header), ",")
	first, _, _ = strings.Cut(strings.TrimSpace(first), ";")
	switch base, _, _ := strings.Cut(first, "-"); base {
	case "da":
		return "da"
	case "nb", "no", "nn":
		return "nb"
	}
	return "en"
}

// currentUser returns the signed-in user; authorize guarantees one on non-public routes.
func currentUser(c echo.Context) *models.User {
	u, _ := c.Get(ctxUser).(*models.User)
	return u
}

func isAPI(c echo.Context) bool    { return strings.HasPrefix(c.Request().URL.Path, "/api/") }
func isStatic(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/static/") }
func isHTMX(c echo.Context) bool   { return c.Request().Header.Get("HX-Request") == "true" }
func isImport(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && strings.HasSuffix(c.Request().URL.Path, "/import")
}

type requestIDKey struct{}

func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the id of the request a context belongs to.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// logRequests writes one line per request, with its id, so every log line of a
// request can be found together.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		if isStatic(c) && status < 400 {
			return nil
		}
		s.log.LogAttrs(c.Request().Context(), level, "request",
			slog.String("request_id", RequestID(c.Request().Context())),
			slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
			slog.String("route", c.Path()),
			slog.Int("status", status), slog.Duration("took", time.Since(start)))
		return nil
	}
}
