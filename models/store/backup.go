package store

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database to path while the server keeps
// running. On SQLite, VACUUM INTO reads one snapshot under WAL, so writers are not
// blocked; for PostgreSQL use pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return fmt.Errorf("models: backup: use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("models: backup: %s already exists", path)
	}
	if err := s.r.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("models: backup: %w", err)
	}
	return nil
}
