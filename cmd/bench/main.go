// Command bench measures Improvement Tracker on a realistic data set and checks that it
// keeps what it promised under load and crashes.
//
//	go run ./cmd/bench              generate the data set, start the server, load each page, print the table
//	go run ./cmd/bench gen -db F    only generate the data set into F
//	go run ./cmd/bench soak         crash, mixed-load and backup checks
//
// Everything runs on loopback, bounded in time. See the README's performance section.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	mode := "bench"
	args := os.Args[1:]
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		mode, args = args[0], args[1:]
	}
	var err error
	switch mode {
	case "bench":
		err = runBench(ctx, args)
	case "gen":
		err = runGen(ctx, args)
	case "soak":
		err = runSoak(ctx, args)
	default:
		err = fmt.Errorf("unknown mode %q (want bench, gen or soak)", mode)
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
