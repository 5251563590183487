package store_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// An import does for each batch at once what the per-row triggers do for other writes
// (on SQLite it suspends them inside its transaction). Whatever the path, the rollups
// must equal counting the feedback table, the full-text indexes must match the
// comments, the triggers must be back afterwards, and the next ordinary write must
// still reach the rollups.
func TestImportKeepsIndexesAndRollupsLikeTriggers(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	clock(s, time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
	triggersBefore := triggerNames(t, s)
	// Rows already in the rollups on the imported days, so the batch's sums are added
	// to existing rows (the conflict path), not only inserted.
	insertFeedback(t, s, fb{at: cph(2026, time.January, 31, 10, 0), nps: 9, touchpoint: "mobile_app"})
	insertFeedback(t, s, fb{at: cph(2026, time.February, 1, 10, 0), nps: 2, touchpoint: "mobile_app", branch: "north"})

	for run := range 2 {
		res := importString(t, s, rollupImportCSV(run, 300), models.ImportOptions{})
		if res.Created != 300 || len(res.Rejected) != 0 {
			t.Fatalf("import %d: created %d, rejected %v", run, res.Created, rejectedLines(res))
		}
		checkRollupsAndIndexes(t, s, fmt.Sprintf("after import %d", run))
	}
	// Each imported row has its history entry, each imported detractor its follow-up.
	var counts struct{ History, Detractors, FollowUps int64 }
	if err := s.Reader(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM history h JOIN feedback f ON f.id = h.entity_id
			WHERE h.entity = 'feedback' AND h.action = 'imported' AND f.external_id IS NOT NULL) AS history,
		(SELECT COUNT(*) FROM feedback WHERE external_id IS NOT NULL AND nps_group = 'detractor') AS detractors,
		(SELECT COUNT(*) FROM follow_ups u JOIN feedback f ON f.id = u.feedback_id
			WHERE f.external_id IS NOT NULL AND u.state = 'open') AS follow_ups`).Scan(&counts).Error; err != nil {
		t.Fatal(err)
	}
	if counts.History != 600 || counts.Detractors == 0 || counts.FollowUps != counts.Detractors {
		t.Errorf("history entries %d (want 600), open follow-ups %d of %d detractors", counts.History, counts.FollowUps, counts.Detractors)
	}
	if got := triggerNames(t, s); !slices.Equal(got, triggersBefore) {
		t.Fatalf("triggers after the import: %v, before: %v", got, triggersBefore)
	}
	// The restored triggers keep working for an ordinary write.
	insertFeedback(t, s, fb{at: cph(2026, time.February, 2, 9, 0), nps: 10, touchpoint: "cards", comment: "after the import"})
	checkRollupsAndIndexes(t, s, "after a later write")

	page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: "kortgebyrerne"}, models.Cursor{}, 500)
	if err != nil || len(page.Items) != 200 {
		t.Fatalf("search for an imported word: %d items, %v; want 200", len(page.Items), err)
	}
	page, err = s.ListFeedback(ctx, models.FeedbackFilter{Q: "gebyr"}, models.Cursor{}, 500)
	if err != nil || len(page.Items) != 200 {
		t.Fatalf("search for part of an imported word: %d items, %v; want 200", len(page.Items), err)
	}
}

// rollupImportCSV writes n rows around a month's end (Copenhagen days that are not
// UTC days included), with and without score, touchpoint, branch, first-contact
// resolution and CSAT, and a comment in every third row of one kind.
func rollupImportCSV(run, n int) string {
	var b strings.Builder
	b.WriteString("external_id,received_at,channel,touchpoint,branch,nps,comment,resolved_first_contact,csat\n")
	touchpoints := []string{"", "mobile_app", "cards", "Online banking"}
	branches := []string{"", "north", "City centre"}
	for i := range n {
		at := time.Date(2026, time.January, 30, 22, 30, 0, 0, time.UTC).Add(time.Duration(i) * 17 * time.Minute)
		nps := fmt.Sprint(i % 11)
		if i%13 == 0 {
			nps = ""
		}
		comment := []string{"Kortgebyrerne er for høje", "Appen virker fint", ""}[i%3]
		if comment == "" && nps == "" {
			comment = "Ingen score"
		}
		resolved := []string{"", "yes", "nej", ""}[(i/2)%4]
		csat := []string{"", "4", "", "1", "5"}[i%5]
		fmt.Fprintf(&b, "r%d-%d,%s,survey,%s,%s,%s,%s,%s,%s\n", run, i, at.Format(time.RFC3339),
			touchpoints[i%len(touchpoints)], branches[i%len(branches)], nps, comment, resolved, csat)
	}
	return b.String()
}

// checkRollupsAndIndexes compares every rollup with counting the feedback table and,
// on SQLite, checks both full-text indexes against the comments.
func checkRollupsAndIndexes(t *testing.T, s *store.Store, step string) {
	t.Helper()
	db := s.Reader(context.Background())
	daily := sumRows(t, s, `SELECT received_on AS day, COALESCE(touchpoint_id, 0) AS a, COALESCE(category_id, 0) AS b,
		SUM(CASE WHEN nps_group = 'promoter' THEN 1 ELSE 0 END) AS n1,
		SUM(CASE WHEN nps_group = 'passive' THEN 1 ELSE 0 END) AS n2,
		SUM(CASE WHEN nps_group = 'detractor' THEN 1 ELSE 0 END) AS n3
		FROM feedback WHERE nps_group IS NOT NULL
		GROUP BY received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0)`, "2006-01-02")
	if len(daily) == 0 {
		t.Fatalf("%s: no feedback counted", step)
	}
	// A key's rows are its slots' (PostgreSQL's concurrent writers, migration 00032):
	// only their sums are counts.
	compareSums(t, step+": feedback_daily", sumRows(t, s, `SELECT day, touchpoint_id AS a, category_id AS b,
		SUM(promoters) AS n1, SUM(passives) AS n2, SUM(detractors) AS n3 FROM feedback_daily
		GROUP BY day, touchpoint_id, category_id HAVING SUM(promoters + passives + detractors) > 0`, "2006-01-02"), daily)
	monthly := map[string][]int64{}
	for k, v := range daily {
		mk := k[:7] + k[10:] // "2026-01-31|a|b" -> "2026-01|a|b"
		if monthly[mk] == nil {
			monthly[mk] = make([]int64, len(v))
		}
		for i := range v {
			monthly[mk][i] += v[i]
		}
	}
	var months []struct {
		Month  string
		A, B   int64
		N1, N2 int64
		N3     int64
	}
	if err := db.Raw(`SELECT month, touchpoint_id AS a, category_id AS b, SUM(promoters) AS n1, SUM(passives) AS n2,
		SUM(detractors) AS n3 FROM feedback_monthly GROUP BY month, touchpoint_id, category_id
		HAVING SUM(promoters + passives + detractors) > 0`).Scan(&months).Error; err != nil {
		t.Fatal(err)
	}
	gotMonthly := map[string][]int64{}
	for _, m := range months {
		gotMonthly[fmt.Sprintf("%s|%d|%d", m.Month, m.A, m.B)] = []int64{m.N1, m.N2, m.N3}
	}
	compareSums(t, step+": feedback_monthly", gotMonthly, monthly)

	service := sumRows(t, s, `SELECT received_on AS day, COALESCE(touchpoint_id, 0) AS a, COALESCE(branch_id, 0) AS b,
		SUM(CASE WHEN resolved_first_contact IS NOT NULL THEN 1 ELSE 0 END) AS n1,
		SUM(CASE WHEN resolved_first_contact THEN 1 ELSE 0 END) AS n2,
		SUM(CASE WHEN csat IS NOT NULL THEN 1 ELSE 0 END) AS n3,
		SUM(COALESCE(csat, 0)) AS n4,
		SUM(CASE WHEN resolved_first_contact AND nps_group = 'promoter' THEN 1 ELSE 0 END) AS n5,
		SUM(CASE WHEN resolved_first_contact AND nps_group = 'passive' THEN 1 ELSE 0 END) AS n6,
		SUM(CASE WHEN resolved_first_contact AND nps_group = 'detractor' THEN 1 ELSE 0 END) AS n7,
		SUM(CASE WHEN NOT resolved_first_contact AND nps_group = 'promoter' THEN 1 ELSE 0 END) AS n8,
		SUM(CASE WHEN NOT resolved_first_contact AND nps_group = 'passive' THEN 1 ELSE 0 END) AS n9,
		SUM(CASE WHEN NOT resolved_first_contact AND nps_group = 'detractor' THEN 1 ELSE 0 END) AS n10
		FROM feedback WHERE resolved_first_contact IS NOT NULL OR csat IS NOT NULL
		GROUP BY received_on, COALESCE(touchpoint_id, 0), COALESCE(branch_id, 0)`, "2006-01-02")
	if len(service) == 0 {
		t.Fatalf("%s: no service answers counted", step)
	}
	compareSums(t, step+": feedback_service_daily", sumRows(t, s, `SELECT day, touchpoint_id AS a, branch_id AS b,
		SUM(answered) AS n1, SUM(resolved) AS n2, SUM(csat_responses) AS n3, SUM(csat_sum) AS n4, SUM(res_promoters) AS n5,
		SUM(res_passives) AS n6, SUM(res_detractors) AS n7, SUM(unres_promoters) AS n8, SUM(unres_passives) AS n9,
		SUM(unres_detractors) AS n10 FROM feedback_service_daily GROUP BY day, touchpoint_id, branch_id
		HAVING SUM(answered + csat_responses) > 0`, "2006-01-02"), service)

	if s.Dialect() != store.SQLite {
		return
	}
	checkFullTextIndexes(t, s, step)
}

// fullTextIndexes are SQLite's FTS5 indexes of the feedback comments.
var fullTextIndexes = []string{"feedback_fts", "feedback_tri"}

// checkFullTextIndexes reads each full-text index back against the comments it was
// built from (integrity-check with rank 1 compares with the content table too).
func checkFullTextIndexes(t *testing.T, s *store.Store, step string) {
	t.Helper()
	for _, index := range fullTextIndexes {
		if err := s.Writer(context.Background()).Exec(`INSERT INTO ` + index + ` (` + index + `, rank) VALUES ('integrity-check', 1)`).Error; err != nil {
			t.Errorf("%s: %s: %v", step, index, err)
		}
	}
}

// sumRows reads rows of a day, two ids and up to ten counts (n1..n10) keyed by
// "day|a|b".
func sumRows(t *testing.T, s *store.Store, query, dayLayout string) map[string][]int64 {
	t.Helper()
	var rows []map[string]any
	if err := s.Reader(context.Background()).Raw(query).Scan(&rows).Error; err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	out := map[string][]int64{}
	for _, r := range rows {
		key := fmt.Sprintf("%s|%v|%v", dayString(r["day"], dayLayout), asInt(r["a"]), asInt(r["b"]))
		var counts []int64
		for i := 1; ; i++ {
			v, ok := r[fmt.Sprintf("n%d", i)]
			if !ok {
				break
			}
			counts = append(counts, asInt(v))
		}
		out[key] = counts
	}
	return out
}

func dayString(v any, layout string) string {
	switch d := v.(type) {
	case time.Time:
		return d.UTC().Format(layout)
	case string:
		return d[:len(layout)]
	case []byte:
		return string(d[:len(layout)])
	}
	return fmt.Sprint(v)
}

func asInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int32:
		return int64(n)
	case int:
		return int64(n)
	case float64:
		return int64(n)
	case bool:
		if n {
			return 1
		}
		return 0
	case []byte:
		var i int64
		fmt.Sscan(string(n), &i)
		return i
	case string:
		var i int64
		fmt.Sscan(n, &i)
		return i
	}
	return -1 << 62
}

func compareSums(t *testing.T, what string, got, want map[string][]int64) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("%s %s: %v, counting feedback gives %v", what, k, got[k], want[k])
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s %s: %v, counting feedback gives nothing", what, k, got[k])
		}
	}
}

// triggerNames lists the triggers on SQLite's tables (none to compare on PostgreSQL,
// where the import leaves them alone).
func triggerNames(t *testing.T, s *store.Store) []string {
	t.Helper()
	if s.Dialect() != store.SQLite {
		return nil
	}
	var names []string
	if err := s.Reader(context.Background()).Raw(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).
		Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no triggers found")
	}
	return names
}
