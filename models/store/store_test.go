package store_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"

	"gorm.io/gorm"
)

// Sixty-four goroutines writing at once through the app's handle must never see
// "database is locked": writes queue for the single writer connection instead.
func TestConcurrentWritersNeverSeeLockErrors(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	const writers, each = 64, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				// A read-then-write transaction: the kind that fails at once in WAL mode
				// unless it takes the write lock up front.
				_, err := s.CreateRef(ctx, models.RefCategories, fmt.Sprintf("c%d_%d", w, i), fmt.Sprintf("Category %d %d", w, i), nil)
				if err != nil {
					errs <- err
				}
				if _, err := s.TryLease(ctx, fmt.Sprintf("job%d", w%4), fmt.Sprint(w), 0); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	locked, other := 0, 0
	for err := range errs {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			locked++
		} else {
			other++
			t.Log(err)
		}
	}
	if locked != 0 || other != 0 {
		t.Fatalf("%d lock errors and %d other errors", locked, other)
	}
	items, err := s.RefList(ctx, models.RefCategories)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < writers*each {
		t.Fatalf("%d categories stored, want at least %d", len(items), writers*each)
	}
}

func TestLeaseIsHeldByOneHolder(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	got, err := s.TryLease(ctx, "outbox", "a", 60e9)
	if err != nil || !got {
		t.Fatalf("first lease: %v %v", got, err)
	}
	if got, _ := s.TryLease(ctx, "outbox", "b", 60e9); got {
		t.Fatal("a second holder took a lease that is still valid")
	}
	if got, _ := s.TryLease(ctx, "outbox", "a", 60e9); !got {
		t.Fatal("the holder could not renew its lease")
	}
}

func TestFirstAdminIsCreatedOnce(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	pw, err := s.EnsureFirstAdmin(ctx)
	if err != nil || len(pw) < models.MinPasswordLength {
		t.Fatalf("first admin: %q %v", pw, err)
	}
	u, err := s.Authenticate(ctx, "ADMIN@example.com", pw)
	if err != nil || !u.Has(models.RoleAdmin) {
		t.Fatalf("sign in as first admin: %v", err)
	}
	if again, _ := s.EnsureFirstAdmin(ctx); again != "" {
		t.Fatal("a second admin was created")
	}
}

func TestReferenceResolvesCodeOrName(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	for _, in := range []string{"focus_group", "Focus group", "FOCUS GROUP"} {
		it, err := s.ResolveRef(ctx, models.RefChannels, in)
		if err != nil || it.Code != "focus_group" {
			t.Errorf("%q: %v %v", in, it, err)
		}
	}
	if _, err := s.ResolveRef(ctx, models.RefChannels, "carrier pigeon"); err != models.ErrNotFound {
		t.Errorf("unknown channel: %v", err)
	}
	if _, err := s.CreateRef(ctx, models.RefChannels, "phone", "Phone again", nil); err == nil {
		t.Error("duplicate code accepted")
	}
}

// The planner's statistics keep counts, never samples of index keys: samples made
// SQLite re-prepare statements on every new bound time, and they copied customers'
// addresses and names out of the indexes.
func TestOptimizeKeepsNoSamples(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	by := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	for i := range 40 {
		nps := i % 11
		if _, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: &nps, Comment: "Sample " + strconv.Itoa(i),
			CustomerEmail: "kunde" + strconv.Itoa(i) + "@example.com", Consent: true}, by); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Dialect() != store.SQLite {
		return // PostgreSQL keeps its own statistics
	}
	count := func(table string) int64 {
		var n int64
		if err := s.Reader(ctx).Raw(`SELECT count(*) FROM ` + table).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	// A full ANALYZE writes samples; Optimize must remove them and keep the counts.
	if err := s.Writer(ctx).Exec("ANALYZE").Error; err != nil {
		t.Fatal(err)
	}
	if count("sqlite_stat4") == 0 {
		t.Fatal("ANALYZE wrote no samples: the check below would prove nothing")
	}
	if err := s.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count("sqlite_stat4"); n != 0 {
		t.Errorf("%d samples left after Optimize", n)
	}
	if count("sqlite_stat1") == 0 {
		t.Error("Optimize removed the per-index counts too")
	}
}

// A statement run outside a transaction while a transaction holds the writer must
// wait for that transaction, and the transaction may run the same statement itself.
// With GORM's prepared statements on the writer's single connection, the first
// waited for a connection to prepare the statement and the second waited for that
// preparation (go-gorm/gorm#7465): every write stopped until a request timed out, as
// the soak saw right after a restart, when no statement is prepared yet.
func TestWriterStatementPreparedByAWaiterDoesNotStopTheTransaction(t *testing.T) {
	s := modeltest.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sqlDB, err := s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	// A statement this test alone runs, so nothing has prepared it before.
	const touch = `UPDATE users SET name = name WHERE id = ? AND 'writer-wait-test' <> ''`
	inTx, release := make(chan struct{}), make(chan struct{})
	txDone := make(chan error, 1)
	go func() {
		txDone <- s.Tx(ctx, func(tx *gorm.DB) error {
			close(inTx)
			<-release
			return tx.Exec(touch, 1).Error
		})
	}()
	<-inTx
	waits := sqlDB.Stats().WaitCount
	outsideDone := make(chan error, 1)
	go func() { outsideDone <- s.Writer(ctx).Exec(touch, 1).Error }()
	if s.Dialect() == store.SQLite {
		// The writer has one connection: the statement outside waits for it.
		for sqlDB.Stats().WaitCount == waits && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	for name, done := range map[string]chan error{"transaction": txDone, "statement outside": outsideDone} {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s still waiting after 10 s: the writer is deadlocked", name)
		}
	}
}

// On SQLite the writer syncs every commit, so an answered write survives a power cut
// (README, "What a 201 survives"); the readers never commit.
func TestSQLiteWriterSyncsEachCommit(t *testing.T) {
	s := modeltest.Open(t)
	if s.Dialect() != store.SQLite {
		return // PostgreSQL's durability is the server's
	}
	ctx := context.Background()
	synchronous := func(db *gorm.DB) int64 {
		t.Helper()
		var v int64
		if err := db.Raw("PRAGMA synchronous").Scan(&v).Error; err != nil {
			t.Fatal(err)
		}
		return v
	}
	const full, normal = 2, 1
	if got := synchronous(s.Writer(ctx)); got != full {
		t.Errorf("writer synchronous = %d, want FULL", got)
	}
	if got := synchronous(s.Reader(ctx)); got != normal {
		t.Errorf("reader synchronous = %d, want NORMAL", got)
	}
}
