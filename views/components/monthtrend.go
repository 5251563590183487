package components

import "strings"

// MonthPoint is one month of the NPS trend: its label, and its NPS when it had responses.
type MonthPoint struct {
	Label string
	NPS   float64
	OK    bool
	// Value is the NPS as the page writes it ("27,3"); Title the point's tooltip.
	Value, Title string
}

// MonthTrendChart is the NPS of 13 months as a line, laid out here so the SVG prints as it
// shows and needs no script. Months without responses break the line rather than
// falling to 0 (no responses is no NPS).
type MonthTrendChart struct {
	Title, Desc string
	ViewBox     string
	// Lines are the polylines of consecutive months with an NPS.
	Lines  []string
	Dots   []Bar
	XTicks []Tick
	YTicks []Tick
	// ZeroY is the y of NPS 0; X1, X2 the plot's horizontal extent.
	ZeroY, X1, X2 string
}

// trend chart geometry: NPS runs from −100 to 100.
const (
	mtW, mtH         = 640.0, 150.0
	mtLeft, mtRight  = 34.0, 10.0
	mtTop, mtBottom  = 14.0, 22.0
	mtPlotW, mtPlotH = mtW - mtLeft - mtRight, mtH - mtTop - mtBottom
)

// NewMonthTrendChart lays out the trend of points (oldest first).
func NewMonthTrendChart(title, desc string, points []MonthPoint) MonthTrendChart {
	c := MonthTrendChart{Title: title, Desc: desc, ViewBox: "0 0 " + num(mtW) + " " + num(mtH),
		X1: num(mtLeft), X2: num(mtW - mtRight)}
	y := func(v float64) float64 { return mtTop + (100-v)/200*mtPlotH }
	c.ZeroY = num(y(0))
	for _, v := range []float64{100, 50, 0, -50, -100} {
		c.YTicks = append(c.YTicks, Tick{X: num(mtLeft - 4), Y: num(y(v) + 4), Y2: num(y(v)), X2: num(mtW - mtRight),
			Label: strings.Replace(num(v), "-", "−", 1)})
	}
	step := mtPlotW / float64(max(len(points), 1))
	var line []string
	flush := func() {
		if len(line) > 1 {
			c.Lines = append(c.Lines, strings.Join(line, " "))
		}
		line = nil
	}
	for i, p := range points {
		x := mtLeft + step*(float64(i)+0.5)
		c.XTicks = append(c.XTicks, Tick{X: num(x), Y: num(mtH - 6), Label: p.Label})
		if !p.OK {
			flush()
			continue
		}
		py := y(p.NPS)
		line = append(line, num(x)+","+num(py))
		labelY := py - 6
		if labelY < mtTop {
			labelY = py + 14
		}
		c.Dots = append(c.Dots, Bar{X: num(x), Y: num(py), LabelX: num(x), LabelY: num(labelY), Label: p.Value, Title: p.Title})
	}
	flush()
	return c
}
