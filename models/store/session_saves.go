package store

import (
	"context"
	"fmt"

	"gorm.io/gorm/clause"
)

// sessionJob is one session to save, with where its caller hears how it went.
type sessionJob struct {
	ctx    context.Context
	row    sessionRow
	result chan error
}

// saveSession inserts or replaces a session in one transaction with the other saves
// waiting, in the group commit's rounds (commitRound). A form that confirms what it did
// saves its session (the confirmation for the next page) after the write it confirms.
// Each save was a transaction of its own, and on SQLite each commit syncs the log: the
// feedback form ran at half the API's rate (1,508 POSTs a second against 3,311 with
// the save left out). Saved together, they share one sync.
func (s *Store) saveSession(ctx context.Context, row sessionRow) error {
	if s.group == nil {
		return s.upsertSessions(ctx, []sessionRow{row})
	}
	j := sessionJob{ctx: ctx, row: row, result: make(chan error, 1)}
	if err := s.group.submit(ctx, writeJob{session: &j}); err != nil {
		return err
	}
	return <-j.result
}

// commitSessions saves a batch in one statement. A caller gone before the batch starts
// is left out; the statement takes no caller's context, so one client hanging up does
// not undo the others' saves. If the batch fails, each save is tried on its own, which
// gives each its own answer.
func (s *Store) commitSessions(batch []sessionJob) {
	live := batch[:0:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.result <- err
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	if err := s.upsertSessions(context.Background(), lastSavePerToken(live)); err == nil || len(live) == 1 {
		for _, j := range live {
			j.result <- err
		}
		return
	}
	for _, j := range live {
		j.result <- s.upsertSessions(context.Background(), []sessionRow{j.row})
	}
}

// lastSavePerToken returns the batch's rows with one per session: the one saved last,
// as it would have committed last on its own. (One statement cannot write a row twice
// on PostgreSQL.)
func lastSavePerToken(jobs []sessionJob) []sessionRow {
	at := make(map[string]int, len(jobs))
	rows := make([]sessionRow, 0, len(jobs))
	for _, j := range jobs {
		if i, ok := at[j.row.Token]; ok {
			rows[i] = j.row
			continue
		}
		at[j.row.Token] = len(rows)
		rows = append(rows, j.row)
	}
	return rows
}

// upsertSessions runs on the group commit's goroutine: like storeFeedback it turns a
// panic into an error, so one bad save cannot stop every writer.
func (s *Store) upsertSessions(ctx context.Context, rows []sessionRow) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("models: save sessions panicked: %v", p)
		}
	}()
	return s.w.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry", "user_id"}),
	}).Create(&rows).Error
}
