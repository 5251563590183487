package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/improvementtracker/tracker/models"
)

// Server holds the dependencies every handler needs. Handlers are its methods.
type Server struct {
	cfg      Config
	store    *store.Store
	sessions *scs.SessionManager
	log      *slog.Logger
	echo     *echo.Echo
	// access maps "METHOD /path" to who may use it; a route missing here is refused.
	access map[string]Access
	// clients limits failed sign-ins per client address.
	clients *clientLimiter
	// oidc is single sign-on; nil when OIDC_ISSUER is not set.
	oidc    *oidcClient
	metrics *metrics
}

// New builds the server and its router.
func New(cfg Config, st *store.Store, log *slog.Logger) *Server {
	s := &Server{cfg: cfg, store: st, log: log, access: map[string]Access{}}
	s.sessions = scs.New()
	// Pages only push the idle expiry on; write that at most once a minute (see
	// session_throttle.go), so that a page view is not a database write.
	s.sessions.Store = newThrottledSessions(st.Sessions(sessionUserOf), time.Minute)
	s.sessions.Codec = sessionCodec{}
	s.sessions.Lifetime = 12 * time.Hour
	s.sessions.IdleTimeout = 2 * time.Hour
	s.sessions.Cookie.Name = "tracker_session"
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Secure = cfg.CookieSecure
	s.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		log.Error("session", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
	s.clients = newClientLimiter(cfg)
	s.oidc = newOIDCClient(cfg)
	s.metrics = newMetrics(st)
	// Issue 17: where webhook events go, what feedback looks like in them (as the API
	// returns it) and the address alert mails link to.
	st.SetWebhookURLs(cfg.WebhookURLs)
	st.SetFeedbackData(func(f *models.Feedback) any { return toAPIFeedback(f, nil) })
	st.SetBaseURL(cfg.BaseURL)
	s.echo = s.router()
	return s
}

// Handler returns the HTTP handler, for httptest and for the server.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router for tests that list its routes.
func (s *Server) Echo() *echo.Echo { return s.echo }

// Access returns the route table: who may use each route.
func (s *Server) Access() map[string]Access { return s.access }

func (s *Server) router() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	trusted, err := ParseCIDRs(s.cfg.TrustedProxies)
	if err != nil {
		// Config.Check refuses this at start; a server built without it trusts nobody.
		s.log.Error("TRUSTED_PROXIES ignored", "err", err)
	}
	e.IPExtractor = ipExtractor(trusted)
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		RequestIDHandler: func(c echo.Context, id string) {
			c.SetRequest(c.Request().WithContext(withRequestID(c.Request().Context(), id)))
		},
	}))
	e.Use(s.logRequests)
	e.Use(s.metrics.observe)
	// HTML, htmx fragments, the stylesheet and scripts shrink to a fraction with gzip
	// (htmx.min.js from 51 to 16 kB); files that are compressed already are not.
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024, Skipper: func(c echo.Context) bool {
		return alreadyCompressed(c.Request().URL.Path)
	}}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            hstsAge(s.cfg.CookieSecure),
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
		ReferrerPolicy:        "same-origin",
	}))
	e.Use(s.methodAllowed)
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   s.cfg.BodyLimit,
		Skipper: func(c echo.Context) bool { return isImport(c) },
	}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: s.cfg.ImportBodyLimit}))
	e.Use(requireUTF8)
	e.Use(s.sessionsFor)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     "tracker_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.CookieSecure,
		CookieSameSite: http.SameSiteStrictMode,
		Skipper:        func(c echo.Context) bool { return isAPI(c) || isStatic(c) },
	}))
	e.Use(s.authorize)
	s.routes(e)
	return e
}

func hstsAge(secure bool) int {
	if secure {
		return 31536000
	}
	return 0
}

// sessionsFor loads the server-side session for pages; the API is stateless.
func (s *Server) sessionsFor(next echo.HandlerFunc) echo.HandlerFunc {
	withSession := echo.WrapMiddleware(s.sessions.LoadAndSave)(next)
	return func(c echo.Context) error {
		if isAPI(c) || isStatic(c) || c.Path() == "/healthz" || c.Path() == "/metrics" {
			return next(c)
		}
		// The session's user is read with it (store.WithSessionUser, identify).
		c.SetRequest(c.Request().WithContext(store.WithSessionUser(c.Request().Context())))
		return withSession(c)
	}
}

// Serve listens until ctx ends, then lets requests in flight finish.
func (s *Server) Serve(ctx context.Context) error {
	srv := &http.Server{Addr: s.cfg.Addr, Handler: s.echo, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", s.cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// alreadyCompressed reports whether a path serves a format that is compressed already,
// where gzip would only cost time.
func alreadyCompressed(path string) bool {
	for _, ext := range []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff2", ".zip", ".gz", ".xlsx", ".pdf"} {
		if strings.HasSuffix(path, ext) {
			return true
		}
	}
	return false
}
