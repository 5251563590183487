package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The targets of issue 9, stated in the README with the table.
const (
	targetRatio     = 0.25
	targetP99       = 50 * time.Millisecond
	targetPostRate  = 2000.0
	targetPeakMB    = 200
	targetImport    = 5 * time.Second
	targetGenerate  = 60 * time.Second
	referenceTarget = 0 // index of the static file in the results
)

// report is one bench run.
type report struct {
	Started  time.Time
	Took     time.Duration
	Conns    int
	Duration time.Duration
	Warmup   time.Duration
	Gen      genConfig
	GenStats genStats
	Reused   bool
	Postgres bool
	// Server describes the PostgreSQL server (postgresServer).
	Server    string
	InProcess bool
	// Instances is how many servers the connections were spread over.
	Instances int
	// WriteRate is the feedback a second written beside the second load of each page.
	WriteRate int
	Import    importRun
	DBBytes   int64
	// Rows are the loaded targets in order, the static reference first.
	Rows      []benchRow
	PeakRSSKB int64
}

// benchRow is one target loaded alone and, for reads, beside the stream of writes.
type benchRow struct {
	Quiet  result
	Loaded *result // nil: not loaded with writes (the POSTs, or -write-rate 0)
}

func isPost(r result) bool { return strings.HasPrefix(r.Target.Path, "POST ") }

// check says whether a result of row i meets its target, and which target that is.
func (rep *report) check(i int, r result) (ok bool, what string) {
	if i == referenceTarget {
		return r.Errors == 0, "reference"
	}
	if isPost(r) {
		return r.ReqPerSec >= targetPostRate && r.Errors == 0, "≥ 2,000/s, 0 errors"
	}
	return r.RefRatio >= targetRatio && r.P99 < targetP99 && r.Errors == 0, "≥ 25% of static, p99 < 50 ms"
}

func mark(ok bool) string {
	if ok {
		return "✅"
	}
	return "❌"
}

// ratios sets each result's share of the static file's rate when it was loaded alone:
// the pages under writes are compared with the quiet machine's static file too, so the
// cost of the writes shows in the ratio.
func (rep *report) ratios() {
	if len(rep.Rows) == 0 || rep.Rows[referenceTarget].Quiet.ReqPerSec == 0 {
		return
	}
	ref := rep.Rows[referenceTarget].Quiet.ReqPerSec
	for i := range rep.Rows {
		rep.Rows[i].Quiet.RefRatio = rep.Rows[i].Quiet.ReqPerSec / ref
		if l := rep.Rows[i].Loaded; l != nil {
			l.RefRatio = l.ReqPerSec / ref
		}
	}
}

// markdown renders the run as the README's performance section shows it: one row per
// page, alone and beside the writes, each with its share of the static file's rate.
func (rep *report) markdown() string {
	var b strings.Builder
	rep.ratios()
	db := "SQLite"
	if rep.Postgres {
		db = "PostgreSQL"
	}
	fmt.Fprintf(&b, "Bench run (%s) of %s on %s.\n\n", db, rep.Started.UTC().Format("2006-01-02 15:04 MST"), machine())
	if rep.Server != "" {
		fmt.Fprintf(&b, "Server: %s.\n\n", rep.Server)
	}
	if rep.Reused {
		b.WriteString("Data set reused from an earlier run (not generated in this run).\n")
	} else {
		s := rep.GenStats
		where := "SQLite file " + mb(rep.DBBytes)
		if rep.Postgres {
			where = "in PostgreSQL"
		}
		fmt.Fprintf(&b, "Data set: %s feedback over %d years, %s improvements (%s links to feedback, %s history entries), "+
			"%s steering meetings (%s agenda items), %s comments; %s.\n",
			thousands(s.Feedback), rep.Gen.Years, thousands(s.Improvements), thousands(s.Links), thousands(s.History),
			thousands(s.Meetings), thousands(s.Agenda), thousands(s.Comments), where)
	}
	server := "the `tracker serve` binary in its own process"
	switch {
	case rep.InProcess:
		server = "the app served inside the bench process (profiling run)"
	case rep.Instances > 1:
		server = fmt.Sprintf("%d `tracker serve` processes on the one database, the connections spread evenly over them", rep.Instances)
	}
	fmt.Fprintf(&b, "Load: %d connections with keep-alive over loopback from a Go load generator, %s per measurement after %s of warm-up, against %s.\n",
		rep.Conns, rep.Duration, rep.Warmup, server)
	loaded := fmt.Sprintf("+ %d writes/s", rep.WriteRate)
	if rep.WriteRate > 0 {
		fmt.Fprintf(&b, "Each read is measured twice: alone, and while a separate client posts %d feedback a second through the API (\"%s\"). "+
			"\"vs static\" is the share of the static file's rate when it was loaded alone.\n", rep.WriteRate, loaded)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "| page | request | req/s | p50 | p99 | vs static | req/s %s | p50 | p99 | vs static | errors | peak RSS | target (alone / with writes) |\n", loaded)
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for i, row := range rep.Rows {
		q := row.Quiet
		ok, what := rep.check(i, q)
		marks := mark(ok)
		errs := errNote(q)
		peak := q.PeakRSSKB
		exact := q.PeakExact
		var lr string
		if l := row.Loaded; l != nil {
			lr = fmt.Sprintf("%s | %s | %s | %.0f%% |", thousands(int64(l.ReqPerSec+0.5)), fmtDur(l.P50), fmtDur(l.P99), l.RefRatio*100)
			lok, _ := rep.check(i, *l)
			if i != referenceTarget {
				marks += " / " + mark(lok)
			}
			errs += " / " + errNote(*l)
			peak, exact = max(peak, l.PeakRSSKB), exact && l.PeakExact
		} else {
			lr = " | | | |"
		}
		peakText := mb(peak * 1024)
		if !exact {
			peakText += " (cumulative)"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %.0f%% | %s %s | %s | %s %s |\n", q.Target.Name, q.Target.Path,
			thousands(int64(q.ReqPerSec+0.5)), fmtDur(q.P50), fmtDur(q.P99), q.RefRatio*100, lr, errs, peakText, marks, what)
	}
	b.WriteString("\n")
	var streams, created, failed int64
	for _, row := range rep.Rows {
		if l := row.Loaded; l != nil {
			streams++
			created += l.Writes.Created
			failed += l.Writes.Failed
		}
	}
	if streams > 0 {
		fmt.Fprintf(&b, "- Feedback posted beside the loads (%d a second, each answered before the next page's figures may count it): %s created, %d failed %s\n",
			rep.WriteRate, thousands(created), failed, mark(failed == 0))
	}
	peakMB := float64(rep.PeakRSSKB) / 1024
	per := ""
	if rep.Instances > 1 {
		per = ", the largest instance"
	}
	fmt.Fprintf(&b, "- Peak server memory (VmHWM) over the whole run%s: %.0f MB (target < %d MB) %s\n",
		per, peakMB, targetPeakMB, mark(peakMB < targetPeakMB))
	if !rep.Reused {
		fmt.Fprintf(&b, "- Generating the data set: %s (target < %s) %s; by step: %s\n",
			rep.GenStats.Took.Round(100*time.Millisecond), targetGenerate, mark(rep.GenStats.Took < targetGenerate), rep.GenStats.steps())
	}
	if rep.Import.Rows > 0 {
		if rep.Import.Err != nil {
			fmt.Fprintf(&b, "- Importing %s CSV rows with `tracker import feedback`: failed: %v %s\n",
				thousands(int64(rep.Import.Rows)), rep.Import.Err, mark(false))
		} else {
			fmt.Fprintf(&b, "- Importing %s CSV rows with `tracker import feedback` into the data set: %s, whole command (target < %s for 100,000) %s\n",
				thousands(int64(rep.Import.Rows)), rep.Import.Took.Round(10*time.Millisecond), targetImport,
				mark(rep.Import.Took < targetImport))
		}
	}
	fmt.Fprintf(&b, "- Whole bench: %s\n", rep.Took.Round(time.Second))
	return b.String()
}

// errNote is a result's error count, with the first unexpected answer when there was one.
func errNote(r result) string {
	s := fmt.Sprint(r.Errors)
	if r.Errors > 0 && r.ErrorNote != "" {
		s += " (" + r.ErrorNote + ")"
	}
	return s
}

// machine describes where the bench ran: cores, memory, CPU model.
func machine() string {
	model, memKB := "", int64(0)
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &memKB)
				break
			}
		}
		f.Close()
	}
	s := fmt.Sprintf("%d cores, %.0f GiB RAM", runtime.NumCPU(), float64(memKB)/(1<<20))
	if model != "" {
		s += " (" + model + ")"
	}
	return s + ", " + runtime.GOOS + "/" + runtime.GOARCH + ", " + runtime.Version()
}

func mb(bytes int64) string { return fmt.Sprintf("%.0f MB", float64(bytes)/(1<<20)) }

// thousands writes 1234567 as 1,234,567.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// postgresServer describes the PostgreSQL server at url as far as it sets the figures:
// its version, its shared buffers and whether they lie in huge pages. Without huge
// pages each server process maps the shared buffers page by page as it first touches
// them, and two instances' 64 connections paid that again and again (see the README's
// performance notes); "try" falls back to small pages without saying so.
func postgresServer(ctx context.Context, url string) string {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "PostgreSQL (settings not read: " + err.Error() + ")"
	}
	defer conn.Close(ctx)
	var version, buffers, huge string
	for _, s := range []struct {
		name string
		dst  *string
	}{{"server_version", &version}, {"shared_buffers", &buffers}, {"huge_pages", &huge}} {
		if err := conn.QueryRow(ctx, "SHOW "+s.name).Scan(s.dst); err != nil {
			return "PostgreSQL (settings not read: " + err.Error() + ")"
		}
	}
	return fmt.Sprintf("PostgreSQL %s, shared_buffers %s, huge_pages %s", version, buffers, huge)
}
