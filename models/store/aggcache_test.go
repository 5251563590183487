package store

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestAggregateUsable(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name               string
		gen, need, current uint64
		now                time.Time
		lag                time.Duration
		want               bool
		notBefore          time.Time
	}{
		{"same moment", 3, 0, 3, t0, 0, true, time.Time{}},
		{"within the TTL", 3, 0, 3, t0.Add(aggregateTTL - time.Millisecond), 0, true, time.Time{}},
		{"past the TTL", 3, 0, 3, t0.Add(aggregateTTL + time.Millisecond), 0, false, time.Time{}},
		{"a write since, no lag", 3, 0, 4, t0.Add(time.Millisecond), 0, false, time.Time{}},
		{"another's write since, within the lag", 3, 0, 4, t0.Add(time.Millisecond), time.Second, true, time.Time{}},
		{"another's write since, past the lag", 3, 0, 4, t0.Add(time.Second + time.Millisecond), time.Second, false, time.Time{}},
		{"the reader's own write since, within the lag", 3, 4, 4, t0.Add(time.Millisecond), time.Hour, false, time.Time{}},
		{"computed after the reader's write", 4, 4, 5, t0.Add(time.Millisecond), time.Second, true, time.Time{}},
		{"the lag never stretches the TTL", 3, 0, 3, t0.Add(aggregateTTL + time.Millisecond), time.Hour, false, time.Time{}},
		{"clock went back", 3, 0, 3, t0.Add(-time.Second), 0, false, time.Time{}},
		{"the reader wrote through another instance after", 3, 0, 3, t0.Add(time.Millisecond), time.Hour, false, t0.Add(time.Millisecond)},
		{"the reader wrote through another instance before", 3, 0, 3, t0.Add(time.Second), time.Hour, true, t0.Add(-time.Millisecond)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := usable(tt.gen, t0, t0, tt.need, tt.current, tt.notBefore, tt.now, tt.lag, aggregateTTL); got != tt.want {
				t.Fatalf("usable = %v, want %v", got, tt.want)
			}
		})
	}
}

// A client that hangs up while others wait on the same computation stops only its own
// wait: the computation runs on under a context no request can cancel, and the others
// get its result.
func TestCachedAggregateOutlivesTheFirstCaller(t *testing.T) {
	s := &Store{}
	started, release := make(chan struct{}), make(chan struct{})
	var computeErr atomic.Value
	var runs atomic.Int32
	compute := func(ctx context.Context) (int, error) {
		runs.Add(1)
		close(started)
		<-release
		if err := ctx.Err(); err != nil {
			computeErr.Store(err)
			return 0, err
		}
		if _, ok := ctx.Deadline(); !ok {
			return 0, errors.New("the computation has no deadline of its own")
		}
		return 42, nil
	}
	first, hangUp := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() {
		_, err := cachedAggregate(first, s, "k", compute)
		firstDone <- err
	}()
	<-started
	secondDone := make(chan int, 1)
	go func() {
		v, err := cachedAggregate(context.Background(), s, "k", compute)
		if err != nil {
			t.Errorf("the second caller failed: %v", err)
		}
		secondDone <- v
	}()
	time.Sleep(20 * time.Millisecond) // let the second caller join the flight
	hangUp()
	if err := <-firstDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller that hung up got %v, want context.Canceled", err)
	}
	close(release)
	if v := <-secondDone; v != 42 {
		t.Fatalf("the second caller got %d, want 42", v)
	}
	if err := computeErr.Load(); err != nil {
		t.Fatalf("the shared computation saw its context end: %v", err)
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("computed %d times for two callers at once, want 1", n)
	}
	// Kept: the next caller needs no computation.
	if v, err := cachedAggregate(context.Background(), s, "k", func(context.Context) (int, error) {
		return 0, errors.New("recomputed without a write")
	}); err != nil || v != 42 {
		t.Fatalf("next caller: %d, %v", v, err)
	}
}

// A computation that started before a commit is not handed to a reader who wrote:
// they wait for one that started after their write.
func TestCachedAggregateReadYourWrites(t *testing.T) {
	s := &Store{lag: time.Hour}
	ctx := ForUser(context.Background(), 7)
	var n atomic.Int32
	compute := func(context.Context) (int32, error) { return n.Add(1), nil }
	if v, _ := cachedAggregate(ctx, s, "k", compute); v != 1 {
		t.Fatalf("first = %d", v)
	}
	// Someone else writes: within the lag the figures may stay.
	s.writes.committed(ForUser(context.Background(), 8), map[string]bool{"feedback": true})
	if v, _ := cachedAggregate(ctx, s, "k", compute); v != 1 {
		t.Fatalf("after another user's write = %d, want the kept 1", v)
	}
	// The reader writes: their next read is computed anew.
	s.writes.committed(ctx, map[string]bool{"feedback": true})
	if v, _ := cachedAggregate(ctx, s, "k", compute); v != 2 {
		t.Fatalf("after the reader's own write = %d, want 2", v)
	}
	// A quiet table changes nothing.
	s.writes.committed(ctx, map[string]bool{"sessions": true})
	if v, _ := cachedAggregate(ctx, s, "k", compute); v != 2 {
		t.Fatalf("after a session write = %d, want the kept 2", v)
	}
}

// A plan choice stays through the reader's own writes, while a figure beside it does
// not; only its age ends it.
func TestCachedPlanOutlivesWrites(t *testing.T) {
	s := &Store{plans: aggregates{writeBlind: true}}
	ctx := ForUser(context.Background(), 7)
	var plans, figures atomic.Int32
	plan := func(context.Context) (int32, error) { return plans.Add(1), nil }
	figure := func(context.Context) (int32, error) { return figures.Add(1), nil }
	cachedPlan(ctx, s, "k", plan)
	cachedAggregate(ctx, s, "k", figure)
	s.writes.committed(ctx, map[string]bool{"feedback": true})
	if v, _ := cachedPlan(ctx, s, "k", plan); v != 1 {
		t.Errorf("plan after the reader's own write = %d, want the kept 1", v)
	}
	if v, _ := cachedAggregate(ctx, s, "k", figure); v != 2 {
		t.Errorf("figure after the reader's own write = %d, want 2", v)
	}
	s.plans.mu.Lock()
	e := s.plans.entries["k"]
	e.at = e.at.Add(-planTTL - time.Second)
	s.plans.entries["k"] = e
	s.plans.mu.Unlock()
	if v, _ := cachedPlan(ctx, s, "k", plan); v != 2 {
		t.Errorf("plan past planTTL = %d, want 2", v)
	}
}

func TestWrittenTable(t *testing.T) {
	tests := []struct {
		sql, table string
		raw        bool
		want       string
	}{
		{"", "feedback", false, "feedback"},
		{"INSERT INTO feedback (a) VALUES (?)", "", true, "feedback"},
		{`INSERT INTO "feedback" (a) VALUES ($1) RETURNING id`, "", true, "feedback"},
		{"insert or ignore into user_prefs (a) values (1)", "", true, "user_prefs"},
		{"UPDATE improvements SET version = version + 1 WHERE id = ?", "", true, "improvements"},
		{"  DELETE FROM sessions WHERE expiry < ?", "", true, "sessions"},
		{"WITH x AS (SELECT 1) UPDATE feedback SET triage_status = 'linked'", "", true, "feedback"},
		{"SELECT COUNT(*) FROM feedback", "", true, ""},
		{"SELECT\n\t\tid, title FROM improvements", "", true, ""},
		{"\n\tUPDATE\tfeedback SET version = 2", "", true, "feedback"},
		{"WITH x AS (SELECT 1) SELECT * FROM x", "", true, ""},
		{"PRAGMA optimize", "", true, ""},
		{"INSERT INTO feedback_fts(feedback_fts) VALUES ('rebuild')", "", true, "feedback_fts"},
		{"VACUUM", "", true, anyTable},
		{"CREATE TABLE t (a int)", "", true, anyTable},
	}
	for _, tt := range tests {
		st := &gorm.Statement{Table: tt.table}
		st.SQL.WriteString(tt.sql)
		if got := writtenTable(st, tt.raw); got != tt.want {
			t.Errorf("writtenTable(%q) = %q, want %q", strings.TrimSpace(tt.sql), got, tt.want)
		}
	}
}

// Readers who wrote while a computation ran do not start one each: they queue for one
// next computation, which starts when the running one ends and serves them all.
func TestCachedAggregateQueuesOneNextComputation(t *testing.T) {
	s := &Store{}
	release := make(chan struct{})
	var runs atomic.Int32
	compute := func(context.Context) (int32, error) {
		n := runs.Add(1)
		if n == 1 {
			<-release
		}
		return n, nil
	}
	first := make(chan int32, 1)
	go func() {
		v, _ := cachedAggregate(context.Background(), s, "k", compute)
		first <- v
	}()
	for runs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	writer := ForUser(context.Background(), 7)
	s.writes.committed(writer, map[string]bool{"feedback": true})
	later := make(chan int32, 3)
	for range 3 {
		go func() {
			v, _ := cachedAggregate(writer, s, "k", compute)
			later <- v
		}()
	}
	time.Sleep(20 * time.Millisecond)
	if n := runs.Load(); n != 1 {
		t.Fatalf("%d computations while the first still ran, want 1", n)
	}
	close(release)
	if v := <-first; v != 1 {
		t.Fatalf("first reader got %d", v)
	}
	for range 3 {
		if v := <-later; v != 2 {
			t.Fatalf("a reader who wrote got %d, want the computation after their write (2)", v)
		}
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("%d computations, want 2", n)
	}
}

func TestRefreshDue(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		age  time.Duration
		want bool
	}{
		{"fresh", 0, false},
		{"within three quarters of the TTL", aggregateTTL * 3 / 4, false},
		{"past three quarters of the TTL", aggregateTTL*3/4 + time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := refreshDue(t0, t0.Add(tt.age), aggregateTTL); got != tt.want {
				t.Fatalf("refreshDue = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCatchUpDue(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		gen, current uint64
		age, lag     time.Duration
		want         bool
	}{
		{"no write", 3, 3, aggregateTTL, time.Second, false},
		{"a write, within half the lag", 3, 4, 500 * time.Millisecond, time.Second, false},
		{"a write, past half the lag", 3, 4, 501 * time.Millisecond, time.Second, true},
		{"a write, no lag", 3, 4, time.Millisecond, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := catchUpDue(tt.gen, t0, tt.current, t0.Add(tt.age), tt.lag); got != tt.want {
				t.Fatalf("catchUpDue = %v, want %v", got, tt.want)
			}
		})
	}
}

// Kept figures that will soon be too old are recomputed in the background while
// readers still get them without waiting; the next reader gets the new ones.
func TestCachedAggregateRefreshesAhead(t *testing.T) {
	s := &Store{lag: 100 * time.Millisecond}
	var n atomic.Int32
	release := make(chan struct{})
	compute := func(context.Context) (int32, error) {
		if v := n.Add(1); v > 1 {
			<-release
			return v, nil
		}
		return 1, nil
	}
	if v, _ := cachedAggregate(context.Background(), s, "k", compute); v != 1 {
		t.Fatalf("first = %d", v)
	}
	s.writes.committed(ForUser(context.Background(), 8), map[string]bool{"feedback": true})
	time.Sleep(60 * time.Millisecond) // past half the lag, within it
	// The refresh is blocked on release: the reader must not wait for it.
	if v, _ := cachedAggregate(context.Background(), s, "k", compute); v != 1 {
		t.Fatalf("within the lag = %d, want the kept 1", v)
	}
	close(release)
	deadline := time.Now().Add(2 * time.Second)
	for {
		v, _ := cachedAggregate(context.Background(), s, "k", compute)
		if v == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the figures were not refreshed in the background (got %d)", v)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if runs := n.Load(); runs != 2 {
		t.Fatalf("computed %d times, want 2 (one refresh)", runs)
	}
}

// A user's reads through an instance are computed afresh for a while after their latest
// write when another instance took it; its own writes are covered by its generations.
func TestNotBefore(t *testing.T) {
	w := &writeLog{instance: "me"}
	now := time.Now()
	tests := []struct {
		name  string
		ctx   context.Context
		zero  bool
		after time.Time // the result is not before this
	}{
		{"no user", context.Background(), true, time.Time{}},
		{"never wrote", ForUser(context.Background(), 7), true, time.Time{}},
		{"latest write through this instance", WithLastWrite(ForUser(context.Background(), 7), &now, "me", nil), true, time.Time{}},
		{"through another, just now: afresh from this read on", WithLastWrite(ForUser(context.Background(), 7), &now, "other", nil), false, now},
		{"through another, long ago: after the margin", WithLastWrite(ForUser(context.Background(), 7), ptr(now.Add(-time.Hour)), "other", nil), false, now.Add(-time.Hour).Add(crossInstanceMargin)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := w.notBefore(tt.ctx)
			if got.IsZero() != tt.zero {
				t.Fatalf("notBefore = %v, want zero %v", got, tt.zero)
			}
			if !tt.zero && got.Before(tt.after) {
				t.Fatalf("notBefore = %v, want not before %v", got, tt.after)
			}
			if !tt.zero && got.After(time.Now()) {
				t.Fatalf("notBefore = %v is in the future: nothing could be shown", got)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// A full cache makes room by dropping figures past their limit, not the fresh ones.
func TestKeepDropsExpiredFiguresFirst(t *testing.T) {
	a := &aggregates{limit: 3}
	old := time.Now().Add(-time.Minute)
	a.keep("dashboard", aggregateEntry{value: 1, at: time.Now(), ttl: aggregateTTL})
	a.keep("unread 1", aggregateEntry{value: 2, at: old, ttl: navCountTTL})
	a.keep("unread 2", aggregateEntry{value: 3, at: old, ttl: navCountTTL})
	a.keep("unread 3", aggregateEntry{value: 4, at: time.Now(), ttl: navCountTTL})
	if _, ok := a.entries["dashboard"]; !ok || len(a.entries) != 2 {
		t.Fatalf("kept %v, want the dashboard and unread 3", a.entries)
	}
	// Older figures never replace newer ones of the same key.
	computed := time.Now()
	a.entries["dashboard"] = aggregateEntry{value: 5, gen: 9, at: computed, ttl: aggregateTTL}
	a.keep("dashboard", aggregateEntry{value: 6, gen: 8, at: computed.Add(-time.Millisecond), ttl: aggregateTTL})
	if v := a.entries["dashboard"].value; v != 5 {
		t.Fatalf("figures of generation 8 replaced those of 9: %v", v)
	}
	// Figures judged past writes since (generation 9, computed earlier) give way to a
	// computation started later, before those writes were told: its TTL runs from later.
	a.keep("dashboard", aggregateEntry{value: 9, gen: 8, at: computed.Add(time.Millisecond), ttl: aggregateTTL})
	if v := a.entries["dashboard"].value; v != 9 {
		t.Fatalf("a later computation was dropped for figures judged past its generation: %v", v)
	}
	// All fresh and full: the cache starts over rather than grow.
	a.keep("unread 4", aggregateEntry{value: 7, at: time.Now(), ttl: navCountTTL})
	a.keep("unread 5", aggregateEntry{value: 8, at: time.Now(), ttl: navCountTTL})
	if len(a.entries) > 3 {
		t.Fatalf("%d entries kept, limit 3", len(a.entries))
	}
}

// Figures shown while others write catch up with the writes in the background, once
// half the lag has passed, by a judgement instead of a computation; past the lag they
// are still the kept ones, as of the latest write.
func TestKeptFiguresCatchUpInTheBackground(t *testing.T) {
	s := &Store{lag: 100 * time.Millisecond}
	var computed, judged atomic.Int32
	compute := func(context.Context) (int32, error) { return computed.Add(1), nil }
	after := func(_ context.Context, kept int32, since []loggedWrite) (int32, bool) {
		judged.Add(1)
		return kept, len(since) == 1 && since[0].feedback != nil
	}
	read := func() int32 {
		t.Helper()
		v, err := cachedJudged(context.Background(), s, &s.aggs, "k", aggregateTTL, compute, after)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	read()
	other := ForUser(context.Background(), 8)
	s.writes.committed(withFootprint(other, newFeedbackWrite(1, time.Now())), map[string]bool{"feedback": true})
	time.Sleep(60 * time.Millisecond)
	if v := read(); v != 1 {
		t.Fatalf("within the lag: %d, want the kept 1", v)
	}
	for deadline := time.Now().Add(5 * time.Second); judged.Load() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no judgement of the write in the background")
		}
	}
	time.Sleep(100 * time.Millisecond)
	if v := read(); v != 1 || computed.Load() != 1 || judged.Load() != 1 {
		t.Fatalf("past the lag after the judgement: value %d, %d computations, %d judgements; want the kept 1, 1, 1",
			v, computed.Load(), judged.Load())
	}
	// A write the judgement cannot tell (no footprint), past the lag since the figures
	// were last judged, is waited for.
	s.writes.committed(other, map[string]bool{"feedback": true})
	if v := read(); v != 2 {
		t.Fatalf("after a write no judgement can tell: %d, want a computation (2)", v)
	}
}
