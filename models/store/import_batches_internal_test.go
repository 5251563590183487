package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/models"
)

// importCSV builds an import file of n rows ("x-<i>" external ids, a word of its own
// in each comment), with extra lines appended.
func importCSV(n int, extra ...string) string {
	var b strings.Builder
	b.WriteString("external_id,received_at,channel,nps,comment\n")
	for i := range n {
		fmt.Fprintf(&b, "x-%d,2026-02-%02dT10:00:00Z,survey,%d,row word%d\n", i, i%28+1, i%11, i)
	}
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	return b.String()
}

func openForImport(t *testing.T, batch int) *Store {
	t.Helper()
	s, err := Open(context.Background(), "sqlite:"+t.TempDir()+"/t.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SeedReference(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.importBatch = batch
	return s
}

// Across thirteen batches every good row is stored once, a row already stored is
// skipped in a later batch, an id repeated in a later batch and a bad row are listed
// with their lines, and the last batch is searchable.
func TestImportAcrossBatches(t *testing.T) {
	ctx := context.Background()
	s := openForImport(t, 100)
	if _, err := s.ImportFeedback(ctx, strings.NewReader(importCSV(0, "x-1150,2026-02-01T10:00:00Z,survey,5,stored before")), models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportFeedback(ctx, strings.NewReader(importCSV(1234,
		"x-7,2026-02-01T10:00:00Z,survey,5,repeated",
		"x-bad,not a date,survey,5,bad")), models.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 1233 || res.Skipped != 1 {
		t.Errorf("created %d, skipped %d; want 1233, 1", res.Created, res.Skipped)
	}
	var lines []string
	for _, r := range res.Rejected {
		lines = append(lines, fmt.Sprintf("%d %s %s", r.Line, r.Field, r.Message))
	}
	if want := []string{"1236 external_id repeated_in_file", "1237 received_at invalid_date"}; strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Errorf("rejected %v, want %v", lines, want)
	}
	var stored int64
	if err := s.r.Model(&models.Feedback{}).Count(&stored).Error; err != nil || stored != 1234 {
		t.Errorf("stored %d (%v), want 1234", stored, err)
	}
	page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: "word1233"}, models.Cursor{}, 5)
	if err != nil || len(page.Items) != 1 {
		t.Errorf("search for the last row: %v, %v", page, err)
	}
}

// A batch that cannot be written stops the import with that error, however many rows
// are still to be read, and nothing of it is stored.
func TestImportStopsWhenABatchFails(t *testing.T) {
	ctx := context.Background()
	s := openForImport(t, 100)
	if err := s.w.Exec("DROP TRIGGER feedback_daily_insert").Error; err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportFeedback(ctx, strings.NewReader(importCSV(1234)), models.ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "feedback_daily_insert") {
		t.Fatalf("import with a batch that fails: %v, want the batch's error", err)
	}
	if res == nil || res.Created != 0 {
		t.Errorf("result %+v, want nothing created", res)
	}
}
