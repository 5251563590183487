package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models/seed"
)

// demoCommand fills an empty database with a year of Danish demo data and prints how
// to sign in. It refuses a database that already holds feedback.
func demoCommand(*flag.FlagSet) func(context.Context, env) error {
	return func(ctx context.Context, e env) error {
		start := time.Now()
		res, err := seed.FillDemo(ctx, e.store)
		if errors.Is(err, seed.ErrDemoNotEmpty) {
			return errors.New("demo: " + seed.ErrDemoNotEmpty.Error())
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Demo data created in %s: %d feedback items, %d improvements (%d implemented), %d follow-ups, %d praises, %d steering meetings.\n\n",
			time.Since(start).Round(100*time.Millisecond), res.Feedback, res.Improvements, res.Implemented, res.FollowUps, res.Praise, res.Meetings)
		fmt.Fprintln(e.stdout, "Sign in as any of these users (password for all: "+seed.DemoPassword+"):")
		for _, u := range res.Users {
			fmt.Fprintf(e.stdout, "  %-18s %-16s %s\n", u.Email, u.Name, strings.Join(u.Roles, ", "))
		}
		fmt.Fprintln(e.stdout, "\nThen start the server: go run ./cmd/tracker serve")
		return nil
	}
}
