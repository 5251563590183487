package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	_ "modernc.org/sqlite"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// SQLite's own checkpoints are moved out of the writer's commits (see checkpointer);
// committed feedback must still reach the database file itself, not only the log,
// within a few seconds and while the store stays open.
func TestCommittedWritesReachTheDatabaseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wal.db")
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	for i := range 20 {
		if _, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: score(i % 11),
			Comment: "Long queue"}, amb); err != nil {
			t.Fatal(err)
		}
	}
	// A copy of the database file alone, without the write-ahead log, holds what
	// was checkpointed.
	var n int
	copied := filepath.Join(t.TempDir(), "copy.db")
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if n, err = countInFile(path, copied); err == nil && n == 20 {
			return
		}
	}
	t.Fatalf("the database file holds %d of 20 committed feedback after 5 s (%v)", n, err)
}

func countInFile(path, copied string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(copied, b, 0o600); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", copied)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRow("SELECT COUNT(*) FROM feedback").Scan(&n)
	return n, err
}
