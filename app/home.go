package app

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/home"
)

// home is the dashboard everyone sees after signing in: the goal first, then what
// waits for this user, then what was done lately.
func (s *Server) home(c echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.store.Dashboard(ctx)
	if err != nil {
		return err
	}
	work, err := s.store.MyWork(ctx, currentUser(c))
	if err != nil {
		return err
	}
	var ledTo []models.LedTo
	if u := currentUser(c); u.Has(models.RoleAmbassador) {
		if ledTo, err = s.store.ImplementedForAmbassador(ctx, u.ID, 5); err != nil {
			return err
		}
	}
	trend, err := s.npsTrend(ctx, s.store.Now().In(s.store.Location).Year())
	if err != nil {
		return err
	}
	t := i18n.FromContext(ctx)
	return render(c, http.StatusOK, home.Index(home.IndexPage{Trend: trend,
		Page: s.page(c, "nav.home", "home"), D: d, Work: work, Now: s.store.Now().In(s.store.Location), Today: s.store.Today(), LedTo: ledTo,
		Chart: templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			return components.GoalChartSVG(goalChart(ctx, d.Goal)).Render(ctx, w)
		}),
		Progress: components.NewProgressBar(t.T("goal.progress_title", map[string]any{"Done": d.Goal.Implemented, "Target": d.Goal.Target}), d.Goal.Implemented, d.Goal.Target, d.Goal.ExpectedByToday),
		NPSBar:   npsBar(ctx, d.NPS30),
	}))
}

// goalChart lays out the cumulative chart of a year: bars up to the current month (all
// twelve for a past year), the pace line over the whole year.
func goalChart(ctx context.Context, p *models.YearProgress) components.GoalChart {
	t := i18n.FromContext(ctx)
	labels := make([]string, 12)
	pace := make([]float64, 12)
	for i := range 12 {
		labels[i] = t.MonthShort(time.Month(i + 1))
		end := monthEnd(p.Year, i, p.Today.Location())
		pace[i] = models.Pace(p.Target, end)
	}
	months := 12
	switch {
	case p.Today.Year() == p.Year:
		months = int(p.Today.Month())
	case p.Today.Year() < p.Year:
		months = 0
	}
	cum := p.Cumulative()
	title := t.T("goal.chart_title", map[string]any{"Year": p.Year})
	desc := t.T("goal.chart_desc", map[string]any{"Done": p.Implemented, "Target": p.Target, "Expected": components.Round1(ctx, p.ExpectedByToday)})
	return components.NewGoalChart(title, desc, labels, cum[:months], pace, p.Target)
}

// npsBar is the stacked bar of promoters, passives and detractors.
func npsBar(ctx context.Context, c models.NPSCounts) components.StackedBar {
	t := i18n.FromContext(ctx)
	return components.NewStackedBar(ctx, t.T("report.groups_title"),
		components.NPSSegments(c, t.T("group.promoter"), t.T("group.passive"), t.T("group.detractor")))
}
