package store

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"
)

// checkpointEvery is how often the write-ahead log is copied into the database file.
const checkpointEvery = time.Second

// While the log is long (busyLog pages: writes are streaming in), checkpoints follow
// each other every busyCheckpointEvery, so the writer's own checkpoint at 10,000 pages
// finds little left to copy.
const (
	busyLog             = 2000
	busyCheckpointEvery = 50 * time.Millisecond
)

// checkpointer copies SQLite's write-ahead log back into the database file from a
// reading connection, once a second. SQLite does it by default inside the commit that
// grows the log past 1,000 pages, with two fsyncs, while holding the only write lock:
// every write behind it waited. A checkpoint from another connection runs beside the
// writer (PASSIVE: it copies what no reader still needs and never waits for anyone),
// and the writer starts the log from the beginning again once all of it is copied.
//
// Writes without a pause (an import, the benchmark's POSTs: 70 MB of log a second)
// never give the writer that moment, so it still checkpoints itself past 10,000 pages
// (40 MB, wal_autocheckpoint in the connection string; without it an import of 100,000
// rows left an 800 MB log), finding most of the work already done. Measured on the
// benchmark's feedback POSTs (req/s form/API, p99): writer checkpoints at 1,000 pages
// 1,467/1,138 (58/60 ms); no checkpoints at all 1,854/1,836 (45/31 ms, log unbounded);
// once a second 1,797/1,430 (82/166 ms); every 100 ms 1,586/1,184 (52/118 ms); this
// (every 50 ms while the log is long) 1,667-1,917/1,332-1,434 (82-85/193-200 ms).
type checkpointer struct {
	stop chan struct{}
	done sync.WaitGroup
}

func startCheckpointer(db *gorm.DB) *checkpointer {
	c := &checkpointer{stop: make(chan struct{})}
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		wait := checkpointEvery
		for {
			select {
			case <-time.After(wait):
				wait = checkpointEvery
				if logged := checkpoint(db, "PASSIVE"); logged > busyLog {
					wait = busyCheckpointEvery
				}
			case <-c.stop:
				return
			}
		}
	}()
	return c
}

// close stops the ticks. SQLite copies what is left when the last connection closes.
func (c *checkpointer) close() {
	close(c.stop)
	c.done.Wait()
}

// checkpoint runs a checkpoint and returns how many pages the log holds.
func checkpoint(db *gorm.DB, mode string) (logged int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var r struct{ Busy, Log, Checkpointed int }
	if err := db.WithContext(ctx).Raw("PRAGMA wal_checkpoint(" + mode + ")").Scan(&r).Error; err != nil {
		slog.Warn("sqlite checkpoint", "mode", mode, "err", err)
	}
	return r.Log
}
