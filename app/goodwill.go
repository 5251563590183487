package app

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/admin"
)

// goodwillMonth reads ?month=2026-03, defaulting to the current month.
func (s *Server) goodwillMonth(c echo.Context) models.Period {
	loc := s.store.Location
	p, err := models.ParsePeriod(models.PeriodMonth, c.QueryParam("month"), loc)
	if err != nil {
		p, err = models.ParsePeriod(models.PeriodMonth, c.FormValue("month"), loc)
	}
	if err != nil {
		p = models.PeriodOf(models.PeriodMonth, s.store.Now(), loc)
	}
	return p
}

// adminGoodwill is the ledger of a month: each branch's limit, spending and rest.
func (s *Server) adminGoodwill(c echo.Context) error {
	return s.renderGoodwill(c, http.StatusOK, s.goodwillMonth(c), 0, nil, "")
}

func (s *Server) renderGoodwill(c echo.Context, status int, p models.Period, branch int64, errs components.Errors, typed string) error {
	lines, err := s.store.GoodwillLedger(c.Request().Context(), p.Start)
	if err != nil {
		return err
	}
	return render(c, status, admin.Goodwill(admin.GoodwillPage{Page: s.page(c, "goodwill.title", "admin"),
		Month: p.String(), Prev: p.Previous().String(), Next: p.Next().String(), Lines: lines,
		Errors: errs, ErrorBranch: branch, LimitTyped: typed}))
}

// adminGoodwillBranch lists one branch's goodwill spending in a month.
func (s *Server) adminGoodwillBranch(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := s.goodwillMonth(c)
	var branch *models.Branch
	branches, err := s.store.Branches(ctx)
	if err != nil {
		return err
	}
	for i := range branches {
		if branches[i].ID == id {
			branch = &branches[i]
		}
	}
	if branch == nil {
		return models.ErrNotFound
	}
	entries, err := s.store.GoodwillEntries(ctx, id, p.Start)
	if err != nil {
		return err
	}
	m := admin.GoodwillBranchPage{Page: s.page(c, "goodwill.title", "admin"), Month: p.String(), Branch: *branch,
		Entries: entries, Loc: s.store.Location}
	for _, e := range entries {
		m.Total += e.GoodwillAmount
	}
	return render(c, http.StatusOK, admin.GoodwillBranch(m))
}

// adminSetGoodwillLimit sets a branch's monthly limit (0: none).
func (s *Server) adminSetGoodwillLimit(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := s.goodwillMonth(c)
	// The limit is typed like any amount in the user's language ("5.000", "2500,50").
	typed := strings.TrimSpace(c.FormValue("limit"))
	limit := int64(0)
	if typed != "" {
		var perr error
		if limit, perr = i18n.FromContext(c.Request().Context()).ParseMoney(typed); perr != nil {
			return s.renderGoodwill(c, http.StatusBadRequest, p, id, components.Errors{"limit": "not_an_amount"}, typed)
		}
	}
	err = s.store.SetGoodwillLimit(c.Request().Context(), id, models.Money(limit), currentUser(c))
	if errs, ok := merge(nil, err); ok {
		return s.renderGoodwill(c, http.StatusBadRequest, p, id, errs, typed)
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.goodwill_limit_saved")
	return redirect(c, "/admin/goodwill?month="+p.String())
}
