package app

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
)

// apiGoal is the body of GET /api/v1/goals/{year}.
type apiGoal struct {
	Year        int `json:"year"`
	Target      int `json:"target"`
	Implemented int `json:"implemented"`
	ByTrack     struct {
		QuickWin int `json:"quick_win"`
		Steering int `json:"steering"`
	} `json:"by_track"`
	// ExpectedByToday and Forecast are not rounded: scripts compute with them.
	ExpectedByToday float64 `json:"expected_by_today"`
	Forecast        float64 `json:"forecast"`
}

// apiGoalYear returns a year's goal and progress as of today.
func (s *Server) apiGoalYear(c echo.Context) error {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 1 || year > 9999 {
		return models.Invalid("year", "out_of_range")
	}
	p, err := s.store.YearProgress(c.Request().Context(), year)
	if err != nil {
		return err
	}
	out := apiGoal{Year: year, Target: p.Target, Implemented: p.Implemented,
		ExpectedByToday: p.ExpectedByToday, Forecast: p.Forecast}
	out.ByTrack.QuickWin, out.ByTrack.Steering = p.QuickWin, p.Steering
	return c.JSON(http.StatusOK, out)
}

// apiNPS is the body of GET /api/v1/reports/nps; NPS is null without responses.
type apiNPS struct {
	Responses  int      `json:"responses"`
	Promoters  int      `json:"promoters"`
	Passives   int      `json:"passives"`
	Detractors int      `json:"detractors"`
	NPS        *float64 `json:"nps"`
	// FirstContactResolution and CSAT are null when nobody in the period answered.
	FirstContactResolution *apiFCR  `json:"first_contact_resolution"`
	CSAT                   *apiCSAT `json:"csat"`
}

// apiFCR is the first-contact resolution of a period; Rate in percent, one decimal.
type apiFCR struct {
	Answered int     `json:"answered"`
	Resolved int     `json:"resolved"`
	Rate     float64 `json:"rate"`
}

// apiCSAT is the average satisfaction of a period, one decimal.
type apiCSAT struct {
	Responses int     `json:"responses"`
	Average   float64 `json:"average"`
}

// apiDate reads a YYYY-MM-DD query parameter, naming the field on failure.
func apiDate(c echo.Context, name string, fields map[string]string) time.Time {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		fields[name] = "required"
		return time.Time{}
	}
	d, ok := models.ParseDay(v)
	if !ok {
		fields[name] = "invalid_date"
		return time.Time{}
	}
	return *d
}

// apiReportNPS returns the NPS of the days from..to (inclusive, in the configured time
// zone), summed from the daily rollup.
func (s *Server) apiReportNPS(c echo.Context) error {
	fields := map[string]string{}
	from := apiDate(c, "from", fields)
	to := apiDate(c, "to", fields)
	if len(fields) == 0 && to.Before(from) {
		fields["to"] = "before_from"
	}
	ctx := c.Request().Context()
	var scope models.NPSScope
	for _, f := range []struct {
		name string
		kind models.RefKind
		dst  *int64
	}{{"branch", models.RefBranches, &scope.BranchID}, {"touchpoint", models.RefTouchpoints, &scope.TouchpointID}} {
		if v := strings.TrimSpace(c.QueryParam(f.name)); v != "" {
			if id := s.refID(ctx, f.kind, v); id != nil {
				*f.dst = *id
			} else {
				fields[f.name] = "unknown_reference"
			}
		}
	}
	if len(fields) > 0 {
		return &models.ValidationError{Fields: fields}
	}
	counts, err := s.store.NPSForDatesIn(ctx, from, to, scope)
	if err != nil {
		return err
	}
	service, err := s.store.ServiceForDates(ctx, from, to, scope)
	if err != nil {
		return err
	}
	out := apiNPS{Responses: counts.Responses(), Promoters: counts.Promoters, Passives: counts.Passives,
		Detractors: counts.Detractors}
	if v, ok := counts.Score(); ok {
		r := models.RoundTo1(v)
		out.NPS = &r
	}
	if rate, ok := service.ResolutionRate(); ok {
		out.FirstContactResolution = &apiFCR{Answered: service.Answered, Resolved: service.Resolved, Rate: models.RoundTo1(rate)}
	}
	if avg, ok := service.CSATAverage(); ok {
		out.CSAT = &apiCSAT{Responses: service.CSATResponses, Average: models.RoundTo1(avg)}
	}
	return c.JSON(http.StatusOK, out)
}
