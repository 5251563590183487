package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"gorm.io/gorm"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// benchWords is the vocabulary generated comments are drawn from.
var benchWords = strings.Fields(`the app login card payment advisor branch queue waited minutes phone
	mortgage loan interest fee fees account transfer statement letter email website online banking slow
	fast friendly helpful rude error crashed again password code reset blocked new customer service
	meeting appointment booked cancelled late early great good bad terrible excellent clear unclear
	explained advice pension savings budget insurance house car business private branch staff cashier
	machine atm cash deposit withdraw limit increase decrease message chat reply answer nobody called
	back promised forgot kind patient quick simple difficult confusing form paperwork signature digital
	mitid nemid update version screen button menu search find lost stolen replaced delivered post weeks
	days hours today yesterday morning afternoon evening weekend holiday abroad travel currency rate`)

// benchFeedback builds rows first..first+n-1 of total rows of realistic feedback,
// received in order over the two years before now, as a bank logs them day by day.
func benchFeedback(first, n, total int, now time.Time, loc *time.Location) []models.Feedback {
	r := rand.New(rand.NewPCG(uint64(first+1), 0x9e3779b97f4a7c15))
	rows := make([]models.Feedback, n)
	span := 2 * 365 * 24 * time.Hour
	step := span / time.Duration(total)
	for i := range rows {
		at := now.Add(-span + time.Duration(first+i)*step).UTC().Truncate(time.Second)
		words := make([]string, 8+r.IntN(14))
		for j := range words {
			words[j] = benchWords[r.IntN(len(benchWords))]
		}
		// One comment in two thousand holds a rare word, as real searches often ask for.
		if r.IntN(2000) == 0 {
			words[r.IntN(len(words))] = "kortspærring"
		}
		var nps *int
		if r.IntN(5) > 0 {
			v := r.IntN(11)
			nps = &v
		}
		tp, br := int64(1+r.IntN(10)), int64(1+r.IntN(5))
		seg := models.Segments[r.IntN(2)]
		f := models.Feedback{ReceivedAt: at, ReceivedOn: time.Date(at.In(loc).Year(), at.In(loc).Month(), at.In(loc).Day(), 0, 0, 0, 0, time.UTC),
			ChannelID: int64(1 + r.IntN(10)), TouchpointID: &tp, BranchID: &br, Segment: &seg, NPS: nps,
			Comment: strings.Join(words, " "), FollowUpDueAt: models.FollowUpDue(at, nps), TriageStatus: models.TriageNew,
			Version: 1, CreatedAt: at, UpdatedAt: at}
		if g := models.GroupOf(nps); g != "" {
			gs := string(g)
			f.NPSGroup = &gs
		}
		rows[i] = f
	}
	return rows
}

// load1M fills a store with a million feedback through the bulk path: multi-row
// INSERTs, 50,000 rows per transaction.
func load1M(b *testing.B, s *store.Store, n int) {
	ctx := context.Background()
	start := time.Now()
	const perTx = 50000
	now := time.Now()
	// The import sets the same: a page cache that holds the indexes' working set.
	if err := s.Writer(ctx).Exec("PRAGMA cache_size = -131072").Error; err != nil {
		b.Fatal(err)
	}
	for done := 0; done < n; done += perTx {
		rows := benchFeedback(done, min(perTx, n-done), n, now, s.Location)
		err := s.Tx(ctx, func(tx *gorm.DB) error {
			_, err := store.InsertFeedbackRows(tx, rows, false)
			if err != nil {
				return err
			}
			// InsertFeedbackRows writes what an import writes; the follow-ups of
			// old detractors are set here in the same transaction.
			return tx.Exec(`UPDATE feedback SET followed_up_at = follow_up_due_at
				WHERE follow_up_due_at IS NOT NULL AND followed_up_at IS NULL AND id % 100 <> 0
				AND follow_up_due_at < ? AND id > (SELECT COALESCE(MAX(id), 0) - ? FROM feedback)`, now, len(rows)).Error
		})
		if err != nil {
			b.Fatalf("load: %v", err)
		}
	}
	if err := s.Writer(ctx).Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	b.Logf("loaded %d rows in %s (%.0f rows/s, FTS and rollup triggers included)", n, took.Round(time.Millisecond), float64(n)/took.Seconds())
}

// BenchmarkImport100k imports a 100,000-row CSV export (the web upload and the
// command line run exactly this).
func BenchmarkImport100k(b *testing.B) {
	s := modeltest.Open(b)
	ctx := context.Background()
	channels := []string{"survey", "meeting", "phone", "web", "Facebook"}
	run := 0
	start := time.Date(2025, 1, 1, 8, 0, 0, 0, modeltest.Copenhagen)
	for b.Loop() {
		run++
		var sb strings.Builder
		sb.WriteString("external_id,received_at,channel,touchpoint,branch,segment,nps,comment\n")
		r := rand.New(rand.NewPCG(uint64(run), 7))
		for i := range benchImportRows {
			words := make([]string, 8+r.IntN(14))
			for j := range words {
				words[j] = benchWords[r.IntN(len(benchWords))]
			}
			// A survey export lists responses in the order they came, a few minutes apart.
			at := start.Add(time.Duration(i*5) * time.Minute)
			fmt.Fprintf(&sb, "r%d-%06d,%s,%s,mobile_app,north,private,%d,\"%s\"\n", run, i, at.Format(time.RFC3339),
				channels[r.IntN(len(channels))], r.IntN(11), strings.Join(words, " "))
		}
		res, err := s.ImportFeedback(ctx, strings.NewReader(sb.String()), models.ImportOptions{})
		if err != nil || res.Created != benchImportRows {
			b.Fatalf("import: %+v %v", res, err)
		}
	}
}

// BenchmarkFeedback1M measures the list and the search with a million feedback. The
// million rows are loaded once (about half a minute) before the sub-benchmarks run; it
// only runs when asked for with -bench.
func BenchmarkFeedback1M(b *testing.B) {
	if modeltest.Postgres() {
		b.Skip("the million-row benchmark measures SQLite; PostgreSQL's search has its own issue")
	}
	ctx := context.Background()
	var s *store.Store
	if path := os.Getenv("BENCH_1M_DB"); path != "" {
		// Reuse a loaded database between runs: BENCH_1M_DB=/tmp/feedback1m.db.
		var err error
		if s, err = store.Open(ctx, "sqlite:"+path, store.Options{Location: modeltest.Copenhagen}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		if err := s.SeedReference(ctx); err != nil {
			b.Fatal(err)
		}
	} else {
		s = modeltest.Open(b)
	}
	if n, _, err := s.CountFeedback(ctx, models.FeedbackFilter{}); err != nil || n < models.CountCap {
		load1M(b, s, 1_000_000)
	}
	now := time.Now()
	day := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC) }
	// A cursor half way down the table, for a deep page.
	mid, err := s.ListFeedback(ctx, models.FeedbackFilter{From: day(now.AddDate(-1, 0, 0)), To: day(now.AddDate(-1, 0, 0))}, models.Cursor{}, 1)
	if err != nil || len(mid.Items) == 0 {
		b.Fatalf("find a deep cursor: %v", err)
	}
	deep := models.Cursor{ReceivedAt: mid.Items[0].ReceivedAt, ID: mid.Items[0].ID}
	cases := []struct {
		name  string
		f     models.FeedbackFilter
		after models.Cursor
	}{
		{"list/newest", models.FeedbackFilter{}, models.Cursor{}},
		{"list/deep_page", models.FeedbackFilter{}, deep},
		{"list/channel", models.FeedbackFilter{ChannelID: 3}, models.Cursor{}},
		{"list/branch_and_group", models.FeedbackFilter{BranchID: 2, Group: models.GroupDetractor}, models.Cursor{}},
		{"list/last_month", models.FeedbackFilter{From: day(now.AddDate(0, -1, 0)), To: day(now)}, models.Cursor{}},
		{"list/overdue", models.FeedbackFilter{Overdue: true}, models.Cursor{}},
		{"list/segment", models.FeedbackFilter{Segment: models.SegmentBusiness}, models.Cursor{}},
		{"search/rare_word", models.FeedbackFilter{Q: "kortspærring"}, models.Cursor{}},
		{"search/common_word", models.FeedbackFilter{Q: "mortgage"}, models.Cursor{}},
		{"search/two_words", models.FeedbackFilter{Q: "card blocked"}, models.Cursor{}},
		{"search/word_and_channel", models.FeedbackFilter{Q: "password reset", ChannelID: 4}, models.Cursor{}},
	}
	for _, c := range cases {
		plan, err := s.FeedbackListPlan(ctx, c.f, c.after, 51)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%-24s plan: %s", c.name, plan)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				page, err := s.ListFeedback(ctx, c.f, c.after, 50)
				if err != nil {
					b.Fatal(err)
				}
				_ = page
			}
		})
	}
	b.Run("count/capped", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := s.CountFeedback(ctx, models.FeedbackFilter{Q: "mortgage"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchImportRows is the size of the file BenchmarkImport100k imports.
var benchImportRows = 100000
