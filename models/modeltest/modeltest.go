// Package modeltest opens a real, migrated database for tests: a SQLite file in the
// test's temporary folder, or, when TEST_DIALECT=postgres and TEST_DATABASE_URL is
// set, a fresh PostgreSQL schema that is dropped when the test ends.
package modeltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"golang.org/x/crypto/bcrypt"

	"github.com/improvementtracker/tracker/models"
)

func init() {
	// Migrations log at info level; in tests that is noise.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// Copenhagen is the time zone tests count days in, as a Danish bank would.
var Copenhagen = mustLoad("Europe/Copenhagen")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Postgres reports whether tests run against PostgreSQL.
func Postgres() bool {
	return os.Getenv("TEST_DIALECT") == "postgres" && os.Getenv("TEST_DATABASE_URL") != ""
}

// Open returns a migrated store with the default reference data, closed at cleanup.
func Open(t testing.TB) *store.Store {
	t.Helper()
	models.PasswordCost = bcrypt.MinCost
	var st *store.Store
	if Postgres() {
		st = OpenPostgres(t)
	} else {
		path := filepath.Join(t.TempDir(), "test.db")
		s, err := store.Open(context.Background(), "sqlite:"+path, store.Options{Location: Copenhagen})
		if err != nil {
			t.Fatalf("open test database: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		st = s
	}
	if err := st.SeedReference(context.Background()); err != nil {
		t.Fatalf("seed reference: %v", err)
	}
	return st
}

// OpenPostgres returns a store on a new, migrated PostgreSQL schema of TEST_DATABASE_URL
// (without reference data), whatever TEST_DIALECT says; the schema is dropped at cleanup.
// It fails the test when TEST_DATABASE_URL is not set: skip before calling it.
func OpenPostgres(t testing.TB) *store.Store {
	t.Helper()
	st, _ := newSchema(t)
	return st
}

// newSchema creates and migrates a schema named after the test, and drops it when the
// test ends (after every cleanup registered later, such as closing other stores on it).
func newSchema(t testing.TB) (*store.Store, string) {
	t.Helper()
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		t.Fatal("TEST_DATABASE_URL is not set")
	}
	models.PasswordCost = bcrypt.MinCost
	ctx := context.Background()
	schema := "t_" + randomHex(6)
	st, err := store.Open(ctx, url, store.Options{Location: Copenhagen, Schema: schema})
	if err != nil {
		t.Fatalf("open test schema: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Writer(ctx).Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`).Error; err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
		st.Close()
	})
	return st, schema
}

// URL returns the DATABASE_URL of a new test database without reference data, for tests
// that start the binary or more than one app instance on one database: a path for a
// SQLite file in the test's folder (created on first open), or a migrated PostgreSQL
// schema (dropped at cleanup).
func URL(t testing.TB) string {
	t.Helper()
	if Postgres() {
		_, schema := newSchema(t)
		return withSearchPath(os.Getenv("TEST_DATABASE_URL"), schema)
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

func withSearchPath(url, schema string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

// User creates an active user with the password Password.
func User(t testing.TB, s *store.Store, email string, roles ...string) *models.User {
	t.Helper()
	n := models.NewUser{Email: email, Name: nameFrom(email), Password: Password, Roles: roles, Lang: "en"}
	if slices.Contains(roles, models.RoleBranch) {
		// A branch manager manages the first branch ("north" in the seeded data).
		if bs, err := s.RefList(context.Background(), models.RefBranches); err == nil && len(bs) > 0 {
			n.BranchIDs = []int64{bs[0].ID}
		}
	}
	u, err := s.CreateUser(context.Background(), n, nil)
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// Password is the password of every test user.
const Password = "tracker-test-2026"

func nameFrom(email string) string {
	for i, r := range email {
		if r == '@' {
			return email[:i]
		}
	}
	return email
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
