package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/app"
)

// serveInProcess serves the app from this process with a CPU profile running, so that
// `go tool pprof` shows where a slow page spends its time. The load generator then
// shares the profile; its frames are easy to tell apart (net/http client, main.run).
func serveInProcess(ctx context.Context, path, addr string, loc *time.Location, profile string) (stop func(), err error) {
	cfg := app.DefaultConfig()
	// The same store options as `tracker serve` with its defaults.
	st, err := store.Open(ctx, "sqlite:"+path, store.Options{Location: loc, OthersLag: cfg.FiguresLag})
	if err != nil {
		return nil, err
	}
	cfg.DatabaseURL, cfg.Addr = "sqlite:"+path, addr
	srv := app.New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		st.Close()
		return nil, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(l) }()
	f, err := os.Create(profile)
	if err != nil {
		hs.Close()
		st.Close()
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		hs.Close()
		st.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		hs.Close()
		st.Close()
	}, nil
}
