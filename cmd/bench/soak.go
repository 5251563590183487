package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	instances     int
}

// runSoak runs the three reliability checks of issue 9 and fails when one fails:
// (a) no acknowledged feedback is lost when the server is killed, (b) mixed load
// gives no 5xx and no lock errors, (c) a backup taken during writes is intact.
func runSoak(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench soak", flag.ContinueOnError)
	cfg := soakConfig{gen: genFlags(fs), lockedPattern: []string{"database is locked", "SQLITE_BUSY", "(5)", "(517)"}}
	fs.StringVar(&cfg.out, "out", "bench-results", "folder for the database, server log and results")
	fs.IntVar(&cfg.rounds, "rounds", 5, "crash rounds")
	fs.DurationVar(&cfg.crashFor, "crash-duration", 20*time.Second, "POSTs per crash round (the kill falls inside)")
	fs.IntVar(&cfg.crashConns, "crash-conns", 16, "concurrent POSTs in the crash rounds")
	fs.DurationVar(&cfg.mixedFor, "mixed-duration", 60*time.Second, "mixed reads and writes")
	fs.IntVar(&cfg.mixedConns, "mixed-conns", 64, "connections of the mixed load")
	fs.DurationVar(&cfg.backupAfter, "backup-after", 20*time.Second, "when, into the mixed load, the backup is taken")
	// A smaller data set than the bench's keeps the soak within a few minutes; the
	// flags still override it.
	cfg.gen.Rows, cfg.gen.Improvements = 100_000, 2000
	fs.StringVar(&cfg.pgURL, "database-url", "", "postgres://... : run the mixed load on PostgreSQL instead (schema bench_soak, dropped first), against -instances servers")
	fs.IntVar(&cfg.instances, "instances", 2, "with -database-url: tracker serve instances behind the load generator")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	if cfg.pgURL != "" {
		return runSoakPostgres(ctx, cfg)
	}
	started := time.Now()
	cfg.gen.Now = started
	db := filepath.Join(cfg.out, "soak.db")
	fmt.Printf("soak: generating %d feedback into %s ...\n", cfg.gen.Rows, db)
	_, token, err := createDataSet(ctx, db, *cfg.gen)
	if err != nil {
		return err
	}
	binDir, err := os.MkdirTemp("", "tracker-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(binDir)
	bin, err := buildTracker(ctx, binDir)
	if err != nil {
		return err
	}
	logPath := filepath.Join(cfg.out, "soak-server.log")
	_ = os.Remove(logPath)
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	var md strings.Builder
	fmt.Fprintf(&md, "Soak run of %s on %s.\n\n", started.UTC().Format("2006-01-02 15:04 MST"), machine())
	failed := false

	// (a) Crash rounds.
	fmt.Fprintf(&md, "Crash: %d rounds of %s of feedback POSTs through the API from %d connections; the server is killed with SIGKILL at a random moment and restarted.\n\n",
		cfg.rounds, cfg.crashFor, cfg.crashConns)
	md.WriteString("| round | killed after | answered 201 | stored of those | lost | stored without an answer | other errors | webhook events missing |\n|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	totalLost, totalMissing := 0, 0
	for round := 1; round <= cfg.rounds; round++ {
		cr, err := crashRound(ctx, bin, "sqlite:"+db, addr, logPath, token, round, cfg)
		if err != nil {
			return fmt.Errorf("crash round %d: %w", round, err)
		}
		totalLost += cr.lost
		totalMissing += cr.eventsMissing
		fmt.Printf("  crash round %d: killed after %s, %d answered 201, %d lost, %d stored without an answer, %d other errors, %d webhook events missing\n",
			round, cr.killedAfter.Round(time.Millisecond), cr.acked, cr.lost, cr.unanswered, cr.otherErrors, cr.eventsMissing)
		fmt.Fprintf(&md, "| %d | %s | %s | %s | %d | %d | %d | %d |\n", round, cr.killedAfter.Round(time.Millisecond),
			thousands(int64(cr.acked)), thousands(int64(cr.acked-cr.lost)), cr.lost, cr.unanswered, cr.otherErrors, cr.eventsMissing)
	}
	fmt.Fprintf(&md, "\nLost acknowledged writes: %d %s\n\n", totalLost, mark(totalLost == 0))
	fmt.Fprintf(&md, "Acknowledged feedback whose feedback.created webhook never reached the receiver after the restart: %d %s\n\n", totalMissing, mark(totalMissing == 0))
	failed = failed || totalLost > 0 || totalMissing > 0

	// (b) and (c): mixed load with a backup in the middle.
	srv, err := startServer(ctx, bin, "sqlite:"+db, addr, logPath)
	if err != nil {
		return err
	}
	logStart := fileSize(logPath)
	team := make([]string, teamSize)
	for i := range team {
		team[i] = teamEmail(i)
	}
	teamTokens, err := newTokens(ctx, "sqlite:"+db, cfg.gen.Location, team...)
	if err != nil {
		return err
	}
	mr, err := mixedLoad(ctx, []string{"http://" + addr}, bin, "sqlite:"+db, teamTokens, cfg)
	stopErr := srv.stop()
	if err != nil {
		return err
	}
	if stopErr != nil {
		fmt.Fprintln(os.Stderr, "soak: stop server:", stopErr)
	}
	locked, errorLines, err := grepLog(logPath, logStart, cfg.lockedPattern)
	if err != nil {
		return err
	}
	fmt.Printf("  mixed: %d requests (%.0f/s), %d 5xx, %d transport errors, %d unexpected 4xx, %d lock errors in the log\n",
		mr.requests, mr.rate(), mr.status5xx, mr.transport, mr.unexpected4xx, locked)
	fmt.Fprintf(&md, "Mixed load: %s of reads and writes (pages, API lists, feedback form and API POSTs, follow-ups, improvement transitions) from %d connections, working as %d team members (each signed in and holding an API token).\n\n",
		cfg.mixedFor, cfg.mixedConns, teamSize)
	md.WriteString("| requests | req/s | 2xx/3xx | expected 4xx (409 stale version, 400) | 5xx | unexpected 4xx | transport errors | \"database is locked\" in the log | error lines in the log |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	fmt.Fprintf(&md, "| %s | %.0f | %s | %s | %d | %d | %d | %d | %d |\n\n", thousands(mr.requests), mr.rate(),
		thousands(mr.ok), thousands(mr.expected4xx), mr.status5xx, mr.unexpected4xx, mr.transport, locked, errorLines)
	md.WriteString("Per kind of request (latency from sending the request to reading the whole answer):\n\n")
	md.WriteString(kindTable(mr))
	md.WriteString("\n")
	mixedOK := mr.status5xx == 0 && mr.transport == 0 && mr.unexpected4xx == 0 && locked == 0
	fmt.Fprintf(&md, "No 5xx and no lock errors: %s", mark(mixedOK))
	if mr.firstProblem != "" {
		fmt.Fprintf(&md, " (first problem: %s)", mr.firstProblem)
	}
	md.WriteString("\n\n")
	failed = failed || !mixedOK

	b := mr.backup
	fmt.Printf("  backup: %s\n", b.summary())
	fmt.Fprintf(&md, "Backup: `tracker backup` taken %s into the mixed load, while it wrote: %s %s\n",
		cfg.backupAfter, b.summary(), mark(b.ok()))
	failed = failed || !b.ok()

	fmt.Println()
	fmt.Print(md.String())
	path := filepath.Join(cfg.out, "soak-"+started.Format("2006-01-02")+".md")
	if err := os.WriteFile(path, []byte(md.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nwritten to %s (took %s)\n", path, time.Since(started).Round(time.Second))
	if failed {
		return fmt.Errorf("soak failed: see %s and %s", path, logPath)
	}
	return nil
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
	rcv, err := startEventReceiver()
	if err != nil {
		return res, err
	}
	defer rcv.close()
	srv := &server{bin: bin, dbURL: dbURL, addr: addr, logPath: logPath,
		env: []string{"WEBHOOK_URL=" + rcv.url, "WEBHOOK_SECRET=" + soakWebhookSecret}}
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
	res.eventsMissing = rcv.waitFor(ids, 60*time.Second)
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

// mixedResult counts what the mixed load saw.
type mixedResult struct {
	requests, ok, expected4xx, unexpected4xx, status5xx, transport int64
	took                                                           time.Duration
	firstProblem                                                   string
	backup                                                         backupResult
	// kinds are the latencies per kind of request, in the order first seen.
	kinds []kindStats
}

// mixedKinds lists the mixed load's kinds of request in the order its table shows them.
var mixedKinds = []string{"dashboard", "feedback list, filtered", "text search", "feedback page", "quick-win board",
	"monthly report", "improvement page", "API feedback list", "API improvement", "feedback form POST",
	"feedback API POST", "follow-up API POST", "transition API POST"}

// kindStats is the mixed load's figures for one kind of request.
type kindStats struct {
	name     string
	lats     []int32 // microseconds
	failures int64   // 5xx, transport errors and unexpected 4xx
}

// quantile returns the latency below which a share p of the kind's requests ended.
func (k kindStats) quantile(p float64) time.Duration {
	if len(k.lats) == 0 {
		return 0
	}
	return time.Duration(k.lats[int(p*float64(len(k.lats)-1))]) * time.Microsecond
}

// kindTable renders the per-kind figures of a mixed load as a markdown table.
func kindTable(m mixedResult) string {
	var b strings.Builder
	b.WriteString("| request | count | req/s | p50 | p99 | failures |\n|---|--:|--:|--:|--:|--:|\n")
	for _, k := range m.kinds {
		fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %s | %d |\n", k.name, thousands(int64(len(k.lats))),
			float64(len(k.lats))/m.took.Seconds(), fmtDur(k.quantile(0.50)), fmtDur(k.quantile(0.99)), k.failures)
	}
	all := kindStats{name: "all"}
	for _, k := range m.kinds {
		all.lats = append(all.lats, k.lats...)
		all.failures += k.failures
	}
	slices.Sort(all.lats)
	fmt.Fprintf(&b, "| **all** | %s | %.0f | %s | %s | %d |\n", thousands(int64(len(all.lats))),
		float64(len(all.lats))/m.took.Seconds(), fmtDur(all.quantile(0.50)), fmtDur(all.quantile(0.99)), all.failures)
	return b.String()
}

func (m mixedResult) rate() float64 { return float64(m.requests) / m.took.Seconds() }

// mixedLoad runs reads and writes as a busy team would, from many connections at once,
// and takes a backup with the real command while it runs.
func mixedLoad(ctx context.Context, bases []string, bin, dbURL string, tokens []string, cfg soakConfig) (mixedResult, error) {
	base := bases[0]
	var res mixedResult
	// Each connection works as one member of the team, signed in to the pages and
	// holding an API token: several people reading and writing at once.
	sessions := make([]*session, len(tokens))
	for i := range sessions {
		var err error
		from := net.IPv4(127, 0, 1, byte(i+1))
		if sessions[i], err = signInFrom(ctx, base, teamEmail(i), benchPassword, from); err != nil {
			return res, err
		}
	}
	st, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		return res, err
	}
	var maxFeedback, maxImprovement int64
	st.Reader(ctx).Raw(`SELECT COALESCE(MAX(id), 1) FROM feedback`).Scan(&maxFeedback)
	st.Reader(ctx).Raw(`SELECT COALESCE(MAX(id), 1) FROM improvements`).Scan(&maxImprovement)
	st.Close()
	client := newClient(cfg.mixedConns)
	var (
		mu                                              sync.Mutex
		requests, ok, exp4xx, unexp4xx, s5xx, transport atomic.Int64
		wg                                              sync.WaitGroup
	)
	problem := func(s string) {
		mu.Lock()
		if res.firstProblem == "" {
			res.firstProblem = s
		}
		mu.Unlock()
	}
	kinds := map[string]*kindStats{}
	var kindOrder []string
	record := func(kind string, el time.Duration, failed bool) {
		mu.Lock()
		defer mu.Unlock()
		k, seen := kinds[kind]
		if !seen {
			k = &kindStats{name: kind}
			kinds[kind] = k
			kindOrder = append(kindOrder, kind)
		}
		k.lats = append(k.lats, int32(el/time.Microsecond))
		if failed {
			k.failures++
		}
	}
	// do sends one request of a kind and classifies the answer; a 409 or 400 is an
	// expected answer to a stale version or an invalid move, never a failure of the server.
	do := func(kind string, req *http.Request) (int, []byte) {
		requests.Add(1)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			record(kind, time.Since(start), true)
			transport.Add(1)
			problem(err.Error())
			return 0, nil
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		failed := false
		switch c := resp.StatusCode; {
		case c < 400:
			ok.Add(1)
		case c == http.StatusConflict || c == http.StatusBadRequest:
			exp4xx.Add(1)
		case c >= 500:
			s5xx.Add(1)
			failed = true
			problem(fmt.Sprintf("%d on %s %s", c, req.Method, req.URL.Path))
		default:
			unexp4xx.Add(1)
			failed = true
			problem(fmt.Sprintf("%d on %s %s", c, req.Method, req.URL.Path))
		}
		record(kind, time.Since(start), failed)
		return resp.StatusCode, b
	}
	// Connection w talks to instance w mod len(bases), as a load balancer would spread them.
	baseOf := func(me int) string { return bases[me%len(bases)] }
	page := func(me int, path string) *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, baseOf(me)+path, nil)
		req.Header.Set("Cookie", sessions[me].cookies)
		return req
	}
	api := func(me int, method, path string, body any) *http.Request {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = strings.NewReader(string(b))
		}
		req, _ := http.NewRequestWithContext(ctx, method, baseOf(me)+path, rd)
		req.Header.Set("Authorization", "Bearer "+tokens[me])
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	year := time.Now().Year()
	start := time.Now()
	until := start.Add(cfg.mixedFor)
	for w := range cfg.mixedConns {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 99))
			me := w % len(tokens)
			sess := sessions[me]
			for time.Now().Before(until) && ctx.Err() == nil {
				switch x := r.IntN(100); {
				case x < 8:
					do("dashboard", page(me, "/"))
				case x < 16:
					do("feedback list, filtered", page(me, "/feedback?channel="+channelMix.pick(r)+"&group=detractor"))
				case x < 20:
					do("text search", page(me, "/feedback?q="+url.QueryEscape([]string{"app", "gebyr", "rådgiver", "ventetid"}[r.IntN(4)])))
				case x < 28:
					do("feedback page", page(me, "/feedback/"+strconv.FormatInt(1+r.Int64N(maxFeedback), 10)))
				case x < 32:
					do("quick-win board", page(me, "/quick-wins"))
				case x < 35:
					do("monthly report", page(me, fmt.Sprintf("/reports?kind=month&period=%d-%02d", year, 1+r.IntN(int(time.Now().Month())))))
				case x < 38:
					do("improvement page", page(me, "/improvements/"+strconv.FormatInt(1+r.Int64N(maxImprovement), 10)))
				case x < 46:
					do("API feedback list", api(me, http.MethodGet, "/api/v1/feedback?limit=50", nil))
				case x < 66:
					nps := r.IntN(11)
					code, b := do("feedback API POST", api(me, http.MethodPost, "/api/v1/feedback", map[string]any{"channel": channelMix.pick(r),
						"nps": nps, "comment": "mixed load", "branch": branchMix.pick(r)}))
					if code == http.StatusCreated && nps <= 6 && r.IntN(2) == 0 {
						var fb struct {
							ID int64 `json:"id"`
						}
						if json.Unmarshal(b, &fb) == nil && fb.ID > 0 {
							do("follow-up API POST", api(me, http.MethodPost, fmt.Sprintf("/api/v1/feedback/%d/follow-up", fb.ID),
								map[string]any{"note": "Called back during the soak."}))
						}
					}
				case x < 76:
					v := url.Values{"channel": {channelMix.pick(r)}, "nps": {strconv.Itoa(r.IntN(11))},
						"comment": {"form during the soak"}, "_csrf": {sess.csrf}}
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, baseOf(me)+"/feedback/new", strings.NewReader(v.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("Cookie", sess.cookies)
					do("feedback form POST", req)
				default:
					// Move an improvement one step, as its page would: read its version,
					// then ask for a move; races with other workers give 409.
					id := 1 + r.Int64N(maxImprovement)
					code, b := do("API improvement", api(me, http.MethodGet, fmt.Sprintf("/api/v1/improvements/%d", id), nil))
					if code != http.StatusOK {
						continue
					}
					var imp struct {
						Status  string `json:"status"`
						Version int    `json:"version"`
					}
					if json.Unmarshal(b, &imp) != nil {
						continue
					}
					body := map[string]any{"version": imp.Version}
					switch imp.Status {
					case "queued":
						body["to"] = "in_progress"
					case "in_progress":
						body["to"], body["note"] = "implemented", "Done during the soak."
					case "review":
						body["to"], body["reason"] = "rejected", "Rejected during the soak."
					case "deferred":
						body["to"] = "review"
					case "approved":
						body["to"] = "in_progress"
					default:
						continue
					}
					do("transition API POST", api(me, http.MethodPost, fmt.Sprintf("/api/v1/improvements/%d/transition", id), body))
				}
			}
		})
	}
	// The backup, with the real command, while the writes go on (SQLite only).
	backupDone := make(chan backupResult, 1)
	go func() {
		if !strings.HasPrefix(dbURL, "sqlite:") {
			backupDone <- backupResult{}
			return
		}
		select {
		case <-time.After(cfg.backupAfter):
		case <-ctx.Done():
			backupDone <- backupResult{err: ctx.Err()}
			return
		}
		backupDone <- takeBackup(ctx, bin, dbURL, filepath.Join(cfg.out, "soak-backup.db"))
	}()
	wg.Wait()
	res.took = time.Since(start)
	res.backup = <-backupDone
	res.requests, res.ok, res.expected4xx = requests.Load(), ok.Load(), exp4xx.Load()
	res.unexpected4xx, res.status5xx, res.transport = unexp4xx.Load(), s5xx.Load(), transport.Load()
	// A fixed order, so runs compare line by line: pages, API reads, then writes.
	slices.SortStableFunc(kindOrder, func(a, b string) int {
		return slices.Index(mixedKinds, a) - slices.Index(mixedKinds, b)
	})
	for _, name := range kindOrder {
		k := kinds[name]
		slices.Sort(k.lats)
		res.kinds = append(res.kinds, *k)
	}
	return res, ctx.Err()
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

// runSoakPostgres runs the mixed load on PostgreSQL against several instances sharing
// the database, as production behind a load balancer would. Crash rounds and the
// backup check are SQLite's (PostgreSQL's own durability and pg_dump are not this
// app's): they are not run.
func runSoakPostgres(ctx context.Context, cfg soakConfig) error {
	started := time.Now()
	cfg.gen.Now = started
	fmt.Printf("soak: generating %d feedback into PostgreSQL (schema bench_soak) ...\n", cfg.gen.Rows)
	stats, _, dbURL, err := createPostgresDataSet(ctx, cfg.pgURL, "bench_soak", *cfg.gen)
	if err != nil {
		return err
	}
	fmt.Printf("  generated in %s\n", stats.Took.Round(time.Millisecond))
	binDir, err := os.MkdirTemp("", "tracker-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(binDir)
	bin, err := buildTracker(ctx, binDir)
	if err != nil {
		return err
	}
	team := make([]string, teamSize)
	for i := range team {
		team[i] = teamEmail(i)
	}
	teamTokens, err := newTokens(ctx, dbURL, cfg.gen.Location, team...)
	if err != nil {
		return err
	}
	var (
		bases []string
		logs  []string
		srvs  []*server
	)
	defer func() {
		for _, s := range srvs {
			if err := s.stop(); err != nil {
				fmt.Fprintln(os.Stderr, "soak: stop server:", err)
			}
		}
	}()
	for i := range max(cfg.instances, 1) {
		addr, err := freeAddr()
		if err != nil {
			return err
		}
		logPath := filepath.Join(cfg.out, fmt.Sprintf("soak-pg-server-%d.log", i+1))
		_ = os.Remove(logPath)
		srv, err := startServer(ctx, bin, dbURL, addr, logPath)
		if err != nil {
			return err
		}
		srvs, bases, logs = append(srvs, srv), append(bases, "http://"+addr), append(logs, logPath)
	}
	mr, err := mixedLoad(ctx, bases, bin, dbURL, teamTokens, cfg)
	if err != nil {
		return err
	}
	errorLines := 0
	for _, l := range logs {
		_, n, err := grepLog(l, 0, nil)
		if err != nil {
			return err
		}
		errorLines += n
	}
	var md strings.Builder
	fmt.Fprintf(&md, "Soak run (PostgreSQL) of %s on %s.\n\n", started.UTC().Format("2006-01-02 15:04 MST"), machine())
	fmt.Fprintf(&md, "Data set: %s feedback, %s improvements, generated into PostgreSQL in %s.\n\n",
		thousands(stats.Feedback), thousands(stats.Improvements), stats.Took.Round(100*time.Millisecond))
	fmt.Fprintf(&md, "Mixed load: %s of reads and writes from %d connections, working as %d team members, spread over %d `tracker serve` instances on one PostgreSQL database.\n\n",
		cfg.mixedFor, cfg.mixedConns, teamSize, len(bases))
	md.WriteString("| requests | req/s | 2xx/3xx | expected 4xx (409 stale version, 400) | 5xx | unexpected 4xx | transport errors | error lines in the logs |\n|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	fmt.Fprintf(&md, "| %s | %.0f | %s | %s | %d | %d | %d | %d |\n\n", thousands(mr.requests), mr.rate(),
		thousands(mr.ok), thousands(mr.expected4xx), mr.status5xx, mr.unexpected4xx, mr.transport, errorLines)
	md.WriteString("Per kind of request (latency from sending the request to reading the whole answer):\n\n")
	md.WriteString(kindTable(mr))
	ok := mr.status5xx == 0 && mr.transport == 0 && mr.unexpected4xx == 0
	fmt.Fprintf(&md, "\nNo 5xx: %s", mark(ok))
	if mr.firstProblem != "" {
		fmt.Fprintf(&md, " (first problem: %s)", mr.firstProblem)
	}
	md.WriteString("\n")
	fmt.Println()
	fmt.Print(md.String())
	path := filepath.Join(cfg.out, "soak-pg-"+started.Format("2006-01-02")+".md")
	if err := os.WriteFile(path, []byte(md.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nwritten to %s (took %s)\n", path, time.Since(started).Round(time.Second))
	if !ok {
		return fmt.Errorf("soak failed: see %s", path)
	}
	return nil
}
