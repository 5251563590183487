package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/static"
)

// Role shorthands for the table below.
const (
	ambassador = models.RoleAmbassador
	quickwin   = models.RoleQuickWin
	steering   = models.RoleSteering
	adminRole  = models.RoleAdmin
)

// routes is the one place that says who may do what. Every route is registered with
// its access rule; authorize refuses any route that has none.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", staticHandler(static.FS))))

	// Public.
	s.route(e, http.MethodGet, "/healthz", public, s.healthz)
	s.route(e, http.MethodGet, "/login", public, s.loginForm)
	s.route(e, http.MethodPost, "/login", public, s.login, loginLimiter(s.cfg))
	s.route(e, http.MethodPost, "/lang", public, s.switchLanguage)

	// Everyone signed in.
	s.route(e, http.MethodPost, "/logout", signedIn, s.logout)
	s.route(e, http.MethodGet, "/", signedIn, s.home)

	// Admin.
	s.route(e, http.MethodGet, "/admin", only(adminRole), s.adminIndex)
	s.route(e, http.MethodGet, "/admin/users", only(adminRole), s.adminUsers)
	s.route(e, http.MethodPost, "/admin/users", only(adminRole), s.adminCreateUser)
	s.route(e, http.MethodGet, "/admin/users/:id", only(adminRole), s.adminUser)
	s.route(e, http.MethodPost, "/admin/users/:id", only(adminRole), s.adminUpdateUser)
	s.route(e, http.MethodPost, "/admin/users/:id/password", only(adminRole), s.adminResetPassword)
	s.route(e, http.MethodGet, "/admin/reference/:kind", only(adminRole), s.adminReference)
	s.route(e, http.MethodPost, "/admin/reference/:kind", only(adminRole), s.adminCreateReference)
	s.route(e, http.MethodPost, "/admin/reference/:kind/:id", only(adminRole), s.adminUpdateReference)
	s.route(e, http.MethodGet, "/admin/settings", only(adminRole), s.adminSettings)
	s.route(e, http.MethodPost, "/admin/settings", only(adminRole), s.adminSaveSettings)

	// HTTP API (bearer token).
	s.route(e, http.MethodGet, "/api/v1/reference", signedIn, s.apiReference)
}
