package models

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

var errStoreClosed = errors.New("models: the store is closed")

// groupCommitMax caps how many writes share one SQLite transaction.
const groupCommitMax = 64

// groupCommit runs the small writes that arrive together (ambassadors logging feedback,
// the API's clients) in one SQLite transaction. SQLite has one writer; a commit
// rewrites every page its rows touched, and a feedback touches a dozen index pages, the
// full-text index and the daily figures. Rows logged in the same moment share those
// pages, so committing them together writes each page once.
// Nobody waits for a batch to fill: a write goes in with whatever else is waiting when
// the previous commit ends, alone if nothing is. Each caller hears back only after the
// commit, so an answered write is durable.
type groupCommit struct {
	jobs chan groupJob
	stop chan struct{}
	done sync.WaitGroup
}

type groupJob struct {
	ctx    context.Context
	fn     func(tx *gorm.DB) error
	result chan error
}

func (s *Store) startGroupCommit() {
	s.group = &groupCommit{jobs: make(chan groupJob), stop: make(chan struct{})}
	s.group.done.Add(1)
	go s.group.run(s)
}

func (g *groupCommit) close() {
	close(g.stop)
	g.done.Wait()
}

func (g *groupCommit) run(s *Store) {
	defer g.done.Done()
	batch := make([]groupJob, 0, groupCommitMax)
	for {
		select {
		case j := <-g.jobs:
			batch = append(batch[:0], j)
		case <-g.stop:
			return
		}
	gather:
		for len(batch) < groupCommitMax {
			select {
			case j := <-g.jobs:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		s.commitGroup(batch)
	}
}

// commitGroup runs the jobs one after the other in one transaction. Writes rarely
// fail once validated (a duplicate external id is the usual case), so the batch is
// tried whole; if any job fails, the batch is rolled back and each job runs again in a
// transaction of its own, which gives each its own answer. Savepoints per job would
// have isolated failures at once, but SQLite's full-text index writes itself out at
// every savepoint, which cost more than the batching saved.
//
// The transaction does not take any caller's context: on SQLite an interrupted
// statement rolls back the whole transaction, and one client hanging up must not undo
// the others' writes.
func (s *Store) commitGroup(batch []groupJob) {
	var failed error
	err := s.Tx(context.Background(), func(tx *gorm.DB) error {
		for _, j := range batch {
			if err := j.ctx.Err(); err != nil {
				continue
			}
			if failed = runJob(tx, j.fn); failed != nil {
				return failed
			}
		}
		return nil
	})
	if err == nil {
		for _, j := range batch {
			j.result <- j.ctx.Err()
		}
		return
	}
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.result <- err
			continue
		}
		j.result <- s.Tx(context.Background(), func(tx *gorm.DB) error { return runJob(tx, j.fn) })
	}
}

// runJob runs fn and turns a panic into its error, so one bad write cannot stop the
// writes of everyone else.
func runJob(tx *gorm.DB, fn func(tx *gorm.DB) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("models: write panicked: %v", p)
		}
	}()
	return fn(tx)
}

// GroupTx runs fn in a write transaction like Tx. On SQLite it shares the transaction
// with the writes waiting at the same moment (see groupCommit); fn's writes are
// committed when it returns nil and rolled back when it fails, as with Tx. fn may run
// twice (see commitGroup), so it must only write through tx and keep no other effects.
func (s *Store) GroupTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.group == nil {
		return s.Tx(ctx, fn)
	}
	j := groupJob{ctx: ctx, fn: fn, result: make(chan error, 1)}
	select {
	case s.group.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.group.stop:
		return errStoreClosed
	}
	return <-j.result
}
