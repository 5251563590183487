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
	"testing"
	"time"

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
func Open(t testing.TB) *models.Store {
	t.Helper()
	models.PasswordCost = bcrypt.MinCost
	ctx := context.Background()
	var (
		store *models.Store
		err   error
	)
	if Postgres() {
		schema := "t_" + randomHex(6)
		store, err = models.Open(ctx, os.Getenv("TEST_DATABASE_URL"), models.Options{Location: Copenhagen, Schema: schema})
		if err == nil {
			t.Cleanup(func() {
				_ = store.Writer(ctx).Exec(`DROP SCHEMA ` + schema + ` CASCADE`).Error
				store.Close()
			})
		}
	} else {
		path := filepath.Join(t.TempDir(), "test.db")
		store, err = models.Open(ctx, "sqlite:"+path, models.Options{Location: Copenhagen})
		if err == nil {
			t.Cleanup(func() { store.Close() })
		}
	}
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	if err := store.SeedReference(ctx); err != nil {
		t.Fatalf("seed reference: %v", err)
	}
	return store
}

// URL returns the DATABASE_URL of a new, empty test database (for tests that start
// the binary or a second app instance themselves) and the schema to drop, if any.
func URL(t testing.TB) string {
	t.Helper()
	if Postgres() {
		schema := "t_" + randomHex(6)
		// Opening with a schema creates and migrates it; the binary then finds it ready.
		s, err := models.Open(context.Background(), os.Getenv("TEST_DATABASE_URL"), models.Options{Schema: schema})
		if err != nil {
			t.Fatalf("create test schema: %v", err)
		}
		t.Cleanup(func() {
			_ = s.Writer(context.Background()).Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`).Error
			s.Close()
		})
		u := os.Getenv("TEST_DATABASE_URL")
		sep := "?"
		for _, r := range u {
			if r == '?' {
				sep = "&"
			}
		}
		return u + sep + "search_path=" + schema
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// User creates an active user with the password "password-123".
func User(t testing.TB, s *models.Store, email string, roles ...string) *models.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), models.NewUser{Email: email, Name: nameFrom(email),
		Password: Password, Roles: roles, Lang: "en"}, nil)
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// Password is the password of every test user.
const Password = "password-123"

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
