package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestUserAddTakesNorwegian(t *testing.T) {
	dbURL := modeltest.URL(t)
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	add := func(email, lang string) error {
		var out bytes.Buffer
		return run(context.Background(), []string{"user", "add", "--email", email, "--name", "Kari Nordmann",
			"--role", "ambassador", "--lang", lang}, getenv, strings.NewReader("a-long-enough-secret-2026\n"), &out, log)
	}
	if err := add("kari@bank.example", "nb"); err != nil {
		t.Fatal(err)
	}
	if err := add("ola@bank.example", "sv"); err == nil || !strings.Contains(err.Error(), "lang") {
		t.Errorf("--lang sv: %v, want a refusal naming lang", err)
	}
	st, err := store.Open(context.Background(), dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), "kari@bank.example")
	if err != nil || u.Lang != "nb" {
		t.Fatalf("user %+v, %v", u, err)
	}
}
