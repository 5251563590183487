package components_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
)

// A kept trend is drawn again when a figure or a target changes or another language
// reads it, and otherwise drawn as it was, byte for byte what a fresh drawing gives.
func TestKeptTrendIsDrawnAgainForOtherFiguresOrLanguage(t *testing.T) {
	in := func(lang string) context.Context {
		return i18n.WithTranslator(context.Background(), i18n.For(lang))
	}
	months := func(promotersInMarch int) []models.NPSMonth {
		return []models.NPSMonth{
			{Year: 2026, Month: time.February, NPSCounts: models.NPSCounts{Promoters: 1}},
			{Year: 2026, Month: time.March, NPSCounts: models.NPSCounts{Promoters: promotersInMarch, Detractors: 1}},
		}
	}
	drawn := new(models.Drawings)
	kept := func(promoters int, targets map[int]int) components.KeptTrend {
		return components.KeptTrend{Title: "NPS", Desc: "by month",
			History: models.NPSHistory{Months: months(promoters), Targets: targets, Drawn: drawn}}
	}
	draw := func(ctx context.Context, k components.KeptTrend) string {
		t.Helper()
		var b strings.Builder
		if err := k.Section().Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	fresh := func(ctx context.Context, k components.KeptTrend) string {
		t.Helper()
		k.History.Drawn = nil
		return draw(ctx, k)
	}
	steps := []struct {
		name string
		ctx  context.Context
		k    components.KeptTrend
		want string
	}{
		{"first", in("en"), kept(0, nil), "Mar 2026: NPS −100.0 from 1 responses"},
		{"another response in March", in("en"), kept(3, nil), "Mar 2026: NPS 50.0 from 4 responses"},
		{"in Danish", in("da"), kept(3, nil), "mar. 2026: NPS 50,0 af 4 besvarelser"},
		{"a target set", in("en"), kept(3, map[int]int{2026: 60}), `data-testid="nps-target-line"`},
		{"the same again", in("en"), kept(3, map[int]int{2026: 60}), `data-testid="nps-target-line"`},
	}
	for _, st := range steps {
		got := draw(st.ctx, st.k)
		if !strings.Contains(got, st.want) {
			t.Errorf("%s: drawing lacks %q", st.name, st.want)
		}
		if want := fresh(st.ctx, st.k); got != want {
			t.Errorf("%s: the kept drawing differs from a fresh one:\n%s\n%s", st.name, got, want)
		}
	}
}
