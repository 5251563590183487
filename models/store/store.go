package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	stdlog "log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/improvementtracker/tracker/models"

	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	// The pure-Go SQLite driver ships FTS5 without build tags, so plain `go build` works.
	_ "modernc.org/sqlite"

	"github.com/improvementtracker/tracker/migrations"
)

// Dialect names a supported database.
type Dialect string

// The supported databases.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// perRow names a time column in a comparison that SQLite evaluates on each row it
// visits rather than one that bounds an index range. SQLite gives DATETIME and DATE
// columns NUMERIC affinity, so such a comparison first tries to read the row's text as
// a number, which took half the time of a search window (1.37 ms for 5,000 rows, 0.73
// ms without). The unary + drops the affinity; the text comparison that follows is the
// one SQLite fell back to anyway. Never use it on a term meant to seek an index: the
// + hides the column from the planner. PostgreSQL compares timestamps as they are.
func (s *Store) perRow(column string) string {
	if s.dialect == SQLite {
		return "+" + column
	}
	return column
}

// Store is the storage of the application. Writes go through w, reads through r: on
// SQLite w is a single connection so writers queue in Go instead of spinning on the
// database lock; on PostgreSQL both are the same pool.
type Store struct {
	w, r    *gorm.DB
	dialect Dialect
	// sqlitePath is the SQLite database file; empty on PostgreSQL.
	sqlitePath string
	// Now is the clock of every domain rule; tests replace it.
	Now func() time.Time
	// Location is the time zone that days, months and reports are counted in.
	Location *time.Location
	// Login limits password guessing per account; tests tune it.
	Login models.LoginPolicy
	// tokenUses remembers when each API token's last use was written (token id ->
	// time.Time), so a token in use is written at most once per TokenUseInterval.
	tokenUses sync.Map
	refs      refCache
	aggs      aggregates
	// counts keeps the feedback lists' counts (CountFeedback).
	counts aggregates
	// pages keeps the first page of each feedback list (listTTL).
	pages aggregates
	// plans keeps the search's plan choices (cachedPlan).
	plans aggregates
	// byTables keeps values until a table they read is written (cachedByTables).
	byTables aggregates
	// writes tells the caches what each commit changed.
	writes writeLog
	// lag is how long cached figures may miss other people's writes; see Options.
	lag time.Duration
	// channel is where write transactions announce their changes to other instances
	// (PostgreSQL; heard.go), empty on SQLite.
	channel string
	// stopListening ends listenForWrites, which closes listening when it has.
	stopListening context.CancelFunc
	listening     chan struct{}
	// hearing says whether a connection listens now.
	hearing atomic.Bool
	// group batches concurrent feedback writes into one transaction, and the session
	// saves into another, in the same rounds.
	group *groupCommit
	// importBatch, when not 0, replaces models.ImportBatch (tests cross batches with it).
	importBatch int
	// checkpoints copies SQLite's write-ahead log into the database; nil on PostgreSQL.
	checkpoints *checkpointer
	// hooks knows where webhook events go and wakes their worker (issue 17).
	hooks webhookTargets
	// feedbackData renders feedback in events; see SetFeedbackData.
	feedbackData models.FeedbackData
	// baseURL starts the links in alert mails.
	baseURL string
}

// Options tunes how a store is opened.
type Options struct {
	Location *time.Location
	// ReadPool is how many connections read at once (default: four per core, at least 8).
	ReadPool int
	// OthersLag is how long the cached figures (dashboard, reports, board, counts,
	// badges) may go on missing what other people wrote through this instance. A user's
	// own writes always show on their next page (read-your-writes, see ForUser). 0, the
	// default, recomputes after every write; a busy instance serves more pages with
	// about a second, at the price of a colleague's feedback showing a second later.
	OthersLag time.Duration
	// Schema, for PostgreSQL only, selects (and creates) a schema: tests give each
	// test its own.
	Schema string
	// Deaf, on PostgreSQL, keeps the store from hearing other instances' writes
	// (heard.go): they show through it only as its caches expire, as on an instance
	// that lost its listening connection. For tests that show what a cache keeps.
	Deaf bool
	// SlowQuery, when set, logs every statement that takes longer (to stderr, with
	// its SQL): how the benchmarks' bottlenecks were found.
	SlowQuery time.Duration
}

// Open connects to the database named by url ("sqlite:PATH" or "postgres://...") and
// applies pending migrations.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.ReadPool <= 0 {
		opt.ReadPool = DefaultReadPool()
	}
	s := &Store{Now: time.Now, Location: opt.Location, lag: max(opt.OthersLag, 0), Login: models.DefaultLoginPolicy,
		pages: aggregates{limit: keptPages}, counts: aggregates{ownOnly: uncappedCount}, plans: aggregates{writeBlind: true}, byTables: aggregates{byTables: true}}
	s.hooks.wake = make(chan struct{}, 1)
	s.writes.instance = rand.Text()
	var err error
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		err = s.openSQLite(strings.TrimPrefix(url, "sqlite:"), opt)
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		err = s.openPostgres(ctx, url, opt)
	default:
		return nil, fmt.Errorf("models: unsupported DATABASE_URL %q (want sqlite:PATH or postgres://...)", url)
	}
	if err != nil {
		return nil, err
	}
	if err := s.writes.watchWrites(s.w); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Optimize(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.rebuildPendingFullText(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.dialect == Postgres {
		if err := s.announceOn(ctx); err != nil {
			s.Close()
			return nil, err
		}
		if !opt.Deaf {
			s.startListening(ctx, url)
		}
	}
	s.startGroupCommit()
	if s.dialect == SQLite {
		s.checkpoints = startCheckpointer(s.r)
	}
	return s, nil
}

// Optimize lets SQLite refresh the statistics its query planner chooses indexes by
// (PRAGMA optimize). Without statistics the planner picked the status index over the
// implemented_at range and sorted every implemented improvement on each dashboard (see
// cmd/bench). It runs when the store opens and hourly as a job, and analyses a table
// only when its size changed a lot since the last time, so it is usually a no-op; the
// first time on a million rows takes a few seconds. The analysis is not sampled
// (analysis_limit 0): a sample of the first rows of an index sorted by channel or NPS
// group saw one value only, and the planner then scanned every detractor to list the
// phone ones. PostgreSQL's autovacuum does all this itself.
//
// The analysis keeps no samples (sqlite_stat4), only the per-index counts (sqlite_stat1):
// with samples, SQLite re-prepares a statement whenever a bound value of a range may
// change the plan, which every page's new times do; without them the filtered list
// served 38% more pages, search 18% and the yearly report 14% in one A/B run of the bench
// (README). The samples are also copies of index keys (addresses, names) that erasure
// had to hunt down.
func (s *Store) Optimize(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	for _, pragma := range []string{"PRAGMA analysis_limit = 0", "PRAGMA optimize = 0x10002"} {
		if err := s.w.WithContext(ctx).Exec(pragma).Error; err != nil {
			return fmt.Errorf("models: optimize: %w", err)
		}
	}
	var samples int64
	if err := s.w.WithContext(ctx).Raw(`SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat4'`).Scan(&samples).Error; err != nil || samples == 0 {
		return err
	}
	for _, stmt := range []string{"DELETE FROM sqlite_stat4", "ANALYZE sqlite_schema"} {
		if err := s.w.WithContext(ctx).Exec(stmt).Error; err != nil {
			return fmt.Errorf("models: optimize: %w", err)
		}
	}
	return nil
}

// DefaultReadPool sizes the reading pool to the machine: a list page holds a reading
// connection for a few milliseconds, mostly waiting on SQLite's pure-Go engine, so
// eight connections left cores idle on a 16-core machine.
func DefaultReadPool() int { return max(8, 4*runtime.NumCPU()) }

func gormConfig(opt Options) *gorm.Config {
	log := logger.Discard
	if opt.SlowQuery > 0 {
		log = logger.New(stdlog.New(os.Stderr, "", stdlog.LstdFlags), logger.Config{
			SlowThreshold: opt.SlowQuery, LogLevel: logger.Warn, IgnoreRecordNotFoundError: true,
		})
	}
	return &gorm.Config{
		Logger:                 log,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
}

func (s *Store) openSQLite(path string, opt Options) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("models: create database folder: %w", err)
		}
	}
	// temp_store: every write in a transaction journals the pages it changes until it
	// ends, and a feedback changes fifty; past 64 kB SQLite moved that journal to a
	// temporary file (a fifth of the group commit's time in write calls).
	// wal_autocheckpoint(10000): see checkpointer.
	// synchronous: the writer runs FULL, so each commit syncs the write-ahead log before
	// it returns and an answered write survives a power cut, not only a crash of the
	// process (under WAL, NORMAL syncs only at checkpoints and may lose the last
	// commits). The group commit shares each sync among the feedback committed together.
	// Readers never commit; they keep NORMAL, which still syncs their checkpoints.
	// secure_delete: content that is deleted or overwritten is zeroed in the file, so an
	// erased customer does not stay behind in free pages or free space of a page.
	dsn := func(synchronous string) string {
		return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
			"&_pragma=synchronous(" + synchronous + ")&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(10000)" +
			"&_pragma=foreign_keys(1)&_pragma=secure_delete(1)&_txlock=immediate&_time_format=sqlite"
	}
	open := func(conns int, synchronous string, prepare bool) (*gorm.DB, error) {
		cfg := gormConfig(opt)
		cfg.PrepareStmt, cfg.PrepareStmtMaxSize = prepare, 512
		db, err := gorm.Open(sqlite.New(sqlite.Config{DriverName: "sqlite", DSN: dsn(synchronous)}), cfg)
		if err != nil {
			return nil, fmt.Errorf("models: open sqlite: %w", err)
		}
		sqlDB, _ := db.DB()
		sqlDB.SetMaxOpenConns(conns)
		sqlDB.SetMaxIdleConns(conns)
		sqlDB.SetConnMaxIdleTime(0)
		return db, nil
	}
	// The driver parses every statement anew; a page's queries are the same few
	// strings each time, and parsing was a tenth of a list page, so the readers keep
	// their statements prepared (PostgreSQL's driver, pgx, keeps its own cache). The
	// writer does not: GORM prepares a statement on the pool, which on the writer's
	// one connection waits for the transaction holding it, while that transaction, if
	// it runs the same statement, waits for the preparation (go-gorm/gorm#7465). Every
	// write then stopped until a request timed out. Readers run no transactions, so
	// each holds its connection for one statement only and never waits on another.
	var err error
	if s.w, err = open(1, "FULL", false); err != nil {
		return err
	}
	if s.r, err = open(opt.ReadPool, "NORMAL", true); err != nil {
		return err
	}
	s.dialect, s.sqlitePath = SQLite, path
	return nil
}

func (s *Store) openPostgres(ctx context.Context, url string, opt Options) error {
	if opt.Schema != "" {
		// Every connection of the pool starts with the schema first in its search_path;
		// it may not exist yet, so create it on the first connection.
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		url += sep + "search_path=" + opt.Schema
	}
	db, err := gorm.Open(postgres.Open(url), gormConfig(opt))
	if err != nil {
		return fmt.Errorf("models: open postgres: %w", err)
	}
	sqlDB, _ := db.DB()
	if opt.Schema != "" {
		if err := db.WithContext(ctx).Exec(`CREATE SCHEMA IF NOT EXISTS ` + quoteIdent(opt.Schema)).Error; err != nil {
			sqlDB.Close()
			return fmt.Errorf("models: create schema: %w", err)
		}
	}
	// Reads and writes share this pool; capped so that two instances stay within
	// PostgreSQL's default of 100 connections.
	conns := min(4*opt.ReadPool, 48)
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	s.w, s.r, s.dialect = db, db, Postgres
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Migrate applies pending migrations. On PostgreSQL a session lock makes concurrent
// instances wait for each other rather than race.
func (s *Store) Migrate(ctx context.Context) error {
	fsys, err := migrations.For(string(s.dialect))
	if err != nil {
		return fmt.Errorf("models: migrations: %w", err)
	}
	sqlDB, err := s.w.DB()
	if err != nil {
		return err
	}
	var opts []goose.ProviderOption
	gooseDialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		gooseDialect = goose.DialectPostgres
		var schema string
		if err := s.w.WithContext(ctx).Raw(`SELECT COALESCE(current_schema(), '')`).Scan(&schema).Error; err != nil {
			return fmt.Errorf("models: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(schemaLocker{id: migrationLockID(schema)}))
	}
	provider, err := goose.NewProvider(gooseDialect, sqlDB, fsys, opts...)
	if err != nil {
		return fmt.Errorf("models: migrations: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("models: migrate: %w", err)
	}
	for _, r := range results {
		slog.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	return nil
}

// schemaLocker makes PostgreSQL instances that migrate the same schema wait for each
// other, with a session advisory lock per schema. goose's own session locker uses one
// lock id for every schema and polls for it every 5 seconds, so tests that each migrate
// their own schema would queue behind each other; this one blocks in pg_advisory_lock
// and wakes the moment the holder is done.
type schemaLocker struct{ id int64 }

// SessionLock waits for the lock; a cancelled ctx ends the wait.
func (l schemaLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, l.id); err != nil {
		return fmt.Errorf("models: take migration lock: %w", err)
	}
	return nil
}

// SessionUnlock releases the lock; closing the session would release it too.
func (l schemaLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	var released bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock($1)`, l.id).Scan(&released); err != nil {
		return fmt.Errorf("models: release migration lock: %w", err)
	}
	if !released {
		return errors.New("models: release migration lock: the lock was not held")
	}
	return nil
}

// migrationLockID is the advisory lock id of one schema's migrations.
func migrationLockID(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("tracker migrations " + schema))
	return int64(h.Sum64())
}

// Dialect reports which database the store is on.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close releases the connections.
func (s *Store) Close() error {
	if s.stopListening != nil {
		s.stopListening()
		<-s.listening
		s.stopListening = nil
	}
	if s.group != nil {
		s.group.close()
		s.group = nil
	}
	if s.checkpoints != nil {
		s.checkpoints.close()
		s.checkpoints = nil
	}
	var errs []error
	for _, db := range []*gorm.DB{s.w, s.r} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.r.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Writer returns the handle for writes; exported for tests and bulk tools that need
// raw access (the bench loader, the demo).
func (s *Store) Writer(ctx context.Context) *gorm.DB { return s.w.WithContext(ctx) }

// Reader returns the handle for read-only queries.
func (s *Store) Reader(ctx context.Context) *gorm.DB { return s.r.WithContext(ctx) }

// SQLDB exposes the writer's *sql.DB for tools like backup.
func (s *Store) SQLDB() (*sql.DB, error) { return s.w.DB() }

// now returns the store's clock in UTC.
func (s *Store) now() time.Time { return s.Now().UTC() }

// notFound turns gorm's record-not-found into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.ErrNotFound
	}
	return err
}

// isUniqueViolation reports whether err is a duplicate-key error on either database
// (GORM does not translate the pure-Go SQLite driver's errors).
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
