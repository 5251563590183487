package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildTracker compiles the real server binary into dir as `make build` does (pure Go,
// without cgo), so the tools measure what ships and not a test build. The smoke test
// builds it so too, also under -race: a race-instrumented server is ten times slower,
// and its requests then time out rather than measure anything.
func buildTracker(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "tracker")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/tracker")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/tracker: %w", err)
	}
	return bin, nil
}

// trackerBinary returns the binary to run: prebuilt when given (-tracker), else built
// into a temporary folder that cleanup removes.
func trackerBinary(ctx context.Context, prebuilt string) (bin string, cleanup func(), err error) {
	if prebuilt != "" {
		if _, err := os.Stat(prebuilt); err != nil {
			return "", nil, fmt.Errorf("-tracker: %w", err)
		}
		return prebuilt, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "tracker-bench-")
	if err != nil {
		return "", nil, err
	}
	bin, err = buildTracker(ctx, dir)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	return bin, func() { os.RemoveAll(dir) }, nil
}

// moduleRoot finds the folder of go.mod from the working directory up, so the tools
// build the same module from the repository's root (make) or from cmd/bench (go test).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// startInstances starts n `tracker serve` processes on one database, each on its own
// free loopback port and with its own log (logPrefix-N.log, or logPrefix.log for one),
// as n instances behind a load balancer. On an error it stops those already started.
func startInstances(ctx context.Context, bin, dbURL string, n int, logPrefix string) ([]*server, error) {
	var srvs []*server
	for i := range max(n, 1) {
		addr, err := freeAddr()
		if err != nil {
			stopAll(srvs)
			return nil, err
		}
		logPath := logPrefix + ".log"
		if n > 1 {
			logPath = fmt.Sprintf("%s-%d.log", logPrefix, i+1)
		}
		_ = os.Remove(logPath)
		srv, err := startServer(ctx, bin, dbURL, addr, logPath)
		if err != nil {
			stopAll(srvs)
			return nil, err
		}
		srvs = append(srvs, srv)
	}
	return srvs, nil
}

// stopAll stops each server gracefully, saying on stderr which did not stop cleanly.
func stopAll(srvs []*server) {
	for _, s := range srvs {
		if err := s.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: stop server %s: %v\n", s.addr, err)
		}
	}
}

// basesOf returns the servers' base URLs.
func basesOf(srvs []*server) []string {
	out := make([]string, len(srvs))
	for i, s := range srvs {
		out[i] = "http://" + s.addr
	}
	return out
}

// server is one running `tracker serve` process.
type server struct {
	bin, dbURL, addr, logPath string
	// env is added to the server's environment (the crash rounds' webhook receiver).
	env     []string
	cmd     *exec.Cmd
	logFile *os.File
	exited  chan error
}

// freeAddr returns a loopback address with a free port.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// trackerEnv is the environment the server and its commands run with: the caller's,
// with the database and address of the bench.
func trackerEnv(dbURL, addr string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "DATABASE_URL=") || strings.HasPrefix(kv, "ADDR=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "DATABASE_URL="+dbURL, "ADDR="+addr)
	return append(env, extra...)
}

// startServer runs `tracker serve` and waits until /healthz answers.
func startServer(ctx context.Context, bin, dbURL, addr, logPath string) (*server, error) {
	s := &server{bin: bin, dbURL: dbURL, addr: addr, logPath: logPath}
	return s, s.start(ctx)
}

func (s *server) start(ctx context.Context) error {
	f, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	s.logFile = f
	s.cmd = exec.Command(s.bin, "serve")
	s.cmd.Env = trackerEnv(s.dbURL, s.addr, s.env...)
	s.cmd.Stdout, s.cmd.Stderr = f, f
	if err := s.cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start server: %w", err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait() }()
	deadline := time.Now().Add(90 * time.Second)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exited:
			return fmt.Errorf("server exited at start (%v); see %s", err, s.logPath)
		case <-ctx.Done():
			s.kill()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		res, err := client.Get("http://" + s.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	s.kill()
	return errors.New("server did not answer /healthz within 90 s")
}

// pid is the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// kill ends the server with SIGKILL, as a power cut would, and waits for it.
func (s *server) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	s.logFile.Close()
}

// stop ends the server gracefully (SIGTERM), killing it if it takes too long.
func (s *server) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		s.logFile.Close()
		return err
	case <-time.After(30 * time.Second):
		s.kill()
		return errors.New("server did not stop within 30 s; killed")
	}
}

// restart starts the server again on the same database and address.
func (s *server) restart(ctx context.Context) error { return s.start(ctx) }

// memKB reads a field such as VmHWM (peak resident memory) from /proc/PID/status.
func memKB(pid int, field string) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		}
	}
	return 0, fmt.Errorf("%s not in /proc/%d/status", field, pid)
}

// resetPeak resets the process's peak resident memory (Linux: clear_refs 5), so the
// next reading of VmHWM is the peak of what ran since. It reports whether that worked.
func resetPeak(pid int) bool {
	return os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0) == nil
}
