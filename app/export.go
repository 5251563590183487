package app

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// Exports open well in the spreadsheet of the user's country. Danish and Norwegian
// Excel read CSV with ';' between cells and a decimal comma (their list separator and
// decimal mark); English Excel with ',' and a decimal point. Every CSV starts with a
// UTF-8 byte order mark, without which Excel reads æ, ø and å as two characters each.
// The .xlsx files carry real numbers and dates, so they need no such guessing.

// utf8BOM is the byte order mark of UTF-8; the import skips it.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// csvDialect is how one language's spreadsheet reads CSV.
type csvDialect struct {
	comma   rune
	decimal string
}

func csvDialectFor(lang string) csvDialect {
	if lang == "da" || lang == "nb" {
		return csvDialect{comma: ';', decimal: ","}
	}
	return csvDialect{comma: ',', decimal: "."}
}

// newCSV starts a CSV download: headers, the byte order mark and a writer with the
// reader's separator.
func newCSV(c echo.Context, filename string) (*csv.Writer, csvDialect) {
	d := csvDialectFor(i18n.FromContext(c.Request().Context()).Lang)
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, filename))
	c.Response().WriteHeader(http.StatusOK)
	_, _ = c.Response().Write(utf8BOM)
	w := csv.NewWriter(c.Response())
	w.Comma = d.comma
	return w, d
}

// number writes a decimal figure with the dialect's decimal mark ("12,5" in Danish).
func (d csvDialect) number(s string) string {
	if d.decimal == "." {
		return s
	}
	return strings.Replace(s, ".", d.decimal, 1)
}

// xlsxMaxRows is Excel's limit of rows in a sheet.
const xlsxMaxRows = 1_048_576

// xlsxSheet streams one sheet: a bold header row in the user's language, then rows of
// real values (numbers as numbers, times as dates in TIME_ZONE).
type xlsxSheet struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	row    int
	loc    *time.Location
	dateID int
	// wholeID and oreID format amounts of money: "1.250" when whole, "250,50" when not
	// (Excel shows the separators of the reader's own settings).
	wholeID, oreID int
	full           bool
}

func newXLSXSheet(loc *time.Location, lang string, headers []string, widths map[int]float64) (*xlsxSheet, error) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	// Day first in Danish and Norwegian, ISO order in English: both unambiguous there.
	layout := "yyyy-mm-dd hh:mm"
	if lang == "da" || lang == "nb" {
		layout = "dd.mm.yyyy hh:mm"
	}
	dateID, err := f.NewStyle(&excelize.Style{CustomNumFmt: &layout})
	if err != nil {
		return nil, err
	}
	boldID, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for col, w := range widths {
		if err := sw.SetColWidth(col, col, w); err != nil {
			return nil, err
		}
	}
	// The header row stays in view while scrolling.
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	cells := make([]any, len(headers))
	for i, h := range headers {
		cells[i] = excelize.Cell{StyleID: boldID, Value: h}
	}
	whole, ore := "#,##0", "#,##0.00"
	wholeID, err := f.NewStyle(&excelize.Style{CustomNumFmt: &whole})
	if err != nil {
		return nil, err
	}
	oreID, err := f.NewStyle(&excelize.Style{CustomNumFmt: &ore})
	if err != nil {
		return nil, err
	}
	x := &xlsxSheet{f: f, sw: sw, row: 1, loc: loc, dateID: dateID, wholeID: wholeID, oreID: oreID}
	return x, sw.SetRow("A1", cells)
}

// Add writes one row; nil is an empty cell, a time.Time a date, a *time.Time a date
// or nothing, a models.Money a number of kroner with øre shown only when there are any. Rows past Excel's limit are left out (Full reports it).
func (x *xlsxSheet) Add(values ...any) error {
	if x.row >= xlsxMaxRows {
		x.full = true
		return nil
	}
	x.row++
	cells := make([]any, len(values))
	for i, v := range values {
		switch v := v.(type) {
		case *time.Time:
			if v == nil {
				cells[i] = nil
				continue
			}
			cells[i] = x.date(*v)
		case time.Time:
			cells[i] = x.date(v)
		case models.Money:
			style := x.wholeID
			if !v.Whole() {
				style = x.oreID
			}
			cells[i] = excelize.Cell{StyleID: style, Value: v.Float()}
		case *string:
			if v == nil {
				cells[i] = nil
			} else {
				cells[i] = *v
			}
		case *int:
			if v == nil {
				cells[i] = nil
			} else {
				cells[i] = *v
			}
		default:
			cells[i] = v
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells)
}

// date is a time as the wall clock in TIME_ZONE showed it: Excel has no time zones.
func (x *xlsxSheet) date(t time.Time) excelize.Cell {
	l := t.In(x.loc)
	wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
	return excelize.Cell{StyleID: x.dateID, Value: wall}
}

// Send finishes the workbook and writes it as a download.
func (x *xlsxSheet) Send(c echo.Context, filename string) error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, filename))
	c.Response().WriteHeader(http.StatusOK)
	_, err := x.f.WriteTo(c.Response())
	return err
}

// feedbackExportXLSX exports the filtered feedback list as an Excel workbook.
func (s *Server) feedbackExportXLSX(c echo.Context) error {
	ctx := c.Request().Context()
	t := i18n.FromContext(ctx)
	f, _, _ := s.parseFeedbackFilter(ctx, c.QueryParams())
	if err := s.scopeFilter(c, &f); err != nil {
		return err
	}
	contact := models.MaySeeContact(currentUser(c))
	x, err := newXLSXSheet(s.store.Location, t.Lang, []string{"id", t.T("feedback.external_id"), t.T("feedback.received_at"),
		t.T("feedback.channel"), t.T("feedback.touchpoint"), t.T("feedback.branch"), t.T("feedback.segment"), "NPS",
		t.T("feedback.group"), t.T("feedback.comment"), t.T("feedback.customer_name"), t.T("feedback.customer_email"),
		t.T("feedback.due"), t.T("feedback.followed_up"), t.T("followups.goodwill"), t.T("feedback.triage")},
		map[int]float64{3: 17, 10: 60, 13: 17, 14: 17})
	if err != nil {
		return err
	}
	name := func(it *models.RefItem) any {
		if it == nil {
			return nil
		}
		return it.Name
	}
	err = s.store.StreamFeedback(ctx, f, func(fb *models.Feedback) error {
		if !contact {
			fb.HideContact() // the columns stay, empty, as in the CSV
		}
		var segment, group any
		if fb.Segment != nil {
			segment = t.T("segment." + *fb.Segment)
		}
		if g := fb.Group(); g != models.GroupNone {
			group = t.T("group." + string(g))
		}
		return x.Add(fb.ID, fb.ExternalID, fb.ReceivedAt, name(fb.Channel), name(fb.Touchpoint), name(fb.Branch),
			segment, fb.NPS, group, xlsxText(fb.Comment), xlsxTextPtr(fb.CustomerName), xlsxTextPtr(fb.CustomerEmail),
			fb.FollowUpDueAt, fb.FollowedUpAt, fb.GoodwillAmount, t.T("triage_status."+fb.TriageStatus))
	})
	if err != nil {
		return err
	}
	if x.full {
		s.log.WarnContext(ctx, "feedback export cut at Excel's row limit", "request_id", RequestID(ctx))
	}
	return x.Send(c, fmt.Sprintf("feedback-%s.xlsx", s.store.Now().In(s.store.Location).Format("2006-01-02")))
}

// xlsxText keeps text from being read as a formula when the sheet is saved as CSV
// later: excelize writes strings as text, but a leading "=" would become one there.
func xlsxText(s string) string { return csvCell(s) }

func xlsxTextPtr(p *string) any {
	if p == nil {
		return nil
	}
	return csvCell(*p)
}

// reportXLSX exports the report's figures: one row per figure, its name in the
// user's language, the machine key beside it (as in the CSV) and the value as a number.
func (s *Server) reportXLSX(c echo.Context) error {
	p, err := s.reportPeriod(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := s.store.Report(ctx, p)
	if err != nil {
		return err
	}
	t := i18n.FromContext(ctx)
	x, err := newXLSXSheet(s.store.Location, t.Lang, []string{t.T("export.figure"), t.T("export.segment"),
		t.T("export.value"), t.T("export.key")}, map[int]float64{1: 44, 2: 30, 4: 30})
	if err != nil {
		return err
	}
	for _, row := range reportRows(r)[1:] {
		key, segment, value := row[0], row[1], row[2]
		var v any
		if key == "period" || key == "steering_comment" || value == "true" {
			v = value // text: the period, the steering group's words, "no earlier data"
		} else if strings.HasPrefix(key, "goodwill") {
			m, err := models.ParseMoneyDecimal(value)
			if err != nil {
				return fmt.Errorf("app: report figure %s=%q: %w", key, value, err)
			}
			v = m
		} else if value != "" {
			n, err := strconv.ParseFloat(value, 64)
			if err != nil {
				return fmt.Errorf("app: report figure %s=%q: %w", key, value, err)
			}
			v = n
		}
		// Segments are either one of the report's parts (translated) or a category,
		// touchpoint or branch name, which stays as it is.
		figureID, segmentID := "export.figure."+key, "export.segment."+segment
		label := t.T(figureID)
		if seg := t.T(segmentID); segment != "" && seg != segmentID {
			segment = seg
		}
		if err := x.Add(label, segment, v, key); err != nil {
			return err
		}
	}
	return x.Send(c, fmt.Sprintf("report-%s.xlsx", p.String()))
}
