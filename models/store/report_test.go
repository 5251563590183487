package store_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestQuarterlyReport builds two quarters of known feedback and improvements and checks
// the Q2 2026 report against figures computed by hand:
//
//	          Q1 (P/Pa/D)  Q2 (P/Pa/D)
//	waiting    1/1/4        3/1/1       (touchpoint mobile_app)
//	advice     3/1/0        2/1/1       (touchpoint branch_visit)
//	none       -            1/0/0       (touchpoint mobile_app)
//	total      4/2/4 = 0    6/2/2 = 40
//
// Effects (contribution now - before, in points): waiting (3-1)*10 - (1-4)*10 = +50,
// advice (2-1)*10 - (3-0)*10 = -20, uncategorised +10; they add up to +40. By touchpoint:
// mobile_app (4-1)*10 - (1-4)*10 = +60, branch_visit (2-1)*10 - 30 = -20.
func TestQuarterlyReport(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "steer@example.com", models.RoleSteering)
	add := func(n int, f fb) {
		for range n {
			insertFeedback(t, s, f)
		}
	}
	q1 := cph(2026, time.February, 10, 12, 0)
	// Q1: waiting 1/1/4 (one detractor at 23:59 on the quarter's last evening), advice 3/1/0.
	add(1, fb{at: q1, nps: 10, category: "waiting_time", touchpoint: "mobile_app"})
	add(1, fb{at: q1, nps: 7, category: "waiting_time", touchpoint: "mobile_app"})
	add(2, fb{at: q1, nps: 2, category: "waiting_time", touchpoint: "mobile_app"})
	// Goodwill spent in Q1 stays out of the Q2 report.
	add(1, fb{at: q1, nps: 2, category: "waiting_time", touchpoint: "mobile_app", followedUp: time.Hour,
		goodwill: models.Kroner(500), branch: "city"})
	add(1, fb{at: cph(2026, time.March, 31, 23, 59), nps: 3, category: "waiting_time", touchpoint: "mobile_app",
		followedUp: time.Hour})
	add(3, fb{at: q1, nps: 9, category: "advice", touchpoint: "branch_visit"})
	add(1, fb{at: q1, nps: 8, category: "advice", touchpoint: "branch_visit"})
	// Q2: waiting 3/1/1, advice 2/1/1, none 1/0/0 (at 23:59 on 30 June).
	q2 := cph(2026, time.May, 5, 9, 30)
	add(3, fb{at: q2, nps: 9, category: "waiting_time", touchpoint: "mobile_app"})
	add(1, fb{at: q2, nps: 8, category: "waiting_time", touchpoint: "mobile_app"})
	add(1, fb{at: q2, nps: 0, category: "waiting_time", touchpoint: "mobile_app", followedUp: 2 * time.Hour})
	add(2, fb{at: q2, nps: 10, category: "advice", touchpoint: "branch_visit"})
	add(1, fb{at: q2, nps: 7, category: "advice", touchpoint: "branch_visit"})
	add(1, fb{at: q2, nps: 5, category: "advice", touchpoint: "branch_visit", followedUp: 30 * time.Hour,
		goodwill: 20050, branch: "city"})
	add(1, fb{at: cph(2026, time.June, 30, 23, 59), nps: 9, touchpoint: "mobile_app"})
	// Outside both quarters: the first minute of Q3, and feedback without a score.
	add(1, fb{at: cph(2026, time.July, 1, 0, 0), nps: 0, category: "waiting_time", touchpoint: "mobile_app"})
	add(1, fb{at: q2, nps: -1, comment: "no score"})
	// A year before: 1 promoter, 1 detractor.
	add(1, fb{at: cph(2025, time.April, 2, 10, 0), nps: 9})
	add(1, fb{at: cph(2025, time.April, 2, 11, 0), nps: 1})

	implement(t, s, st, "Shorter phone queue", models.EffortXS, "waiting_time", cph(2026, time.March, 3, 10, 0))
	implement(t, s, st, "Fix typo in letter", models.EffortXS, "waiting_time", cph(2026, time.April, 1, 0, 5))
	implement(t, s, st, "Clearer app login", models.EffortS, "waiting_time", cph(2026, time.May, 20, 14, 0))
	implement(t, s, st, "New advisory format", models.EffortL, "advice", cph(2026, time.June, 30, 23, 59))
	implement(t, s, st, "Next quarter's fix", models.EffortXS, "advice", cph(2026, time.July, 1, 0, 1))

	s.Now = func() time.Time { return cph(2026, time.September, 1, 12, 0) }
	p, err := models.ParsePeriod(models.PeriodQuarter, "2026-Q2", s.Location)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Report(ctx, p)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("nps and comparisons", func(t *testing.T) {
		counts := []struct {
			name string
			got  models.NPSCounts
			want models.NPSCounts
			nps  float64
		}{
			{"current", r.Current, models.NPSCounts{Promoters: 6, Passives: 2, Detractors: 2}, 40},
			{"previous", r.Previous, models.NPSCounts{Promoters: 4, Passives: 2, Detractors: 4}, 0},
			{"year before", r.YearBefore, models.NPSCounts{Promoters: 1, Detractors: 1}, 0},
		}
		for _, c := range counts {
			if c.got != c.want {
				t.Errorf("%s = %+v, want %+v", c.name, c.got, c.want)
			}
			if got, ok := c.got.Score(); !ok || !near(got, c.nps) {
				t.Errorf("%s NPS = %v, want %v", c.name, got, c.nps)
			}
		}
		if d, ok := models.NPSChange(r.Current, r.Previous); !ok || !near(d, 40) {
			t.Errorf("change vs previous = %v, want +40", d)
		}
	})

	t.Run("named reasons", func(t *testing.T) {
		// Own effect = share now × change of the segment's NPS; mix = change of share ×
		// (its NPS before − NPS before). Categories: waiting (5 of 10 now, −50 → 40) own
		// 0.5 × 90 = +45, mix (0.5 − 0.6) × (−50 − 0) = +5; advice has 4 responses in
		// each quarter, too few to name (own 0.4 × −50 = −20); the uncategorised one is
		// never named (mix 0.1 × 100 = +10). 45 + 5 − 20 + 10 = 40.
		check := func(name string, got models.Reasons, up []string, own []float64, mix, small float64, tooFew int) {
			t.Helper()
			if len(got.Up) != len(up) || len(got.Down) != 0 {
				t.Fatalf("%s = %+v, want up %v and nothing down", name, got, up)
			}
			for i := range up {
				if got.Up[i].Key != up[i] || !near(got.Up[i].Own, own[i]) {
					t.Errorf("%s up[%d] = %s %+.1f, want %s %+.1f", name, i, got.Up[i].Key, got.Up[i].Own, up[i], own[i])
				}
			}
			if !near(got.Change, 40) || !near(got.MixTotal, mix) || !near(got.SmallTotal, small) || got.TooFew != tooFew || got.NoEarlier {
				t.Errorf("%s = change %v mix %v small %v too few %d, want 40 %v %v %d", name, got.Change, got.MixTotal, got.SmallTotal, got.TooFew, mix, small, tooFew)
			}
		}
		check("categories", r.Categories, []string{"Waiting time"}, []float64{45}, 15, -20, 1)
		check("touchpoints", r.Touchpoints, []string{"Mobile app"}, []float64{60}, 0, -20, 1)
	})

	t.Run("trend of 13 months", func(t *testing.T) {
		if len(r.Trend) != models.TrendMonths {
			t.Fatalf("trend has %d months, want %d", len(r.Trend), models.TrendMonths)
		}
		last, may := r.Trend[12], r.Trend[11]
		if last.Month != time.June || last.NPSCounts != (models.NPSCounts{Promoters: 1}) ||
			may.NPSCounts != (models.NPSCounts{Promoters: 5, Passives: 2, Detractors: 2}) || r.Trend[0].Month != time.June {
			t.Errorf("trend ends %v %+v after %+v, starts %v", last.Month, last.NPSCounts, may.NPSCounts, r.Trend[0].Month)
		}
	})

	t.Run("steering comment", func(t *testing.T) {
		if r.Comment != nil {
			t.Fatalf("comment = %+v before any was written", r.Comment)
		}
		if err := s.SetReportComment(ctx, p, "  Waiting times fell after the new queue.  ", st); err != nil {
			t.Fatal(err)
		}
		r2, err := s.Report(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if r2.Comment == nil || r2.Comment.Body != "Waiting times fell after the new queue." || r2.Comment.UpdatedBy == nil {
			t.Fatalf("comment = %+v", r2.Comment)
		}
		long := make([]rune, models.MaxReportComment+1)
		for i := range long {
			long[i] = 'x'
		}
		if err := s.SetReportComment(ctx, p, string(long), st); err == nil {
			t.Error("a comment over the limit was stored")
		}
		if err := s.SetReportComment(ctx, p, " ", st); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.ReportComment(ctx, p); c != nil {
			t.Errorf("a blank comment left %+v", c)
		}
	})

	t.Run("follow-up within 24 hours", func(t *testing.T) {
		f := r.FollowUp
		if f.Detractors != 2 || f.FollowedUp != 2 || f.Within != 1 || f.Median != 16*time.Hour {
			t.Errorf("follow-up = %+v, want 2 detractors, 2 followed up, 1 within 24 h, median 16h", f)
		}
		if share, ok := f.WithinShare(); !ok || !near(share, 50) {
			t.Errorf("share = %v, want 50", share)
		}
	})

	t.Run("improvements and goal", func(t *testing.T) {
		im := r.Implemented
		if im.QuickWin != 2 || im.Steering != 1 || im.Total() != 3 {
			t.Errorf("implemented = %+v, want 2 quick wins and 1 steering", im)
		}
		want := []models.NameCount{{Name: "Waiting time", Count: 2}, {Name: "Advice quality", Count: 1}}
		if len(im.ByCategory) != 2 || im.ByCategory[0] != want[0] || im.ByCategory[1] != want[1] {
			t.Errorf("by category = %+v, want %+v", im.ByCategory, want)
		}
		g := r.Goal
		// By the end of 30 June (day 181 of 365): 4 implemented, pace 50*181/365.
		if g.Implemented != 4 || g.Target != 50 || !near(g.ExpectedByToday, 50.0*181/365) || !near(g.Forecast, 4.0/181*365) {
			t.Errorf("goal = %+v, want 4 of 50, pace %.2f", g.GoalStatus, 50.0*181/365)
		}
	})

	t.Run("goodwill", func(t *testing.T) {
		// 200,50 kr. is summed to the øre.
		if r.GoodwillTotal != 20050 || len(r.Goodwill) != 1 || r.Goodwill[0] != (models.GoodwillSpent{Branch: "City centre", Amount: 20050, FollowUps: 1}) {
			t.Errorf("goodwill = %s %+v, want 200.50 at City centre", r.GoodwillTotal, r.Goodwill)
		}
	})
}

// TestReportPeriodBoundaries checks through the report queries that a response at 23:59
// on a month's last evening in Copenhagen counts in that month, whatever UTC says.
func TestReportPeriodBoundaries(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	insertFeedback(t, s, fb{at: cph(2026, time.March, 31, 23, 59), nps: 10})   // 21:59 UTC
	insertFeedback(t, s, fb{at: cph(2026, time.April, 1, 0, 0), nps: 0})       // 22:00 UTC on 31 March
	insertFeedback(t, s, fb{at: cph(2026, time.January, 31, 23, 59), nps: 8})  // 22:59 UTC
	insertFeedback(t, s, fb{at: cph(2025, time.December, 31, 23, 59), nps: 6}) // last of 2025
	insertFeedback(t, s, fb{at: cph(2026, time.February, 28, 23, 59), nps: 9}) // last of February
	tests := []struct {
		kind   models.PeriodKind
		period string
		want   models.NPSCounts
	}{
		{models.PeriodMonth, "2026-03", models.NPSCounts{Promoters: 1}},
		{models.PeriodMonth, "2026-04", models.NPSCounts{Detractors: 1}},
		{models.PeriodMonth, "2026-01", models.NPSCounts{Passives: 1}},
		{models.PeriodMonth, "2026-02", models.NPSCounts{Promoters: 1}},
		{models.PeriodMonth, "2025-12", models.NPSCounts{Detractors: 1}},
		{models.PeriodQuarter, "2026-Q1", models.NPSCounts{Promoters: 2, Passives: 1}},
		{models.PeriodYear, "2025", models.NPSCounts{Detractors: 1}},
		{models.PeriodYear, "2026", models.NPSCounts{Promoters: 2, Passives: 1, Detractors: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.period, func(t *testing.T) {
			p, err := models.ParsePeriod(tt.kind, tt.period, s.Location)
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Report(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if r.Current != tt.want {
				t.Errorf("report %s counts %+v, want %+v", tt.period, r.Current, tt.want)
			}
		})
	}
	t.Run("dates through the API's query", func(t *testing.T) {
		got, err := s.NPSForDates(ctx, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if got != (models.NPSCounts{Promoters: 1}) {
			t.Errorf("31 March = %+v, want the 23:59 promoter only", got)
		}
	})
	t.Run("detractor follow-up counted in its month", func(t *testing.T) {
		p, _ := models.ParsePeriod(models.PeriodMonth, "2026-04", s.Location)
		r, err := s.Report(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if r.FollowUp.Detractors != 1 {
			t.Errorf("April detractors = %d, want 1 (received 00:00 on 1 April local)", r.FollowUp.Detractors)
		}
	})
}

// The report's follow-up figures come from waits the database works out, to the
// millisecond, for the detractors received on the period's days in Copenhagen.
func TestFollowUpFiguresOfAPeriod(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	clock(s, time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC))
	const ms = time.Millisecond
	for _, f := range []fb{
		{at: cph(2026, time.April, 30, 23, 59), nps: 1, followedUp: time.Hour},              // April
		{at: cph(2026, time.May, 1, 0, 10), nps: 2, followedUp: time.Hour},                  // 30 April in UTC
		{at: cph(2026, time.May, 12, 9, 0), nps: 0, followedUp: 90*time.Minute + 123456789}, // 123.456789 ms
		{at: cph(2026, time.May, 20, 9, 0), nps: 3, followedUp: 24 * time.Hour},             // within, just
		{at: cph(2026, time.May, 31, 23, 50), nps: 4, followedUp: 24*time.Hour + 2*ms},
		{at: cph(2026, time.May, 31, 23, 55), nps: 6},                          // not followed up
		{at: cph(2026, time.May, 31, 23, 58), nps: 9, followedUp: time.Minute}, // a promoter
		{at: cph(2026, time.June, 1, 0, 0), nps: 5, followedUp: time.Hour},     // June
	} {
		insertFeedback(t, s, f)
	}
	p, err := models.ParsePeriod(models.PeriodMonth, "2026-05", s.Location)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Report(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	// Waits 1 h, 1 h 30 min 0.123 s, 24 h and 24 h 2 ms: the median is halfway between
	// the middle two.
	want := models.FollowUpStats{Detractors: 5, FollowedUp: 4, Within: 3, Median: (90*time.Minute + 123*ms + 24*time.Hour) / 2}
	if r.FollowUp != want {
		t.Errorf("May's follow-up figures = %+v, want %+v", r.FollowUp, want)
	}
}

// A year's follow-up figures read indexes only: the detractors day by day from
// (received_on, nps_group, ...), and the follow-ups' root causes and goodwill from the
// follow-ups' own index (migration 00030), not each row from the table.
func TestFollowUpFiguresReadIndexesOnly(t *testing.T) {
	s := modeltest.Open(t)
	if s.Dialect() != store.SQLite {
		return // PostgreSQL plans by its own statistics
	}
	plans, err := s.FollowUpPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"waits":       "COVERING INDEX feedback_received_on (received_on=? AND nps_group=?)",
		"root causes": "COVERING INDEX feedback_followed_up",
		"goodwill":    "COVERING INDEX feedback_followed_up",
	} {
		if !strings.Contains(plans[name], want) {
			t.Errorf("%s: plan %q, want %q", name, plans[name], want)
		}
	}
}

// The branch page's follow-up figures follow the report's rules (models.FollowUpFigures),
// over the branch's detractors of the month.
func TestBranchReportFollowUpFigures(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	clock(s, time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC))
	for _, f := range []fb{
		{at: cph(2026, time.May, 4, 9, 0), nps: 2, branch: "north", followedUp: 2 * time.Hour},
		{at: cph(2026, time.May, 5, 9, 0), nps: 3, branch: "north", followedUp: 30 * time.Hour},
		{at: cph(2026, time.May, 6, 9, 0), nps: 4, branch: "north"},                              // not followed up
		{at: cph(2026, time.May, 7, 9, 0), nps: 1, branch: "City centre", followedUp: time.Hour}, // another branch
		{at: cph(2026, time.May, 8, 9, 0), nps: 9, branch: "north", followedUp: time.Hour},       // a promoter
	} {
		insertFeedback(t, s, f)
	}
	north := refID(t, s, models.RefBranches, "north").(int64)
	b, err := s.BranchReport(ctx, north, cph(2026, time.May, 15, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	if b.Detractors != 3 || b.FollowedUp != 2 || b.Within24h != 1 || b.MedianHours != 16 {
		t.Errorf("May at north: %d detractors, %d followed up, %d within 24 h, median %v h; want 3, 2, 1, 16",
			b.Detractors, b.FollowedUp, b.Within24h, b.MedianHours)
	}
	june, err := s.BranchReport(ctx, north, cph(2026, time.June, 15, 12, 0))
	if err != nil {
		t.Fatal(err)
	}
	if june.Detractors != 0 || june.MedianHours != -1 {
		t.Errorf("June at north: %d detractors, median %v h; want none and -1", june.Detractors, june.MedianHours)
	}
}
