package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
)

// The erased customer. No other word in this test starts with q or z, so the full-text
// index stores their tokens whole (it shares prefixes between neighbouring terms) and
// a scan of the raw file would find them.
const (
	erasedName  = "Zofia Quintavalle"
	erasedEmail = "zofia.quintavalle@kunde.example"
	erasedPhone = "+45 71 93 58 46"
)

// erasedNeedles are what must be found nowhere after the erase: the address, the name
// and each part of the name (the full-text index keeps words, not the whole name).
var erasedNeedles = []string{erasedEmail, erasedName, "quintavalle", "zofia", erasedPhone}

// trigramNeedles are the trigrams of the name that the search's trigram index stores
// whole (see TestErasureLeavesNothing).
var trigramNeedles = []string{"qui", "zof"}

// TestErasureLeavesNothing is acceptance point 1 of issue 16: a customer who gave
// feedback (the name also typed into the comment and the follow-up note) and was sent
// a "you said, we did" mail in log mode is erased by an admin. Then no table, no
// planner statistic, no byte of the SQLite file or its write-ahead log, and no log line
// holds the name or the address.
func TestErasureLeavesNothing(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	st := a.user("steer@example.com", steering, ambassador)
	a.user("admin@example.com", adminRole)
	at := cphTime(2026, time.March, 2, 10, 0)
	mine := a.feedbackAt(st, at, models.NewFeedback{NPS: score(3), Channel: "phone",
		Comment:      "Kunden " + erasedName + " fik et brev med forkert dato; skriv til " + erasedEmail,
		CustomerName: erasedName, CustomerEmail: erasedEmail, CustomerPhone: erasedPhone, Consent: true})
	for i := range 30 { // other customers, so that the statistics sample more than one address
		a.feedbackAt(st, at.Add(time.Duration(i)*time.Minute), models.NewFeedback{NPS: score(8), Comment: "Brevet var fint",
			CustomerName: fmt.Sprintf("Ole Olsen %d", i), CustomerEmail: fmt.Sprintf("ole%d@kunde.example", i), Consent: true})
	}
	if _, err := a.store.RecordFollowUp(ctx, mine.ID, models.FollowUp{By: st, Note: "Ringede til " + erasedName}); err != nil {
		t.Fatal(err)
	}
	imp := a.implementAt(st, "Correct dates in letters", models.EffortXS, cphTime(2026, time.March, 20, 10, 0), mine.ID)
	steer := a.signIn("steer@example.com")
	res := steer.postForm(fmt.Sprintf("/improvements/%d/notify", imp.ID), url.Values{"lang": {"da"},
		"subject": {"Du sagde, vi gjorde"}, "body": {"Kære {name}, vi har rettet datoen."}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("notify: %d %s", res.Code, res.Body)
	}
	if n, err := a.srv.RunOutboxOnce(ctx); err != nil || n != 1 {
		t.Fatalf("outbox sent %d, %v", n, err)
	}
	if !strings.Contains(a.logs.String(), "mail (no SMTP_URL set, not sent)") {
		t.Fatal("the mail was not written to the log: the log check below would prove nothing")
	}
	sqlite := a.store.Dialect() == store.SQLite
	// What the hourly PRAGMA optimize (SQLite) or autovacuum (PostgreSQL) does on a
	// grown table: sample the columns and indexes, customer_email included.
	if err := a.store.Writer(ctx).Exec("ANALYZE").Error; err != nil {
		t.Fatal(err)
	}
	// The scans must see the customer before the erase, or their silence proves nothing.
	if hits := tablesHolding(t, a.store, erasedEmail); len(hits) < 3 {
		t.Fatalf("before the erase the address is only in %v", hits)
	}
	if sqlite {
		if hits := fileHits(t, a.store); len(hits) == 0 {
			t.Fatal("before the erase the raw file scan finds nothing")
		}
		if hits := tablesHolding(t, a.store, "quintavalle"); !contains(hits, "feedback_fts_data.block") {
			t.Fatalf("the full-text index should hold the name before the erase: %v", hits)
		}
		// The trigram index (issue 18) keeps runs of three characters, never the whole
		// name: "qui" and "zof" start no other trigram of this test, so each is stored
		// whole in its pages.
		for _, tri := range trigramNeedles {
			if hits := tablesHolding(t, a.store, tri); !contains(hits, "feedback_tri_data.block") {
				t.Fatalf("the trigram index should hold %q before the erase: %v", tri, hits)
			}
		}
	}

	admin := a.signIn("admin@example.com")
	res = admin.postForm("/admin/privacy/erase", url.Values{"email": {strings.ToUpper(erasedEmail)}, "confirm": {"yes"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("erase: %d %s", res.Code, res.Body)
	}

	for _, needle := range erasedNeedles {
		if hits := tablesHolding(t, a.store, needle); len(hits) > 0 {
			t.Errorf("%q still in %v", needle, hits)
		}
		if strings.Contains(strings.ToLower(a.logs.String()), strings.ToLower(needle)) {
			t.Errorf("%q is in the log", needle)
		}
	}
	if sqlite {
		for _, h := range fileHits(t, a.store) {
			t.Errorf("raw bytes: %s", h)
		}
		for _, tri := range trigramNeedles {
			for _, h := range tablesHolding(t, a.store, tri) {
				if strings.HasPrefix(h, "feedback_tri") {
					t.Errorf("the trigram index still holds %q in %s", tri, h)
				}
			}
		}
	} else {
		var n int64
		err := a.store.Reader(ctx).Raw(`SELECT count(*) FROM pg_stats WHERE schemaname = current_schema()
			AND (lower(most_common_vals::text) LIKE ? OR lower(histogram_bounds::text) LIKE ?)`,
			"%quintavalle%", "%quintavalle%").Scan(&n).Error
		if err != nil || n > 0 {
			t.Errorf("planner statistics still hold the customer: %d columns, %v", n, err)
		}
	}
	fb, err := a.store.FeedbackByID(ctx, mine.ID)
	if err != nil || fb.NPS == nil || !strings.Contains(fb.Comment, models.ErasedMark+" fik et brev") {
		t.Errorf("the feedback should stay, with the customer's name replaced: %+v %v", fb, err)
	}
	if hits := tablesHolding(t, a.store, "ole7@kunde.example"); len(hits) == 0 {
		t.Error("another customer was erased too")
	}
}

// tablesHolding returns "table.column" for every column of every table (shadow tables
// of the full-text index and sqlite_stat4 included) with a value containing needle,
// ignoring case.
func tablesHolding(t *testing.T, s *store.Store, needle string) []string {
	t.Helper()
	db := s.Reader(context.Background())
	type col struct{ Table, Column string }
	var cols []col
	if s.Dialect() == store.Postgres {
		if err := db.Raw(`SELECT c.table_name AS "table", c.column_name AS "column" FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`).Scan(&cols).Error; err != nil {
			t.Fatal(err)
		}
	} else {
		var tables []string
		if err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'`).Scan(&tables).Error; err != nil {
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
		// instr over the raw value finds text inside blobs too (sqlite_stat4 samples,
		// the full-text index's pages).
		q := `SELECT COUNT(*) FROM "` + c.Table + `" WHERE instr(LOWER(CAST("` + c.Column + `" AS TEXT)), ?) > 0`
		if s.Dialect() == store.Postgres {
			q = `SELECT COUNT(*) FROM "` + c.Table + `" WHERE strpos(LOWER(CAST("` + c.Column + `" AS TEXT)), ?) > 0`
		}
		if err := db.Raw(q, strings.ToLower(needle)).Scan(&n).Error; err != nil {
			t.Fatalf("%s.%s: %v", c.Table, c.Column, err)
		}
		if n > 0 {
			hits = append(hits, c.Table+"."+c.Column)
		}
	}
	return hits
}

// fileHits scans the SQLite database file and its write-ahead log byte by byte for
// each needle, ignoring ASCII case.
func fileHits(t *testing.T, s *store.Store) []string {
	t.Helper()
	var dbs []struct{ Name, File string }
	if err := s.Reader(context.Background()).Raw("PRAGMA database_list").Scan(&dbs).Error; err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, d := range dbs {
		if d.Name != "main" {
			continue
		}
		for _, path := range []string{d.File, d.File + "-wal"} {
			b, err := os.ReadFile(path)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			b = bytes.ToLower(b)
			for _, needle := range erasedNeedles {
				if n := bytes.Count(b, []byte(strings.ToLower(needle))); n > 0 {
					hits = append(hits, fmt.Sprintf("%s holds %q %d times", path, needle, n))
				}
			}
		}
	}
	return hits
}
