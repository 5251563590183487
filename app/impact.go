package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/improvements"
)

// impactDays reads the days of an impact window: "" is the default, anything else a
// whole number from 1 to models.MaxImpactDays.
func impactDays(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return models.DefaultImpactDays, true
	}
	d, err := strconv.Atoi(v)
	if err != nil || d < 1 || d > models.MaxImpactDays {
		return models.DefaultImpactDays, false
	}
	return d, true
}

// apiImpactSide is one side of GET /api/v1/improvements/{id}/impact; nps and
// detractor_share (percent) are null without responses, both to one decimal.
type apiImpactSide struct {
	Responses      int      `json:"responses"`
	NPS            *float64 `json:"nps"`
	DetractorShare *float64 `json:"detractor_share"`
}

// apiImpact is the body of GET /api/v1/improvements/{id}/impact (contracts.md).
type apiImpact struct {
	ImplementedOn string        `json:"implemented_on"`
	Days          int           `json:"days"`
	Before        apiImpactSide `json:"before"`
	After         apiImpactSide `json:"after"`
	Change        *float64      `json:"change"`
	TooFew        bool          `json:"too_few"`
}

func rounded(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	r := models.RoundTo1(v)
	return &r
}

func toAPIImpactSide(s models.ImpactSide) apiImpactSide {
	return apiImpactSide{Responses: s.Responses(), NPS: rounded(s.Score()), DetractorShare: rounded(s.DetractorShare())}
}

// apiImprovementImpact compares the NPS of an implemented improvement's touchpoints
// before and after it was implemented; 409 for one that is not implemented.
func (s *Server) apiImprovementImpact(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	days, ok := impactDays(c.QueryParam("days"))
	if !ok {
		return models.Invalid("days", "out_of_range")
	}
	ctx := c.Request().Context()
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	im, err := s.store.ImprovementImpact(ctx, imp, days)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiImpact{ImplementedOn: im.ImplementedOn.Format(time.DateOnly), Days: im.Days,
		Before: toAPIImpactSide(im.Total.Before), After: toAPIImpactSide(im.Total.After),
		Change: rounded(im.Total.Change()), TooFew: im.Total.TooFew()})
}

// optNum shows an optional number in a form field; nil is empty.
func optNum[T int | int64](v *T) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(int64(*v), 10)
}

// optMoneyInput writes an optional amount for a form field in the user's language.
func optMoneyInput(ctx context.Context, v *models.Money) string {
	if v == nil {
		return ""
	}
	return i18n.MoneyInput(ctx, v.Ore())
}

// parseOptNum reads an optional whole number from a form field.
func parseOptNum(v string) (*int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, false
	}
	return &n, true
}

// improvementSavings sets an improvement's estimated and realised savings.
func (s *Server) improvementSavings(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := improvements.SavingsForm{EstimatedKr: strings.TrimSpace(c.FormValue("savings_estimated_kr")),
		RealisedKr: strings.TrimSpace(c.FormValue("savings_realised_kr")), EstimatedHours: strings.TrimSpace(c.FormValue("hours_estimated")),
		RealisedHours: strings.TrimSpace(c.FormValue("hours_realised"))}
	var errs components.Errors
	var sv models.Savings
	var ok bool
	// Amounts are typed in the user's language ("1.250,50" in Danish).
	for _, m := range []struct {
		field, v string
		dst      **models.Money
	}{{"savings_estimated_kr", f.EstimatedKr, &sv.EstimatedKr}, {"savings_realised_kr", f.RealisedKr, &sv.RealisedKr}} {
		if m.v == "" {
			continue
		}
		ore, perr := i18n.FromContext(ctx).ParseMoney(m.v)
		if perr != nil {
			errs = addErr(errs, m.field, "not_an_amount")
			continue
		}
		v := models.Money(ore)
		*m.dst = &v
	}
	for _, h := range []struct {
		field, v string
		dst      **int
	}{{"hours_estimated", f.EstimatedHours, &sv.EstimatedHours}, {"hours_realised", f.RealisedHours, &sv.RealisedHours}} {
		n, ok := parseOptNum(h.v)
		switch {
		case !ok || n != nil && (*n < 0 || *n > models.MaxSavingsHours):
			errs = addErr(errs, h.field, "out_of_range")
		case n != nil:
			v := int(*n)
			*h.dst = &v
		}
	}
	version, _ := strconv.Atoi(c.FormValue("version"))
	if errs == nil {
		err := s.store.SetSavings(ctx, id, version, sv, currentUser(c))
		if err == nil {
			s.flash(c, "flash.savings_saved")
			return redirect(c, "/improvements/"+strconv.FormatInt(id, 10))
		}
		if errs, ok = merge(errs, err); !ok {
			return s.refuseOnPage(c, id, err, showState{})
		}
	}
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	return s.renderImprovement(c, http.StatusBadRequest, imp, showState{savings: &f, savingsErrs: errs})
}
