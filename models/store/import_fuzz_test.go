package store_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// FuzzImportCSV feeds arbitrary bytes to the CSV import. Whatever the file holds, the
// import must not panic; it may refuse only a file it cannot read at all (ErrBadFile),
// and then nothing is stored; every rejected row names its line and a reason; and the
// counts never exceed the rows the file holds. The seed corpus is in
// testdata/fuzz/FuzzImportCSV; `make fuzz` explores beyond it.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("external_id,received_at,channel,nps,comment\ns-1,2026-03-02,survey,9,Great app\n"), false)
	f.Add([]byte("received_at,channel,comment\n2026-03-02T09:30:00+01:00,Phone,\"two\nlines\"\n"), true)
	f.Add([]byte("\xEF\xBB\xBFexternal_id,received_at,channel,nps\r\nx,2026-01-01,web,11\r\nx,2026-01-01,web,3\r\n"), false)
	f.Add([]byte("channel\nweb\n"), false)
	f.Add([]byte(""), false)

	s := modeltest.Open(f)
	s.Now = func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	// An admin: only admins may create missing reference data.
	by := modeltest.User(f, s, "importer@example.com", models.RoleAmbassador, models.RoleAdmin)
	ctx := context.Background()
	var before int64
	f.Fuzz(func(t *testing.T, data []byte, createMissing bool) {
		if err := s.Reader(ctx).Table("feedback").Count(&before).Error; err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportFeedback(ctx, bytes.NewReader(data), models.ImportOptions{CreateMissing: createMissing, By: by})
		if err != nil {
			if !errors.Is(err, models.ErrBadFile) {
				t.Fatalf("import failed with %v; only an unreadable file may fail the import (ErrBadFile)", err)
			}
			var after int64
			if err := s.Reader(ctx).Table("feedback").Count(&after).Error; err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Fatalf("a refused file stored %d rows", after-before)
			}
			return
		}
		if res == nil {
			t.Fatal("no result and no error")
		}
		rows := recordCount(data)
		if got := res.Created + res.Skipped + len(res.Rejected); got > rows {
			t.Fatalf("created %d + skipped %d + rejected %d = %d, but the file holds at most %d rows",
				res.Created, res.Skipped, len(res.Rejected), got, rows)
		}
		for _, r := range res.Rejected {
			if r.Line < 1 || r.Reason == "" || r.Message == "" {
				t.Fatalf("rejected row without line, message or reason: %+v", r)
			}
		}
		var after int64
		if err := s.Reader(ctx).Table("feedback").Count(&after).Error; err != nil {
			t.Fatal(err)
		}
		if after-before != int64(res.Created) {
			t.Fatalf("import says it created %d rows, the table grew by %d", res.Created, after-before)
		}
	})
}

// recordCount is an upper bound of the data rows in a CSV file: its lines after the
// header, or what a lenient CSV reader finds, whichever is larger.
func recordCount(data []byte) int {
	lines := bytes.Count(data, []byte("\n")) + 1
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	recs := 0
	for {
		_, err := r.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				recs++
				continue
			}
			break
		}
		recs++
	}
	return max(lines, recs)
}
