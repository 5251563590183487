package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/improvementtracker/tracker/models/modeltest"

	"github.com/improvementtracker/tracker/models"
)

// exportApp has three users, one per language, and two feedback of this month.
func exportApp(t *testing.T) (*testApp, map[string]*client, []*models.Feedback) {
	t.Helper()
	a := newTestApp(t)
	ctx := context.Background()
	clients := map[string]*client{}
	var by *models.User
	for _, lang := range []string{"en", "da", "nb"} {
		u, err := a.store.CreateUser(ctx, models.NewUser{Email: lang + "@bank.example", Name: "User " + lang,
			Password: modeltest.Password, Roles: []string{models.RoleAmbassador}, Lang: lang}, nil)
		if err != nil {
			t.Fatal(err)
		}
		by = u
		clients[lang] = a.signIn(u.Email)
	}
	score := func(n int) *int { return &n }
	var fbs []*models.Feedback
	for i, n := range []int{3, 10} {
		fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Segment: "private", NPS: score(n),
			Comment: []string{"Lang kø i filialen, æøå", "=HYPERLINK(\"x\")"}[i], ReceivedAt: earlierThisMonth(a.store.Now(), a.store.Location, i)}, by)
		if err != nil {
			t.Fatal(err)
		}
		fbs = append(fbs, fb)
	}
	return a, clients, fbs
}

// earlierThisMonth is a time before now in this month of loc, the part-th of a few:
// the fixture's feedback are in this month's report even in the month's first hours
// (an hour or two before now was last month then, and the report tests failed).
func earlierThisMonth(now time.Time, loc *time.Location, part int) time.Time {
	local := now.In(loc)
	start := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, loc)
	return start.Add(now.Sub(start) / time.Duration(part+2))
}

func TestCSVExportsUseTheReadersSeparatorAndAByteOrderMark(t *testing.T) {
	_, clients, _ := exportApp(t)
	for lang, comma := range map[string]rune{"en": ',', "da": ';', "nb": ';'} {
		res := clients[lang].get("/feedback/export.csv")
		body := res.Body.Bytes()
		if res.Code != http.StatusOK || !bytes.HasPrefix(body, utf8BOM) {
			t.Fatalf("%s feedback csv: %d, starts %q", lang, res.Code, body[:min(3, len(body))])
		}
		r := csv.NewReader(bytes.NewReader(body[3:]))
		r.Comma = comma
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		// The columns keep the import's names in every language.
		if len(rows) != 3 || strings.Join(rows[0][:4], "|") != "id|external_id|received_at|channel" {
			t.Errorf("%s feedback csv rows: %q", lang, rows)
		}
		if !strings.Contains(string(body), "æøå") {
			t.Errorf("%s: UTF-8 text lost", lang)
		}

		month := time.Now().In(clients[lang].app.store.Location).Format("2006-01")
		res = clients[lang].get("/reports/export.csv?kind=month&period=" + month)
		body = res.Body.Bytes()
		if !bytes.HasPrefix(body, utf8BOM) {
			t.Errorf("%s report csv has no byte order mark", lang)
		}
		r = csv.NewReader(bytes.NewReader(body[3:]))
		r.Comma = comma
		rows, err = r.ReadAll()
		if err != nil {
			t.Fatalf("%s report: %v", lang, err)
		}
		want := map[string]string{"en": "0.0", "da": "0,0", "nb": "0,0"}[lang] // one detractor, one promoter
		for _, row := range rows {
			if row[0] == "nps" && row[1] == "current" && row[2] != want {
				t.Errorf("%s report nps = %q, want %q", lang, row[2], want)
			}
		}
	}
}

func openXLSX(t *testing.T, res *httptest.ResponseRecorder) (*excelize.File, [][]string) {
	t.Helper()
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("xlsx: %d %s %s", res.Code, res.Header().Get("Content-Type"), res.Body.String())
	}
	f, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

func TestFeedbackExcelExportHasRealDatesAndNumbersAndLocalHeaders(t *testing.T) {
	a, clients, fbs := exportApp(t)
	if doc(t, clients["nb"].get("/feedback?channel=phone")).Find("[data-testid=export-xlsx][href='/feedback/export.xlsx?channel=phone']").Length() != 1 {
		t.Error("the feedback list has no Excel link carrying its filters")
	}
	f, rows := openXLSX(t, clients["nb"].get("/feedback/export.xlsx?channel=phone"))
	sheet := f.GetSheetName(0)
	if len(rows) != 3 {
		t.Fatalf("rows: %q", rows)
	}
	if got := strings.Join(rows[0][:5], "|"); got != "id|Ekstern id|Mottatt|Kanal|Kontaktpunkt" {
		t.Errorf("Norwegian headers = %q", got)
	}
	// Newest first: fbs[0] (an hour ago, NPS 3).
	raw := func(cell string) string {
		v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	serial, err := strconv.ParseFloat(raw("C2"), 64)
	if err != nil {
		t.Fatalf("received_at is not a number (a real date): %q", raw("C2"))
	}
	got, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		t.Fatal(err)
	}
	local := fbs[0].ReceivedAt.In(a.store.Location)
	wall := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, time.UTC)
	if d := got.Sub(wall); math.Abs(d.Seconds()) > 1 {
		t.Errorf("received_at = %v, want %v (the wall clock in TIME_ZONE)", got, wall)
	}
	if shown := rows[1][2]; !strings.Contains(shown, local.Format("02.01.2006")) {
		t.Errorf("the date shows as %q, want day.month.year", shown)
	}
	if raw("H2") != "3" || raw("O2") != "0" {
		t.Errorf("NPS %q and goodwill %q are not numbers", raw("H2"), raw("O2"))
	}
	if typ, _ := f.GetCellType(sheet, "H2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("NPS is stored as text (%v)", typ)
	}
	if rows[1][8] != "Kritiker" || rows[1][6] != "Privat" || rows[1][3] != "Phone" {
		t.Errorf("group %q, segment %q, channel %q", rows[1][8], rows[1][6], rows[1][3])
	}
	if rows[2][9] != "'=HYPERLINK(\"x\")" {
		t.Errorf("a formula-like comment is not defused: %q", rows[2][9])
	}
	if _, rows := openXLSX(t, clients["en"].get("/feedback/export.xlsx")); rows[0][2] != "Received" {
		t.Errorf("English header %q", rows[0][2])
	}
}

func TestReportExcelExport(t *testing.T) {
	a, clients, _ := exportApp(t)
	month := time.Now().In(a.store.Location).Format("2006-01")
	d := doc(t, clients["da"].get("/reports?kind=month&period="+month))
	if d.Find("[data-testid=xlsx][href='/reports/export.xlsx?kind=month&period="+month+"']").Length() != 1 {
		t.Error("the report has no Excel link for its period")
	}
	f, rows := openXLSX(t, clients["da"].get("/reports/export.xlsx?kind=month&period="+month))
	if strings.Join(rows[0], "|") != "Tal|Del|Værdi|Nøgle" {
		t.Errorf("Danish headers %q", rows[0])
	}
	sheet := f.GetSheetName(0)
	found := false
	for i, r := range rows {
		if len(r) == 4 && r[3] == "responses" && r[1] == "Denne periode" {
			found = true
			cell, _ := excelize.CoordinatesToCellName(3, i+1)
			if v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); v != "2" || r[0] != "Besvarelser" {
				t.Errorf("responses row %q, raw value %q", r, v)
			}
		}
	}
	if !found {
		t.Errorf("no responses row in %q", rows)
	}
	if res := clients["da"].get("/reports/export.xlsx?kind=quarter&period=2026-05"); res.Code != http.StatusBadRequest {
		t.Errorf("bad period: %d", res.Code)
	}
}

// The CSV's times are all on one clock, TIME_ZONE's, each with its offset: a
// detractor's received_at and its follow-up deadline must not read as two zones.
func TestCSVExportTimesOnOneClock(t *testing.T) {
	a, clients, fbs := exportApp(t)
	res := clients["en"].get("/feedback/export.csv")
	rows, err := csv.NewReader(bytes.NewReader(res.Body.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, row := range rows[1:] {
		if row[col["id"]] != strconvFormat(fbs[0].ID) {
			continue
		}
		for _, name := range []string{"received_at", "follow_up_due_at"} {
			at, err := time.Parse(time.RFC3339, row[col[name]])
			if err != nil {
				t.Fatalf("%s %q: %v", name, row[col[name]], err)
			}
			_, want := at.In(a.store.Location).Zone()
			if _, got := at.Zone(); got != want {
				t.Errorf("%s %q: offset %d s, want TIME_ZONE's %d s", name, row[col[name]], got, want)
			}
		}
		return
	}
	t.Fatalf("the detractor %d is not in the export: %q", fbs[0].ID, rows)
}
