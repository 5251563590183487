package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// feedbackInsertTriggers are SQLite's triggers that fire for each inserted feedback
// row. An import batch of 10,000 rows fired each of them 10,000 times, and every
// statement of its own made both full-text indexes flush their pending terms as a new
// segment (and merge those segments): 100,000 rows took 15.8 s instead of 19.1 s once
// indexInsertedFeedbackSQL did the same work once per batch.
var feedbackInsertTriggers = []string{"feedback_fts_insert", "feedback_tri_insert", "feedback_daily_insert",
	"feedback_service_insert"}

// suspendTriggers drops the named triggers inside tx and returns what recreates them
// from their own stored definitions. Both happen in the caller's transaction, so no
// other connection ever sees the table without them: a rollback (or a crash) restores
// them with everything else. Every trigger must exist: a batch must not skip work no
// trigger would have done. tx is the database/sql transaction (under a GORM one, see
// sqlTxOf), so the write log never sees the schema statements, which change no figure.
func suspendTriggers(ctx context.Context, tx *sql.Tx, names []string) (restore func() error, err error) {
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = n
	}
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?"+
		strings.Repeat(", ?", len(names)-1)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("models: read triggers: %w", err)
	}
	var defs []struct{ name, sql string }
	for rows.Next() {
		var d struct{ name, sql string }
		if err := rows.Scan(&d.name, &d.sql); err != nil {
			rows.Close()
			return nil, fmt.Errorf("models: read triggers: %w", err)
		}
		defs = append(defs, d)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("models: read triggers: %w", err)
	}
	if len(defs) != len(names) {
		return nil, fmt.Errorf("models: suspend triggers: found %d of %d (%s)", len(defs), len(names), strings.Join(names, ", "))
	}
	for _, d := range defs {
		// The name comes from sqlite_master and was listed in code.
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+d.name+`"`); err != nil {
			return nil, fmt.Errorf("models: suspend trigger %s: %w", d.name, err)
		}
	}
	return func() error {
		for _, d := range defs {
			if _, err := tx.ExecContext(ctx, d.sql); err != nil {
				return fmt.Errorf("models: restore trigger %s: %w", d.name, err)
			}
		}
		return nil
	}, nil
}

// indexInsertedFeedbackSQL does what feedbackInsertTriggers do per row, for all the
// feedback with ids from ? to ?: the rows one import batch (or one bulk load's
// transaction) inserted while holding the write lock (AUTOINCREMENT never reuses an
// id, so no older row lies in that range). The rollups receive one sum per day and
// touchpoint instead of one increment per row; feedback_monthly is still kept from
// feedback_daily by its own triggers. Each statement mirrors its trigger (migrations
// 00001, 00018, 00021), and TestImportKeepsIndexesAndRollupsLikeTriggers and
// TestFeedbackBulkKeepsIndexesAndRollupsLikeTriggers compare the results.
var indexInsertedFeedbackSQL = append(slices.Clone(fullTextInsertedSQL), rollupInsertedSQL...)

// fullTextInsertedSQL indexes the comments of the feedback with ids from ? to ?.
var fullTextInsertedSQL = []string{
	`INSERT INTO feedback_fts (rowid, comment) SELECT id, comment FROM feedback WHERE id BETWEEN ? AND ?`,
	`INSERT INTO feedback_tri (rowid, comment) SELECT id, comment FROM feedback WHERE id BETWEEN ? AND ?`,
}

// rollupInsertedSQL adds the feedback with ids from ? to ? to the daily rollups.
var rollupInsertedSQL = []string{
	`INSERT INTO feedback_daily (day, touchpoint_id, category_id, promoters, passives, detractors)
	SELECT received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0),
		SUM(nps_group = 'promoter'), SUM(nps_group = 'passive'), SUM(nps_group = 'detractor')
	FROM feedback WHERE id BETWEEN ? AND ? AND nps_group IS NOT NULL
	GROUP BY received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0)
	ON CONFLICT (day, touchpoint_id, category_id) DO UPDATE SET
		promoters = promoters + excluded.promoters,
		passives = passives + excluded.passives,
		detractors = detractors + excluded.detractors`,
	`INSERT INTO feedback_service_daily (day, touchpoint_id, branch_id, answered, resolved, csat_responses, csat_sum,
		res_promoters, res_passives, res_detractors, unres_promoters, unres_passives, unres_detractors)
	SELECT received_on, COALESCE(touchpoint_id, 0), COALESCE(branch_id, 0),
		SUM(resolved_first_contact IS NOT NULL), SUM(COALESCE(resolved_first_contact = 1, 0)),
		SUM(csat IS NOT NULL), SUM(COALESCE(csat, 0)),
		SUM(COALESCE(resolved_first_contact = 1 AND nps_group = 'promoter', 0)),
		SUM(COALESCE(resolved_first_contact = 1 AND nps_group = 'passive', 0)),
		SUM(COALESCE(resolved_first_contact = 1 AND nps_group = 'detractor', 0)),
		SUM(COALESCE(resolved_first_contact = 0 AND nps_group = 'promoter', 0)),
		SUM(COALESCE(resolved_first_contact = 0 AND nps_group = 'passive', 0)),
		SUM(COALESCE(resolved_first_contact = 0 AND nps_group = 'detractor', 0))
	FROM feedback WHERE id BETWEEN ? AND ? AND (resolved_first_contact IS NOT NULL OR csat IS NOT NULL)
	GROUP BY received_on, COALESCE(touchpoint_id, 0), COALESCE(branch_id, 0)
	ON CONFLICT (day, touchpoint_id, branch_id) DO UPDATE SET
		answered = answered + excluded.answered, resolved = resolved + excluded.resolved,
		csat_responses = csat_responses + excluded.csat_responses, csat_sum = csat_sum + excluded.csat_sum,
		res_promoters = res_promoters + excluded.res_promoters, res_passives = res_passives + excluded.res_passives,
		res_detractors = res_detractors + excluded.res_detractors,
		unres_promoters = unres_promoters + excluded.unres_promoters, unres_passives = unres_passives + excluded.unres_passives,
		unres_detractors = unres_detractors + excluded.unres_detractors`,
}

// fullTextIndexes are feedback's FTS5 indexes, word and trigram.
var fullTextIndexes = []string{"feedback_fts", "feedback_tri"}

// indexedByTriggers are the tables feedbackInsertTriggers write.
var indexedByTriggers = append(slices.Clone(fullTextIndexes), "feedback_daily", "feedback_service_daily")

// indexInsertedFeedback runs statements (indexInsertedFeedbackSQL or a part of it) for
// the feedback with ids from lo to hi.
func indexInsertedFeedback(ctx context.Context, tx *sql.Tx, statements []string, lo, hi int64) error {
	for _, q := range statements {
		if _, err := tx.ExecContext(ctx, q, lo, hi); err != nil {
			return fmt.Errorf("models: index inserted feedback: %w", err)
		}
	}
	return nil
}

// insertFeedbackBatch inserts one import batch on SQLite with the per-row triggers
// suspended and their work done once for the batch; PostgreSQL's triggers (PL/pgSQL,
// no full-text segments) keep firing. It returns the new ids in insertion order.
func (s *Store) insertFeedbackBatch(tx *gorm.DB, rows []models.Feedback) ([]int64, error) {
	if s.dialect != SQLite || len(rows) == 0 {
		return InsertFeedbackRows(tx, rows, true)
	}
	st, err := sqlTxOf(tx)
	if err != nil {
		return nil, err
	}
	ctx := tx.Statement.Context
	restore, err := suspendTriggers(ctx, st, feedbackInsertTriggers)
	if err != nil {
		return nil, err
	}
	ids, err := insertFeedbackEach(tx, rows)
	if err != nil {
		return nil, err
	}
	if err := indexInsertedFeedback(ctx, st, indexInsertedFeedbackSQL, slices.Min(ids), slices.Max(ids)); err != nil {
		return nil, err
	}
	for _, t := range indexedByTriggers {
		noteTableWritten(tx, t)
	}
	return ids, restore()
}

// sqlTxOf returns the database/sql transaction under a GORM transaction, for a hot
// loop that prepares its statement once: GORM's statement cache prepares afresh on
// every use inside a transaction.
func sqlTxOf(tx *gorm.DB) (*sql.Tx, error) {
	switch p := tx.Statement.ConnPool.(type) {
	case *sql.Tx:
		return p, nil
	case *gorm.PreparedStmtTX:
		if t, ok := p.Tx.(*sql.Tx); ok {
			return t, nil
		}
	}
	return nil, fmt.Errorf("models: not in a database/sql transaction (%T)", tx.Statement.ConnPool)
}

// execEach runs a single-row statement once per row on the transaction's own
// connection, prepared once. On SQLite this beats multi-row statements for bulk
// writes: a single-row INSERT needs no statement journal (a multi-row one journals
// every page it changes, for its own rollback), and database/sql skips GORM's
// reflection. done, when not nil, sees each row's result. Only for SQLite: on
// PostgreSQL each row would be a round trip.
func execEach(tx *gorm.DB, table, query string, n int, args func(i int) []any, done func(i int, res sql.Result) error) error {
	st, err := sqlTxOf(tx)
	if err != nil {
		return err
	}
	ctx := tx.Statement.Context
	stmt, err := st.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	noteTableWritten(tx, table)
	for i := range n {
		res, err := stmt.ExecContext(ctx, args(i)...)
		if err != nil {
			return err
		}
		if done != nil {
			if err := done(i, res); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertFeedbackEach inserts rows one by one (see execEach) and returns their ids.
func insertFeedbackEach(tx *gorm.DB, rows []models.Feedback) ([]int64, error) {
	ids := make([]int64, len(rows))
	err := execEach(tx, "feedback", "INSERT INTO feedback ("+feedbackInsertColumns+") VALUES (?"+strings.Repeat(",?", 23)+")",
		len(rows), func(i int) []any {
			f := &rows[i]
			return []any{f.ExternalID, f.ReceivedAt, f.ReceivedOn, f.ChannelID, f.TouchpointID, f.BranchID,
				f.Segment, f.NPS, f.NPSGroup, f.Comment, f.CustomerName, f.CustomerEmail, f.Consent, f.LoggedByID,
				f.FollowUpDueAt, f.TriageStatus, f.Version, f.CreatedAt, f.UpdatedAt,
				f.EmployeeEmail, f.EmployeeID, f.CustomerPhone, f.ResolvedFirstContact, f.CSAT}
		}, func(i int, res sql.Result) (err error) {
			ids[i], err = res.LastInsertId()
			return err
		})
	return ids, err
}
