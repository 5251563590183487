package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/modeltest"
)

// The smoke tests run the bench and the soak end to end at a tiny scale on the test's
// database (a SQLite file, or a PostgreSQL schema with TEST_DIALECT=postgres), so that
// a change that breaks the generator, the loaders, the load or the checks fails `make
// test` rather than the next person's `make bench`. They check that every path ran and
// what must hold at any scale (no errors, nothing lost, own writes seen); the rates at
// this scale mean nothing. They run one after the other: the generator lowers the
// package-wide bcrypt cost while it creates its users.

// tinyData is the data set of the smoke tests: a few hundred rows over one year.
var tinyData = []string{"-rows", "300", "-improvements", "30", "-years", "1"}

var (
	trackerOnce sync.Once
	trackerBin  string
	trackerErr  error
	trackerDir  string
)

// testTracker builds the tracker binary once for the package's tests, as `make build`
// does (with a warm build cache that is a link of a few seconds).
func testTracker(t *testing.T) string {
	t.Helper()
	trackerOnce.Do(func() {
		if trackerDir, trackerErr = os.MkdirTemp("", "bench-smoke-"); trackerErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		trackerBin, trackerErr = buildTracker(ctx, trackerDir)
	})
	if trackerErr != nil {
		t.Fatalf("build tracker: %v", trackerErr)
	}
	return trackerBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if trackerDir != "" {
		os.RemoveAll(trackerDir)
	}
	os.Exit(code)
}

func TestBenchSmoke(t *testing.T) {
	bin := testTracker(t)
	dir := t.TempDir()
	cfg, err := newBenchConfig(append([]string{"-out", dir, "-conns", "4", "-duration", "200ms", "-warmup", "50ms",
		"-write-rate", "20", "-import-rows", "200"}, tinyData...))
	if err != nil {
		t.Fatal(err)
	}
	cfg.tracker, cfg.pgURL = bin, ""
	if modeltest.Postgres() {
		cfg.pgReady = modeltest.URL(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := bench(ctx, cfg)
	if err != nil {
		t.Fatalf("bench: %v", err)
	}

	if s := rep.GenStats; s.Feedback != 300 || s.Improvements != 30 || s.Links == 0 || s.History == 0 {
		t.Errorf("generated %+v, want 300 feedback, 30 improvements, some links and history", s)
	}
	wantInstances := 1
	if modeltest.Postgres() {
		wantInstances = 2
	}
	if rep.Instances != wantInstances {
		t.Errorf("load spread over %d instances, want %d", rep.Instances, wantInstances)
	}
	if len(rep.Rows) != 10 {
		t.Fatalf("%d rows in the table, want 10 (static file, seven reads, two POSTs)", len(rep.Rows))
	}
	for i, row := range rep.Rows {
		q := row.Quiet
		if q.Requests == 0 || q.Errors != 0 {
			t.Errorf("%s alone: %d requests, %d errors (%s); want some and none", q.Target.Name, q.Requests, q.Errors, q.ErrorNote)
		}
		if isPost(q) {
			if row.Loaded != nil {
				t.Errorf("%s was loaded beside the writes too; only reads are", q.Target.Name)
			}
			continue
		}
		l := row.Loaded
		if l == nil {
			t.Errorf("%s was not loaded beside the writes", q.Target.Name)
			continue
		}
		if l.Requests == 0 || l.Errors != 0 {
			t.Errorf("%s with writes: %d requests, %d errors (%s)", q.Target.Name, l.Requests, l.Errors, l.ErrorNote)
		}
		if l.Writes.Created == 0 || l.Writes.Failed != 0 {
			t.Errorf("%s: the stream beside it created %d feedback and failed %d; want some and none", q.Target.Name, l.Writes.Created, l.Writes.Failed)
		}
		if i > 0 && (q.RefRatio <= 0 || l.RefRatio <= 0) {
			t.Errorf("%s: no ratio to the static file (%v, %v)", q.Target.Name, q.RefRatio, l.RefRatio)
		}
	}
	if rep.Import.Err != nil || !strings.Contains(rep.Import.Output, "created 200,") {
		t.Errorf("import of 200 rows: %v\n%s", rep.Import.Err, rep.Import.Output)
	}
	md := rep.markdown()
	wants := []string{"| static file (reference) |", "| dashboard | `/` |", "req/s + 20 writes/s", "vs static", "| feedback API POST |"}
	if modeltest.Postgres() {
		wants = append(wants, "Server: PostgreSQL ", ", huge_pages ")
	}
	for _, want := range wants {
		if !strings.Contains(md, want) {
			t.Errorf("the table lacks %q:\n%s", want, md)
		}
	}
	written, _ := filepath.Glob(filepath.Join(dir, "bench-*.md"))
	if len(written) != 1 {
		t.Errorf("table files written: %v, want one", written)
	}
}

func TestSoakSmoke(t *testing.T) {
	bin := testTracker(t)
	dir := t.TempDir()
	cfg, err := newSoakConfig(append([]string{"-out", dir, "-rounds", "1", "-crash-duration", "1500ms", "-crash-conns", "4",
		"-mixed-duration", "2s", "-mixed-conns", "8", "-backup-after", "500ms",
		// A killed server's webhook lease runs for a minute; the app's tests cover the
		// redelivery, this one the crash and the mixed load.
		"-event-wait", "0"}, tinyData...))
	if err != nil {
		t.Fatal(err)
	}
	cfg.tracker, cfg.pgURL = bin, ""
	if modeltest.Postgres() {
		// Two instances; a user's own write is read back through the other one.
		cfg.pgReady = modeltest.URL(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	defer logServerProblems(t, dir)
	rep, err := soak(ctx, cfg)
	if err != nil {
		t.Fatalf("soak: %v", err)
	}
	if !rep.passed() {
		t.Errorf("the soak failed:\n%s", rep.markdown)
	}
	if !modeltest.Postgres() {
		if len(rep.crash) != 1 || rep.crash[0].acked == 0 {
			t.Errorf("crash rounds %+v: want one with acknowledged writes", rep.crash)
		}
		if rep.mixed.backup.feedback < 300 {
			t.Errorf("backup: %s; want the data set's 300 feedback at least", rep.mixed.backup.summary())
		}
	}
	m := rep.mixed
	if m.requests == 0 || m.lost.feedback == 0 {
		t.Errorf("mixed load: %d requests, %d feedback acknowledged; want some", m.requests, m.lost.feedback)
	}
	for _, r := range m.ryw {
		if r.checks == 0 {
			t.Errorf("no %q check ran", r.kind)
		}
	}
	seen := map[string]bool{}
	for _, k := range m.kinds {
		seen[k.name] = len(k.lats) > 0
	}
	for _, kind := range []string{"dashboard", "feedback form POST", "feedback API POST", rywList, rywDashboard} {
		if !seen[kind] {
			t.Errorf("no %q request in the mixed load (kinds %v)", kind, seen)
		}
	}
	wants := []string{"| **all** |", "own write missing on the next page", fmt.Sprintf("| %s |", rywList)}
	if modeltest.Postgres() {
		wants = append(wants, "Server: PostgreSQL ", ", huge_pages ")
	}
	for _, want := range wants {
		if !strings.Contains(rep.markdown, want) {
			t.Errorf("the soak's report lacks %q:\n%s", want, rep.markdown)
		}
	}
}

// logServerProblems prints, when the test failed, the warnings and errors of the
// servers' logs in dir: the report says what the load saw, these say why (a request
// that hung 30 s and then failed names the call it waited in).
func logServerProblems(t *testing.T, dir string) {
	if !t.Failed() {
		return
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	for _, path := range logs {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var problems []string
		for line := range strings.Lines(string(b)) {
			if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") {
				problems = append(problems, line)
			}
		}
		const most = 30
		if len(problems) > most {
			problems = append(problems[:most/2], problems[len(problems)-most/2:]...)
		}
		t.Logf("%s: %d warnings and errors (at most the first and last 15 shown):\n%s", filepath.Base(path), len(problems), strings.Join(problems, ""))
	}
}

func TestParseCount(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12 feedback", 12, true},
		{"1,234 responses · 1 Nov – 30 Nov", 1234, true},
		{"1.234 besvarelser", 1234, true},
		{"1\u00a0234 svar", 1234, true},
		{"More than 1000 feedback", 1000, true},
		{"no figure", 0, false},
	} {
		if got, ok := parseCount(c.in); got != c.want || ok != c.ok {
			t.Errorf("parseCount(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// Each user's connections alternate over the instances, so that a user's requests
// reach every instance, whatever the number of connections.
func TestInstanceOfSpreadsEachUser(t *testing.T) {
	for _, conns := range []int{8, 16, 64} {
		perUser := map[int]map[int]bool{}
		perInstance := map[int]int{}
		for w := range conns {
			u, in := w%teamSize, instanceOf(w, teamSize, 2)
			if perUser[u] == nil {
				perUser[u] = map[int]bool{}
			}
			perUser[u][in] = true
			perInstance[in]++
		}
		if perInstance[0] != conns/2 || perInstance[1] != conns/2 {
			t.Errorf("%d connections: %v per instance, want an even split", conns, perInstance)
		}
		for u, ins := range perUser {
			if conns >= 2*teamSize && len(ins) != 2 {
				t.Errorf("%d connections: user %d reaches instances %v, want both", conns, u, ins)
			}
		}
	}
}

// No connection's search word may be a prefix of another's: the search matches by prefix.
func TestRywWordsArePrefixFree(t *testing.T) {
	var words []string
	for w := range 120 {
		for gen := range 3 {
			words = append(words, rywWord("t6hg2k", w, gen))
		}
	}
	for i, a := range words {
		for j, b := range words {
			if i != j && strings.HasPrefix(b, a) {
				t.Fatalf("%q is a prefix of %q", a, b)
			}
		}
	}
}
