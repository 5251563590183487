// Command testsum runs `go test -json` and keeps the log readable: one line per package,
// the full output of every failing test, the skipped tests with their reason, and a last
// line that says how many tests ran ("sqlite: 412 tests passed ..."). It exits non-zero
// when any test or build fails, when go test itself fails, or when no test ran at all.
//
// It lives under .ci/ so that `go test ./...` and `go vet ./...` do not pick it up.
//
//	go run ./.ci/testsum -name sqlite -- -race -count=1 ./...
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	Elapsed     float64
	ImportPath  string // build-output and build-fail events
	FailedBuild string
}

type key struct{ pkg, test string }

type summary struct {
	out                        io.Writer
	buf                        map[key]*strings.Builder
	build                      map[string]*strings.Builder
	perPkg                     map[string]int
	passed, topLevel, subtests int
	skipped                    []string
	failed                     []string
	failedPkgs                 []string
	packages                   int
}

func newSummary(out io.Writer) *summary {
	return &summary{out: out, buf: map[key]*strings.Builder{}, build: map[string]*strings.Builder{},
		perPkg: map[string]int{}}
}

func (s *summary) text(k key) *strings.Builder {
	b := s.buf[k]
	if b == nil {
		b = &strings.Builder{}
		s.buf[k] = b
	}
	return b
}

func (s *summary) handle(e event) {
	k := key{e.Package, e.Test}
	switch e.Action {
	case "build-output":
		b := s.build[e.ImportPath]
		if b == nil {
			b = &strings.Builder{}
			s.build[e.ImportPath] = b
		}
		b.WriteString(e.Output)
	case "build-fail":
		fmt.Fprintf(s.out, "BUILD FAILED %s\n%s", e.ImportPath, s.build[e.ImportPath])
	case "output":
		s.text(k).WriteString(e.Output)
	case "pass":
		if e.Test == "" {
			s.packages++
			fmt.Fprintf(s.out, "ok    %-60s %6.1fs  %4d tests\n", e.Package, e.Elapsed, s.perPkg[e.Package])
			delete(s.buf, k)
			return
		}
		s.passed++
		s.perPkg[e.Package]++
		if strings.Contains(e.Test, "/") {
			s.subtests++
		} else {
			s.topLevel++
		}
		delete(s.buf, k)
	case "skip":
		if e.Test == "" { // a package without test files
			delete(s.buf, k)
			return
		}
		s.skipped = append(s.skipped, fmt.Sprintf("%s %s: %s", short(e.Package), e.Test, skipReason(s.buf[k])))
		delete(s.buf, k)
	case "fail":
		if e.Test == "" {
			s.packages++
			s.failedPkgs = append(s.failedPkgs, e.Package)
			fmt.Fprintf(s.out, "FAIL  %-60s %6.1fs\n", e.Package, e.Elapsed)
			// Panics, timeouts and TestMain failures are reported outside any test.
			if b := s.buf[k]; b != nil {
				fmt.Fprintf(s.out, "%s", indent(packageOutput(b.String())))
			}
			delete(s.buf, k)
			return
		}
		s.failed = append(s.failed, short(e.Package)+" "+e.Test)
		fmt.Fprintf(s.out, "--- FAIL %s %s (%.2fs)\n%s", e.Package, e.Test, e.Elapsed, indent(s.text(k).String()))
		delete(s.buf, k)
	}
}

// packageOutput drops go test's closing "FAIL" and "FAIL pkg 0.4s" lines, which the
// summary already says, and keeps what explains the failure.
func packageOutput(out string) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || t == "FAIL" || t == "PASS" || strings.HasPrefix(t, "FAIL\t") || strings.HasPrefix(t, "ok  \t") {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) == 0 {
		return ""
	}
	return strings.Join(keep, "\n") + "\n"
}

func short(pkg string) string {
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		return pkg[i+1:]
	}
	return pkg
}

// skipReason keeps the message given to t.Skip: the output lines that are not go test's
// own "=== RUN" or "--- SKIP" markers.
func skipReason(b *strings.Builder) string {
	if b == nil {
		return "no reason given"
	}
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		lines = append(lines, t)
	}
	if len(lines) == 0 {
		return "no reason given"
	}
	return strings.Join(lines, " ")
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ") + "\n"
}

func main() {
	name := flag.String("name", "go test", "label of the summary line (the database the tests ran on)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./.ci/testsum -name LABEL -- [go test flags] packages")
		flag.PrintDefaults()
	}
	flag.Parse()
	started := time.Now()

	cmd := exec.Command("go", append([]string{"test", "-json"}, flag.Args()...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fatal(err)
	}
	if err := cmd.Start(); err != nil {
		fatal(err)
	}
	s := newSummary(os.Stdout)
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// go test writes a few lines that are not JSON (for example a "go: downloading").
			fmt.Println(sc.Text())
			continue
		}
		s.handle(e)
	}
	if err := sc.Err(); err != nil {
		fatal(err)
	}
	runErr := cmd.Wait()

	took := time.Since(started).Round(100 * time.Millisecond)
	sort.Strings(s.skipped)
	for _, sk := range s.skipped {
		fmt.Println("SKIP  " + sk)
	}
	fmt.Printf("%s: %d tests passed (%d top-level, %d subtests), %d skipped, %d failed, %d packages, %s\n",
		*name, s.passed, s.topLevel, s.subtests, len(s.skipped), len(s.failed), s.packages, took)
	failed := len(s.failed) > 0 || len(s.failedPkgs) > 0 || runErr != nil || s.passed == 0
	if len(s.failed) > 0 {
		fmt.Printf("%s: FAILED tests: %s\n", *name, listSome(s.failed, 10))
	}
	if len(s.failedPkgs) > 0 {
		fmt.Printf("%s: FAILED packages: %s\n", *name, strings.Join(s.failedPkgs, ", "))
	}
	if runErr != nil && len(s.failed) == 0 && len(s.failedPkgs) == 0 {
		fmt.Printf("%s: FAILED: go test: %v\n", *name, runErr)
	}
	if s.passed == 0 {
		fmt.Printf("%s: FAILED: no test ran\n", *name)
	}
	if failed {
		os.Exit(1)
	}
}

// listSome names the first n items and counts the rest, to keep the summary one line.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more (see above)", strings.Join(items[:n], ", "), len(items)-n)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "testsum:", err)
	os.Exit(1)
}
