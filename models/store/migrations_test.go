package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/improvementtracker/tracker/migrations"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// column is what both dialects must agree on for every column: its name, a type family
// (SQLite's DATETIME and PostgreSQL's TIMESTAMPTZ are both "timestamp") and whether it
// may hold NULL.
type column struct {
	Name    string
	Type    string
	NotNull bool
}

// schemaOf maps table name to its columns in name order.
type schemaOf map[string][]column

// The two dialect folders must hold the same migration versions, or a database of one
// kind would end up with a different schema than the other.
func TestMigrationVersionsMatchAcrossDialects(t *testing.T) {
	versions := map[string][]string{}
	for _, dialect := range []string{"sqlite", "postgres"} {
		fsys, err := migrations.For(dialect)
		if err != nil {
			t.Fatal(err)
		}
		names, err := fs.Glob(fsys, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		if len(names) == 0 {
			t.Fatalf("no migrations for %s", dialect)
		}
		file := regexp.MustCompile(`^(\d+)_[a-z0-9_]+\.sql$`)
		for _, name := range names {
			m := file.FindStringSubmatch(name)
			if m == nil {
				t.Errorf("%s/%s: want NNNNN_name.sql", dialect, name)
				continue
			}
			versions[dialect] = append(versions[dialect], m[1])
		}
	}
	if !slices.Equal(versions["sqlite"], versions["postgres"]) {
		t.Fatalf("migration versions differ:\n  sqlite:   %v\n  postgres: %v", versions["sqlite"], versions["postgres"])
	}
}

// Migrating a fresh SQLite database and a fresh PostgreSQL schema must end with the
// same tables and the same columns, so a change made for one dialect only fails CI.
// Objects that exist for one dialect's full-text search are left out: SQLite's FTS5
// virtual tables with their shadow tables, and PostgreSQL's tsvector columns.
func TestMigrationsEndWithSameTablesAndColumns(t *testing.T) {
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		t.Skip("needs TEST_DATABASE_URL=postgres://... to migrate a PostgreSQL schema (.ci/run sets it)")
	}
	ctx := context.Background()

	lite, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "schema.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	pg := modeltest.OpenPostgres(t)

	want := sqliteSchema(t, lite)
	got := postgresSchema(t, pg)
	if len(want) < 10 {
		t.Fatalf("SQLite has only %d tables: the schema was not read", len(want))
	}
	for _, table := range sortedKeys(want, got) {
		l, lok := want[table]
		p, pok := got[table]
		switch {
		case !pok:
			t.Errorf("table %s exists on SQLite only", table)
		case !lok:
			t.Errorf("table %s exists on PostgreSQL only", table)
		default:
			compareColumns(t, table, l, p)
		}
	}
}

// App instances that start together on one PostgreSQL schema migrate it once: the
// others wait for the migration lock and then find nothing to do. Meanwhile tests that
// each migrate their own schema do not wait for each other.
func TestConcurrentStartsMigrateOnce(t *testing.T) {
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		t.Skip("needs TEST_DATABASE_URL=postgres://... (.ci/run sets it)")
	}
	ctx := context.Background()
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := admin.DB()
	t.Cleanup(func() { sqlDB.Close() })
	schemas := []string{"t_mig_" + randomSuffix(t), ""}
	schemas[1] = schemas[0] + "_b"
	for _, schema := range schemas {
		if err := admin.Exec(`CREATE SCHEMA ` + schema).Error; err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`) })
	}

	const instances = 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*instances)
	for i := range 2 * instances {
		// Half start on the first schema, half on the second, all at once.
		url := base + "&search_path=" + schemas[i%2]
		if !strings.Contains(base, "?") {
			url = base + "?search_path=" + schemas[i%2]
		}
		wg.Go(func() {
			s, err := store.Open(ctx, url, store.Options{})
			if err != nil {
				errs <- err
				return
			}
			s.Close()
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("instances still starting after a minute: the migration lock deadlocks")
	}
	close(errs)
	for err := range errs {
		t.Errorf("start: %v", err)
	}
	for _, schema := range schemas {
		var applied, distinct int64
		if err := admin.Raw(`SELECT count(*), count(DISTINCT version_id) FROM `+schema+`.goose_db_version WHERE version_id > 0`).
			Row().Scan(&applied, &distinct); err != nil {
			t.Fatal(err)
		}
		if applied == 0 || applied != distinct {
			t.Errorf("schema %s: %d migrations recorded for %d versions, want each once", schema, applied, distinct)
		}
	}
}

func randomSuffix(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func compareColumns(t *testing.T, table string, lite, pg []column) {
	t.Helper()
	byName := func(cs []column) map[string]column {
		m := map[string]column{}
		for _, c := range cs {
			m[c.Name] = c
		}
		return m
	}
	l, p := byName(lite), byName(pg)
	for _, name := range sortedKeys(l, p) {
		lc, lok := l[name]
		pc, pok := p[name]
		switch {
		case !pok:
			t.Errorf("%s.%s exists on SQLite only", table, name)
		case !lok:
			t.Errorf("%s.%s exists on PostgreSQL only", table, name)
		case lc.Type != pc.Type:
			t.Errorf("%s.%s is %s on SQLite but %s on PostgreSQL", table, name, lc.Type, pc.Type)
		case lc.NotNull != pc.NotNull:
			t.Errorf("%s.%s: NOT NULL is %v on SQLite but %v on PostgreSQL", table, name, lc.NotNull, pc.NotNull)
		}
	}
}

func sqliteSchema(t *testing.T, s *store.Store) schemaOf {
	t.Helper()
	db := s.Reader(context.Background())
	// table_list types virtual tables and their shadow tables apart from plain ones.
	var tables []string
	if err := db.Raw(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	out := schemaOf{}
	for _, table := range tables {
		var cols []struct {
			Name    string
			Type    string
			NotNull bool
			PK      int
		}
		if err := db.Raw(`SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?)`, table).Scan(&cols).Error; err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			// SQLite lets a primary key column hold NULL unless declared NOT NULL;
			// the schema means it as PostgreSQL does.
			out[table] = append(out[table], column{Name: c.Name, Type: typeFamily(c.Type), NotNull: c.NotNull || c.PK > 0})
		}
	}
	return out
}

func postgresSchema(t *testing.T, s *store.Store) schemaOf {
	t.Helper()
	var cols []struct {
		TableName  string
		ColumnName string
		DataType   string
		IsNullable string
	}
	err := s.Reader(context.Background()).Raw(`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		  AND c.table_name <> 'goose_db_version' AND c.data_type <> 'tsvector'
		ORDER BY c.table_name, c.column_name`).Scan(&cols).Error
	if err != nil {
		t.Fatal(err)
	}
	out := schemaOf{}
	for _, c := range cols {
		out[c.TableName] = append(out[c.TableName], column{Name: c.ColumnName, Type: typeFamily(c.DataType), NotNull: c.IsNullable == "NO"})
	}
	return out
}

// typeFamily names the kind of value a declared type holds, in terms both dialects share.
func typeFamily(declared string) string {
	t := strings.ToLower(strings.TrimSpace(declared))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "integer", "int", "bigint", "smallint":
		return "integer"
	case "text", "varchar", "character varying", "char", "character":
		return "text"
	case "boolean", "bool":
		return "boolean"
	case "datetime", "timestamp", "timestamptz", "timestamp with time zone":
		// PostgreSQL's "timestamp without time zone" stays apart: it drops the offset of what
		// is written, so the schemas use TIMESTAMPTZ.
		return "timestamp"
	case "date":
		return "date"
	case "blob", "bytea":
		return "bytes"
	case "real", "double", "double precision", "float":
		return "float"
	case "numeric", "decimal":
		return "numeric"
	case "json", "jsonb":
		return "json"
	}
	return t
}

func sortedKeys[V any](a, b map[string]V) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
