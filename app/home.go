package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/views/pages/home"
)

// home is the dashboard everyone sees after signing in.
func (s *Server) home(c echo.Context) error {
	return render(c, http.StatusOK, home.Index(home.IndexPage{Page: s.page(c, "nav.home", "home")}))
}
