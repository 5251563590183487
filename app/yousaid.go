package app

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/pages/yousaid"
)

// yousaidPageSize is how many implemented improvements one page of the feed shows.
const yousaidPageSize = 20

// yousaidQuotes is how many customer quotes each improvement shows.
const yousaidQuotes = 3

// youSaidWeDid lists implemented improvements, newest first, with the customers' words.
func (s *Server) youSaidWeDid(c echo.Context) error {
	var after *models.ImplementedCursor
	first := ""
	if cur := c.QueryParam("cursor"); cur != "" {
		var ok bool
		if after, ok = models.ParseImplementedCursor(cur); !ok {
			return models.Invalid("cursor", "invalid")
		}
		first = "/you-said-we-did"
	}
	items, next, err := s.store.ImplementedPage(c.Request().Context(), after, yousaidPageSize, yousaidQuotes)
	if err != nil {
		return err
	}
	nextHref := ""
	if next != nil {
		nextHref = "/you-said-we-did?" + url.Values{"cursor": {next.String()}}.Encode()
	}
	return render(c, http.StatusOK, yousaid.Index(yousaid.IndexPage{Page: s.page(c, "yousaid.title", "yousaid"),
		Items: items, FirstHref: first, NextHref: nextHref, Loc: s.store.Location,
		CanNotify: currentUser(c).Has(models.RoleSteering)}))
}
