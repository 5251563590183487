package app

import (
	"context"
	"strconv"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
)

// npsTrend is the NPS by month of the models.TrendYears years up to lastYear, against
// each year's NPS target, as the store keeps it.
func (s *Server) npsTrend(ctx context.Context, lastYear int) (components.KeptTrend, error) {
	first := lastYear - models.TrendYears + 1
	h, err := s.store.NPSTrend(ctx, first, lastYear)
	if err != nil {
		return components.KeptTrend{}, err
	}
	t := i18n.FromContext(ctx)
	return components.KeptTrend{Title: t.T("trend.title", map[string]any{"From": strconv.Itoa(first), "To": strconv.Itoa(lastYear)}),
		Desc: t.T("trend.desc"), History: h}, nil
}
