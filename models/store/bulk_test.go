package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// A bulk load (the bench's data generator) on SQLite suspends the insert triggers in
// each transaction and does their work once before it commits. Whatever the path, the
// rollups must equal counting the feedback table, both full-text indexes must match the
// comments, the triggers must be back afterwards, and a row given an id below the
// stored ones, which the once-per-transaction work would miss, must fail the load.
func TestFeedbackBulkKeepsIndexesAndRollupsLikeTriggers(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	triggersBefore := triggerNames(t, s)
	// Rows already in the rollups on the loaded days, so the load's sums are added to
	// existing rows (the conflict path); one with a service answer, which the bulk
	// columns do not write.
	insertFeedback(t, s, fb{at: cph(2026, time.January, 31, 10, 0), nps: 9, touchpoint: "mobile_app"})
	answered := insertFeedback(t, s, fb{at: cph(2026, time.February, 1, 10, 0), nps: 2, touchpoint: "cards", branch: "north"})
	if err := s.Writer(ctx).Exec(`UPDATE feedback SET resolved_first_contact = ?, csat = 4 WHERE id = ?`, true, answered).Error; err != nil {
		t.Fatal(err)
	}
	channel := refID(t, s, models.RefChannels, "survey").(int64)
	touchpoints := []any{nil, refID(t, s, models.RefTouchpoints, "mobile_app"), refID(t, s, models.RefTouchpoints, "cards")}

	bulk, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bulk.SetCommitEvery(1) // a transaction per 500-row statement: three here
	const rows = 1300
	for i := range rows {
		f := models.Feedback{
			ReceivedAt: time.Date(2026, time.January, 30, 22, 30, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Minute),
			ChannelID:  channel,
			Comment:    []string{"Kortgebyrerne er for høje", "Appen virker fint", ""}[i%3],
		}
		if score := i % 11; i%13 != 0 {
			f.NPS = &score
		}
		if tp, ok := touchpoints[i%len(touchpoints)].(int64); ok {
			f.TouchpointID = &tp
		}
		f.ID = int64(10_000 + i) // ids given, as the generator gives them, with a gap
		if i >= 700 {
			f.ID = int64(1_000_000 + i)
		}
		if err := bulk.Add(&f); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	if got := bulk.Rows(); got != rows {
		t.Fatalf("bulk wrote %d rows, want %d", got, rows)
	}
	checkRollupsAndIndexes(t, s, "after the bulk load")
	if got := triggerNames(t, s); !slices.Equal(got, triggersBefore) {
		t.Fatalf("triggers after the bulk load: %v, before: %v", got, triggersBefore)
	}
	for _, q := range []string{"kortgebyrerne", "gebyr"} {
		page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: q}, models.Cursor{}, 500)
		if err != nil || len(page.Items) != 434 {
			t.Fatalf("search for %q: %d items, %v; want 434 loaded rows", q, len(page.Items), err)
		}
	}
	insertFeedback(t, s, fb{at: cph(2026, time.February, 2, 9, 0), nps: 10, touchpoint: "cards", comment: "after the load"})
	checkRollupsAndIndexes(t, s, "after a later write")

	if s.Dialect() != store.SQLite {
		return // PostgreSQL's triggers fire for every row
	}
	below, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, time.February, 3, 9, 0, 0, 0, time.UTC)
	score := 3
	if err := below.Add(&models.Feedback{ID: 5000, ReceivedAt: at, ChannelID: channel, NPS: &score, Comment: "below"}); err != nil {
		t.Fatal(err)
	}
	if err := below.Close(); err == nil || !strings.Contains(err.Error(), "above id") {
		t.Fatalf("a row below the stored ids: %v, want the load refused", err)
	}
	var n int64
	if err := s.Reader(ctx).Raw(`SELECT COUNT(*) FROM feedback WHERE id = 5000`).Scan(&n).Error; err != nil || n != 0 {
		t.Fatalf("the refused row is stored (%d, %v)", n, err)
	}
	if got := triggerNames(t, s); !slices.Equal(got, triggersBefore) {
		t.Fatalf("triggers after the refused load: %v, before: %v", got, triggersBefore)
	}
	checkRollupsAndIndexes(t, s, "after the refused load")
}

// A bulk transaction on SQLite writes its words to each full-text index as one
// segment: at FTS5's default hashsize the 20,000 rows below came out as several
// segments, each merged again later. The larger hashsize is the transaction's own;
// afterwards the indexes hold FTS5's default again.
func TestFeedbackBulkWritesOneFullTextSegmentPerTransaction(t *testing.T) {
	s := modeltest.Open(t)
	if s.Dialect() != store.SQLite {
		return // FTS5's segments are SQLite's; PostgreSQL's triggers fire for every row
	}
	ctx := context.Background()
	channel := refID(t, s, models.RefChannels, "survey").(int64)
	bulk, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const rows = 20_000
	start := time.Date(2026, time.March, 1, 8, 0, 0, 0, time.UTC)
	for i := range rows {
		// Distinct words in every comment give the indexes a few megabytes of terms.
		comment := fmt.Sprintf("Rådgiver %x svarede om konto %x og kort %x efter %d dage", i*7919, i*104729, i*15485863, i%97)
		score := i % 11
		f := models.Feedback{ReceivedAt: start.Add(time.Duration(i) * time.Minute), ChannelID: channel, NPS: &score, Comment: comment}
		if err := bulk.Add(&f); err != nil {
			t.Fatal(err)
		}
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	for _, index := range fullTextIndexes {
		var segments, hash int64
		if err := s.Reader(ctx).Raw(`SELECT COUNT(DISTINCT segid) FROM ` + index + `_idx`).Scan(&segments).Error; err != nil {
			t.Fatal(err)
		}
		if segments != 1 {
			t.Errorf("%s: %d segments after one bulk transaction, want 1", index, segments)
		}
		if err := s.Reader(ctx).Raw(`SELECT v FROM ` + index + `_config WHERE k = 'hashsize'`).Scan(&hash).Error; err != nil {
			t.Fatal(err)
		}
		if hash != 1<<20 {
			t.Errorf("%s: hashsize %d after the load, want FTS5's default 1048576", index, hash)
		}
	}
	checkFullTextIndexes(t, s, "after a one-transaction load")
	page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: "rådgiver"}, models.Cursor{}, 50)
	if err != nil || len(page.Items) != 50 {
		t.Fatalf("search after the load: %d items, %v", len(page.Items), err)
	}
}
