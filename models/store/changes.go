package store

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// writeLog is how the store's caches learn what changed. Every write reaches it once
// committed, never before: a write inside Store.Tx is noted with its transaction and
// told after the commit, a statement outside one (its own commit) right after it runs,
// and a Bulk load after each of its commits. A cache reads the generation before it
// computes and keeps the result under it; a commit during the computation moves the
// generation on, so figures that may predate it are never kept as current.
//
// Tables are told apart so that, say, a feedback does not throw away the reference
// lists. Writes whose table cannot be read from the SQL count as writes to every table.
type writeLog struct {
	// all moves on with every commit that changed a table outside quietTables.
	all atomic.Uint64
	// every moves on with writes of unknown tables; it counts for each table.
	every atomic.Uint64

	mu     sync.RWMutex
	tables map[string]uint64
	// byUser is, per user, the generation their latest write made: what they must see.
	byUser map[int64]uint64
	// own is, per user, what their latest writes did (ownwrites.go).
	own map[int64]*ownLog
	// recent is what this instance's latest writes did, whoever made them (ownwrites.go).
	recent recentLog
	// instance names this process in users.last_write_by (markWriters).
	instance string
	// heardFrom is, per user, the times of their latest writes through other
	// instances that this one heard (heard.go), oldest first.
	heardFrom map[int64][]time.Time
	// heardCount counts the writes heard from other instances.
	heardCount atomic.Uint64
}

// quietTables are written on every request or by the clock; their writes change no
// figure, so they keep the caches.
var quietTables = map[string]bool{"sessions": true, "job_leases": true, "outbox": true}

// anyTable stands for a write whose table is not known.
const anyTable = "*"

// committed tells the caches that tables changed in a commit made for ctx's user.
func (w *writeLog) committed(ctx context.Context, tables map[string]bool) {
	if len(tables) == 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tables == nil {
		w.tables, w.byUser = map[string]uint64{}, map[int64]uint64{}
	}
	loud := false
	for t := range tables {
		if t == anyTable {
			w.every.Add(1)
			loud = true
			continue
		}
		w.tables[t]++
		loud = loud || !quietTables[t]
	}
	if !loud {
		return
	}
	gen := w.all.Add(1)
	wrote := loggedWrite{gen: gen, feedback: footprintOf(ctx), tables: slices.Sorted(maps.Keys(tables))}
	w.recent.add(wrote)
	if id, ok := userOf(ctx); ok {
		w.byUser[id] = max(w.byUser[id], gen)
		w.rememberOwn(id, wrote)
	}
}

// table returns the generation of one table.
func (w *writeLog) table(t string) uint64 {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.tables[t] + w.every.Load()
}

// sawOwnWrite records that ctx's user made a write that has committed by now (the
// group commit's transaction runs for several users at once); fw is what it wrote, nil
// when not known.
func (w *writeLog) sawOwnWrite(ctx context.Context, fw *feedbackWrite) {
	id, ok := userOf(ctx)
	if !ok {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.byUser == nil {
		w.tables, w.byUser = map[string]uint64{}, map[int64]uint64{}
	}
	gen := w.all.Load()
	w.byUser[id] = max(w.byUser[id], gen)
	w.rememberOwn(id, loggedWrite{gen: gen, feedback: fw, tables: []string{"feedback"}})
}

// crossInstanceMargin is how much later than a user's latest write (as the instance
// that took it recorded it) kept figures must have been computed before another
// instance shows them to that user: it covers the time from recording to commit (a
// batch on a busy PostgreSQL took several hundred milliseconds) and the clocks of two
// machines differing a little. Within it, the user's reads through that instance are
// computed afresh (notBefore).
const crossInstanceMargin = 2 * time.Second

// notBefore returns the time after which figures shown to ctx's user must have been
// computed because of a write another instance took (see WithLastWrite); zero when
// their latest write went through this instance, whose generations cover it.
func (w *writeLog) notBefore(ctx context.Context) time.Time {
	last, ok := ctx.Value(lastWriteKey{}).(lastWrite)
	if _, known := userOf(ctx); !ok || !known || last.by == w.instance {
		return time.Time{}
	}
	if id, _ := userOf(ctx); w.heardUser(id, last.at) {
		return time.Time{} // their latest write is in this instance's log
	}
	// The user was answered, so their write had committed before this read began:
	// what is computed from now on includes it, whenever within the margin it
	// committed.
	until, now := last.at.Add(crossInstanceMargin), time.Now()
	if until.Before(now) {
		return until
	}
	return now
}

type lastWriteKey struct{}

// lastWrite is when a user's latest write was recorded, and by which instance; and when
// their latest write through another instance was (User.ElsewhereWriteAt).
type lastWrite struct {
	at        time.Time
	by        string
	elsewhere time.Time
}

// WithLastWrite tells the store when ctx's user last wrote and through which instance
// (User.LastWriteAt and LastWriteBy, read from the database with the user), so that
// figures kept by this instance from before a write the user made through another
// instance are not shown to them; elsewhere is User.ElsewhereWriteAt (ownwrites.go).
func WithLastWrite(ctx context.Context, at *time.Time, by string, elsewhere *time.Time) context.Context {
	if at == nil {
		return ctx
	}
	last := lastWrite{at: *at, by: by}
	if elsewhere != nil {
		last.elsewhere = *elsewhere
	}
	return context.WithValue(ctx, lastWriteKey{}, last)
}

// quietKey marks a statement whose write changes no figure (the writer's last write time).
type quietKey struct{}

// markWriters records, inside a write transaction, that these users' writes commit now
// through this instance. Every write records its own: a transaction marking a user
// another one holds waits for it (ids in order, so two batches never deadlock), and the
// row then names the write that committed last. It skipped such rows once, leaving the
// mark to the other transaction, and the soak on PostgreSQL missed 5 own writes in 2,221
// read through the other instance, which took the skipped write for one of its own.
func (w *writeLog) markWriters(tx *gorm.DB, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	// Microseconds, as the column keeps it: the time announced (announce) must equal
	// the one other instances read back.
	at := time.Now().UTC().Truncate(time.Microsecond)
	quiet := tx.WithContext(context.WithValue(tx.Statement.Context, quietKey{}, true))
	if tx.Dialector.Name() == "postgres" {
		// Take the rows first and read the clock after, so the time is close to the
		// commit (SQLite has one writer at a time anyway). NO KEY: the feedback's
		// foreign keys share the same rows (KEY SHARE), which FOR UPDATE would wait
		// for, and two batches would wait for each other.
		var locked []int64
		if err := quiet.Raw(`SELECT id FROM users WHERE id IN ? ORDER BY id FOR NO KEY UPDATE`, ids).Scan(&locked).Error; err != nil {
			return err
		}
	}
	// The SET expressions read the row as it was: a write taking over from another
	// instance keeps that instance's latest write as the one elsewhere.
	if err := quiet.Exec(`UPDATE users SET elsewhere_write_at = CASE WHEN last_write_by <> ? THEN last_write_at ELSE elsewhere_write_at END,
		last_write_at = ?, last_write_by = ? WHERE id IN ?`,
		w.instance, at, w.instance, ids).Error; err != nil {
		return err
	}
	if t, ok := tx.Statement.Context.Value(txKey{}).(*txTables); ok {
		t.mu.Lock()
		for _, id := range ids {
			t.writers = append(t.writers, announcedWriter{ID: id, At: at})
		}
		t.mu.Unlock()
	}
	return nil
}

// seenBy returns the generation ctx's user must see: that of their latest write.
func (w *writeLog) seenBy(ctx context.Context) uint64 {
	id, ok := userOf(ctx)
	if !ok {
		return 0
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.byUser[id]
}

type userKey struct{}

// ForUser marks ctx as a request of user id, so that what the store computes for it
// includes everything that user wrote (read-your-writes).
func ForUser(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, userKey{}, id)
}

func userOf(ctx context.Context) (int64, bool) {
	if ctx == nil {
		return 0, false
	}
	id, ok := ctx.Value(userKey{}).(int64)
	return id, ok && id != 0
}

// txTables collects the tables one Store.Tx writes, to tell after its commit.
type txTables struct {
	mu     sync.Mutex
	tables map[string]bool
	// writers are the users markWriters marked, with the time it stored.
	writers []announcedWriter
	// erased says the transaction erased personal data (noteErasure).
	erased bool
}

type txKey struct{}

func (t *txTables) add(table string) {
	t.mu.Lock()
	t.tables[table] = true
	t.mu.Unlock()
}

// noteTableWritten tells the write log that a statement inside Store.Tx wrote table
// without passing GORM's callbacks (database/sql on the transaction's connection).
func noteTableWritten(tx *gorm.DB, table string) {
	if t, ok := tx.Statement.Context.Value(txKey{}).(*txTables); ok {
		t.add(table)
	}
}

// noteErasure marks tx's transaction as one that erases personal data: instances that
// hear it drop everything they kept (announce).
func noteErasure(tx *gorm.DB) {
	if t, ok := tx.Statement.Context.Value(txKey{}).(*txTables); ok {
		t.mu.Lock()
		t.erased = true
		t.mu.Unlock()
	}
}

// loud reports whether the transaction wrote a table outside quietTables so far.
func (t *txTables) loud() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for table := range t.tables {
		if !quietTables[table] {
			return true
		}
	}
	return false
}

// writeTarget reads the table an INSERT, UPDATE or DELETE writes, after any WITH.
var writeTarget = regexp.MustCompile(`(?is)^\s*(?:WITH\b.*?\)\s*)?(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["` + "`" + `]?(\w+)`)

// writtenTable names the table a statement wrote: "" for a read, anyTable when a write's
// table cannot be told.
func writtenTable(st *gorm.Statement, raw bool) string {
	if !raw && st.Table != "" {
		return st.Table
	}
	// Every read on PostgreSQL passes here (reads and writes share a pool there), so
	// only the statement's first word is looked at unless it is a WITH.
	sql := strings.TrimSpace(st.SQL.String())
	first := sql
	if i := strings.IndexFunc(sql, func(r rune) bool { return unicode.IsSpace(r) || r == '(' }); i >= 0 {
		first = sql[:i]
	}
	switch strings.ToUpper(first) {
	case "SELECT", "PRAGMA", "EXPLAIN", "SAVEPOINT", "RELEASE", "SET", "SHOW", "ANALYZE", "":
		return ""
	case "WITH":
		head := strings.ToUpper(sql)
		if !strings.Contains(head, "INSERT") && !strings.Contains(head, "UPDATE") && !strings.Contains(head, "DELETE") {
			return ""
		}
	}
	if m := writeTarget.FindStringSubmatch(sql); m != nil {
		return strings.ToLower(m[1])
	}
	return anyTable
}

// watchWrites hooks the write log into every statement run through db: creates,
// updates, deletes and raw SQL (Exec, and Raw(...).Scan, which may be an INSERT ...
// RETURNING).
func (w *writeLog) watchWrites(db *gorm.DB) error {
	note := func(raw bool) func(*gorm.DB) {
		return func(tx *gorm.DB) {
			// A statement that changed no row changed no figure: the webhook worker's
			// claim of due deliveries every 2 s otherwise dropped every cache each time.
			if tx.Error == nil && tx.RowsAffected == 0 || tx.Statement.Context.Value(quietKey{}) != nil {
				return
			}
			table := writtenTable(tx.Statement, raw)
			if table == "" {
				return
			}
			ctx := tx.Statement.Context
			if t, ok := ctx.Value(txKey{}).(*txTables); ok {
				t.add(table) // told after the commit, by Store.Tx
				return
			}
			// Outside Store.Tx a statement is its own transaction: it has committed.
			w.committed(ctx, map[string]bool{table: true})
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("tracker:note_writes", note(false)),
		cb.Update().After("gorm:update").Register("tracker:note_writes", note(false)),
		cb.Delete().After("gorm:delete").Register("tracker:note_writes", note(false)),
		cb.Raw().After("gorm:raw").Register("tracker:note_writes", note(true)),
		cb.Row().After("gorm:row").Register("tracker:note_writes", note(true)),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// Tx runs fn in one write transaction and tells the caches what it changed once it
// has committed. On SQLite the transaction takes the write lock at its start, so a
// read-then-write never fails half way with "database is locked".
func (s *Store) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	t := &txTables{tables: map[string]bool{}}
	err := s.w.WithContext(context.WithValue(ctx, txKey{}, t)).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		if !t.loud() {
			return nil
		}
		if id, ok := userOf(ctx); ok {
			if err := s.writes.markWriters(tx, []int64{id}); err != nil {
				return err
			}
		}
		if s.channel != "" {
			return s.announce(tx, ctx, t)
		}
		return nil
	})
	// Told even when it failed: a failed commit may still have written, and a rolled
	// back one only costs the caches a recomputation.
	s.writes.committed(ctx, t.tables)
	if err == nil {
		s.afterCommit() // wakes the webhook worker when the transaction stored an event
	}
	return err
}
