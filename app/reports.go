package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/reports"
)

// reportPeriod reads ?kind=month|quarter|year&period=...; both default to the current
// month, and a period alone is read by its shape.
func (s *Server) reportPeriod(c echo.Context) (models.Period, error) {
	loc := s.store.Location
	now := s.store.Now().In(loc)
	kindParam, periodParam := strings.TrimSpace(c.QueryParam("kind")), strings.TrimSpace(c.QueryParam("period"))
	kind := models.PeriodMonth
	if kindParam != "" {
		k, ok := models.ParsePeriodKind(kindParam)
		if !ok {
			return models.Period{}, models.Invalid("kind", "invalid_choice")
		}
		kind = k
	} else if periodParam != "" {
		kind = kindOfPeriod(periodParam)
	}
	if periodParam == "" {
		return models.PeriodOf(kind, now, loc), nil
	}
	return models.ParsePeriod(kind, periodParam, loc)
}

// kindOfPeriod guesses the kind from a period's shape: 2026, 2026-Q1 or 2026-03.
func kindOfPeriod(p string) models.PeriodKind {
	switch {
	case strings.Contains(strings.ToUpper(p), "Q"):
		return models.PeriodQuarter
	case strings.Contains(p, "-"):
		return models.PeriodMonth
	}
	return models.PeriodYear
}

// periodLabel names a period in the user's language: "Mar 2026", "Q1 2026", "2026".
func periodLabel(ctx context.Context, p models.Period) string {
	switch p.Kind {
	case models.PeriodMonth:
		return i18n.FromContext(ctx).MonthShort(p.Start.Month()) + " " + strconv.Itoa(p.Start.Year())
	case models.PeriodQuarter:
		return fmt.Sprintf("Q%d %d", (int(p.Start.Month())+2)/3, p.Start.Year())
	}
	return strconv.Itoa(p.Start.Year())
}

func reportHref(path string, p models.Period) string {
	return path + "?" + url.Values{"kind": {string(p.Kind)}, "period": {p.String()}}.Encode()
}

// reports shows the one-page report of a month, quarter or year.
func (s *Server) reports(c echo.Context) error {
	p, err := s.reportPeriod(c)
	if err != nil {
		return err
	}
	return s.renderReport(c, p, http.StatusOK, "", "")
}

// renderReport shows the report of p; comment and problem carry a refused comment back.
func (s *Server) renderReport(c echo.Context, p models.Period, status int, comment, problem string) error {
	ctx := c.Request().Context()
	r, err := s.store.Report(ctx, p)
	if err != nil {
		return err
	}
	t := i18n.FromContext(ctx)
	var kinds []reports.KindLink
	for _, k := range []struct {
		kind  models.PeriodKind
		label string
	}{{models.PeriodMonth, t.T("report.kind_month")}, {models.PeriodQuarter, t.T("report.kind_quarter")},
		{models.PeriodYear, t.T("report.kind_year")}} {
		kinds = append(kinds, reports.KindLink{Label: k.label,
			Href: reportHref("/reports", models.PeriodOf(k.kind, p.Start, s.store.Location)), Current: k.kind == p.Kind})
	}
	// A year shows its climb over several years; a month or a quarter its last 13 months.
	var years *components.KeptTrend
	var months *components.NPSTrend
	if p.Kind == models.PeriodYear {
		trend, err := s.npsTrend(ctx, p.Start.In(s.store.Location).Year())
		if err != nil {
			return err
		}
		years = &trend
	} else {
		trend := components.NewNPSTrend(ctx, t.T("report.trend"), components.TrendDesc(ctx, r.Trend), r.Trend, nil, components.MonthLabels)
		months = &trend
	}
	page := s.page(c, "nav.reports", "reports")
	label := periodLabel(ctx, p)
	page.Title = t.T("report.title", map[string]any{"Period": label})
	u := currentUser(c)
	return render(c, status, reports.Index(reports.IndexPage{Page: page, R: r, Label: label,
		Trend: months, Kind: string(p.Kind), Period: p.String(),
		CanComment: u != nil && u.Has(models.RoleSteering), Comment: comment, CommentError: problem,
		PrevHref: reportHref("/reports", p.Previous()), NextHref: reportHref("/reports", p.Next()),
		CSVHref: reportHref("/reports/export.csv", p), XLSXHref: reportHref("/reports/export.xlsx", p), Kinds: kinds,
		Groups: npsBar(ctx, r.Current),
		Goal: components.NewProgressBar(t.T("goal.progress_title", map[string]any{"Done": r.Goal.Implemented, "Target": r.Goal.Target}),
			r.Goal.Implemented, r.Goal.Target, r.Goal.ExpectedByToday),
		From: p.Start, To: p.LastDay(), YearsTrend: years}))
}

// reportComment saves the steering group's comment on a period and returns to its report.
func (s *Server) reportComment(c echo.Context) error {
	ctx := c.Request().Context()
	kind, ok := models.ParsePeriodKind(c.FormValue("kind"))
	if !ok {
		return models.Invalid("kind", "invalid_choice")
	}
	p, err := models.ParsePeriod(kind, strings.TrimSpace(c.FormValue("period")), s.store.Location)
	if err != nil {
		return err
	}
	body := c.FormValue("comment")
	if err := s.store.SetReportComment(ctx, p, body, currentUser(c)); err != nil {
		var ve *models.ValidationError
		if errors.As(err, &ve) && ve.Fields["comment"] != "" {
			problem := i18n.T(ctx, "report.comment_too_long", map[string]any{"Max": models.MaxReportComment})
			return s.renderReport(c, p, http.StatusUnprocessableEntity, body, problem)
		}
		return err
	}
	id := "flash.report_comment_saved"
	if strings.TrimSpace(body) == "" {
		id = "flash.report_comment_removed"
	}
	s.flash(c, id, map[string]any{"Period": periodLabel(ctx, p)})
	return redirect(c, reportHref("/reports", p))
}

// csvText keeps a name from being read as a formula by a spreadsheet.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func npsCell(c models.NPSCounts) string {
	v, ok := c.Score()
	if !ok {
		return ""
	}
	return strconv.FormatFloat(models.RoundTo1(v), 'f', 1, 64)
}

func float1(v float64) string { return strconv.FormatFloat(models.RoundTo1(v), 'f', 1, 64) }

// reportRows lays the report's figures out as (metric, segment, value) rows; an empty
// value means "no data" (an NPS without responses), never 0.
func reportRows(r *models.Report) [][]string {
	rows := [][]string{{"metric", "segment", "value"}, {"period", "", r.Period.String()}}
	for _, x := range []struct {
		name string
		c    models.NPSCounts
	}{{"current", r.Current}, {"previous", r.Previous}, {"year_before", r.YearBefore}} {
		rows = append(rows, []string{"responses", x.name, strconv.Itoa(x.c.Responses())},
			[]string{"promoters", x.name, strconv.Itoa(x.c.Promoters)},
			[]string{"passives", x.name, strconv.Itoa(x.c.Passives)},
			[]string{"detractors", x.name, strconv.Itoa(x.c.Detractors)},
			[]string{"nps", x.name, npsCell(x.c)})
	}
	for _, x := range []struct {
		name   string
		before models.NPSCounts
	}{{"previous", r.Previous}, {"year_before", r.YearBefore}} {
		v := ""
		if d, ok := models.NPSChange(r.Current, x.before); ok {
			v = float1(d)
		}
		rows = append(rows, []string{"nps_change", x.name, v})
	}
	// Reasons: each named group's own effect, then per dimension the changed mix and the
	// groups too small to name, so the rows add up to the change.
	for _, x := range []struct {
		name string
		rs   models.Reasons
	}{{"category", r.Categories}, {"touchpoint", r.Touchpoints}} {
		if x.rs.NoEarlier {
			rows = append(rows, []string{"reason_" + x.name + "_no_earlier_data", "", "true"})
			continue
		}
		for _, rs := range x.rs.Up {
			rows = append(rows, []string{"reason_" + x.name + "_up", csvText(rs.Key), float1(rs.Own)})
		}
		for _, rs := range x.rs.Down {
			rows = append(rows, []string{"reason_" + x.name + "_down", csvText(rs.Key), float1(rs.Own)})
		}
		rows = append(rows, []string{"reason_" + x.name + "_mix", "", float1(x.rs.MixTotal)},
			[]string{"reason_" + x.name + "_other", "", float1(x.rs.SmallTotal)})
	}
	for _, rc := range r.RootCauses {
		rows = append(rows, []string{"root_cause", csvText(rc.Name), strconv.Itoa(rc.Count)})
	}
	if r.Comment != nil {
		rows = append(rows, []string{"steering_comment", "", csvText(r.Comment.Body)})
	}
	f := r.FollowUp
	share := ""
	if v, ok := f.WithinShare(); ok {
		share = float1(v)
	}
	median := ""
	if f.FollowedUp > 0 {
		median = float1(f.Median.Hours())
	}
	rows = append(rows, []string{"detractors", "follow_up", strconv.Itoa(f.Detractors)},
		[]string{"followed_up_within_24h", "", strconv.Itoa(f.Within)},
		[]string{"followed_up_within_24h_share", "", share},
		[]string{"follow_up_median_hours", "", median},
		[]string{"implemented", "quick_win", strconv.Itoa(r.Implemented.QuickWin)},
		[]string{"implemented", "steering", strconv.Itoa(r.Implemented.Steering)})
	for _, c := range r.Implemented.ByCategory {
		rows = append(rows, []string{"implemented_category", csvText(c.Name), strconv.Itoa(c.Count)})
	}
	g := r.Goal
	rows = append(rows, []string{"goal_year", "", strconv.Itoa(g.Year)},
		[]string{"goal_target", "", strconv.Itoa(g.Target)},
		[]string{"goal_implemented", "", strconv.Itoa(g.Implemented)},
		[]string{"goal_expected", "", float1(g.ExpectedByToday)},
		[]string{"goal_forecast", "", float1(g.Forecast)})
	for _, gw := range r.Goodwill {
		rows = append(rows, []string{"goodwill", csvText(gw.Branch), gw.Amount.String()})
	}
	return append(rows, []string{"goodwill_total", "", r.GoodwillTotal.String()})
}

// reportCSV exports the report's figures for the same period as the page.
func (s *Server) reportCSV(c echo.Context) error {
	p, err := s.reportPeriod(c)
	if err != nil {
		return err
	}
	r, err := s.store.Report(c.Request().Context(), p)
	if err != nil {
		return err
	}
	w, d := newCSV(c, fmt.Sprintf("report-%s.csv", p.String()))
	rows := reportRows(r)
	for _, row := range rows[1:] {
		if row[0] != "period" {
			row[2] = d.number(row[2])
		}
	}
	if err := w.WriteAll(rows); err != nil {
		s.log.Warn("report csv", "err", err)
	}
	return nil
}
