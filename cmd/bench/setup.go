package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models/store"
)

// copenhagen is the zone the data set's days are counted in, as the app's default.
func copenhagen() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return time.UTC
	}
	return loc
}

// createDataSet generates the data set into a new SQLite file at path and returns the
// bench user's API token.
func createDataSet(ctx context.Context, path string, cfg genConfig) (genStats, string, error) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return genStats{}, "", err
		}
	}
	return createDataSetAt(ctx, "sqlite:"+path, cfg)
}

// pgSchemaURL is a PostgreSQL URL whose connections use schema.
func pgSchemaURL(url, schema string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

// isPostgresURL reports whether a DATABASE_URL names a PostgreSQL database.
func isPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// postgresFromEnv is the default of -database-url: DATABASE_URL when it names a
// PostgreSQL database, so that `DATABASE_URL=postgres://... make bench` runs there. Any
// other DATABASE_URL (the Makefile's SQLite default for make run) is the app's, not the
// bench's: the bench then makes its own SQLite file.
func postgresFromEnv() string {
	if u := os.Getenv("DATABASE_URL"); isPostgresURL(u) {
		return u
	}
	return ""
}

// createPostgresDataSet generates the data set into schema of the PostgreSQL database at
// url, dropping the schema first, and returns the URL the server should use.
func createPostgresDataSet(ctx context.Context, url, schema string, cfg genConfig) (genStats, string, string, error) {
	old, err := store.Open(ctx, url, store.Options{Location: cfg.Location, Schema: schema})
	if err != nil {
		return genStats{}, "", "", err
	}
	err = old.Writer(ctx).Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`).Error
	if err == nil {
		err = old.Writer(ctx).Exec(`CREATE SCHEMA "` + schema + `"`).Error
	}
	old.Close()
	if err != nil {
		return genStats{}, "", "", err
	}
	at := pgSchemaURL(url, schema)
	stats, token, err := createDataSetAt(ctx, at, cfg)
	return stats, token, at, err
}

// createDataSetAt generates the data set into the empty database at url.
func createDataSetAt(ctx context.Context, url string, cfg genConfig) (genStats, string, error) {
	st, err := store.Open(ctx, url, store.Options{Location: cfg.Location})
	if err != nil {
		return genStats{}, "", err
	}
	defer st.Close()
	stats, err := generate(ctx, st, cfg)
	if err != nil {
		return stats, "", fmt.Errorf("generate: %w", err)
	}
	u, err := st.UserByEmail(ctx, benchEmail)
	if err != nil {
		return stats, "", err
	}
	token, err := st.CreateToken(ctx, u.ID, "bench")
	if err != nil {
		return stats, "", err
	}
	return stats, token, nil
}

func genFlags(fs *flag.FlagSet) *genConfig {
	cfg := &genConfig{Location: copenhagen()}
	fs.IntVar(&cfg.Rows, "rows", 1_000_000, "feedback rows to generate")
	fs.IntVar(&cfg.Improvements, "improvements", 20_000, "improvements to generate")
	fs.IntVar(&cfg.Years, "years", 5, "years of feedback")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random seed (same seed, same data)")
	return cfg
}

// runGen only generates the data set, for profiling the app by hand.
func runGen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench gen", flag.ContinueOnError)
	cfg := genFlags(fs)
	path := fs.String("db", "bench-results/bench.db", "SQLite file to create (replaced if it exists)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the generation to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cfg.Now = time.Now()
	stats, token, err := createDataSet(ctx, *path, *cfg)
	if err != nil {
		return err
	}
	fmt.Printf("generated %d feedback (%s), %d improvements, %d links, %d history, %d meetings, %d agenda items, %d comments in %s\n",
		stats.Feedback, stats.FeedbackTook.Round(time.Millisecond), stats.Improvements, stats.Links, stats.History,
		stats.Meetings, stats.Agenda, stats.Comments, stats.Took.Round(time.Millisecond))
	fmt.Printf("sign in as %s / %s; API token %s\n", benchEmail, benchPassword, token)
	return nil
}
