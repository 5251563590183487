package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
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
	Started   time.Time
	Took      time.Duration
	Conns     int
	Duration  time.Duration
	Warmup    time.Duration
	Gen       genConfig
	GenStats  genStats
	Reused    bool
	Postgres  bool
	InProcess bool
	Import    importRun
	DBBytes   int64
	Results   []result
	PeakRSSKB int64
}

func isPost(r result) bool { return strings.HasPrefix(r.Target.Path, "POST ") }

// check says whether a result meets its target, and which target that is.
func (rep *report) check(i int) (ok bool, what string) {
	r := rep.Results[i]
	if i == referenceTarget {
		return r.Errors == 0, "reference"
	}
	if isPost(r) {
		return r.ReqPerSec >= targetPostRate && r.Errors == 0, "≥ 2,000/s, 0 errors"
	}
	return r.RefRatio >= targetRatio && r.P99 < targetP99 && r.Errors == 0, "≥ 25% of ref, p99 < 50 ms"
}

func mark(ok bool) string {
	if ok {
		return "✅"
	}
	return "❌"
}

// markdown renders the run as the README's performance section shows it.
func (rep *report) markdown() string {
	var b strings.Builder
	ref := 0.0
	if len(rep.Results) > 0 {
		ref = rep.Results[referenceTarget].ReqPerSec
	}
	for i := range rep.Results {
		if ref > 0 {
			rep.Results[i].RefRatio = rep.Results[i].ReqPerSec / ref
		}
	}
	fmt.Fprintf(&b, "Bench run of %s on %s.\n\n", rep.Started.UTC().Format("2006-01-02 15:04 MST"), machine())
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
	if rep.InProcess {
		server = "the app served inside the bench process (profiling run)"
	}
	fmt.Fprintf(&b, "Load: %d connections with keep-alive over loopback from a Go load generator, %s per row after %s of warm-up, against %s.\n\n",
		rep.Conns, rep.Duration, rep.Warmup, server)
	b.WriteString("| page | request | req/s | p50 | p99 | vs static | errors | peak RSS | target |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|---|\n")
	for i, r := range rep.Results {
		ok, what := rep.check(i)
		peak := mb(r.PeakRSSKB * 1024)
		if !r.PeakExact {
			peak += " (cumulative)"
		}
		errs := fmt.Sprint(r.Errors)
		if r.Errors > 0 && r.ErrorNote != "" {
			errs += " (" + r.ErrorNote + ")"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %.0f%% | %s | %s | %s %s |\n", r.Target.Name, r.Target.Path,
			thousands(int64(r.ReqPerSec+0.5)), fmtDur(r.P50), fmtDur(r.P99), r.RefRatio*100, errs, peak, mark(ok), what)
	}
	b.WriteString("\n")
	var streams, created, failed int64
	rate := int64(0)
	for _, r := range rep.Results {
		if r.Writes.Rate > 0 {
			streams++
			created += r.Writes.Created
			failed += r.Writes.Failed
			rate = r.Writes.Rate
		}
	}
	if streams > 0 {
		fmt.Fprintf(&b, "- Rows marked \"+ %d writes/s\" load the page while %d feedback a second are posted through the API "+
			"(each answered before the next page's figures may count it): %s created, %d failed %s\n",
			rate, rate, thousands(created), failed, mark(failed == 0))
	}
	peakMB := float64(rep.PeakRSSKB) / 1024
	fmt.Fprintf(&b, "- Peak server memory (VmHWM) over the whole run: %.0f MB (target < %d MB) %s\n",
		peakMB, targetPeakMB, mark(peakMB < targetPeakMB))
	if !rep.Reused {
		fmt.Fprintf(&b, "- Generating the data set: %s, of which feedback %s (target < %s) %s\n",
			rep.GenStats.Took.Round(100*time.Millisecond), rep.GenStats.FeedbackTook.Round(100*time.Millisecond),
			targetGenerate, mark(rep.GenStats.Took < targetGenerate))
	}
	if rep.Import.Rows > 0 {
		if rep.Import.Err != nil {
			fmt.Fprintf(&b, "- Importing %s CSV rows with `tracker import feedback`: failed: %v %s\n",
				thousands(int64(rep.Import.Rows)), rep.Import.Err, mark(false))
		} else {
			fmt.Fprintf(&b, "- Importing %s CSV rows with `tracker import feedback` into the data set: %s, whole command (target < %s) %s\n",
				thousands(int64(rep.Import.Rows)), rep.Import.Took.Round(10*time.Millisecond), targetImport,
				mark(rep.Import.Took < targetImport))
		}
	}
	fmt.Fprintf(&b, "- Whole bench: %s\n", rep.Took.Round(time.Second))
	return b.String()
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
