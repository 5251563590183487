package components

import (
	"context"
	"strconv"

	"fmt"
	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
	"math"
	"strings"
)

// Charts are laid out here, in Go, and only drawn by the templates: every coordinate is
// a number computed once and formatted as an SVG attribute. The page needs no script and
// the charts print as they show (the page's CSS only sets colours).

// num formats a coordinate compactly.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64) // what %.1f writes, without fmt: a chart has hundreds
	return strings.TrimSuffix(s, ".0")
}

// Tick is a labelled position on an axis.
type Tick struct {
	X, Y, X2, Y2 string
	Label        string
}

// Bar is one drawn rectangle with its value label.
type Bar struct {
	X, Y, W, H     string
	LabelX, LabelY string
	Label          string
	Class          string
	// Title is the bar's tooltip and accessible text.
	Title string
}

// GoalChart is the cumulative count of implemented improvements by month against the
// pace line that reaches the target at year end.
type GoalChart struct {
	// Title and Desc are the chart's accessible name and description.
	Title, Desc string
	ViewBox     string
	Bars        []Bar
	XTicks      []Tick
	YTicks      []Tick
	// Pace is the polyline of the pace; TargetY the y of the target line.
	Pace               string
	TargetX1, TargetX2 string
	TargetY            string
	TargetLabel        string
	BaselineY          string
}

// goal chart geometry.
const (
	gcW, gcH                   = 640.0, 260.0
	gcLeft, gcRight            = 36.0, 12.0
	gcTop, gcBottom            = 16.0, 28.0
	gcPlotW, gcPlotH           = gcW - gcLeft - gcRight, gcH - gcTop - gcBottom
	gcMonths                   = 12
	gcBarShare                 = 0.62
	gcLabelOffset, gcAxisLabel = 4.0, 16.0
)

// NewGoalChart lays out the chart. cumulative holds the count implemented by the end of
// each month shown (months not yet begun are left out); pace holds the expected count at
// the end of each of the twelve months; monthLabels names them.
func NewGoalChart(title, desc string, monthLabels []string, cumulative []int, pace []float64, target int) GoalChart {
	top := float64(target)
	for _, c := range cumulative {
		top = math.Max(top, float64(c))
	}
	top = niceCeil(top)
	y := func(v float64) float64 { return gcTop + gcPlotH - v/top*gcPlotH }
	slot := gcPlotW / gcMonths
	c := GoalChart{Title: title, Desc: desc, ViewBox: fmt.Sprintf("0 0 %s %s", num(gcW), num(gcH)),
		BaselineY: num(gcTop + gcPlotH), TargetX1: num(gcLeft), TargetX2: num(gcLeft + gcPlotW),
		TargetY: num(y(float64(target))), TargetLabel: fmt.Sprint(target)}
	for i, v := range cumulative {
		if i >= gcMonths {
			break
		}
		x := gcLeft + float64(i)*slot + slot*(1-gcBarShare)/2
		top := y(float64(v))
		c.Bars = append(c.Bars, Bar{X: num(x), Y: num(top), W: num(slot * gcBarShare), H: num(gcTop + gcPlotH - top),
			LabelX: num(x + slot*gcBarShare/2), LabelY: num(top - gcLabelOffset), Label: fmt.Sprint(v), Class: "bar",
			Title: fmt.Sprintf("%s: %d", labelAt(monthLabels, i), v)})
	}
	pts := []string{num(gcLeft) + "," + num(y(0))}
	for i, p := range pace {
		if i >= gcMonths {
			break
		}
		pts = append(pts, num(gcLeft+float64(i+1)*slot)+","+num(y(p)))
	}
	c.Pace = strings.Join(pts, " ")
	for i := range gcMonths {
		c.XTicks = append(c.XTicks, Tick{X: num(gcLeft + float64(i)*slot + slot/2), Y: num(gcH - gcBottom + gcAxisLabel),
			Label: labelAt(monthLabels, i)})
	}
	step := top / 5
	for i := 0; i <= 5; i++ {
		v := step * float64(i)
		c.YTicks = append(c.YTicks, Tick{X: num(gcLeft - gcLabelOffset), Y: num(y(v) + 4), X2: num(gcLeft + gcPlotW),
			Y2: num(y(v)), Label: num(v)})
	}
	return c
}

func labelAt(labels []string, i int) string {
	if i < len(labels) {
		return labels[i]
	}
	return ""
}

// niceCeil rounds an axis maximum up to 5, 10, 20, 25, 50 times a power of ten, so the
// five grid steps are round numbers.
func niceCeil(v float64) float64 {
	if v <= 5 {
		return 5
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v && math.Mod(m*p, 5) == 0 {
			return m * p
		}
	}
	return math.Ceil(v/5) * 5
}

// ProgressBar is the goal's progress with the pace marker, drawn as SVG (the page's
// content security policy allows no inline styles, and SVG prints).
type ProgressBar struct {
	Title          string
	DoneW, PaceX   string
	Done, Expected string
}

// NewProgressBar lays out done of target with the pace marker at expected.
func NewProgressBar(title string, done, target int, expected float64) ProgressBar {
	share := func(v float64) float64 {
		if target <= 0 {
			return 0
		}
		return math.Min(100, math.Max(0, v*100/float64(target)))
	}
	return ProgressBar{Title: title, DoneW: num(share(float64(done))), PaceX: num(math.Min(99.4, share(expected))),
		Done: fmt.Sprint(done), Expected: num(expected)}
}

// Segment is one part of a stacked bar.
type Segment struct {
	Label string
	Value int
	// Class colours the segment: promoter, passive, detractor.
	Class string
}

// StackedBar is a 100% bar of segments with their shares.
type StackedBar struct {
	Title string
	Bars  []Bar
	Empty bool
}

// Stacked bar geometry: wide enough for the labels at print size.
const sbW, sbH = 600.0, 28.0

// NewStackedBar lays out the segments across the bar; each segment's label shows its
// share in whole percent, written as the reader's language writes it ("45 %" in Danish).
func NewStackedBar(ctx context.Context, title string, segs []Segment) StackedBar {
	total := 0
	for _, s := range segs {
		total += s.Value
	}
	sb := StackedBar{Title: title, Empty: total == 0}
	if total == 0 {
		return sb
	}
	x := 0.0
	for _, s := range segs {
		if s.Value == 0 {
			continue
		}
		share := float64(s.Value) * 100 / float64(total)
		w := share * sbW / 100
		pct := i18n.Percent(ctx, share)
		sb.Bars = append(sb.Bars, Bar{X: num(x), Y: "0", W: num(w), H: num(sbH), LabelX: num(x + w/2), LabelY: num(sbH/2 + 4),
			Label: pct, Class: s.Class, Title: s.Label + ": " + i18n.Int(ctx, int64(s.Value)) + " (" + pct + ")"})
		x += w
	}
	return sb
}

// FormatNPS shows an NPS to one decimal, or a dash when there were no responses.
func FormatNPS(ctx context.Context, c models.NPSCounts) string {
	v, ok := c.Score()
	if !ok {
		return "–"
	}
	return i18n.Number(ctx, models.RoundTo1(v), 1)
}

// FormatChange shows a change in NPS points with its sign, or a dash when there is none
// to compare.
func FormatChange(ctx context.Context, d float64, ok bool) string {
	if !ok {
		return "–"
	}
	d = models.RoundTo1(d)
	switch {
	case d > 0:
		return "+" + i18n.Number(ctx, d, 1)
	case d < 0:
		return "−" + i18n.Number(ctx, -d, 1)
	}
	return "±" + i18n.Number(ctx, 0, 1)
}

// ChangeClass colours a change: up, down or flat.
func ChangeClass(d float64, ok bool) string {
	switch {
	case !ok || models.RoundTo1(d) == 0:
		return "change flat"
	case d > 0:
		return "change up"
	}
	return "change down"
}

// NPSSegments splits responses into the three groups for a stacked bar, labelled by the
// caller in the user's language.
func NPSSegments(c models.NPSCounts, promoters, passives, detractors string) []Segment {
	return []Segment{{Label: promoters, Value: c.Promoters, Class: "promoter"},
		{Label: passives, Value: c.Passives, Class: "passive"},
		{Label: detractors, Value: c.Detractors, Class: "detractor"}}
}

// Percent formats a share of 0-100 in whole percent.
func Percent(ctx context.Context, v float64) string { return i18n.Percent(ctx, v) }

// Round1 formats a number with one decimal.
func Round1(ctx context.Context, v float64) string { return i18n.Number(ctx, models.RoundTo1(v), 1) }

// Money formats an amount in the user's language ("1.250 kr.", "250,50 kr.").
func Money(ctx context.Context, m models.Money) string { return i18n.Money(ctx, m.Ore()) }

// MoneyInput writes an amount for a form field in the user's language ("250,50").
func MoneyInput(ctx context.Context, m models.Money) string { return i18n.MoneyInput(ctx, m.Ore()) }

// Int formats a count with the language's thousands separator.
func Int(ctx context.Context, n int) string { return i18n.Int(ctx, int64(n)) }
