package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestThrottledSessionsSkipOnlyExpiryTouches(t *testing.T) {
	ctx := context.Background()
	store := modeltest.Open(t)
	inner := store.Sessions(sessionUserOf)
	// The session store reads only unexpired sessions by the wall clock.
	clock := time.Now().UTC().Truncate(time.Second)
	ts := newThrottledSessions(inner, time.Minute)
	ts.now = func() time.Time { return clock }
	expiryOf := func(token string) time.Time {
		var e time.Time
		if err := store.Reader(ctx).Raw(`SELECT expiry FROM sessions WHERE token = ?`, sha256Hex(token)).Row().Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e.UTC()
	}
	idle := 2 * time.Hour
	steps := []struct {
		name       string
		advance    time.Duration
		data       string
		wantExpiry time.Duration // after the start, as stored in the database
	}{
		{"first save is written", 0, "user=1", idle},
		{"same data 30 s later: only the expiry moved, skipped", 30 * time.Second, "user=1", idle},
		{"same data a minute after the write: written", 31 * time.Second, "user=1", idle + 61*time.Second},
		{"changed data is written at once", time.Second, "user=1;flash=x", idle + 62*time.Second},
		{"back to the old data is written too", time.Second, "user=1", idle + 63*time.Second},
	}
	start := clock
	for _, st := range steps {
		clock = clock.Add(st.advance)
		if err := ts.CommitCtx(ctx, "tok", []byte(st.data), clock.Add(idle)); err != nil {
			t.Fatal(err)
		}
		if got, want := expiryOf("tok"), start.Add(st.wantExpiry); !got.Equal(want) {
			t.Errorf("%s: stored expiry %s, want %s", st.name, got, want)
		}
	}

	// Another instance changes the session; this one reads it and, without changing it,
	// saves: the read becomes the known state, so the save of the other data is written.
	if err := inner.CommitCtx(ctx, "tok", []byte("user=2"), clock.Add(idle)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := ts.FindCtx(ctx, "tok"); string(b) != "user=2" {
		t.Fatalf("find: %q", b)
	}
	clock = clock.Add(time.Second)
	if err := ts.CommitCtx(ctx, "tok", []byte("user=1"), clock.Add(idle)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := inner.FindCtx(ctx, "tok"); string(b) != "user=1" {
		t.Errorf("after another instance's change, this instance's save was skipped: %q", b)
	}

	if err := ts.DeleteCtx(ctx, "tok"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := inner.FindCtx(ctx, "tok"); found {
		t.Error("deleted session still there")
	}
}

// gob writes a map in random order; the throttle must see the same session as the same.
func TestSessionSumIgnoresMapOrder(t *testing.T) {
	deadline := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	values := map[string]any{"user_id": int64(7), "auth_version": 3, "lang": "da", "flash": "Saved"}
	first, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	bytesDiffered := false
	for range 50 {
		b, err := scs.GobCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		bytesDiffered = bytesDiffered || !bytes.Equal(b, first)
		if sessionSum(b) != sessionSum(first) {
			t.Fatal("the same session gave two sums")
		}
	}
	if !bytesDiffered {
		t.Log("gob wrote the map in one order 50 times; the order check proved nothing this run")
	}
	changed := maps.Clone(values)
	changed["flash"] = "Deleted"
	b, _ := scs.GobCodec{}.Encode(deadline, changed)
	if sessionSum(b) == sessionSum(first) {
		t.Error("a changed value gave the same sum")
	}
	b, _ = scs.GobCodec{}.Encode(deadline.Add(time.Hour), values)
	if sessionSum(b) == sessionSum(first) {
		t.Error("a changed deadline gave the same sum")
	}
}

// sha256Hex is how the session store keys a session token.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
