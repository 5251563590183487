package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"
)

// fullTextAside builds the two full-text indexes of a bulk load into an empty feedback
// table in a scratch SQLite file, on a connection and goroutine of its own, while the
// load's connection writes the rows. SQLite lets one connection write a file at a time,
// so in the load's own transactions the indexes ran on the same core as everything
// else: about 18 s of the 62-68 s that generating the bench's million rows took, with
// the second core nearly idle. When the load ends, one transaction copies the indexes'
// tables into the database: FTS5 keeps an index in ordinary tables (_data, _idx,
// _docsize), and two indexes created by the same statement with the same settings read
// the same bytes alike.
//
// Until that copy the committed rows have no search entries. A setting
// (fullTextPendingKey) written in the load's first transaction and deleted by the copy
// says so, and Open rebuilds both indexes when it finds it: a load cut short, even by
// a power cut, never leaves rows that search cannot find.
type fullTextAside struct {
	dir    string
	side   *sql.DB
	target string
	rows   chan []asideRow
	done   chan error
	batch  []asideRow
}

// asideRow is what the indexes need of a feedback.
type asideRow struct {
	id      int64
	comment string
}

// fullTextPendingKey is the setting that marks committed feedback whose full-text
// entries are still being built aside.
const fullTextPendingKey = "bulk_fulltext_pending"

const (
	// asideBatch is how many rows go to the building goroutine at a time.
	asideBatch = 1000
	// asideCommitEvery is how many rows each of the scratch file's transactions
	// indexes: each writes one segment per index (bulkFullTextHash holds them).
	asideCommitEvery = 100_000
)

// startFullTextAside creates the scratch file with indexes made like the database's and
// starts building. The feedback table must be empty: the copy replaces the indexes.
func (s *Store) startFullTextAside(ctx context.Context) (*fullTextAside, error) {
	if s.dialect != SQLite || s.sqlitePath == "" {
		return nil, errors.New("models: full-text indexes are built aside on SQLite only")
	}
	var stored int64
	if err := s.w.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM feedback)`).Scan(&stored).Error; err != nil {
		return nil, err
	}
	if stored != 0 {
		return nil, errors.New("models: full-text indexes are built aside only for a load into an empty feedback table")
	}
	schema, err := s.asideSchema(ctx)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(filepath.Dir(s.sqlitePath), ".fulltext-")
	if err != nil {
		return nil, fmt.Errorf("models: full-text scratch folder: %w", err)
	}
	side, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "fulltext.db")+
		"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-65536)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err == nil {
		side.SetMaxOpenConns(1)
		err = createAsideTables(ctx, side, schema)
	}
	if err != nil {
		if side != nil {
			side.Close()
		}
		os.RemoveAll(dir)
		return nil, fmt.Errorf("models: full-text scratch file: %w", err)
	}
	a := &fullTextAside{dir: dir, side: side, target: s.sqlitePath, rows: make(chan []asideRow, 16),
		done: make(chan error, 1), batch: make([]asideRow, 0, asideBatch)}
	go func() { a.done <- a.build(ctx) }()
	return a, nil
}

// asideStatement is one statement of asideSchema.
type asideStatement struct {
	sql  string
	args []any
}

// asideSchema returns the statements that make the scratch file: the table the rows
// wait in, and each full-text index as the database's was created, with its settings
// (secure-delete, for one) and the bulk load's hashsize.
func (s *Store) asideSchema(ctx context.Context) ([]asideStatement, error) {
	statements := []asideStatement{{sql: `CREATE TABLE pending (id INTEGER NOT NULL, comment TEXT NOT NULL)`}}
	for _, index := range fullTextIndexes {
		var create string
		if err := s.w.WithContext(ctx).Raw(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, index).
			Scan(&create).Error; err != nil {
			return nil, fmt.Errorf("models: definition of %s: %w", index, err)
		}
		if create == "" {
			return nil, fmt.Errorf("models: no full-text index %s", index)
		}
		statements = append(statements, asideStatement{sql: create})
		rows, err := s.w.WithContext(ctx).Raw(`SELECT k, v FROM ` + index + `_config WHERE k <> 'version'`).Rows()
		if err != nil {
			return nil, fmt.Errorf("models: settings of %s: %w", index, err)
		}
		for rows.Next() {
			var key string
			var value any
			if err := rows.Scan(&key, &value); err != nil {
				rows.Close()
				return nil, fmt.Errorf("models: settings of %s: %w", index, err)
			}
			statements = append(statements, asideStatement{`INSERT INTO ` + index + ` (` + index + `, rank) VALUES (?, ?)`, []any{key, value}})
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("models: settings of %s: %w", index, err)
		}
		statements = append(statements, asideStatement{`INSERT INTO ` + index + ` (` + index + `, rank) VALUES ('hashsize', ?)`,
			[]any{bulkFullTextHash}})
	}
	return statements, nil
}

// createAsideTables runs asideSchema's statements in the scratch file.
func createAsideTables(ctx context.Context, side *sql.DB, statements []asideStatement) error {
	for _, st := range statements {
		if _, err := side.ExecContext(ctx, st.sql, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// add hands one row to the building goroutine.
func (a *fullTextAside) add(id int64, comment string) {
	a.batch = append(a.batch, asideRow{id, comment})
	if len(a.batch) == asideBatch {
		a.rows <- a.batch
		a.batch = make([]asideRow, 0, asideBatch)
	}
}

// build indexes the rows it is handed, asideCommitEvery to a transaction. After an
// error it keeps taking rows, so the load does not block, and reports the error at
// the end.
func (a *fullTextAside) build(ctx context.Context) (err error) {
	defer func() {
		for range a.rows {
		}
	}()
	insert, err := a.side.PrepareContext(ctx, `INSERT INTO pending (id, comment) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	var tx *sql.Tx
	var stmt *sql.Stmt
	staged := 0
	for batch := range a.rows {
		if tx == nil {
			if tx, err = a.side.BeginTx(ctx, nil); err != nil {
				return err
			}
			stmt = tx.StmtContext(ctx, insert)
		}
		for _, r := range batch {
			if _, err := stmt.ExecContext(ctx, r.id, r.comment); err != nil {
				tx.Rollback()
				return err
			}
		}
		if staged += len(batch); staged >= asideCommitEvery {
			if err := indexPending(ctx, tx); err != nil {
				return err
			}
			tx, staged = nil, 0
		}
	}
	if tx != nil {
		return indexPending(ctx, tx)
	}
	return nil
}

// indexPending indexes the rows waiting in tx and commits. One statement per index
// makes one segment each (per statement, FTS5 writes out what it gathered).
func indexPending(ctx context.Context, tx *sql.Tx) error {
	for _, index := range fullTextIndexes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+index+` (rowid, comment) SELECT id, comment FROM pending`); err != nil {
			tx.Rollback()
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pending`); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// finish waits for the last rows to be indexed and copies the indexes into the
// database, in one transaction that also deletes the pending mark. loaded is how many
// rows the load committed: the feedback table must hold exactly those.
func (a *fullTextAside) finish(ctx context.Context, loaded int64) error {
	defer a.drop()
	if len(a.batch) > 0 {
		a.rows <- a.batch
	}
	close(a.rows)
	if err := <-a.done; err != nil {
		return fmt.Errorf("models: build full-text indexes: %w", err)
	}
	if err := a.copyInto(ctx, loaded); err != nil {
		return fmt.Errorf("models: copy full-text indexes: %w", err)
	}
	return nil
}

// copyInto replaces the database's (empty) indexes with the scratch file's. It runs on
// the scratch file's connection, so the database's own connections see a commit by
// another connection and re-read the indexes' structure, which FTS5 keeps in memory.
func (a *fullTextAside) copyInto(ctx context.Context, loaded int64) error {
	conn, err := a.side.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS target`, a.target); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE target`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var stored int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM target.feedback`).Scan(&stored); err != nil {
		return err
	}
	if stored != loaded {
		return fmt.Errorf("the feedback table holds %d rows, the load wrote %d: written to during the load", stored, loaded)
	}
	statements := []string{`PRAGMA target.secure_delete = 1`}
	for _, index := range fullTextIndexes {
		for _, table := range []string{index + "_data", index + "_idx", index + "_docsize"} {
			statements = append(statements, `DELETE FROM target.`+table,
				`INSERT INTO target.`+table+` SELECT * FROM main.`+table)
		}
	}
	for _, q := range append(statements, `DELETE FROM target.settings WHERE key = '`+fullTextPendingKey+`'`) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// drop closes and deletes the scratch file. The goroutine must have ended, or be
// ending: drop closes its input.
func (a *fullTextAside) drop() {
	a.side.Close()
	if err := os.RemoveAll(a.dir); err != nil {
		slog.Warn("full-text scratch folder left behind", "dir", a.dir, "err", err)
	}
}

// cancel stops the building goroutine and deletes the scratch file.
func (a *fullTextAside) cancel() {
	close(a.rows)
	<-a.done
	a.drop()
}

// markFullTextPending writes the pending mark in the load's transaction.
func markFullTextPending(ctx context.Context, tx *sql.Tx, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, fullTextPendingKey, "rebuild the full-text indexes", at.UTC())
	return err
}

// rebuildPendingFullText rebuilds both full-text indexes from the comments when a bulk
// load that built them aside was cut short (see fullTextAside).
func (s *Store) rebuildPendingFullText(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	if _, pending, err := s.getSetting(ctx, fullTextPendingKey); err != nil || !pending {
		return err
	}
	slog.Warn("a bulk load was cut short before its search entries were written: rebuilding the full-text indexes")
	return s.Tx(ctx, func(tx *gorm.DB) error {
		for _, index := range fullTextIndexes {
			if err := tx.Exec(`INSERT INTO ` + index + ` (` + index + `) VALUES ('rebuild')`).Error; err != nil {
				return fmt.Errorf("models: rebuild %s: %w", index, err)
			}
		}
		return tx.Exec(`DELETE FROM settings WHERE key = ?`, fullTextPendingKey).Error
	})
}
