package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestImportFeedbackCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "survey.csv")
	csv := "\xEF\xBB\xBFexternal_id,received_at,channel,nps,comment\r\n" +
		"c-1,2026-03-02,survey,9,Good\r\n" +
		"c-2,2026-03-02,pigeon post,3,Slow\r\n" +
		"c-3,2026-03-02,survey,12,Too high\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	dbURL := modeltest.URL(t)
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	runImport := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"import", "feedback"}, args...), getenv, strings.NewReader(""), &out, log)
		return out.String(), err
	}
	out, err := runImport(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"line 3: channel", "line 4: nps", "created 1, skipped 0 (already imported), rejected 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = runImport("--create-missing", file)
	if err != nil || !strings.Contains(out, "created 1, skipped 1 (already imported), rejected 1") {
		t.Errorf("with --create-missing: %v\n%s", err, out)
	}
	if _, err := runImport(filepath.Join(dir, "missing.csv")); err == nil || errors.Is(err, errUsage) {
		t.Errorf("unreadable file: %v, want a plain failure", err)
	}
	if _, err := runImport(); !errors.Is(err, errUsage) {
		t.Errorf("no file: %v, want bad usage", err)
	}
}
