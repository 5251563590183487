package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/modeltest"
)

// TestTokenCommands creates a token with an expiry, lists it, revokes it and lists it
// again, through the command line as an operator would.
func TestTokenCommands(t *testing.T) {
	dbURL := modeltest.URL(t)
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cli := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, log)
		return out.String(), err
	}
	if _, err := cli(modeltest.Password+"\n", "user", "add", "--email", "ci@example.com", "--name", "CI", "--role", "ambassador"); err != nil {
		t.Fatal(err)
	}
	out, err := cli("", "token", "create", "--email", "ci@example.com", "--name", "nightly import", "--expires", "90d")
	if err != nil || !strings.HasPrefix(out, "itk_") {
		t.Fatalf("create: %q %v", out, err)
	}
	if _, err := cli("", "token", "create", "--email", "ci@example.com", "--expires", "soon"); !errors.Is(err, errUsage) {
		t.Errorf("--expires soon: %v, want bad usage", err)
	}
	out, err = cli("", "token", "list", "--email", "ci@example.com")
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Split(strings.TrimSpace(out), "\t")
	if len(fields) != 5 || fields[0] != "1" || fields[1] != "nightly import" || fields[3] != "never" {
		t.Fatalf("list: %q", out)
	}
	expires, err := time.Parse(time.RFC3339, fields[4])
	if err != nil || expires.Sub(time.Now()) < 89*24*time.Hour || expires.Sub(time.Now()) > 91*24*time.Hour {
		t.Errorf("expires %q, want in 90 days", fields[4])
	}
	if out, err := cli("", "token", "revoke", "1"); err != nil || !strings.Contains(out, "token 1 revoked") {
		t.Fatalf("revoke: %q %v", out, err)
	}
	out, _ = cli("", "token", "list", "--email", "ci@example.com")
	if !strings.Contains(out, "\trevoked ") {
		t.Errorf("a revoked token should be listed as revoked: %q", out)
	}
	if _, err := cli("", "token", "revoke", "99"); err == nil || errors.Is(err, errUsage) {
		t.Errorf("unknown token: %v, want a plain failure", err)
	}
	if _, err := cli("", "token", "revoke"); !errors.Is(err, errUsage) {
		t.Errorf("no id: %v, want bad usage", err)
	}
}
