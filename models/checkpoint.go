package models

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"
)

// checkpointEvery is how often the write-ahead log is copied into the database file.
const checkpointEvery = time.Second

// checkpointer copies SQLite's write-ahead log back into the database file from a
// reading connection, once a second. SQLite does it by default inside the commit that
// grows the log past 1,000 pages, with two fsyncs, while holding the only write lock:
// every write behind it waited, and feedback POSTs ran at 1,100-1,500 a second instead
// of 1,850. A checkpoint from another connection runs beside the writer (PASSIVE: it
// copies what no reader still needs and never waits for anyone); the writer starts the
// log from the beginning again once it has all been copied.
type checkpointer struct {
	stop chan struct{}
	done sync.WaitGroup
}

func startCheckpointer(db *gorm.DB) *checkpointer {
	c := &checkpointer{stop: make(chan struct{})}
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				checkpoint(db, "PASSIVE")
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

func checkpoint(db *gorm.DB, mode string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.WithContext(ctx).Exec("PRAGMA wal_checkpoint(" + mode + ")").Error; err != nil {
		slog.Warn("sqlite checkpoint", "mode", mode, "err", err)
	}
}
