package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// addAsideRows adds n feedback rows with ids from 1 to a bulk load; every third
// comment names a card fee, every third is empty.
func addAsideRows(t *testing.T, s *store.Store, bulk *store.FeedbackBulk, n int) {
	t.Helper()
	channel := refID(t, s, models.RefChannels, "survey").(int64)
	for i := range n {
		score := i % 11
		f := models.Feedback{
			ID:         int64(i + 1),
			ReceivedAt: time.Date(2026, time.April, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 11 * time.Minute),
			ChannelID:  channel,
			NPS:        &score,
			Comment:    []string{"Kortgebyrerne er for høje", "Rådgiveren ringede tilbage", ""}[i%3],
		}
		if err := bulk.Add(&f); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
	}
}

// searchCount is how many feedback a search for q lists (up to 500).
func searchCount(t *testing.T, s *store.Store, q string) int {
	t.Helper()
	page, err := s.ListFeedback(context.Background(), models.FeedbackFilter{Q: q}, models.Cursor{}, 500)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return len(page.Items)
}

// pendingMarks counts the setting that says a load's search entries are still missing.
func pendingMarks(t *testing.T, s *store.Store) int64 {
	t.Helper()
	var n int64
	if err := s.Reader(context.Background()).Raw(`SELECT COUNT(*) FROM settings WHERE key = 'bulk_fulltext_pending'`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The generator builds the full-text indexes in a scratch file on the other core and
// copies them in when the load closes. The result must be what the triggers would have
// built: both indexes pass FTS5's integrity-check against the comments, search finds
// the loaded rows, later writes keep the indexes right (the server's connections read
// the copied structure, not a stale one), the rollups still count every row, and
// neither the scratch file nor the pending mark is left behind.
func TestFeedbackBulkBuildsFullTextAside(t *testing.T) {
	if modeltest.Postgres() {
		return // FTS5 is SQLite's; PostgreSQL's triggers fire for every row
	}
	url := modeltest.URL(t)
	ctx := context.Background()
	s, err := store.Open(ctx, url, store.Options{Location: modeltest.Copenhagen})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	triggersBefore := triggerNames(t, s)
	// Read both indexes once on every connection kind before the load, so a structure
	// kept in memory from before the copy would show below.
	if n := searchCount(t, s, "kortgebyrerne"); n != 0 {
		t.Fatalf("search before the load: %d", n)
	}
	bulk, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := bulk.BuildFullTextAside(); err != nil {
		t.Fatal(err)
	}
	bulk.SetCommitEvery(1) // a transaction per 500-row statement: six here
	const rows = 2600
	addAsideRows(t, s, bulk, rows)
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	checkFullTextIndexes(t, s, "after a load with the indexes built aside")
	for _, q := range []string{"kortgebyrerne", "gebyr", "rådgiveren"} {
		if n := searchCount(t, s, q); n != 500 {
			t.Errorf("search %q after the load: %d items, want a full page of 500", q, n)
		}
	}
	if n := pendingMarks(t, s); n != 0 {
		t.Errorf("pending mark left after the copy: %d", n)
	}
	if got := triggerNames(t, s); !slices.Equal(got, triggersBefore) {
		t.Errorf("triggers after the load: %v, before: %v", got, triggersBefore)
	}
	left, err := filepath.Glob(filepath.Join(filepath.Dir(strings.TrimPrefix(url, "sqlite:")), ".fulltext-*"))
	if err != nil || len(left) != 0 {
		t.Errorf("scratch files left behind: %v, %v", left, err)
	}
	for _, index := range fullTextIndexes {
		var hash int64
		if err := s.Reader(ctx).Raw(`SELECT COUNT(*) FROM ` + index + `_config WHERE k = 'hashsize'`).Scan(&hash).Error; err != nil || hash != 0 {
			t.Errorf("%s: the scratch file's hashsize came along (%d, %v)", index, hash, err)
		}
	}

	id := insertFeedback(t, s, fb{at: cph(2026, time.May, 2, 9, 0), nps: 10, comment: "Kortgebyrerne faldt"})
	if err := s.Writer(ctx).Exec(`DELETE FROM feedback WHERE id = 3`).Error; err != nil {
		t.Fatal(err)
	}
	// A service answer, which bulk rows do not carry, so the service rollup is compared too.
	if err := s.Writer(ctx).Exec(`UPDATE feedback SET resolved_first_contact = ?, csat = 4 WHERE id = ?`, true, id).Error; err != nil {
		t.Fatal(err)
	}
	checkRollupsAndIndexes(t, s, "after later writes")
	page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: "faldt"}, models.Cursor{}, 50)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != id {
		t.Fatalf("search for a later comment: %+v, %v", page.Items, err)
	}
}

// Building aside replaces the indexes, so it is refused for a table that holds rows,
// and every row must bring the id its search entry is made under.
func TestFeedbackBulkBuildsFullTextAsideOnlyWhereItCan(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	bulk, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Dialect() != store.SQLite {
		if err := bulk.BuildFullTextAside(); err == nil {
			t.Fatal("built aside on PostgreSQL")
		}
		return
	}
	if err := bulk.BuildFullTextAside(); err != nil {
		t.Fatal(err)
	}
	score := 5
	err = bulk.Add(&models.Feedback{ReceivedAt: time.Now(), ChannelID: refID(t, s, models.RefChannels, "survey").(int64), NPS: &score})
	if err == nil || !strings.Contains(err.Error(), "needs its id") {
		t.Fatalf("a row without id: %v", err)
	}
	bulk.Cancel()

	insertFeedback(t, s, fb{at: cph(2026, time.May, 2, 9, 0), nps: 10, comment: "stored"})
	again, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.BuildFullTextAside(); err == nil || !strings.Contains(err.Error(), "empty feedback table") {
		t.Fatalf("building aside over stored feedback: %v", err)
	}
	checkFullTextIndexes(t, s, "after the refusals")
}

// A load cut short after some commits leaves rows the scratch file never gave search
// entries to. Its pending mark makes the next Open rebuild both indexes: no row that
// search cannot find survives a cancelled load or a crash.
func TestOpenRebuildsFullTextOfALoadCutShort(t *testing.T) {
	if modeltest.Postgres() {
		return // FTS5 is SQLite's
	}
	url := modeltest.URL(t)
	ctx := context.Background()
	s, err := store.Open(ctx, url, store.Options{Location: modeltest.Copenhagen})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	bulk, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := bulk.BuildFullTextAside(); err != nil {
		t.Fatal(err)
	}
	bulk.SetCommitEvery(1)
	addAsideRows(t, s, bulk, 1200) // two 500-row transactions commit, 200 rows wait
	bulk.Cancel()
	var stored int64
	if err := s.Reader(ctx).Raw(`SELECT COUNT(*) FROM feedback`).Scan(&stored).Error; err != nil || stored != 1000 {
		t.Fatalf("rows committed before the cancel: %d, %v", stored, err)
	}
	if n := pendingMarks(t, s); n != 1 {
		t.Fatalf("pending marks after the cancel: %d, want 1", n)
	}
	if n := searchCount(t, s, "rådgiveren"); n != 0 {
		t.Fatalf("search before the rebuild: %d (the test no longer cuts a load short)", n)
	}
	s.Close()

	s, err = store.Open(ctx, url, store.Options{Location: modeltest.Copenhagen})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := pendingMarks(t, s); n != 0 {
		t.Errorf("pending marks after the rebuild: %d", n)
	}
	if n := searchCount(t, s, "rådgiveren"); n != 333 {
		t.Errorf("search after the rebuild: %d, want the 333 committed rows that say it", n)
	}
	checkFullTextIndexes(t, s, "after the rebuild")
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(strings.TrimPrefix(url, "sqlite:")), ".fulltext-*"))
	if len(left) != 0 {
		t.Errorf("scratch files left behind: %v", left)
	}
}
