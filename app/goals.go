package app

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/goals"
)

// goalForm is the admin's form to set a year's target.
type goalForm struct {
	Year   string `form:"year" validate:"required,number"`
	Target string `form:"target" validate:"required,number"`
	// NPSTarget is optional: empty leaves the year's NPS target as it is.
	NPSTarget string `form:"nps_target"`
}

func readGoalForm(c echo.Context) goalForm {
	return goalForm{Year: strings.TrimSpace(c.FormValue("year")), Target: strings.TrimSpace(c.FormValue("target")),
		NPSTarget: strings.TrimSpace(c.FormValue("nps_target"))}
}

// adminGoals lists the yearly targets: this year and next always, plus every year set.
func (s *Server) adminGoals(c echo.Context) error {
	year := s.store.Now().In(s.store.Location).Year()
	return s.renderGoals(c, http.StatusOK, goalForm{Year: strconv.Itoa(year), Target: strconv.Itoa(models.DefaultGoalTarget)}, nil)
}

func (s *Server) renderGoals(c echo.Context, status int, f goalForm, errs components.Errors) error {
	ctx := c.Request().Context()
	set, err := s.store.Goals(ctx)
	if err != nil {
		return err
	}
	npsTargets, err := s.store.NPSTargets(ctx)
	if err != nil {
		return err
	}
	this := s.store.Now().In(s.store.Location).Year()
	byYear := map[int]int{}
	for _, g := range set {
		byYear[g.Year] = g.Target
	}
	years := []int{this + 1, this}
	for _, g := range set {
		if g.Year != this && g.Year != this+1 {
			years = append(years, g.Year)
		}
	}
	rows := make([]goals.Row, 0, len(years))
	for _, y := range years {
		p, err := s.store.YearProgress(ctx, y)
		if err != nil {
			return err
		}
		_, own := byYear[y]
		row := goals.Row{Year: y, Target: p.Target, Implemented: p.Implemented, Default: !own}
		if t, ok := npsTargets[y]; ok {
			row.NPSTarget = &t
		}
		rows = append(rows, row)
	}
	return render(c, status, goals.Index(goals.IndexPage{Page: s.page(c, "goals.title", "admin"), Rows: rows,
		Form: goals.Form{Year: f.Year, Target: f.Target, NPSTarget: f.NPSTarget}, Errors: errs}))
}

// adminSetGoal sets a year's target.
func (s *Server) adminSetGoal(c echo.Context) error {
	f := readGoalForm(c)
	errs := checkForm(f)
	if errs == nil {
		year, _ := strconv.Atoi(f.Year)
		target, _ := strconv.Atoi(f.Target)
		var nps int
		if f.NPSTarget != "" {
			var perr error
			if nps, perr = strconv.Atoi(f.NPSTarget); perr != nil || !models.ValidNPSTarget(nps) {
				errs = addErr(errs, "nps_target", "nps_target_range")
			}
		}
		if errs == nil {
			err := s.store.SetGoalTarget(c.Request().Context(), year, target, currentUser(c))
			if err == nil && f.NPSTarget != "" {
				err = s.store.SetNPSTarget(c.Request().Context(), year, nps, currentUser(c))
			}
			var ok bool
			if errs, ok = merge(errs, err); !ok && err != nil {
				return err
			}
		}
	}
	if len(errs) > 0 {
		return s.renderGoals(c, http.StatusBadRequest, f, errs)
	}
	s.flash(c, "flash.goal_saved", map[string]any{"Year": f.Year, "Target": f.Target})
	return redirect(c, "/admin/goals")
}

// monthEnd returns noon on the last day of month index i (0 = January) of year in loc,
// the day the pace line is measured on for that month.
func monthEnd(year, i int, loc *time.Location) time.Time {
	return time.Date(year, time.Month(i+2), 0, 12, 0, 0, 0, loc)
}
