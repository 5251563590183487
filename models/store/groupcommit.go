package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync/atomic"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

var errStoreClosed = errors.New("models: the store is closed")

// groupCommitMax caps how many feedback share one transaction.
const groupCommitMax = 64

// groupCommit stores the feedback that arrives together (ambassadors logging, the
// API's clients) with one statement per table in one SQLite transaction. SQLite has one
// writer, and a feedback touches a dozen index pages, the full-text index and the
// daily figures; one transaction and three statements per feedback capped the rate
// near 600 a second. Rows logged at the same moment share those pages, so committing
// them together writes each page once.
//
// The batching itself is batcher's. Each caller hears back only after the commit, so
// an answered write is durable. On PostgreSQL, which takes concurrent writers itself,
// it batches too: concurrent feedback transactions queued on the same rows (the day's
// feedback_daily figures, the ambassador's remembered channel), each holding them
// through its own commit's flush; batched, the API POST went from 163 to 1,006 a
// second and its p99 from 1.1 s to 84 ms on the development machine.
type groupCommit struct {
	*batcher[writeJob]
	// waiting counts the feedback handed to the writer and not yet answered: those in
	// the commit under way and those queued behind it (see WriterQueueDepth).
	waiting atomic.Int64
}

// feedbackJob is one feedback to store, with who logged it and what to remember for
// their next form.
type feedbackJob struct {
	ctx       context.Context
	row       models.Feedback
	by        *models.User
	channelID int64
	branchID  *int64
	result    chan feedbackResult
}

type feedbackResult struct {
	id  int64
	err error
}

// writeJob is one job of the writer's round: a feedback to store or a session to save.
type writeJob struct {
	feedback *feedbackJob
	session  *sessionJob
}

func (s *Store) startGroupCommit() {
	s.group = &groupCommit{batcher: startBatcher(groupCommitMax, s.commitRound)}
}

// commitRound stores the feedback that arrived together, then saves the sessions. One
// goroutine does both in turn, so the feedback that arrives while sessions are saved
// waits for the next round and goes in with the rest: saved from a writer of their
// own, the sessions left the feedback to commit in more, smaller transactions (a
// tenth more CPU per request under the soak's mixed load).
func (s *Store) commitRound(batch []writeJob) {
	var feedback []feedbackJob
	var sessions []sessionJob
	for _, j := range batch {
		if j.feedback != nil {
			feedback = append(feedback, *j.feedback)
		} else {
			sessions = append(sessions, *j.session)
		}
	}
	if len(feedback) > 0 {
		s.commitGroup(feedback)
	}
	if len(sessions) > 0 {
		s.commitSessions(sessions)
	}
}

// commitGroup stores a batch in one transaction. Validated feedback rarely fails (a
// repeated external id is the usual case), so the batch is tried whole; if it fails,
// each feedback is tried again in a transaction of its own, which gives each its own
// answer.
//
// The transaction takes no caller's context: on SQLite an interrupted statement rolls
// back the whole transaction, and one client hanging up must not undo the others'
// writes. A caller gone before the batch starts is left out.
func (s *Store) commitGroup(batch []feedbackJob) {
	live := batch[:0:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.result <- feedbackResult{err: err}
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	ids, err := s.storeFeedback(context.Background(), live)
	if err == nil {
		for i, j := range live {
			j.result <- feedbackResult{id: ids[i]}
		}
		return
	}
	if len(live) == 1 {
		live[0].result <- feedbackResult{err: err}
		return
	}
	for _, j := range live {
		ids, err := s.storeFeedback(context.Background(), []feedbackJob{j})
		if err != nil {
			j.result <- feedbackResult{err: err}
			continue
		}
		j.result <- feedbackResult{id: ids[0]}
	}
}

// storeFeedback writes the jobs' rows, their history and what their ambassadors
// used last, in one transaction, and returns the new ids in the jobs' order.
func (s *Store) storeFeedback(ctx context.Context, jobs []feedbackJob) (ids []int64, err error) {
	defer func() {
		if p := recover(); p != nil {
			ids, err = nil, fmt.Errorf("models: store feedback panicked: %v", p)
		}
	}()
	rows := make([]models.Feedback, len(jobs))
	for i, j := range jobs {
		rows[i] = j.row
	}
	// The kept pages judge by it whether the batch changed them (ownwrites.go).
	wrote := &feedbackWrite{}
	err = s.Tx(withFootprint(ctx, wrote), func(tx *gorm.DB) error {
		var err error
		if err := linkEmployees(tx, rows); err != nil {
			return err
		}
		if ids, err = InsertFeedbackRows(tx, rows, true); err != nil {
			return err
		}
		if len(ids) != len(jobs) {
			return fmt.Errorf("models: store feedback: %d ids for %d rows", len(ids), len(jobs))
		}
		// One statement hands out consecutive ids in the order of its rows;
		// RETURNING lists them in no promised order.
		slices.Sort(ids)
		if err := tx.CreateInBatches(createdEntries(jobs, ids), 500).Error; err != nil {
			return err
		}
		for i := range rows {
			rows[i].ID = ids[i]
			wrote.rows = append(wrote.rows, writtenRow{ids[i], rows[i].ReceivedAt})
		}
		if err := s.afterFeedbackStored(tx, rows[0].CreatedAt, rows); err != nil {
			return err
		}
		return s.markBatchWriters(tx, jobs)
	})
	return ids, err
}

// markBatchWriters marks the batch's users as writers (markWriters) and remembers the
// ambassadors' latest channel and branch. It comes last: the users' rows stay locked
// to the commit, and the other instance's batches, which hold the same team's
// writes, wait for them (on PostgreSQL the most sampled wait of the soak once the
// rollups no longer queued). They are locked in id order before
// rememberLastEntries updates some of them again, so two batches never lock the same
// users in opposite orders.
func (s *Store) markBatchWriters(tx *gorm.DB, jobs []feedbackJob) error {
	var writers []int64
	for _, j := range jobs {
		if id, ok := userOf(j.ctx); ok {
			writers = append(writers, id)
		}
		if j.by != nil {
			writers = append(writers, j.by.ID)
		}
	}
	slices.Sort(writers)
	if err := s.writes.markWriters(tx, slices.Compact(writers)); err != nil {
		return err
	}
	return rememberLastEntries(tx, jobs)
}

// createdEntries are the history's "created" entries of the jobs' feedback. They name
// what was logged, never the customer: erasure must be able to remove every trace of
// a person.
func createdEntries(jobs []feedbackJob, ids []int64) []models.HistoryEntry {
	entries := make([]models.HistoryEntry, len(jobs))
	for i, j := range jobs {
		entries[i] = models.HistoryEntry{Entity: "feedback", EntityID: ids[i], Action: "created", CreatedAt: j.row.CreatedAt}
		if j.by != nil {
			entries[i].UserID = &j.by.ID
		}
	}
	return entries
}

// rememberLastEntries stores, per ambassador, the channel and branch of their latest
// feedback in the batch, unless those are remembered already, in one statement: it
// runs while the batch holds its users' rows, and one UPDATE per ambassador was five
// more round trips per batch under the soak.
func rememberLastEntries(tx *gorm.DB, jobs []feedbackJob) error {
	last := map[int64]feedbackJob{}
	for _, j := range jobs {
		if j.by != nil {
			last[j.by.ID] = j
		}
	}
	maps.DeleteFunc(last, func(_ int64, j feedbackJob) bool { return j.by.Remembers(j.channelID, j.branchID) })
	if len(last) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(last))
	channels, branches := "CASE id", "CASE id"
	var channelArgs, branchArgs []any
	for _, id := range ids {
		channels += " WHEN ? THEN CAST(? AS BIGINT)"
		branches += " WHEN ? THEN CAST(? AS BIGINT)"
		channelArgs = append(channelArgs, id, last[id].channelID)
		branchArgs = append(branchArgs, id, last[id].branchID)
	}
	args := append(append(channelArgs, branchArgs...), tx.NowFunc(), ids)
	return tx.Exec(`UPDATE users SET last_channel_id = `+channels+` END, last_branch_id = `+branches+` END,
		updated_at = ? WHERE id IN ?`, args...).Error
}

// insertFeedback stores one built feedback through the group commit and returns its id.
func (s *Store) insertFeedback(ctx context.Context, row models.Feedback, by *models.User, channelID int64, branchID *int64) (int64, error) {
	j := feedbackJob{ctx: ctx, row: row, by: by, channelID: channelID, branchID: branchID}
	if s.group == nil {
		ids, err := s.storeFeedback(ctx, []feedbackJob{j})
		if err != nil {
			return 0, err
		}
		return ids[0], nil
	}
	// The batch's transaction runs for several users at once; each learns here that
	// their feedback has committed, so their next page counts it.
	var wrote *feedbackWrite // nil, any write, unless it is known to be stored
	defer func() { s.writes.sawOwnWrite(ctx, wrote) }()
	j.result = make(chan feedbackResult, 1)
	s.group.waiting.Add(1)
	defer s.group.waiting.Add(-1)
	if err := s.group.submit(ctx, writeJob{feedback: &j}); err != nil {
		return 0, err
	}
	r := <-j.result
	if r.err == nil {
		wrote = newFeedbackWrite(r.id, row.ReceivedAt)
	}
	return r.id, r.err
}
