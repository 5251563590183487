package components

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// TrendLayout is how a trend chart labels its months.
type TrendLayout int

const (
	// MonthLabels names every month under the axis and writes each month's NPS beside
	// its dot: for a year and a bit (the reports, a branch's page).
	MonthLabels TrendLayout = iota
	// YearLabels names the years, divides them, and draws each year's NPS target: for
	// several years (the dashboard, the yearly report).
	YearLabels
)

// NPSTrend is the NPS of consecutive months as a line, laid out here so that the SVG
// prints as it shows and needs no script. Months without responses break the line
// rather than falling to 0 (no responses is no NPS). Every NPS trend in the app is one.
type NPSTrend struct {
	Title, Desc string
	// TestID names the chart for tests: nps-month-trend or nps-trend.
	TestID  string
	ViewBox string
	// X1, X2 are the plot's horizontal extent; ZeroY the y of NPS 0.
	X1, X2, ZeroY string
	// Lines are the polylines of consecutive months with an NPS.
	Lines []string
	// Dots are the months with an NPS; Label is written beside the dot when not empty.
	Dots   []Bar
	YTicks []Tick
	// XTicks label the months or the years; Separators divide the years.
	XTicks     []Tick
	Separators []Tick
	// Targets are one horizontal segment per year with an NPS target.
	Targets []Tick
	// Empty is true when no month has an NPS.
	Empty bool
}

// trend chart geometry: NPS runs from −100 to 100.
const (
	trendW                 = 640.0
	trendLeft, trendRight  = 36.0, 12.0
	trendTop, trendBottom  = 14.0, 24.0
	trendPlotW             = trendW - trendLeft - trendRight
	trendMonthsH, trendYrH = 150.0, 240.0
)

// NewNPSTrend lays out months (consecutive, oldest first) with labels, tooltips and
// numbers in the context's language; targets (by year) are drawn in YearLabels only.
func NewNPSTrend(ctx context.Context, title, desc string, months []models.NPSMonth, targets map[int]int, layout TrendLayout) NPSTrend {
	t := i18n.FromContext(ctx)
	h, id := trendMonthsH, "nps-month-trend"
	if layout == YearLabels {
		h, id = trendYrH, "nps-trend"
	}
	plotH := h - trendTop - trendBottom
	c := NPSTrend{Title: title, Desc: desc, TestID: id, ViewBox: "0 0 " + num(trendW) + " " + num(h),
		X1: num(trendLeft), X2: num(trendW - trendRight), Empty: true}
	y := func(v float64) float64 { return trendTop + (100-v)/200*plotH }
	c.ZeroY = num(y(0))
	for _, v := range []float64{100, 50, 0, -50, -100} {
		c.YTicks = append(c.YTicks, Tick{X: num(trendLeft - 4), Y: num(y(v) + 4), Y2: num(y(v)), X2: num(trendW - trendRight),
			Label: i18n.Int(ctx, int64(v))})
	}
	slot := trendPlotW / float64(max(len(months), 1))
	var line []string
	flush := func() {
		if len(line) > 1 {
			c.Lines = append(c.Lines, strings.Join(line, " "))
		}
		line = nil
	}
	for i, m := range months {
		x0 := trendLeft + slot*float64(i)
		x := x0 + slot/2
		name := t.MonthShort(m.Month)
		if layout == MonthLabels {
			c.XTicks = append(c.XTicks, Tick{X: num(x), Y: num(h - 6), Label: name})
		} else if m.Month == 1 || i == 0 {
			if i > 0 {
				c.Separators = append(c.Separators, Tick{X: num(x0), Y: num(trendTop), Y2: num(trendTop + plotH)})
			}
			c.XTicks = append(c.XTicks, Tick{X: num(x0 + slot*float64(13-int(m.Month))/2), Y: num(h - 8), Label: strconv.Itoa(m.Year)})
			if target, ok := targets[m.Year]; ok {
				c.Targets = append(c.Targets, Tick{X: num(x0), X2: num(x0 + slot*float64(13-int(m.Month))), Y: num(y(float64(target))),
					Y2: num(y(float64(target))), Label: t.T("trend.target_of", map[string]any{"Year": strconv.Itoa(m.Year), "Target": i18n.Int(ctx, int64(target))})})
			}
		}
		v, ok := m.Score()
		if !ok {
			flush()
			continue
		}
		c.Empty = false
		py := y(v)
		line = append(line, num(x)+","+num(py))
		value := FormatNPS(ctx, m.NPSCounts)
		d := Bar{X: num(x), Y: num(py), Title: t.T("report.trend_point",
			map[string]any{"Month": name + " " + strconv.Itoa(m.Year), "NPS": value, "Count": m.Responses()})}
		if layout == MonthLabels {
			labelY := py - 6
			if labelY < trendTop {
				labelY = py + 14
			}
			d.Label, d.LabelX, d.LabelY = value, num(x), num(labelY)
		}
		c.Dots = append(c.Dots, d)
	}
	flush()
	return c
}

// TrendDesc describes a trend of months for screen readers: which months it spans.
func TrendDesc(ctx context.Context, months []models.NPSMonth) string {
	if len(months) == 0 {
		return ""
	}
	t := i18n.FromContext(ctx)
	name := func(m models.NPSMonth) string {
		return t.MonthShort(m.Month) + " " + strconv.Itoa(m.Year)
	}
	return t.T("report.trend_desc", map[string]any{"From": name(months[0]), "To": name(months[len(months)-1])})
}

// KeptTrend is the NPS of several years by month against their targets (YearLabels),
// as the store keeps it: laid out and drawn once for all who read it in one language
// until its figures change (models.Drawings), instead of once per reader of the
// dashboard and the yearly report.
type KeptTrend struct {
	Title, Desc string
	History     models.NPSHistory
}

// Section is TrendSection of the trend.
func (k KeptTrend) Section() templ.Component {
	return k.drawn("section", func(c NPSTrend) templ.Component { return TrendSection(c) })
}

// SVG is NPSTrendSVG of the trend.
func (k KeptTrend) SVG() templ.Component {
	return k.drawn("svg", func(c NPSTrend) templ.Component { return NPSTrendSVG(c) })
}

func (k KeptTrend) drawn(kind string, as func(NPSTrend) templ.Component) templ.Component {
	return Kept(k.History.Drawn, kind+"\x00"+k.Title+"\x00"+k.Desc, trendVersion(k.History), func(ctx context.Context) templ.Component {
		return as(NewNPSTrend(ctx, k.Title, k.Desc, k.History.Months, k.History.Targets, YearLabels))
	})
}

// trendVersion names all of a trend's figures, each month's and each target, so that a
// drawing is reused only for the same figures (this month's change with every response).
func trendVersion(h models.NPSHistory) string {
	b := make([]byte, 0, 16*len(h.Months)+16*len(h.Targets))
	for _, m := range h.Months {
		b = strconv.AppendInt(b, int64(m.Year), 10)
		b = strconv.AppendInt(append(b, '-'), int64(m.Month), 10)
		b = strconv.AppendInt(append(b, ':'), int64(m.Promoters), 10)
		b = strconv.AppendInt(append(b, '/'), int64(m.Passives), 10)
		b = strconv.AppendInt(append(b, '/'), int64(m.Detractors), 10)
		b = append(b, ' ')
	}
	for _, y := range slices.Sorted(maps.Keys(h.Targets)) {
		b = strconv.AppendInt(append(b, 'T'), int64(y), 10)
		b = strconv.AppendInt(append(b, '='), int64(h.Targets[y]), 10)
	}
	return string(b)
}
