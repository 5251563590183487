package app

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
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
