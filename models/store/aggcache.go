package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// aggregateTTL bounds how old the dashboard's and reports' figures may be. They sum up
// a million feedback and thousands of improvements (50-500 ms cold on the benchmark's
// data set); read many times a minute, they are computed once per write or per TTL.
// Writes through this instance reach the cache after their commit (writeLog); writes
// through another instance sharing the database show within the TTL.
const aggregateTTL = 5 * time.Second

// computeTimeout bounds a shared computation. It runs detached from the request that
// started it, so it needs a limit of its own.
const computeTimeout = 30 * time.Second

// aggregates caches computed figures by key, each with the write generation it was
// computed at (see writeLog).
type aggregates struct {
	// limit is how many keys are kept (default 1024); see keep.
	limit int
	// writeBlind keeps what no write can make wrong (the search's plan choices, see
	// cachedPlan) for its whole TTL, whoever wrote since.
	writeBlind bool
	// byTables keeps values whose keys name the generations of the tables they read
	// (cachedByTables): a write to one of them makes a new key, so no write is waited for.
	byTables bool
	// ownOnly says which kept values are judged after the reader's own writes only,
	// not after everyone's (judgeKept): values that most writes change, whose
	// judgement after a second of everyone's writes nearly always failed and only
	// added its cost. Nil: none.
	ownOnly func(value any) bool
	mu      sync.Mutex
	// floor is the oldest write generation whose figures may still be shown (forget).
	floor   uint64
	entries map[string]aggregateEntry
	// flights are the computations running now, the latest per key.
	flights map[string]*flight
	// judging are the keys whose kept values are being judged in the background.
	judging map[string]bool
}

type aggregateEntry struct {
	value any
	gen   uint64
	at    time.Time     // when it was computed
	upTo  time.Time     // when gen was the latest generation: at, or when it was judged since (judgeKept)
	ttl   time.Duration // how long it may be shown at most
}

// flight is one computation that readers wait for together.
type flight struct {
	done  chan struct{}
	value any
	err   error
	gen   uint64
	at    time.Time
	// next is queued to start when this one ends, for readers it started too early for.
	next *flight
}

// usable says whether figures computed at generation gen, at time at, may be shown to
// a reader who must see generation need, when the log is at current: never older than
// ttl, never before the reader's own latest write (here: gen; through another
// instance: notBefore), and, when anyone else wrote since gen, not kept for more than
// lag since upTo, when gen was the latest.
func usable(gen uint64, at, upTo time.Time, need, current uint64, notBefore, now time.Time, lag, ttl time.Duration) bool {
	if !fresh(at, notBefore, now, ttl) || gen < need {
		return false
	}
	return gen == current || now.Sub(upTo) <= lag
}

// fresh says whether figures computed at time at may still be shown to a reader who
// must see what was written until notBefore, whatever was written here since.
func fresh(at, notBefore, now time.Time, ttl time.Duration) bool {
	age := now.Sub(at)
	return age >= 0 && age <= ttl && at.After(notBefore)
}

// refreshDue says whether usable figures should be recomputed in the background while
// they are still shown: past three quarters of ttl. The new figures are ready before
// the old ones may no longer be shown, so readers do not all wait at once when they
// expire.
func refreshDue(at, now time.Time, ttl time.Duration) bool {
	return now.Sub(at) > ttl-ttl/4
}

// catchUpDue says whether usable figures should catch up with the writes made since
// gen, in the background while they are still shown: past half of lag since upTo.
func catchUpDue(gen uint64, upTo time.Time, current uint64, now time.Time, lag time.Duration) bool {
	return gen != current && now.Sub(upTo) > lag/2
}

// cachedAggregate returns the figures under key, computing them when none are fresh
// enough (aggregateTTL, Options.OthersLag, and always after the reader's own write).
// Callers only read what they get: it is shared between requests.
func cachedAggregate[T any](ctx context.Context, s *Store, key string, compute func(context.Context) (T, error)) (T, error) {
	return cachedFor(ctx, s, key, aggregateTTL, compute)
}

// cachedFor is cachedAggregate with its own TTL. Visits that miss at the same moment
// wait for one computation instead of each making their own (32 at once made a yearly
// report take 14 s). At most one computation per key runs: a reader for whom the running
// one started too early (before their own write) waits for the next, which starts when
// the running one ends and serves every reader queued for it; a team writing all day
// otherwise had a dozen computations of the same figures running at once. The
// computation runs under a context detached from every request (with computeTimeout),
// so a client that hangs up stops only its own wait, never the computation the others
// wait for.
func cachedFor[T any](ctx context.Context, s *Store, key string, ttl time.Duration, compute func(context.Context) (T, error)) (T, error) {
	return cachedIn(ctx, s, &s.aggs, key, ttl, compute)
}

// planTTL bounds how long a plan choice is kept (cachedPlan).
const planTTL = time.Minute

// cachedPlan keeps a choice of how to find a page (is a search word common, which
// trigram of a word is rarest) for planTTL, through writes. The choice changes how
// fast a page is found, never what it holds, and its counts move by a few rows per
// write; recomputed after every write like a figure, the trigram choice alone was 6%
// of the CPU under the soak's mixed load.
func cachedPlan[T any](ctx context.Context, s *Store, key string, compute func(context.Context) (T, error)) (T, error) {
	return cachedIn(ctx, s, &s.plans, key, planTTL, compute)
}

// cachedByTables keeps a value that reads only the given tables (what it reads of any
// other never changes after insert) until one of them is written: a write through this
// instance to one of them, the reader's or anyone's, makes a new key and so a new value
// at once, while the feedback the whole team logs all day leaves it. A write through
// another instance shows within aggregateTTL, to its author at once (notBefore). The
// tables' generations are read before the computation starts, so a write that commits
// while it runs makes the next reader compute again.
func cachedByTables[T any](ctx context.Context, s *Store, key string, tables []string, compute func(context.Context) (T, error)) (T, error) {
	var gens uint64
	for _, t := range tables {
		gens += s.writes.table(t)
	}
	return cachedIn(ctx, s, &s.byTables, fmt.Sprintf("%s @%d", key, gens), aggregateTTL, compute)
}

// cachedIn is cachedFor in the cache a.
func cachedIn[T any](ctx context.Context, s *Store, a *aggregates, key string, ttl time.Duration, compute func(context.Context) (T, error)) (T, error) {
	return cachedJudged(ctx, s, a, key, ttl, compute, nil)
}

// cachedJudged is cachedIn for a value that may outlive writes: when after judges
// that it holds after the writes made since it was kept (or amends it with them), it
// is kept as of now instead of being computed again (judgeKept); and when after judges
// that it holds after the reader's own writes, the reader is shown that instead of
// waiting for a computation (ownwrites.go).
func cachedJudged[T any](ctx context.Context, s *Store, a *aggregates, key string, ttl time.Duration,
	compute func(context.Context) (T, error), after afterWrites[T]) (T, error) {
	var zero T
	now := time.Now()
	need, current, notBefore := s.writes.seenBy(ctx), s.writes.all.Load(), s.writes.notBefore(ctx)
	if a.writeBlind {
		need, current, notBefore = 0, 0, time.Time{}
	}
	if a.byTables {
		need, current = 0, 0
	}
	a.mu.Lock()
	need = max(need, a.floor)
	if e, ok := a.entries[key]; ok && usable(e.gen, e.at, e.upTo, need, current, notBefore, now, s.lag, ttl) {
		freshen(ctx, s, a, key, e, current, now, ttl, compute, after)
		a.mu.Unlock()
		return e.value.(T), nil
	}
	if e, ok := a.entries[key]; ok && after != nil && e.gen >= a.floor && fresh(e.at, notBefore, now, ttl) && s.writes.judgeable(ctx, e.at) {
		// Kept from before writes, the reader's or others', and fresh enough
		// otherwise: judged outside the lock, since the judgement may read the database.
		a.mu.Unlock()
		if !a.judgesOwnOnly(e.value) {
			if shown, ok := judgeKept(ctx, s, a, key, e, after); ok {
				return shown, nil
			}
		}
		if shown, ok := judgeOwn(ctx, s, a, key, e, need, now, ttl, compute, after); ok {
			return shown, nil
		}
		a.mu.Lock()
		need = max(need, a.floor)
	}
	f, running := a.flights[key]
	switch {
	case !running:
		f = &flight{done: make(chan struct{})}
		startFlight(ctx, s, a, key, ttl, compute, f)
	case usable(f.gen, f.at, f.at, need, current, notBefore, now, s.lag, ttl):
		// Join it.
	default:
		if f.next == nil {
			f.next = &flight{done: make(chan struct{})}
		}
		f = f.next
	}
	a.mu.Unlock()
	select {
	case <-f.done:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	if f.err != nil {
		return zero, f.err
	}
	return f.value.(T), nil
}

// freshen starts, for a kept entry e that is shown as it is, what keeps it fresh for
// the next readers, with a.mu held: a computation in the background past three
// quarters of its TTL, or else, once others wrote, a judgement of their writes
// (judgeKept) in the background, or a computation when the value cannot be judged or
// fails the judgement.
func freshen[T any](ctx context.Context, s *Store, a *aggregates, key string, e aggregateEntry, current uint64, now time.Time,
	ttl time.Duration, compute func(context.Context) (T, error), after afterWrites[T]) {
	if _, running := a.flights[key]; running || a.judging[key] {
		return
	}
	switch {
	case refreshDue(e.at, now, ttl):
		startFlight(ctx, s, a, key, ttl, compute, &flight{done: make(chan struct{})})
	case !catchUpDue(e.gen, e.upTo, current, now, s.lag):
	case after == nil || a.judgesOwnOnly(e.value):
		startFlight(ctx, s, a, key, ttl, compute, &flight{done: make(chan struct{})})
	default:
		if a.judging == nil {
			a.judging = map[string]bool{}
		}
		a.judging[key] = true
		detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), computeTimeout)
		go func() {
			defer cancel()
			_, ok := judgeKept(detached, s, a, key, e, after)
			a.mu.Lock()
			defer a.mu.Unlock()
			delete(a.judging, key)
			if _, running := a.flights[key]; !ok && !running {
				startFlight(ctx, s, a, key, ttl, compute, &flight{done: make(chan struct{})})
			}
		}()
	}
}

// judgesOwnOnly says whether value, kept in a, is judged after its reader's own
// writes only (ownOnly).
func (a *aggregates) judgesOwnOnly(value any) bool {
	return a.ownOnly != nil && a.ownOnly(value)
}

// judgeKept judges the kept entry e of key after every write made through this
// instance since it was kept. When it holds (or after amends it), the value shown from
// now on is kept as of those writes, as if computed now, with its computation's time
// left as it was: writes through other instances still show within its TTL.
func judgeKept[T any](ctx context.Context, s *Store, a *aggregates, key string, e aggregateEntry, after afterWrites[T]) (shown T, holds bool) {
	defer func() {
		if p := recover(); p != nil {
			holds = false
			slog.Error("judging a kept value panicked", "key", key, "panic", p)
		}
	}()
	upTo := time.Now() // no later than the writes' generation was the latest
	since, gen, all := s.writes.writesSince(e.gen)
	if !all {
		return shown, false
	}
	if shown, holds = after(ctx, e.value.(T), since); !holds {
		return shown, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if e.gen < a.floor { // an erasure since: nothing kept from before it may be shown
		return shown, false
	}
	if a.stillKeeps(key, e) {
		a.entries[key] = aggregateEntry{value: shown, gen: gen, at: e.at, upTo: upTo, ttl: e.ttl}
	}
	return shown, true
}

// stillKeeps says whether e is still what is kept under key, with a.mu held: a judgement
// of e is of no use for one kept since.
func (a *aggregates) stillKeeps(key string, e aggregateEntry) bool {
	kept, ok := a.entries[key]
	return ok && kept.gen == e.gen && kept.at.Equal(e.at)
}

// judgeOwn shows the reader, who must see generation need, the kept entry e of key
// judged after their own writes only, when the writes of others since it was kept are
// within lag (judgeKept judged all of them and failed): the fallback for a value that
// others' writes changed and the reader's did not.
func judgeOwn[T any](ctx context.Context, s *Store, a *aggregates, key string, e aggregateEntry, need uint64, now time.Time,
	ttl time.Duration, compute func(context.Context) (T, error), after afterWrites[T]) (shown T, holds bool) {
	if e.gen >= need || now.Sub(e.upTo) > s.lag {
		return shown, false
	}
	if since, all := s.writes.ownSince(ctx, e.gen); all {
		shown, holds = after(ctx, e.value.(T), since)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// The judgement is of this entry: not of one kept since, nor after an erasure.
	if !holds || !a.stillKeeps(key, e) || e.gen < a.floor {
		return shown, false
	}
	if _, running := a.flights[key]; !running {
		// Others' writes changed it: computed again for the next readers.
		startFlight(ctx, s, a, key, ttl, compute, &flight{done: make(chan struct{})})
	}
	return shown, true
}

// startFlight computes key's figures for the readers waiting on f, with a.mu held. The
// computation runs detached from every request (computeTimeout); when it ends, the
// flight queued behind it, if any, starts.
func startFlight[T any](ctx context.Context, s *Store, a *aggregates, key string, ttl time.Duration,
	compute func(context.Context) (T, error), f *flight) {
	f.gen, f.at = s.writes.all.Load(), time.Now()
	if a.writeBlind || a.byTables {
		f.gen = 0
	}
	if a.flights == nil {
		a.flights = map[string]*flight{}
	}
	a.flights[key] = f
	detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), computeTimeout)
	go func() {
		defer cancel()
		v, err := func() (v T, err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("models: computing %s panicked: %v", key, p)
				}
			}()
			return compute(detached)
		}()
		a.mu.Lock()
		f.value, f.err = v, err
		if err == nil {
			a.keep(key, aggregateEntry{value: v, gen: f.gen, at: f.at, upTo: f.at, ttl: ttl})
		}
		if f.next != nil {
			startFlight(ctx, s, a, key, ttl, compute, f.next)
		} else if a.flights[key] == f {
			delete(a.flights, key)
		}
		a.mu.Unlock()
		close(f.done)
	}()
}

// keep stores figures under key unless newer ones are there, with a.mu held. When the
// cache is full, figures past their limit are dropped first; only when all are still
// fresh does it start over (per-user keys, such as each user's unread count, once
// threw out everyone's dashboard figures whenever a thousand users had been seen).
func (a *aggregates) keep(key string, e aggregateEntry) {
	if old, ok := a.entries[key]; ok {
		// A computation that started after the old one's, but before writes the old
		// one was judged past, is kept too: its TTL runs from later, and the readers
		// judge those writes again.
		if old.gen <= e.gen || old.at.Before(e.at) {
			a.entries[key] = e
		}
		return
	}
	limit := a.limit
	if limit <= 0 {
		limit = 1024
	}
	if len(a.entries) >= limit {
		now := time.Now()
		for k, old := range a.entries {
			if now.Sub(old.at) > old.ttl {
				delete(a.entries, k)
			}
		}
	}
	if a.entries == nil || len(a.entries) >= limit {
		a.entries = map[string]aggregateEntry{}
	}
	a.entries[key] = e
}

// forget drops everything kept, and what is being computed, for every reader: after an
// erasure no page kept from before it may show the erased contact again.
func (a *aggregates) forget(gen uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.floor = max(a.floor, gen)
	a.entries = nil
}
