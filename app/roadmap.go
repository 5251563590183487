package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/views/pages/roadmap"
)

// roadmapIndex shows the initiatives on a timeline by target date, for every role.
func (s *Server) roadmapIndex(c echo.Context) error {
	quarters, err := s.store.Roadmap(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, roadmap.Index(roadmap.Page{Page: s.page(c, "roadmap.title", "improvements"),
		Quarters: quarters, Today: s.store.Today()}))
}
