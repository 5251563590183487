package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// npsFor returns the period's NPS counts from the daily rollup that reports read.
func npsFor(t *testing.T, s *store.Store, from, to string) models.NPSCounts {
	t.Helper()
	var c models.NPSCounts
	err := s.Reader(context.Background()).Raw(`SELECT COALESCE(SUM(promoters), 0) AS promoters,
		COALESCE(SUM(passives), 0) AS passives, COALESCE(SUM(detractors), 0) AS detractors
		FROM feedback_daily WHERE day >= ? AND day < ?`,
		mustDate(from), mustDate(to)).Scan(&c).Error
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustDate(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// findEverywhere returns "table.column" for every value in the database that contains
// needle, in any table and column.
func findEverywhere(t *testing.T, s *store.Store, needle string) []string {
	t.Helper()
	db := s.Reader(context.Background())
	type col struct{ Table, Column string }
	var cols []col
	if s.Dialect() == store.Postgres {
		if err := db.Raw(`SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
			WHERE table_schema = current_schema()`).Scan(&cols).Error; err != nil {
			t.Fatal(err)
		}
	} else {
		var tables []string
		if err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table'`).Scan(&tables).Error; err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			var info []struct{ Name string }
			if err := db.Raw(`SELECT name FROM pragma_table_info(?)`, tb).Scan(&info).Error; err != nil {
				t.Fatal(err)
			}
			for _, c := range info {
				cols = append(cols, col{tb, c.Name})
			}
		}
	}
	var hits []string
	for _, c := range cols {
		var n int64
		q := `SELECT COUNT(*) FROM "` + c.Table + `" WHERE LOWER(CAST("` + c.Column + `" AS TEXT)) LIKE ?`
		if err := db.Raw(q, "%"+strings.ToLower(needle)+"%").Scan(&n).Error; err != nil {
			t.Fatalf("%s.%s: %v", c.Table, c.Column, err)
		}
		if n > 0 {
			hits = append(hits, c.Table+"."+c.Column)
		}
	}
	return hits
}

func TestEraseCustomerLeavesNoTraceAndKeepsTheNPS(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	clock(s, time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
	admin := modeltest.User(t, s, "admin@example.com", models.RoleAdmin)
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	const name, email = "Birgitte Kjærsgaard", "birgitte.k@example.dk"
	var mine []int64
	for i, nps := range []int{2, 9, 7} {
		fb, err := s.CreateFeedback(ctx, models.NewFeedback{ReceivedAt: time.Date(2026, 3, 2+i, 10, 0, 0, 0, time.UTC),
			Channel: "meeting", NPS: score(nps), Comment: "Advice on the mortgage", CustomerName: name,
			CustomerEmail: strings.ToUpper(email), Consent: true}, amb)
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, fb.ID)
	}
	other, err := s.CreateFeedback(ctx, models.NewFeedback{ReceivedAt: time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC),
		Channel: "meeting", NPS: score(4), Comment: "Fine", CustomerName: "Ole Olsen", CustomerEmail: "ole@example.dk", Consent: true}, amb)
	if err != nil {
		t.Fatal(err)
	}
	importString(t, s, "received_at,channel,nps,comment,customer_name,customer_email\n2026-03-05,survey,10,Great,"+name+","+email+"\n",
		models.ImportOptions{By: amb})
	if _, err := s.RecordFollowUp(ctx, mine[0], models.FollowUp{By: amb, Note: "Called back about the loan"}); err != nil {
		t.Fatal(err)
	}
	before := npsFor(t, s, "2026-03-01", "2026-04-01")
	if hits := findEverywhere(t, s, email); len(hits) == 0 {
		t.Fatal("the scan does not find the e-mail before erasure; it would prove nothing")
	}

	n, err := s.EraseCustomer(ctx, " "+strings.ToUpper(email)+" ", admin)
	if err != nil || n != 4 {
		t.Fatalf("erased %d, %v; want 4", n, err)
	}
	for _, needle := range []string{email, name, "Kjærsgaard", "birgitte"} {
		if hits := findEverywhere(t, s, needle); len(hits) > 0 {
			t.Errorf("%q still found in %v", needle, hits)
		}
	}
	if after := npsFor(t, s, "2026-03-01", "2026-04-01"); after != before {
		t.Errorf("NPS counts changed from %+v to %+v", before, after)
	}
	fb, _ := s.FeedbackByID(ctx, mine[0])
	if fb.PersonalDataErasedAt == nil || fb.Consent || fb.NPS == nil || fb.FollowedUpAt == nil || fb.Comment == "" {
		t.Errorf("erased feedback lost more than the person: %+v", fb)
	}
	h, _ := s.History(ctx, "feedback", mine[0])
	if h[len(h)-1].Action != "personal_data_erased" {
		t.Errorf("erasure not in the history: %+v", h)
	}
	if o, _ := s.FeedbackByID(ctx, other.ID); o.CustomerEmail == nil {
		t.Error("another customer's data was erased")
	}
	log, err := s.PrivacyLog(ctx, 10)
	if err != nil || len(log) != 1 || log[0].ToValue != "4" {
		t.Errorf("privacy log = %+v, %v", log, err)
	}
	if n, err := s.EraseCustomer(ctx, email, admin); err != nil || n != 0 {
		t.Errorf("erasing again: %d, %v", n, err)
	}
}

func TestRetentionErasesOldPersonalData(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	set := clock(s, time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	admin := modeltest.User(t, s, "admin@example.com", models.RoleAdmin)
	mk := func(at time.Time, email string) int64 {
		fb, err := s.CreateFeedback(ctx, models.NewFeedback{ReceivedAt: at, Channel: "phone", Comment: "x",
			CustomerEmail: email, Consent: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return fb.ID
	}
	old := mk(time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC), "old@example.dk")
	recent := mk(time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC), "new@example.dk")
	if n, err := s.EraseExpiredPersonalData(ctx, nil); n != 0 || err != nil {
		t.Errorf("without a retention period: %d %v", n, err)
	}
	if err := s.SetRetentionDays(ctx, 30, admin); err != nil {
		t.Fatal(err)
	}
	set(time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC))
	if n, err := s.EraseExpiredPersonalData(ctx, nil); n != 1 || err != nil {
		t.Fatalf("retention erased %d, %v; want 1", n, err)
	}
	if f, _ := s.FeedbackByID(ctx, old); f.CustomerEmail != nil || f.PersonalDataErasedAt == nil {
		t.Error("old personal data kept")
	}
	if f, _ := s.FeedbackByID(ctx, recent); f.CustomerEmail == nil {
		t.Error("recent personal data erased")
	}
	if log, _ := s.PrivacyLog(ctx, 5); len(log) != 1 || log[0].Action != "retention_erased" {
		t.Errorf("retention not recorded: %+v", log)
	}
}

// An erasure drops every kept figure at once, for every reader, not only the kept pages
// of the feedback list: the dashboard's latest improvements quote what customers said,
// and a colleague who wrote nothing must not see the erased name there, however long
// kept figures may miss other people's writes.
func TestErasureDropsKeptFiguresForEveryone(t *testing.T) {
	s := openLagging(t, modeltest.URL(t))
	ctx := context.Background()
	if err := s.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	admin := modeltest.User(t, s, "admin@example.com", models.RoleAdmin)
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	colleague := store.ForUser(ctx, modeltest.User(t, s, "colleague@example.com", models.RoleAmbassador).ID)
	const name, email = "Birgitte Kjærsgaard", "birgitte.k@example.dk"
	fb, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "meeting", NPS: score(3),
		Comment: "Birgitte Kjærsgaard waited an hour", CustomerName: name, CustomerEmail: email, Consent: true}, amb)
	if err != nil {
		t.Fatal(err)
	}
	implement(t, s, st, "Shorter queue", models.EffortXS, "", time.Now(), fb.ID)
	quoted := func() string {
		t.Helper()
		d, err := s.Dashboard(colleague)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, it := range d.Latest {
			for _, q := range it.Quotes {
				b.WriteString(q.Comment + "\n")
			}
		}
		return b.String()
	}
	if got := quoted(); !strings.Contains(got, "Kjærsgaard") {
		t.Fatalf("before the erasure the latest quote %q lacks the name; the test would prove nothing", got)
	}
	if n, err := s.EraseCustomer(ctx, email, admin); err != nil || n != 1 {
		t.Fatalf("erased %d, %v", n, err)
	}
	if got := quoted(); strings.Contains(got, "Kjærsgaard") {
		t.Errorf("after the erasure a colleague's dashboard still quotes %q", got)
	}
}
