package components

import (
	"context"
	"fmt"
	"strings"

	"github.com/improvementtracker/tracker/models"
)

// TrendPoint is one month's NPS on the trend chart.
type TrendPoint struct {
	X, Y  string
	Title string
}

// TrendChart is the NPS by month over several years against each year's NPS target.
type TrendChart struct {
	Title, Desc string
	ViewBox     string
	// Lines are the polylines of consecutive months with responses.
	Lines  []string
	Points []TrendPoint
	// Targets are one horizontal segment per year with a target.
	Targets []Tick
	YTicks  []Tick
	// Years label the x axis; Separators divide the years.
	Years      []Tick
	Separators []Tick
	Empty      bool
}

// trend chart geometry.
const (
	tcW, tcH         = 640.0, 240.0
	tcLeft, tcRight  = 36.0, 12.0
	tcTop, tcBottom  = 12.0, 26.0
	tcPlotW, tcPlotH = tcW - tcLeft - tcRight, tcH - tcTop - tcBottom
)

// NewTrendChart lays out months (consecutive, January first) and the targets by year.
// The y axis runs from -100 to 100 with a line at 0, as an NPS can.
func NewTrendChart(ctx context.Context, title, desc string, months []models.NPSMonth, targets map[int]int) TrendChart {
	c := TrendChart{Title: title, Desc: desc, ViewBox: fmt.Sprintf("0 0 %s %s", num(tcW), num(tcH)), Empty: true}
	if len(months) == 0 {
		return c
	}
	slot := tcPlotW / float64(len(months))
	y := func(v float64) float64 { return tcTop + tcPlotH*(100-v)/200 }
	for _, v := range []float64{-100, -50, 0, 50, 100} {
		c.YTicks = append(c.YTicks, Tick{X: num(tcLeft - 4), Y: num(y(v) + 4), X2: num(tcLeft + tcPlotW), Y2: num(y(v)), Label: num(v)})
	}
	var line []string
	for i, m := range months {
		x := tcLeft + slot*float64(i) + slot/2
		if m.Month == 1 {
			x0 := tcLeft + slot*float64(i)
			if i > 0 {
				c.Separators = append(c.Separators, Tick{X: num(x0), Y: num(tcTop), Y2: num(tcTop + tcPlotH)})
			}
			c.Years = append(c.Years, Tick{X: num(x0 + slot*6), Y: num(tcH - 8), Label: fmt.Sprint(m.Year)})
			if t, ok := targets[m.Year]; ok {
				c.Targets = append(c.Targets, Tick{X: num(x0), X2: num(x0 + slot*12), Y: num(y(float64(t))), Y2: num(y(float64(t))),
					Label: fmt.Sprintf("%d: %d", m.Year, t)})
			}
		}
		v, ok := m.Score()
		if !ok {
			if len(line) > 1 {
				c.Lines = append(c.Lines, strings.Join(line, " "))
			}
			line = nil
			continue
		}
		c.Empty = false
		p := num(x) + "," + num(y(v))
		line = append(line, p)
		c.Points = append(c.Points, TrendPoint{X: num(x), Y: num(y(v)),
			Title: fmt.Sprintf("%04d-%02d: %s (%d)", m.Year, m.Month, FormatNPS(ctx, m.NPSCounts), m.Responses())})
	}
	if len(line) > 1 {
		c.Lines = append(c.Lines, strings.Join(line, " "))
	}
	return c
}
