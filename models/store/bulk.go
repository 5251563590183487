package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// Bulk writes many rows into one table fast: rows are buffered into multi-row INSERTs
// of one prepared statement and committed every CommitEvery rows. It is for the bench
// data generator and one-off loads into an otherwise idle database; the web app never
// uses it, because each of its writes must be checked and recorded one by one.
//
// Triggers still fire, so full-text search and the daily NPS rollup stay correct
// (FeedbackBulk does their work once per transaction instead).
type Bulk struct {
	db      *sql.DB
	ctx     context.Context
	table   string
	columns []string
	dialect Dialect

	// CommitEvery is how many rows go into one transaction: large enough that the
	// per-commit cost vanishes, small enough that the WAL does not grow without bound.
	CommitEvery int

	// committed tells the store's caches after each commit.
	committed func()

	// begun and committing, when set, run in each transaction: right after it begins,
	// and before it commits with the number of rows it inserted.
	begun      func(tx *sql.Tx) error
	committing func(tx *sql.Tx, rows int) error

	perStmt  int
	tx       *sql.Tx
	stmt     *sql.Stmt
	buf      []any
	inTx     int
	rowCount int64
}

// bulkMaxParams stays under SQLite's limit of bound parameters per statement
// (32766 since 3.32) and PostgreSQL's 65535.
const bulkMaxParams = 30000

// NewBulk starts a bulk load into table. Table and column names come from code, never
// from input.
func (s *Store) NewBulk(ctx context.Context, table string, columns ...string) (*Bulk, error) {
	db, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	per := bulkMaxParams / len(columns)
	if per > 500 {
		// Beyond a few hundred rows a statement gets no faster, only the buffer larger.
		per = 500
	}
	committed := func() { s.writes.committed(ctx, map[string]bool{table: true}) }
	return &Bulk{db: db, ctx: ctx, table: table, columns: columns, dialect: s.dialect, committed: committed,
		CommitEvery: 100_000, perStmt: per, buf: make([]any, 0, per*len(columns))}, nil
}

// insertSQL builds "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)" for n rows, with
// numbered placeholders on PostgreSQL.
func (b *Bulk) insertSQL(n int) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO ")
	sb.WriteString(b.table)
	sb.WriteString(" (")
	sb.WriteString(strings.Join(b.columns, ", "))
	sb.WriteString(") VALUES ")
	p := 0
	for r := 0; r < n; r++ {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range b.columns {
			if c > 0 {
				sb.WriteString(", ")
			}
			p++
			if b.dialect == Postgres {
				sb.WriteString("$" + strconv.Itoa(p))
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// Add buffers one row, its values in the order of the columns.
func (b *Bulk) Add(values ...any) error {
	if len(values) != len(b.columns) {
		return fmt.Errorf("models: bulk %s: %d values for %d columns", b.table, len(values), len(b.columns))
	}
	for _, v := range values {
		b.buf = append(b.buf, inUTC(v))
	}
	if len(b.buf) == cap(b.buf) {
		return b.flush()
	}
	return nil
}

// flush writes the buffered rows, opening a transaction when none is open and
// committing once CommitEvery rows are in it.
func (b *Bulk) flush() error {
	n := len(b.buf) / len(b.columns)
	if n == 0 {
		return nil
	}
	if b.tx == nil {
		tx, err := b.db.BeginTx(b.ctx, nil)
		if err != nil {
			return fmt.Errorf("models: bulk %s: begin: %w", b.table, err)
		}
		b.tx = tx
		if b.begun != nil {
			if err := b.begun(tx); err != nil {
				return b.fail(err)
			}
		}
	}
	var err error
	if n == b.perStmt {
		if b.stmt == nil {
			if b.stmt, err = b.tx.PrepareContext(b.ctx, b.insertSQL(n)); err != nil {
				return b.fail(err)
			}
		}
		_, err = b.stmt.ExecContext(b.ctx, b.buf...)
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.insertSQL(n), b.buf...)
	}
	if err != nil {
		return b.fail(err)
	}
	b.buf = b.buf[:0]
	b.inTx += n
	b.rowCount += int64(n)
	if b.inTx >= b.CommitEvery {
		return b.commit()
	}
	return nil
}

func (b *Bulk) commit() error {
	if b.tx == nil {
		return nil
	}
	if b.stmt != nil {
		b.stmt.Close()
		b.stmt = nil
	}
	if b.committing != nil {
		if err := b.committing(b.tx, b.inTx); err != nil {
			return b.fail(err)
		}
	}
	err := b.tx.Commit()
	b.tx, b.inTx = nil, 0
	b.committed()
	if err != nil {
		return fmt.Errorf("models: bulk %s: commit: %w", b.table, err)
	}
	return nil
}

func (b *Bulk) fail(err error) error {
	b.discard()
	return fmt.Errorf("models: bulk %s: %w", b.table, err)
}

// discard rolls back the open transaction and drops what is buffered.
func (b *Bulk) discard() {
	if b.stmt != nil {
		b.stmt.Close()
		b.stmt = nil
	}
	if b.tx != nil {
		_ = b.tx.Rollback()
		b.tx = nil
	}
	b.buf, b.inTx = b.buf[:0], 0
}

// Close writes what is buffered and commits. A Bulk is not usable afterwards.
func (b *Bulk) Close() error {
	if err := b.flush(); err != nil {
		return err
	}
	return b.commit()
}

// Rows returns how many rows have been written so far.
func (b *Bulk) Rows() int64 { return b.rowCount }

// feedbackBulkColumns are the feedback columns a bulk load writes, in Add order.
var feedbackBulkColumns = []string{
	"id", "external_id", "received_at", "received_on", "channel_id", "touchpoint_id", "branch_id",
	"category_id", "segment", "nps", "nps_group", "comment", "customer_name", "customer_email",
	"consent", "praised_colleague", "logged_by_id", "follow_up_due_at", "followed_up_at", "follow_up_by_id",
	"follow_up_note", "follow_up_root_cause_id", "goodwill_amount", "triage_status",
	"version", "created_at", "updated_at",
}

// FeedbackBulk loads feedback rows in bulk, deriving the NPS group, the local day and the
// follow-up due time with the same rules as CreateFeedback, so generated data cannot
// disagree with what the app would have stored. History is not written: a bulk load is
// not a user's action.
//
// On SQLite each transaction suspends the insert triggers and does their work once
// before it commits, as the import does (see insertFeedbackBatch): fired per row, the
// full-text triggers made every 500-row statement a new segment of both full-text
// indexes, and merging those segments was 40% of generating the bench's million rows.
type FeedbackBulk struct {
	b     *Bulk
	loc   *time.Location
	store *Store

	// aside, when set, builds the full-text indexes in a scratch file (see
	// BuildFullTextAside); the load's transactions then keep only the rollups.
	aside *fullTextAside

	// firstID is the id the open transaction's rows start from; restore brings back
	// the triggers it suspended.
	firstID int64
	restore func() error
}

// NewFeedbackBulk starts a bulk load of feedback.
func (s *Store) NewFeedbackBulk(ctx context.Context) (*FeedbackBulk, error) {
	b, err := s.NewBulk(ctx, "feedback", feedbackBulkColumns...)
	if err != nil {
		return nil, err
	}
	fb := &FeedbackBulk{b: b, loc: s.Location, store: s}
	if s.dialect == SQLite {
		b.begun, b.committing = fb.suspendTriggers, fb.indexInserted
	}
	return fb, nil
}

// BuildFullTextAside makes the load build the full-text indexes on the machine's other
// core, in a scratch file copied into the database when the load closes (see
// fullTextAside). Only on SQLite, only into an empty feedback table, before the first
// row, and every row must give its ID. Close or Cancel ends it.
func (fb *FeedbackBulk) BuildFullTextAside() error {
	if fb.b.rowCount > 0 || len(fb.b.buf) > 0 {
		return errors.New("models: build the full-text indexes aside before the first row")
	}
	aside, err := fb.store.startFullTextAside(fb.b.ctx)
	if err != nil {
		return err
	}
	fb.aside = aside
	return nil
}

// suspendTriggers notes where the transaction's ids start and suspends the insert
// triggers until it commits. With the indexes built aside, it also marks their entries
// pending.
func (fb *FeedbackBulk) suspendTriggers(tx *sql.Tx) (err error) {
	if err := tx.QueryRowContext(fb.b.ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM feedback").Scan(&fb.firstID); err != nil {
		return err
	}
	if fb.aside != nil {
		if err := markFullTextPending(fb.b.ctx, tx, fb.store.now()); err != nil {
			return err
		}
	}
	fb.restore, err = suspendTriggers(fb.b.ctx, tx, feedbackInsertTriggers)
	return err
}

// bulkFullTextHash is the memory each full-text index gathers a bulk transaction's
// words in before it writes them out as a segment. At FTS5's default of 1 MB a
// 100,000-row transaction wrote dozens of small segments to both indexes, and merging
// them again was over a third of the indexes' cost. With this size (and the generator's
// unsynced commits) generating the bench's million rows took 62-68 s instead of 72-75 s
// (README); 256 MB measured the same.
const bulkFullTextHash = 64 << 20

// fts5DefaultHash is FTS5's own hashsize, which the indexes keep outside bulk loads.
const fts5DefaultHash = 1 << 20

// setFullTextHash sets the hashsize of both full-text indexes inside tx. The setting is
// stored with the index, so the transaction that raises it lowers it again before it
// commits: a load that fails rolls both back, and the web app's writes never gather
// more than their own words.
func setFullTextHash(ctx context.Context, tx *sql.Tx, size int) error {
	for _, index := range fullTextIndexes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+index+" ("+index+", rank) VALUES ('hashsize', ?)", size); err != nil {
			return fmt.Errorf("models: %s hashsize: %w", index, err)
		}
	}
	return nil
}

// indexInserted does the suspended triggers' work for the transaction's rows and
// brings the triggers back. Every row must lie above the ids stored before: a row
// given a lower id would miss its search and rollup entries, so it fails the load.
func (fb *FeedbackBulk) indexInserted(tx *sql.Tx, rows int) error {
	var last, count int64
	if err := tx.QueryRowContext(fb.b.ctx, "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM feedback WHERE id >= ?",
		fb.firstID).Scan(&last, &count); err != nil {
		return err
	}
	if count != int64(rows) {
		return fmt.Errorf("models: bulk feedback: %d of the transaction's %d rows lie above id %d: give ids above the stored ones, or none",
			count, rows, fb.firstID-1)
	}
	if fb.aside != nil {
		if err := indexInsertedFeedback(fb.b.ctx, tx, rollupInsertedSQL, fb.firstID, last); err != nil {
			return err
		}
		return fb.restore()
	}
	if err := setFullTextHash(fb.b.ctx, tx, bulkFullTextHash); err != nil {
		return err
	}
	if err := indexInsertedFeedback(fb.b.ctx, tx, indexInsertedFeedbackSQL, fb.firstID, last); err != nil {
		return err
	}
	if err := setFullTextHash(fb.b.ctx, tx, fts5DefaultHash); err != nil {
		return err
	}
	return fb.restore()
}

// Add writes one feedback. ID may be set (ids given in received order keep the table in
// that order, which is what its indexes are sorted by); zero lets SQLite pick (not
// PostgreSQL, where a bulk load must give every id).
// Empty TriageStatus means new; zero CreatedAt means ReceivedAt.
func (fb *FeedbackBulk) Add(f *models.Feedback) error {
	at := f.ReceivedAt.UTC().Truncate(time.Second)
	f.ReceivedAt = at
	f.ReceivedOn = models.LocalDate(at, fb.loc)
	f.NPSGroup = nil
	if g := models.GroupOf(f.NPS); g != "" {
		gs := string(g)
		f.NPSGroup = &gs
	}
	f.FollowUpDueAt = models.FollowUpDue(at, f.NPS)
	if f.TriageStatus == "" {
		f.TriageStatus = models.TriageNew
	}
	if f.Version == 0 {
		f.Version = 1
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = at
	}
	if f.UpdatedAt.IsZero() {
		f.UpdatedAt = f.CreatedAt
	}
	var id any
	if f.ID != 0 {
		id = f.ID
	}
	if fb.aside != nil {
		if f.ID == 0 {
			return errors.New("models: bulk feedback: with the full-text indexes built aside, every row needs its id")
		}
		fb.aside.add(f.ID, f.Comment)
	}
	// Values, not pointers: database/sql would dereference each pointer by reflection,
	// and a million rows of 27 columns make that show in a profile.
	return fb.b.Add(id, deref(f.ExternalID), f.ReceivedAt, f.ReceivedOn, f.ChannelID, deref(f.TouchpointID),
		deref(f.BranchID), deref(f.CategoryID), deref(f.Segment), deref(f.NPS), deref(f.NPSGroup), f.Comment,
		deref(f.CustomerName), deref(f.CustomerEmail), f.Consent, deref(f.PraisedColleague), deref(f.LoggedByID),
		deref(f.FollowUpDueAt), deref(f.FollowedUpAt), deref(f.FollowUpByID), deref(f.FollowUpNote),
		deref(f.FollowUpRootCauseID), f.GoodwillAmount, f.TriageStatus, f.Version, f.CreatedAt, f.UpdatedAt)
}

// deref returns the value p points at, or nil (NULL) for a nil pointer.
func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// Close writes what is buffered and commits, then copies in the full-text indexes
// built aside.
func (fb *FeedbackBulk) Close() error {
	if err := fb.b.Close(); err != nil {
		fb.Cancel()
		return err
	}
	if fb.aside == nil {
		return nil
	}
	aside := fb.aside
	fb.aside = nil
	if err := aside.finish(fb.b.ctx, fb.b.rowCount); err != nil {
		return err
	}
	fb.store.writes.committed(fb.b.ctx, map[string]bool{"feedback_fts": true, "feedback_tri": true, "settings": true})
	return nil
}

// Cancel gives the load up: the open transaction rolls back. Rows committed before
// stay; if their full-text entries were being built aside, the scratch file goes and
// the next Open rebuilds the indexes.
func (fb *FeedbackBulk) Cancel() {
	fb.b.discard()
	if fb.aside != nil {
		fb.aside.cancel()
		fb.aside = nil
	}
}

// Rows returns how many feedback rows have been written so far.
func (fb *FeedbackBulk) Rows() int64 { return fb.b.Rows() }

// RebuildDailyRollup recomputes feedback_daily from the feedback table in one statement.
// The triggers keep it right row by row; this is for after loads that bypassed them and
// for checking that they did (the two must agree).
func (s *Store) RebuildDailyRollup(ctx context.Context) error {
	return s.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM feedback_daily`).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO feedback_daily (day, touchpoint_id, category_id, promoters, passives, detractors)
			SELECT received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0),
				SUM(CASE WHEN nps_group = 'promoter' THEN 1 ELSE 0 END),
				SUM(CASE WHEN nps_group = 'passive' THEN 1 ELSE 0 END),
				SUM(CASE WHEN nps_group = 'detractor' THEN 1 ELSE 0 END)
			FROM feedback WHERE nps_group IS NOT NULL
			GROUP BY received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0)`).Error
	})
}

// inUTC stores times in UTC, as the rest of the store does: SQLite compares them as
// text, so a time written with another offset sorted out of place.
func inUTC(v any) any {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case *time.Time:
		if t != nil {
			return t.UTC()
		}
	}
	return v
}
