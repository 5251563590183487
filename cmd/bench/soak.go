package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/improvementtracker/tracker/models/store"
)

// soakConfig bounds the reliability checks.
type soakConfig struct {
	gen           *genConfig
	out           string
	rounds        int
	crashFor      time.Duration
	crashConns    int
	mixedFor      time.Duration
	mixedConns    int
	backupAfter   time.Duration
	lockedPattern []string
	pgURL         string
	schema        string
	instances     int
	rywAcross     bool
	tracker       string
	// eventWait is how long a crash round waits for the webhooks of its acknowledged
	// feedback after the restart (0: no webhooks in the crash rounds).
	eventWait time.Duration
	// pgReady, set by the smoke test, is an empty, migrated PostgreSQL database (a URL
	// with its search_path) to generate into as it is, instead of -schema of pgURL.
	pgReady string
}

// newSoakConfig reads the soak's flags.
func newSoakConfig(args []string) (soakConfig, error) {
	fs := flag.NewFlagSet("bench soak", flag.ContinueOnError)
	cfg := soakConfig{gen: genFlags(fs), lockedPattern: []string{"database is locked", "SQLITE_BUSY", "(5)", "(517)"}}
	fs.StringVar(&cfg.out, "out", "bench-results", "folder for the database, server log and results")
	fs.IntVar(&cfg.rounds, "rounds", 5, "crash rounds (SQLite)")
	fs.DurationVar(&cfg.crashFor, "crash-duration", 20*time.Second, "POSTs per crash round (the kill falls inside)")
	fs.IntVar(&cfg.crashConns, "crash-conns", 16, "concurrent POSTs in the crash rounds")
	fs.DurationVar(&cfg.mixedFor, "mixed-duration", 60*time.Second, "mixed reads and writes")
	fs.IntVar(&cfg.mixedConns, "mixed-conns", 64, "connections of the mixed load")
	fs.DurationVar(&cfg.backupAfter, "backup-after", 20*time.Second, "when, into the mixed load, the backup is taken (SQLite)")
	// A smaller data set than the bench's keeps the soak within a few minutes; the
	// flags still override it.
	cfg.gen.Rows, cfg.gen.Improvements = 100_000, 2000
	fs.StringVar(&cfg.pgURL, "database-url", postgresFromEnv(), "postgres://... : run the mixed load on PostgreSQL instead (default: DATABASE_URL when it is postgres://...)")
	fs.StringVar(&cfg.schema, "schema", "bench_soak", "with PostgreSQL: the schema the data set goes into (dropped first)")
	fs.IntVar(&cfg.instances, "instances", 2, "with PostgreSQL: tracker serve instances on the database, each user's connections spread over them (SQLite: always 1)")
	fs.BoolVar(&cfg.rywAcross, "ryw-across", true, "with several instances: read a user's own write back through another instance than the one that took it")
	fs.StringVar(&cfg.tracker, "tracker", "", "run this tracker binary instead of building ./cmd/tracker")
	// The killed server holds the webhook worker's lease (a minute) and its claimed
	// deliveries (models.WebhookLease): the restarted one delivers them after both ran out.
	fs.DurationVar(&cfg.eventWait, "event-wait", 90*time.Second, "how long each crash round waits for the webhooks of its acknowledged feedback after the restart (0: crash rounds without webhooks)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.mixedConns < 1 || cfg.instances < 1 {
		return cfg, errors.New("-mixed-conns and -instances must be at least 1")
	}
	return cfg, nil
}

// runSoak runs the soak and fails when one of its checks fails.
func runSoak(ctx context.Context, args []string) error {
	cfg, err := newSoakConfig(args)
	if err != nil {
		return err
	}
	rep, err := soak(ctx, cfg)
	if err != nil {
		return err
	}
	if !rep.passed() {
		return fmt.Errorf("soak failed: see %s", rep.path)
	}
	return nil
}

// soakReport is what a soak found.
type soakReport struct {
	postgres   bool
	gen        genStats
	crash      []crashResult
	mixed      mixedResult
	locked     int // "database is locked" lines in the server log during the mixed load
	errorLines int // lines at error level in the server logs during the mixed load
	markdown   string
	path       string // where the markdown was written
}

// crashOK says whether the crash rounds lost nothing.
func (r *soakReport) crashOK() bool {
	for _, c := range r.crash {
		if c.lost > 0 || c.eventsMissing > 0 {
			return false
		}
	}
	return true
}

// passed says whether every check of the soak passed.
func (r *soakReport) passed() bool {
	ok := r.crashOK() && r.mixed.passed() && r.locked == 0
	if !r.postgres {
		ok = ok && r.mixed.backup.ok()
	}
	return ok
}

// soak runs the reliability checks of issue 9 and the mixed load of issue 14:
// (a) on SQLite, no acknowledged feedback is lost when the server is killed; (b) the
// mixed load gives no 5xx, no lock errors and loses nothing acknowledged, and a user's
// own write shows on their next page; (c) on SQLite, a backup taken during writes is
// intact. On PostgreSQL the mixed load runs against several instances; the crash
// rounds and the backup are SQLite's (PostgreSQL's own durability and pg_dump are not
// this app's).
func soak(ctx context.Context, cfg soakConfig) (*soakReport, error) {
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return nil, err
	}
	started := time.Now()
	cfg.gen.Now = started
	rep := &soakReport{postgres: cfg.pgURL != "" || cfg.pgReady != ""}
	var (
		dbURL string
		token string
		err   error
	)
	switch {
	case cfg.pgReady != "":
		fmt.Printf("soak: generating %d feedback into PostgreSQL ...\n", cfg.gen.Rows)
		dbURL = cfg.pgReady
		rep.gen, token, err = createDataSetAt(ctx, dbURL, *cfg.gen)
	case rep.postgres:
		fmt.Printf("soak: generating %d feedback into PostgreSQL (schema %s) ...\n", cfg.gen.Rows, cfg.schema)
		rep.gen, token, dbURL, err = createPostgresDataSet(ctx, cfg.pgURL, cfg.schema, *cfg.gen)
	default:
		db := filepath.Join(cfg.out, "soak.db")
		fmt.Printf("soak: generating %d feedback into %s ...\n", cfg.gen.Rows, db)
		dbURL = "sqlite:" + db
		rep.gen, token, err = createDataSet(ctx, db, *cfg.gen)
	}
	if err != nil {
		return nil, err
	}
	fmt.Printf("  generated in %s: %s\n", rep.gen.Took.Round(time.Millisecond), rep.gen.steps())
	bin, cleanup, err := trackerBinary(ctx, cfg.tracker)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	var md strings.Builder
	dialect := "SQLite"
	if rep.postgres {
		dialect = "PostgreSQL"
	}
	fmt.Fprintf(&md, "Soak run (%s) of %s on %s.\n\n", dialect, started.UTC().Format("2006-01-02 15:04 MST"), machine())
	if rep.postgres {
		fmt.Fprintf(&md, "Server: %s.\n\n", postgresServer(ctx, dbURL))
	}
	fmt.Fprintf(&md, "Data set: %s feedback, %s improvements, generated in %s.\n\n",
		thousands(rep.gen.Feedback), thousands(rep.gen.Improvements), rep.gen.Took.Round(100*time.Millisecond))

	// (a) Crash rounds, on SQLite.
	logPrefix := filepath.Join(cfg.out, "soak-server")
	if !rep.postgres && cfg.rounds > 0 {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		logPath := logPrefix + "-crash.log"
		_ = os.Remove(logPath)
		fmt.Fprintf(&md, "Crash: %d rounds of %s of feedback POSTs through the API from %d connections; the server is killed with SIGKILL at a random moment and restarted.\n\n",
			cfg.rounds, cfg.crashFor, cfg.crashConns)
		md.WriteString("| round | killed after | answered 201 | stored of those | lost | stored without an answer | other errors | webhook events missing |\n|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		totalLost, totalMissing := 0, 0
		for round := 1; round <= cfg.rounds; round++ {
			cr, err := crashRound(ctx, bin, dbURL, addr, logPath, token, round, cfg)
			if err != nil {
				return nil, fmt.Errorf("crash round %d: %w", round, err)
			}
			rep.crash = append(rep.crash, cr)
			totalLost += cr.lost
			totalMissing += cr.eventsMissing
			fmt.Printf("  crash round %d: killed after %s, %d answered 201, %d lost, %d stored without an answer, %d other errors, %d webhook events missing\n",
				round, cr.killedAfter.Round(time.Millisecond), cr.acked, cr.lost, cr.unanswered, cr.otherErrors, cr.eventsMissing)
			events := "not checked"
			if cfg.eventWait > 0 {
				events = fmt.Sprint(cr.eventsMissing)
			}
			fmt.Fprintf(&md, "| %d | %s | %s | %s | %d | %d | %d | %s |\n", round, cr.killedAfter.Round(time.Millisecond),
				thousands(int64(cr.acked)), thousands(int64(cr.acked-cr.lost)), cr.lost, cr.unanswered, cr.otherErrors, events)
		}
		fmt.Fprintf(&md, "\nLost acknowledged writes: %d %s\n\n", totalLost, mark(totalLost == 0))
		if cfg.eventWait > 0 {
			fmt.Fprintf(&md, "Acknowledged feedback whose feedback.created webhook never reached the receiver within %s of the restart: %d %s\n\n",
				cfg.eventWait, totalMissing, mark(totalMissing == 0))
		}
	}

	// (b) and (c): the mixed load, with a backup in the middle on SQLite.
	n := 1
	if rep.postgres {
		n = cfg.instances
	}
	srvs, err := startInstances(ctx, bin, dbURL, n, logPrefix)
	if err != nil {
		return nil, err
	}
	team := make([]string, teamSize)
	for i := range team {
		team[i] = teamEmail(i)
	}
	teamTokens, err := newTokens(ctx, dbURL, cfg.gen.Location, team...)
	if err != nil {
		stopAll(srvs)
		return nil, err
	}
	fmt.Printf("  mixed load: %s from %d connections against %d instance(s) ...\n", cfg.mixedFor, cfg.mixedConns, len(srvs))
	mr, err := mixedLoad(ctx, basesOf(srvs), bin, dbURL, teamTokens, cfg)
	stopAll(srvs)
	if err != nil {
		return nil, err
	}
	rep.mixed = mr
	for _, s := range srvs {
		locked, errorLines, err := grepLog(s.logPath, 0, cfg.lockedPattern)
		if err != nil {
			return nil, err
		}
		rep.locked += locked
		rep.errorLines += errorLines
	}
	fmt.Printf("  mixed: %d requests (%.0f/s), %d 5xx, %d transport errors, %d unexpected 4xx, %d lost, %d of %d reads of a user's own write missed it, %d lock errors in the log\n",
		mr.requests, mr.rate(), mr.status5xx, mr.transport, mr.unexpected4xx, mr.lost.total(), mr.rywMisses(), mr.rywChecks(), rep.locked)
	md.WriteString(mixedMarkdown(mr, cfg, fmt.Sprintf(" %d | %d |", rep.locked, rep.errorLines)))
	mixedOK := mr.passed() && rep.locked == 0
	fmt.Fprintf(&md, "\nNo 5xx, no lock errors, nothing lost, every own write on the next page: %s", mark(mixedOK))
	if mr.firstProblem != "" {
		fmt.Fprintf(&md, " (first problem: %s)", mr.firstProblem)
	}
	md.WriteString("\n")
	if !rep.postgres {
		b := mr.backup
		fmt.Printf("  backup: %s\n", b.summary())
		fmt.Fprintf(&md, "\nBackup: `tracker backup` taken %s into the mixed load, while it wrote: %s %s\n",
			cfg.backupAfter, b.summary(), mark(b.ok()))
	}
	rep.markdown = md.String()
	fmt.Println()
	fmt.Print(rep.markdown)
	name := "soak-"
	if rep.postgres {
		name = "soak-pg-"
	}
	rep.path = filepath.Join(cfg.out, name+started.Format("2006-01-02")+".md")
	if err := os.WriteFile(rep.path, []byte(rep.markdown), 0o644); err != nil {
		return rep, err
	}
	fmt.Printf("\nwritten to %s (took %s)\n", rep.path, time.Since(started).Round(time.Second))
	return rep, nil
}

// crashResult is one crash round.
type crashResult struct {
	killedAfter                          time.Duration
	acked, lost, unanswered, otherErrors int
	// eventsMissing counts acknowledged feedback whose feedback.created event never
	// reached the round's webhook receiver (issue 17).
	eventsMissing int
}

// crashRound posts feedback for cfg.crashFor, kills the server at a random moment,
// restarts it, and then checks that every feedback answered 201 is in the database
// with the id the answer gave.
func crashRound(ctx context.Context, bin, dbURL, addr, logPath, token string, round int, cfg soakConfig) (crashResult, error) {
	var res crashResult
	srv := &server{bin: bin, dbURL: dbURL, addr: addr, logPath: logPath}
	var rcv *eventReceiver
	if cfg.eventWait > 0 {
		var err error
		if rcv, err = startEventReceiver(); err != nil {
			return res, err
		}
		defer rcv.close()
		srv.env = []string{"WEBHOOK_URL=" + rcv.url, "WEBHOOK_SECRET=" + soakWebhookSecret}
	}
	if err := srv.start(ctx); err != nil {
		return res, err
	}
	base := "http://" + addr
	client := newClient(cfg.crashConns)
	prefix := fmt.Sprintf("soak-%d-r%d-", time.Now().Unix(), round)
	var (
		mu     sync.Mutex
		acked  = map[string]int64{} // external id -> id answered
		others atomic.Int64
		seq    atomic.Int64
		wg     sync.WaitGroup
	)
	start := time.Now()
	until := start.Add(cfg.crashFor)
	for w := range cfg.crashConns {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
			for time.Now().Before(until) && ctx.Err() == nil {
				ext := prefix + strconv.FormatInt(seq.Add(1), 10)
				nps := r.IntN(11)
				body, _ := json.Marshal(map[string]any{"external_id": ext, "channel": "survey", "nps": nps,
					"comment": "soak " + ext, "touchpoint": touchpointMix.pick(r), "branch": branchMix.pick(r)})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/feedback", strings.NewReader(string(body)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					// The server is down or restarting: whether this one was stored is
					// unknown, which is allowed; it was never acknowledged.
					time.Sleep(20 * time.Millisecond)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					others.Add(1)
					continue
				}
				var out struct {
					ID int64 `json:"id"`
				}
				if err := json.Unmarshal(b, &out); err != nil || out.ID == 0 {
					others.Add(1)
					continue
				}
				mu.Lock()
				acked[ext] = out.ID
				mu.Unlock()
			}
		})
	}
	// Kill somewhere in the middle 80% of the round, then restart at once.
	lo := cfg.crashFor / 10
	killAt := lo + time.Duration(rand.Int64N(int64(cfg.crashFor-2*lo)))
	select {
	case <-time.After(killAt):
	case <-ctx.Done():
		srv.kill()
		wg.Wait()
		return res, ctx.Err()
	}
	srv.kill()
	res.killedAfter = time.Since(start)
	if err := srv.restart(ctx); err != nil {
		wg.Wait()
		return res, fmt.Errorf("restart after kill: %w", err)
	}
	wg.Wait()
	defer srv.stop()

	// Check from the database itself, not through the server.
	st, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		return res, err
	}
	defer st.Close()
	var rows []struct {
		ID         int64
		ExternalID string
	}
	if err := st.Reader(ctx).Raw(`SELECT id, external_id FROM feedback WHERE external_id LIKE ?`, prefix+"%").
		Scan(&rows).Error; err != nil {
		return res, err
	}
	stored := make(map[string]int64, len(rows))
	for _, r := range rows {
		stored[r.ExternalID] = r.ID
	}
	res.acked = len(acked)
	for ext, id := range acked {
		if got, ok := stored[ext]; !ok || got != id {
			res.lost++
		}
	}
	res.unanswered = len(stored) - (len(acked) - res.lost)
	res.otherErrors = int(others.Load())
	// Every acknowledged feedback's event was stored with it, so the restarted server
	// delivers those the killed one had not: wait for them a while.
	ids := make([]int64, 0, len(acked))
	for _, id := range acked {
		ids = append(ids, id)
	}
	if rcv != nil {
		res.eventsMissing = rcv.waitFor(ids, cfg.eventWait)
	}
	return res, nil
}

// soakWebhookSecret signs the crash rounds' webhooks.
const soakWebhookSecret = "whsec_c29hay1yb3VuZHMtd2ViaG9vay1rZXk="

// eventReceiver is a webhook receiver in the soak process: it records the feedback
// ids of the feedback.created events it is sent.
type eventReceiver struct {
	url  string
	srv  *http.Server
	mu   sync.Mutex
	seen map[int64]bool
}

func startEventReceiver() (*eventReceiver, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &eventReceiver{url: "http://" + l.Addr().String() + "/hook", seen: map[int64]bool{}}
	r.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var ev struct {
			Type string `json:"type"`
			Data struct {
				ID int64 `json:"id"`
			} `json:"data"`
		}
		if err := json.NewDecoder(req.Body).Decode(&ev); err == nil && ev.Type == "feedback.created" {
			r.mu.Lock()
			r.seen[ev.Data.ID] = true
			r.mu.Unlock()
		}
		w.WriteHeader(http.StatusNoContent)
	})}
	go func() { _ = r.srv.Serve(l) }()
	return r, nil
}

func (r *eventReceiver) close() { _ = r.srv.Close() }

// waitFor waits up to timeout for the events of ids and returns how many never came.
func (r *eventReceiver) waitFor(ids []int64, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	for {
		missing := 0
		r.mu.Lock()
		for _, id := range ids {
			if !r.seen[id] {
				missing++
			}
		}
		r.mu.Unlock()
		if missing == 0 || time.Now().After(deadline) {
			return missing
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// backupResult is a backup taken during writes and what checking it found.
type backupResult struct {
	took      time.Duration
	integrity string
	feedback  int64
	err       error
}

func (b backupResult) ok() bool { return b.err == nil && b.integrity == "ok" }

func (b backupResult) summary() string {
	if b.err != nil {
		return "failed: " + b.err.Error()
	}
	return fmt.Sprintf("written in %s, %s feedback rows in the copy, `PRAGMA integrity_check` says %q",
		b.took.Round(time.Millisecond), thousands(b.feedback), b.integrity)
}

// takeBackup runs `tracker backup FILE`, then opens the copy on its own and checks it.
func takeBackup(ctx context.Context, bin, dbURL, path string) backupResult {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
	cmd := exec.CommandContext(ctx, bin, "backup", path)
	cmd.Env = trackerEnv(dbURL, "127.0.0.1:0")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	res := backupResult{took: time.Since(start)}
	if err != nil {
		res.err = fmt.Errorf("tracker backup: %v: %s", err, lastLine(string(out)))
		return res
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		res.err = err
		return res
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res.integrity); err != nil {
		res.err = err
		return res
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM feedback").Scan(&res.feedback); err != nil {
		res.err = err
	}
	return res
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// grepLog counts, in the server log from offset on, the lines that report a lock
// error and the lines logged at error level.
func grepLog(path string, offset int64, patterns []string) (locked, errorLines int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "level=ERROR") {
			errorLines++
		}
		for _, p := range patterns {
			if strings.Contains(line, p) && (p != "(5)" && p != "(517)" || strings.Contains(line, "sqlite")) {
				locked++
				break
			}
		}
	}
	return locked, errorLines, sc.Err()
}
