package store

import (
	"context"
	"sync"
)

// batcher hands the jobs that arrive together to one commit (the group commit's
// rounds of feedback and session saves). Nobody waits for a batch to fill: a job goes in
// with whatever else is waiting when the previous commit ends, alone if nothing is.
// The commit answers each job itself, so a caller hears back only after it.
type batcher[J any] struct {
	jobs chan J
	stop chan struct{}
	done sync.WaitGroup
}

// startBatcher runs commit on batches of at most max jobs until close.
func startBatcher[J any](max int, commit func([]J)) *batcher[J] {
	b := &batcher[J]{jobs: make(chan J), stop: make(chan struct{})}
	b.done.Add(1)
	go b.run(max, commit)
	return b
}

func (b *batcher[J]) run(max int, commit func([]J)) {
	defer b.done.Done()
	batch := make([]J, 0, max)
	for {
		select {
		case j := <-b.jobs:
			batch = append(batch[:0], j)
		case <-b.stop:
			return
		}
	gather:
		for len(batch) < max {
			select {
			case j := <-b.jobs:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		commit(batch)
	}
}

// submit queues a job; the caller then waits for the commit's answer.
func (b *batcher[J]) submit(ctx context.Context, j J) error {
	select {
	case b.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stop:
		return errStoreClosed
	}
}

// close stops taking jobs and waits for the commit under way.
func (b *batcher[J]) close() {
	close(b.stop)
	b.done.Wait()
}
