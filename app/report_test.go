package app

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func cphTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, modeltest.Copenhagen)
}

func TestGoalsAPI(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@example.com", steering)
	admin := a.user("admin@example.com", adminRole)
	if err := a.store.SetGoalTarget(t.Context(), 2026, 40, admin); err != nil {
		t.Fatal(err)
	}
	a.implementAt(st, "Quick one", models.EffortXS, cphTime(2026, time.January, 1, 0, 30))
	a.implementAt(st, "Quick two", models.EffortS, cphTime(2026, time.June, 30, 23, 59))
	a.implementAt(st, "Big one", models.EffortL, cphTime(2026, time.March, 3, 10, 0))
	a.implementAt(st, "Last year", models.EffortXS, cphTime(2025, time.December, 31, 23, 59))
	a.store.Now = func() time.Time { return cphTime(2026, time.July, 1, 12, 0) }
	tok := a.token(st)

	type goal struct {
		Year, Target, Implemented int
		ByTrack                   map[string]int `json:"by_track"`
		Expected                  float64        `json:"expected_by_today"`
		Forecast                  float64
	}
	tests := []struct {
		year string
		want goal
	}{
		{"2026", goal{Year: 2026, Target: 40, Implemented: 3, ByTrack: map[string]int{"quick_win": 2, "steering": 1},
			Expected: 40.0 * 182 / 365, Forecast: 3.0 / 182 * 365}},
		{"2025", goal{Year: 2025, Target: 50, Implemented: 1, ByTrack: map[string]int{"quick_win": 1, "steering": 0},
			Expected: 50, Forecast: 1}},
		{"2027", goal{Year: 2027, Target: 50, ByTrack: map[string]int{"quick_win": 0, "steering": 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.year, func(t *testing.T) {
			res := a.api(http.MethodGet, "/api/v1/goals/"+tt.year, tok, nil)
			if res.Code != http.StatusOK {
				t.Fatalf("status %d: %s", res.Code, res.Body)
			}
			got := decode[goal](t, res)
			if got.Year != tt.want.Year || got.Target != tt.want.Target || got.Implemented != tt.want.Implemented ||
				got.ByTrack["quick_win"] != tt.want.ByTrack["quick_win"] || got.ByTrack["steering"] != tt.want.ByTrack["steering"] ||
				!closeTo(got.Expected, tt.want.Expected) || !closeTo(got.Forecast, tt.want.Forecast) {
				t.Errorf("goal = %+v, want %+v", got, tt.want)
			}
			for _, key := range []string{`"year"`, `"target"`, `"implemented"`, `"by_track"`, `"expected_by_today"`, `"forecast"`} {
				if !strings.Contains(res.Body.String(), key) {
					t.Errorf("body lacks %s: %s", key, res.Body)
				}
			}
		})
	}
	t.Run("bad year", func(t *testing.T) {
		res := a.api(http.MethodGet, "/api/v1/goals/next", tok, nil)
		body := decode[apiError](t, res)
		if res.Code != http.StatusBadRequest || body.Fields["year"] == "" {
			t.Errorf("status %d, body %s; want 400 naming year", res.Code, res.Body)
		}
	})
}

func closeTo(a, b float64) bool { d := a - b; return d < 1e-9 && d > -1e-9 }

func TestNPSAPI(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	// 2 promoters, 1 passive, 4 detractors in March: (2-4)/7 = -28.57... -> -28.6.
	for _, s := range []int{10, 9, 8, 0, 3, 6, 6} {
		a.feedbackAt(amb, cphTime(2026, time.March, 10, 12, 0), models.NewFeedback{NPS: score(s), Comment: "x"})
	}
	// 23:59 on 31 March local is 31 March; 00:00 on 1 April is not.
	a.feedbackAt(amb, cphTime(2026, time.March, 31, 23, 59), models.NewFeedback{NPS: score(9), Comment: "late"})
	a.feedbackAt(amb, cphTime(2026, time.April, 1, 0, 0), models.NewFeedback{NPS: score(0), Comment: "april"})
	a.feedbackAt(amb, cphTime(2026, time.March, 12, 9, 0), models.NewFeedback{Comment: "no score"})
	tok := a.token(amb)
	type nps struct {
		Responses, Promoters, Passives, Detractors int
		NPS                                        *float64
	}
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name, from, to string
		want           nps
	}{
		{"March", "2026-03-01", "2026-03-31", nps{8, 3, 1, 4, f(-12.5)}},
		{"one day", "2026-03-10", "2026-03-10", nps{7, 2, 1, 4, f(-28.6)}},
		{"last evening", "2026-03-31", "2026-03-31", nps{1, 1, 0, 0, f(100)}},
		{"April first", "2026-04-01", "2026-04-30", nps{1, 0, 0, 1, f(-100)}},
		{"nothing", "2026-05-01", "2026-05-31", nps{0, 0, 0, 0, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.api(http.MethodGet, "/api/v1/reports/nps?from="+tt.from+"&to="+tt.to, tok, nil)
			if res.Code != http.StatusOK {
				t.Fatalf("status %d: %s", res.Code, res.Body)
			}
			got := decode[nps](t, res)
			if got.Responses != tt.want.Responses || got.Promoters != tt.want.Promoters || got.Passives != tt.want.Passives ||
				got.Detractors != tt.want.Detractors || (got.NPS == nil) != (tt.want.NPS == nil) ||
				got.NPS != nil && *got.NPS != *tt.want.NPS {
				t.Errorf("got %s, want %+v", res.Body, tt.want)
			}
			if tt.want.NPS == nil && !strings.Contains(res.Body.String(), `"nps":null`) {
				t.Errorf("no responses must give nps null: %s", res.Body)
			}
		})
	}
	bad := []struct{ query, field string }{
		{"from=2026-03-01", "to"},
		{"from=01-03-2026&to=2026-03-31", "from"},
		{"from=2026-03-01&to=2026-02-30", "to"},
		{"from=2026-03-31&to=2026-03-01", "to"},
	}
	for _, b := range bad {
		t.Run("bad "+b.query, func(t *testing.T) {
			res := a.api(http.MethodGet, "/api/v1/reports/nps?"+b.query, tok, nil)
			body := decode[apiError](t, res)
			if res.Code != http.StatusBadRequest || body.Fields[b.field] == "" || body.Error == "" {
				t.Errorf("status %d, body %s; want 400 naming %s", res.Code, res.Body, b.field)
			}
		})
	}
}

func TestReportPageAndCSV(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	st := a.user("steer@example.com", steering)
	for _, s := range []int{10, 10, 9, 7, 2} {
		a.feedbackAt(amb, cphTime(2026, time.May, 4, 10, 0), models.NewFeedback{NPS: score(s), Comment: "q2", Touchpoint: "mobile_app"})
	}
	// Q1 has five detractors on the same touchpoint: enough responses in both quarters
	// for the touchpoint to be named as a reason.
	for range 5 {
		a.feedbackAt(amb, cphTime(2026, time.February, 4, 10, 0), models.NewFeedback{NPS: score(3), Comment: "q1", Touchpoint: "mobile_app"})
	}
	a.implementAt(st, "Clearer letters", models.EffortXS, cphTime(2026, time.May, 20, 10, 0))
	a.store.Now = func() time.Time { return cphTime(2026, time.November, 23, 12, 0) }
	c := a.signIn("amb@example.com")

	res := c.get("/reports?kind=quarter&period=2026-Q2")
	if res.Code != http.StatusOK {
		t.Fatalf("report: %d", res.Code)
	}
	d := doc(t, res)
	checks := map[string]string{"nps-value": "40.0", "responses": "5 responses", "implemented-total": "1", "followup-share": "0%"}
	for id, want := range checks {
		if got := strings.TrimSpace(d.Find("[data-testid=" + id + "]").Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if got := strings.TrimSpace(d.Find("[data-testid=vs-previous] .change").Text()); got != "+140.0" {
		t.Errorf("change vs Q1 = %q, want +140.0", got)
	}
	if d.Find("svg[role=img] title").Length() == 0 || d.Find("[data-testid=stacked-bar]").Length() != 1 {
		t.Error("the groups must be drawn as an SVG with a title")
	}
	if href, _ := d.Find("[data-testid=prev-period]").Attr("href"); href != "/reports?kind=quarter&period=2026-Q1" {
		t.Errorf("previous link = %q", href)
	}
	if txt := d.Find("[data-testid=reasons-up]").Text(); !strings.Contains(txt, "Mobile app") {
		t.Errorf("reasons up should name the touchpoint: %q", txt)
	}
	if c.get("/reports").Code != http.StatusOK {
		t.Error("the default report (this month) must render")
	}
	if res := c.get("/reports?kind=quarter&period=2026-05"); res.Code != http.StatusBadRequest {
		t.Errorf("bad period: %d, want 400", res.Code)
	}

	res = c.get("/reports/export.csv?kind=quarter&period=2026-Q2")
	if res.Code != http.StatusOK || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", res.Code, res.Header().Get("Content-Type"))
	}
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r[0]+"/"+r[1]] = r[2]
	}
	for k, want := range map[string]string{"period/": "2026-Q2", "nps/current": "40.0", "nps/previous": "-100.0",
		"nps/year_before": "", "responses/current": "5", "implemented/quick_win": "1", "nps_change/previous": "140.0",
		"reason_touchpoint_up/Mobile app": "140.0", "reason_touchpoint_mix/": "0.0", "goal_implemented/": "1"} {
		if got[k] != want {
			t.Errorf("csv %s = %q, want %q", k, got[k], want)
		}
	}

	// A year with nothing before it says so instead of ranking against an empty period.
	d = doc(t, c.get("/reports?kind=year&period=2026"))
	if d.Find("[data-testid=no-earlier]").Length() != 1 || d.Find("[data-testid=reason]").Length() != 0 {
		t.Errorf("2026 against an empty 2025 must say there is no earlier data: %q", d.Find("[data-testid=report-reasons]").Text())
	}
	if txt := d.Find("[data-testid=vs-previous]").Text(); !strings.Contains(txt, "no earlier data") {
		t.Errorf("comparison with an empty year = %q", txt)
	}
	// A year shows the trend of several years (against the targets) instead of 13 months.
	if d.Find("[data-testid=nps-trend] circle").Length() != 2 {
		t.Errorf("the trend must have a dot for each month with responses (February, May): %d", d.Find("[data-testid=nps-trend] circle").Length())
	}
}

// TestReportComment: the steering group writes the period's comment, which the report
// and its CSV then show; a comment over the limit comes back with the limit named.
func TestReportComment(t *testing.T) {
	a := newTestApp(t)
	a.user("steer@example.com", steering)
	a.user("amb@example.com", ambassador)
	a.store.Now = func() time.Time { return cphTime(2026, time.November, 23, 12, 0) }
	amb := a.signIn("amb@example.com")
	if strings.Contains(amb.get("/reports?kind=month&period=2026-10").Body.String(), `action="/reports/comment"`) {
		t.Error("an ambassador sees the comment form")
	}
	if res := amb.postForm("/reports/comment", url.Values{"kind": {"month"}, "period": {"2026-10"}, "comment": {"x"}}); res.Code != http.StatusForbidden {
		t.Errorf("an ambassador's comment: %d, want 403", res.Code)
	}
	c := a.signIn("steer@example.com")
	res := c.postForm("/reports/comment", url.Values{"kind": {"month"}, "period": {"2026-10"}, "comment": {"Queues were long after the system change."}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/reports?kind=month&period=2026-10" {
		t.Fatalf("save: %d %s", res.Code, res.Header().Get("Location"))
	}
	if flash := c.flashOf(res); !strings.Contains(flash, "saved") {
		t.Errorf("flash = %q", flash)
	}
	d := doc(t, c.get("/reports?kind=month&period=2026-10"))
	if got := d.Find("[data-testid=comment-body]").Text(); got != "Queues were long after the system change." {
		t.Errorf("comment on the report = %q", got)
	}
	long := strings.Repeat("å", models.MaxReportComment+1)
	res = c.postForm("/reports/comment", url.Values{"kind": {"month"}, "period": {"2026-10"}, "comment": {long}})
	d = doc(t, res)
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(d.Find("[data-testid=report-comment] .error").Text(), "at most 600 characters") ||
		d.Find("#f-comment").Text() != long {
		t.Errorf("too long: %d, error %q", res.Code, d.Find("[data-testid=report-comment] .error").Text())
	}
}

func TestHomeDashboard(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@example.com", steering, ambassador)
	f := a.feedbackAt(st, cphTime(2026, time.March, 1, 10, 0), models.NewFeedback{NPS: score(4), Comment: "The app logs me out all the time"})
	a.implementAt(st, "Keep app sessions alive", models.EffortS, cphTime(2026, time.April, 2, 10, 0), f.ID)
	a.implementAt(st, "Open on Saturdays", models.EffortL, cphTime(2026, time.May, 2, 10, 0))
	a.feedbackAt(st, cphTime(2026, time.November, 20, 10, 0), models.NewFeedback{NPS: score(10), Comment: "Great"})
	a.store.Now = func() time.Time { return cphTime(2026, time.November, 23, 12, 0) }
	c := a.signIn("steer@example.com")
	res := c.get("/")
	if res.Code != http.StatusOK {
		t.Fatalf("home: %d %s", res.Code, res.Body)
	}
	d := doc(t, res)
	if got := strings.TrimSpace(d.Find("[data-testid=goal-figure]").Text()); got != "2 of 50" {
		t.Errorf("goal figure = %q", got)
	}
	// Pace on 23 November (day 327): 50*327/365 = 44.8, so 43 behind.
	if got := strings.TrimSpace(d.Find("[data-testid=goal-pace]").Text()); got != "43 behind pace" {
		t.Errorf("pace = %q", got)
	}
	if d.Find("[data-testid=goal-chart] rect.bar").Length() != 11 || d.Find("[data-testid=goal-chart] polyline.pace").Length() != 1 {
		t.Errorf("chart: %d bars, want one per month so far (11) and a pace line", d.Find("[data-testid=goal-chart] rect.bar").Length())
	}
	if got := strings.TrimSpace(d.Find("[data-testid=nps30-value]").Text()); got != "100.0" {
		t.Errorf("NPS last 30 days = %q, want 100.0 (the March detractor is older)", got)
	}
	if got := d.Find("[data-testid=latest] [data-testid=quote]").Text(); !strings.Contains(got, "logs me out") {
		t.Errorf("latest implemented should quote the customer: %q", got)
	}
	if got := d.Find("[data-testid=split-area]").Text(); !strings.Contains(got, "IT and digital") {
		t.Errorf("split by area: %q", got)
	}
}

func TestYouSaidWeDidPaginatesWithQuotes(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@example.com", steering, ambassador)
	start := cphTime(2026, time.January, 5, 10, 0)
	for i := range yousaidPageSize + 2 {
		f := a.feedbackAt(st, start.AddDate(0, 0, i), models.NewFeedback{NPS: score(5), Comment: "Complaint " + strconvFormat(int64(i))})
		a.implementAt(st, "Fix "+strconvFormat(int64(i)), models.EffortXS, start.AddDate(0, 0, i).Add(time.Hour), f.ID)
	}
	c := a.signIn("steer@example.com")
	res := c.get("/you-said-we-did")
	d := doc(t, res)
	if n := d.Find("[data-testid=implemented]").Length(); n != yousaidPageSize {
		t.Fatalf("first page: %d items", n)
	}
	if first := d.Find("[data-testid=implemented] h2").First().Text(); first != "Fix 21" {
		t.Errorf("newest first: %q", first)
	}
	if q := d.Find("[data-testid=implemented]").First().Find("[data-testid=quote]").Text(); !strings.Contains(q, "Complaint 21") {
		t.Errorf("quote: %q", q)
	}
	next, ok := d.Find("[data-testid=next-page]").Attr("href")
	if !ok {
		t.Fatal("no next page link")
	}
	d2 := doc(t, c.get(next))
	if n := d2.Find("[data-testid=implemented]").Length(); n != 2 {
		t.Errorf("second page: %d items, want 2", n)
	}
	if d2.Find("[data-testid=next-page]").Length() != 0 {
		t.Error("the last page has no next link")
	}
	if res := c.get("/you-said-we-did?cursor=" + url.QueryEscape("x")); res.Code != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", res.Code)
	}
}

func TestAdminGoals(t *testing.T) {
	a := newTestApp(t)
	a.store.Now = func() time.Time { return cphTime(2026, time.November, 23, 12, 0) }
	c := a.signIn("admin@example.com", adminRole)
	d := doc(t, c.get("/admin/goals"))
	if got := d.Find("[data-testid=goal-row]").Length(); got != 2 {
		t.Errorf("rows for this and next year: %d", got)
	}
	res := c.postForm("/admin/goals", url.Values{"year": {"2027"}, "target": {"60"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("save: %d", res.Code)
	}
	if got, _ := a.store.GoalTarget(t.Context(), 2027); got != 60 {
		t.Errorf("target 2027 = %d", got)
	}
	if res := c.postForm("/admin/goals", url.Values{"year": {"2027"}, "target": {"0"}}); res.Code != http.StatusBadRequest ||
		doc(t, res).Find("[data-testid=error-target]").Length() != 1 {
		t.Errorf("zero target: %d, want 400 with the error beside the field", res.Code)
	}
	h, err := a.store.History(t.Context(), "goal", 2027)
	if err != nil || len(h) != 1 || h[0].ToValue != "60" {
		t.Errorf("history = %+v, %v", h, err)
	}
}
