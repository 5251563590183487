package app

import (
	"context"
	"strconv"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
)

// npsTrend lays out the NPS by month of the models.TrendYears years up to lastYear,
// against each year's NPS target.
func (s *Server) npsTrend(ctx context.Context, lastYear int) (*components.NPSTrend, error) {
	first := lastYear - models.TrendYears + 1
	months, targets, err := s.store.NPSTrend(ctx, first, lastYear)
	if err != nil {
		return nil, err
	}
	t := i18n.FromContext(ctx)
	c := components.NewNPSTrend(ctx, t.T("trend.title", map[string]any{"From": strconv.Itoa(first), "To": strconv.Itoa(lastYear)}),
		t.T("trend.desc"), months, targets, components.YearLabels)
	return &c, nil
}
