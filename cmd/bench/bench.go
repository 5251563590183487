package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
)

// benchConfig is everything `make bench` can tune.
type benchConfig struct {
	gen        *genConfig
	out        string
	db         string
	reuse      bool
	conns      int
	duration   time.Duration
	warmup     time.Duration
	only       string
	importRows int
	pgURL      string
	schema     string
	instances  int
	writeRate  int
	profile    string
	tracker    string
	// pgReady, set by the smoke test, is an empty, migrated PostgreSQL database (a URL
	// with its search_path) to generate into as it is, instead of -schema of pgURL.
	pgReady string
}

// newBenchConfig reads the bench's flags.
func newBenchConfig(args []string) (benchConfig, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	cfg := benchConfig{gen: genFlags(fs)}
	fs.StringVar(&cfg.out, "out", "bench-results", "folder for the data set, server log and results")
	fs.StringVar(&cfg.db, "db", "", "SQLite file of the data set (default OUT/bench.db)")
	fs.BoolVar(&cfg.reuse, "reuse", false, "reuse an existing data set instead of generating it (for profiling; not for the published table)")
	fs.IntVar(&cfg.conns, "conns", 32, "concurrent connections")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "measured time per page")
	fs.DurationVar(&cfg.warmup, "warmup", time.Second, "unmeasured warm-up per page")
	fs.StringVar(&cfg.only, "only", "", "regular expression: load only the pages whose name matches (the static reference always runs)")
	fs.IntVar(&cfg.importRows, "import-rows", 100_000, "rows of the CSV import to time (0 skips it)")
	fs.StringVar(&cfg.pgURL, "database-url", postgresFromEnv(), "postgres://... : run on PostgreSQL instead of a SQLite file (default: DATABASE_URL when it is postgres://...)")
	fs.StringVar(&cfg.schema, "schema", "bench", "with PostgreSQL: the schema the data set goes into (dropped first)")
	fs.IntVar(&cfg.instances, "instances", 2, "with PostgreSQL: tracker serve instances on the database, the connections spread over them (SQLite: always 1)")
	fs.IntVar(&cfg.writeRate, "write-rate", 50, "feedback a second posted through the API by a separate client while each page is loaded a second time (0: pages only without writes)")
	fs.StringVar(&cfg.profile, "cpuprofile", "", "serve the app inside the bench process and write a CPU profile of the load to this file (for finding bottlenecks; the table then measures the in-process server)")
	fs.StringVar(&cfg.tracker, "tracker", "", "run this tracker binary instead of building ./cmd/tracker")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.db == "" {
		cfg.db = filepath.Join(cfg.out, "bench.db")
	}
	if cfg.conns < 1 || cfg.instances < 1 {
		return cfg, errors.New("-conns and -instances must be at least 1")
	}
	return cfg, nil
}

// runBench generates the data set, starts the real server on the data and loads each
// page in turn, alone and beside a stream of writes, times an import, then prints and
// writes the table.
func runBench(ctx context.Context, args []string) error {
	cfg, err := newBenchConfig(args)
	if err != nil {
		return err
	}
	_, err = bench(ctx, cfg)
	return err
}

// postgres reports whether the bench runs on PostgreSQL.
func (cfg benchConfig) postgres() bool { return cfg.pgURL != "" || cfg.pgReady != "" }

// bench runs the whole bench and returns its report (also written to cfg.out).
func bench(ctx context.Context, cfg benchConfig) (*report, error) {
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return nil, err
	}
	started := time.Now()
	rep := &report{Started: started, Conns: cfg.conns, Duration: cfg.duration, Warmup: cfg.warmup, Gen: *cfg.gen,
		WriteRate: cfg.writeRate}

	// 1. The data set.
	cfg.gen.Now = started
	var token string
	dbURL := "sqlite:" + cfg.db
	switch {
	case cfg.postgres():
		if cfg.reuse || cfg.profile != "" {
			return nil, errors.New("-reuse and -cpuprofile are for SQLite only")
		}
		where := "schema " + cfg.schema
		if cfg.pgReady != "" {
			where = "the given schema"
		}
		fmt.Printf("generating %d feedback, %d improvements over %d years into PostgreSQL (%s) ...\n",
			cfg.gen.Rows, cfg.gen.Improvements, cfg.gen.Years, where)
		var (
			stats genStats
			err   error
		)
		if cfg.pgReady != "" {
			dbURL = cfg.pgReady
			stats, token, err = createDataSetAt(ctx, dbURL, *cfg.gen)
		} else {
			stats, token, dbURL, err = createPostgresDataSet(ctx, cfg.pgURL, cfg.schema, *cfg.gen)
		}
		if err != nil {
			return nil, err
		}
		rep.GenStats, rep.Postgres, rep.Server = stats, true, postgresServer(ctx, dbURL)
		fmt.Printf("  generated in %s: %s\n", stats.Took.Round(time.Millisecond), stats.steps())
	case cfg.reuse:
		if _, err := os.Stat(cfg.db); err != nil {
			return nil, fmt.Errorf("-reuse: %w", err)
		}
		t, err := newToken(ctx, cfg.db, cfg.gen.Location)
		if err != nil {
			return nil, err
		}
		token, rep.Reused = t, true
		fmt.Printf("reusing the data set in %s\n", cfg.db)
	default:
		fmt.Printf("generating %d feedback, %d improvements over %d years into %s ...\n",
			cfg.gen.Rows, cfg.gen.Improvements, cfg.gen.Years, cfg.db)
		stats, t, err := createDataSet(ctx, cfg.db, *cfg.gen)
		if err != nil {
			return nil, err
		}
		token, rep.GenStats = t, stats
		fmt.Printf("  generated in %s: %s\n", stats.Took.Round(time.Millisecond), stats.steps())
	}

	// The stream of writes beside the pages comes from a colleague of the bench user,
	// through a client of its own.
	writerTokens, err := newTokens(ctx, dbURL, cfg.gen.Location, teamEmail(0))
	if err != nil {
		return nil, err
	}

	// 2. The binary.
	bin, cleanup, err := trackerBinary(ctx, cfg.tracker)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if fi, err := os.Stat(cfg.db); err == nil && !rep.Postgres {
		rep.DBBytes = fi.Size()
	}

	// 3. The servers, each in its own process (or one in this process when profiling):
	// several instances on one PostgreSQL database, one on a SQLite file.
	var (
		bases      []string
		pids       []int
		stopServer func()
	)
	switch {
	case cfg.profile != "":
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		stop, err := serveInProcess(ctx, cfg.db, addr, cfg.gen.Location, cfg.profile)
		if err != nil {
			return nil, err
		}
		stopServer, bases, pids, rep.InProcess = stop, []string{"http://" + addr}, []int{os.Getpid()}, true
	default:
		n := 1
		if rep.Postgres {
			n = cfg.instances
		}
		srvs, err := startInstances(ctx, bin, dbURL, n, filepath.Join(cfg.out, "server"))
		if err != nil {
			return nil, err
		}
		stopServer = func() { stopAll(srvs) }
		bases = basesOf(srvs)
		for _, s := range srvs {
			pids = append(pids, s.pid())
		}
	}
	rep.Instances = len(bases)
	stopped := false
	defer func() {
		if !stopped {
			stopServer()
		}
	}()

	// 4. The load. A session made through one instance is good on every other: they
	// share the database the sessions are kept in.
	sess, err := signIn(ctx, bases[0], benchEmail, benchPassword)
	if err != nil {
		return nil, err
	}
	targets, err := benchTargets(ctx, sess, token, cfg.gen.Now.In(cfg.gen.Location).Year()-1)
	if err != nil {
		return nil, err
	}
	var only *regexp.Regexp
	if cfg.only != "" {
		if only, err = regexp.Compile(cfg.only); err != nil {
			return nil, err
		}
	}
	client := newClient(cfg.conns)
	peak := func() int64 {
		var p int64
		for _, pid := range pids {
			kb, _ := memKB(pid, "VmHWM")
			p = max(p, kb)
		}
		return p
	}
	for i, t := range targets {
		if i > 0 && only != nil && !only.MatchString(t.Name) {
			continue
		}
		// Every page (and the static file, to show what the writes cost the machine)
		// is loaded twice: alone, and while a steady stream of feedback is written
		// through the API, as a team that logs all day sees it (every write changes
		// what the dashboard, the lists and the counts show).
		row := benchRow{}
		rates := []int{0}
		if !strings.HasPrefix(t.Path, "POST ") && cfg.writeRate > 0 {
			rates = append(rates, cfg.writeRate)
		}
		for _, rate := range rates {
			exact := true
			for _, pid := range pids {
				exact = resetPeak(pid) && exact
			}
			var w *writeStream
			if rate > 0 {
				w = startWrites(ctx, bases, writerTokens[0], rate)
			}
			r := run(ctx, client, t, bases, cfg.conns, cfg.warmup, cfg.duration)
			if w != nil {
				r.Writes = w.stop()
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r.PeakRSSKB, r.PeakExact = peak(), exact
			rep.PeakRSSKB = max(rep.PeakRSSKB, r.PeakRSSKB)
			label := r.Target.Name
			if rate > 0 {
				label += fmt.Sprintf(" + %d writes/s", rate)
				row.Loaded = &r
			} else {
				row.Quiet = r
			}
			fmt.Printf("  %-36s %9.0f req/s  p50 %7s  p99 %7s  errors %d %s%s\n", label, r.ReqPerSec,
				fmtDur(r.P50), fmtDur(r.P99), r.Errors, r.ErrorNote, r.Writes.note())
		}
		rep.Rows = append(rep.Rows, row)
	}
	rep.PeakRSSKB = max(rep.PeakRSSKB, peak())
	stopServer()
	stopped = true

	// 5. The import, last, with the servers stopped: its fresh rows (untriaged,
	// detractors not yet called back) would otherwise change what the pages show.
	if cfg.importRows > 0 {
		rep.Import = timeImport(ctx, bin, dbURL, cfg.out, cfg.importRows, started)
		fmt.Printf("  import of %d rows: %s\n", cfg.importRows, rep.Import.summary())
	}
	rep.Took = time.Since(started)

	// 6. The table.
	md := rep.markdown()
	fmt.Println()
	fmt.Print(md)
	name := "bench-"
	if rep.Postgres {
		name = "bench-pg-"
	}
	path := filepath.Join(cfg.out, name+started.Format("2006-01-02")+".md")
	if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
		return rep, err
	}
	fmt.Printf("\nwritten to %s\n", path)
	return rep, nil
}

// newToken makes a fresh API token for the bench user of an existing data set.
func newToken(ctx context.Context, path string, loc *time.Location) (string, error) {
	toks, err := newTokens(ctx, "sqlite:"+path, loc, benchEmail)
	if err != nil {
		return "", err
	}
	return toks[0], nil
}

// newTokens makes a fresh API token for each of the users of the data set at url.
func newTokens(ctx context.Context, url string, loc *time.Location, emails ...string) ([]string, error) {
	st, err := store.Open(ctx, url, store.Options{Location: loc})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var out []string
	for _, email := range emails {
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", email, err)
		}
		tok, err := st.CreateToken(ctx, u.ID, "bench")
		if err != nil {
			return nil, err
		}
		out = append(out, tok)
	}
	return out, nil
}

// staticHref finds the stylesheet's cache-busting address in the dashboard's HTML.
var staticHref = regexp.MustCompile(`href="(/static/app\.css\?v=[^"]+)"`)

// benchTargets lists what is loaded, the static reference first. The search word is
// one a bank's customers use often, so the search has many matches to rank; the second
// search finds its word mostly inside compounds.
func benchTargets(ctx context.Context, s *session, token string, reportYear int) ([]target, error) {
	css := "/static/app.css?v=bench"
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/", nil)
	req.Header.Set("Cookie", s.cookies)
	if res, err := http.DefaultClient.Do(req); err == nil {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if m := staticHref.FindSubmatch(body); m != nil {
			css = string(m[1])
		}
	}
	feedbackForm := func(n int64) url.Values {
		r := rand.New(rand.NewPCG(uint64(n), 11))
		return url.Values{"channel": {channelMix.pick(r)}, "touchpoint": {touchpointMix.pick(r)},
			"branch": {branchMix.pick(r)}, "segment": {models.SegmentBusiness}, "nps": {strconv.Itoa(r.IntN(11))},
			"comment": {praise[r.IntN(len(praise))] + " (bench form)"}}
	}
	return []target{
		plainGet("static file (reference)", css),
		s.get("dashboard", "/"),
		s.get("feedback list, filtered", "/feedback?channel=phone&group=detractor"),
		s.get("text search", "/feedback?q="+url.QueryEscape("rådgiver")),
		// "bank" is a word of its own in few comments and part of "netbanken" and
		// "mobilbank" in many: the page lists the parts (the trigram index).
		s.get("text search, parts of words", "/feedback?q=bank"),
		s.get("quick-win board", "/quick-wins"),
		s.get("yearly report", fmt.Sprintf("/reports?kind=year&period=%d", reportYear)),
		apiGet(token, "API feedback list", "/api/v1/feedback?limit=50"),
		s.postForm("feedback form POST", "/feedback/new", feedbackForm, http.StatusSeeOther),
		apiPost(token, "feedback API POST", "/api/v1/feedback", feedbackJSON("bench"), http.StatusCreated),
	}, nil
}

// feedbackJSON returns the API body of feedback n, a customer's recent survey answer;
// tag marks the comment with who sent it.
func feedbackJSON(tag string) func(n int64) []byte {
	return func(n int64) []byte {
		r := rand.New(rand.NewPCG(uint64(n), 7))
		b, _ := json.Marshal(map[string]any{
			"received_at": time.Now().Add(-time.Duration(r.IntN(3600)) * time.Second).Format(time.RFC3339),
			"channel":     channelMix.pick(r), "touchpoint": touchpointMix.pick(r), "branch": branchMix.pick(r),
			"segment": models.SegmentPrivate, "nps": r.IntN(11),
			"comment": complaints[r.IntN(len(complaints))] + " (" + tag + ")",
		})
		return b
	}
}

// importRun is the timing of `tracker import feedback`.
type importRun struct {
	Rows   int
	Took   time.Duration
	Output string
	Err    error
}

func (r importRun) summary() string {
	if r.Err != nil {
		return "failed: " + r.Err.Error()
	}
	return fmt.Sprintf("%s (%s)", r.Took.Round(time.Millisecond), strings.TrimSpace(lastLine(r.Output)))
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// timeImport writes a CSV of n rows like a survey tool's export and times the real
// command importing it into the data set.
func timeImport(ctx context.Context, bin, dbURL, dir string, n int, now time.Time) importRun {
	path := filepath.Join(dir, fmt.Sprintf("import-%d.csv", n))
	if err := writeImportCSV(path, n, now); err != nil {
		return importRun{Rows: n, Err: err}
	}
	cmd := exec.CommandContext(ctx, bin, "import", "feedback", path)
	cmd.Env = trackerEnv(dbURL, "127.0.0.1:0")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := importRun{Rows: n, Took: time.Since(start), Output: string(out)}
	if err != nil {
		r.Err = fmt.Errorf("%v: %s", err, lastLine(string(out)))
	}
	return r
}

// writeImportCSV writes n survey rows of the last 30 days with fresh external ids.
func writeImportCSV(path string, n int, now time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(42, uint64(now.UnixNano())))
	var sb strings.Builder
	w := csv.NewWriter(f)
	_ = w.Write([]string{"external_id", "received_at", "channel", "touchpoint", "branch", "segment", "nps", "comment"})
	run := now.Format("20060102T150405")
	for i := range n {
		at := now.Add(-time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
		nps := r.IntN(11)
		group := string(models.GroupOf(&nps))
		tp := touchpointMix.pick(r)
		_ = w.Write([]string{fmt.Sprintf("imp-%s-%06d", run, i), at.Format(time.RFC3339), "survey", tp,
			branchMix.pick(r), models.SegmentPrivate, strconv.Itoa(nps), comment(r, &sb, group, tp, "")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// fmtDur prints a latency in milliseconds with sensible precision.
func fmtDur(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return strconv.FormatFloat(ms, 'f', 2, 64) + " ms"
	case ms < 100:
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(ms, 'f', 0, 64) + " ms"
}
