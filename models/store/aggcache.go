package store

import (
	"context"
	"fmt"
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
	mu       sync.Mutex
	// floor is the oldest write generation whose figures may still be shown (forget).
	floor   uint64
	entries map[string]aggregateEntry
	// flights are the computations running now, the latest per key.
	flights map[string]*flight
}

type aggregateEntry struct {
	value any
	gen   uint64
	at    time.Time
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
// instance: notBefore), and, when anyone else wrote since, no older than lag.
func usable(gen uint64, at time.Time, need, current uint64, notBefore, now time.Time, lag, ttl time.Duration) bool {
	age := now.Sub(at)
	if age < 0 || age > ttl || gen < need || !at.After(notBefore) {
		return false
	}
	return gen == current || age <= lag
}

// refreshDue says whether usable figures should be recomputed in the background while
// they are still shown: past half of lag when anyone wrote since, or past three
// quarters of ttl. The new figures are ready before the old ones may no longer be
// shown, so readers do not all wait at once when they expire.
func refreshDue(gen uint64, at time.Time, current uint64, now time.Time, lag, ttl time.Duration) bool {
	age := now.Sub(at)
	return (gen != current && age > lag/2) || age > ttl-ttl/4
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

// cachedJudged is cachedIn for a value that may outlive the reader's own writes: when
// after judges that it holds after them (or amends it with them), the reader is shown
// that instead of waiting for a computation (ownwrites.go).
func cachedJudged[T any](ctx context.Context, s *Store, a *aggregates, key string, ttl time.Duration,
	compute func(context.Context) (T, error), after afterOwnWrites[T]) (T, error) {
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
	if e, ok := a.entries[key]; ok && after != nil && e.gen < need && e.gen >= a.floor &&
		usable(e.gen, e.at, e.gen, current, notBefore, now, s.lag, ttl) && s.writes.judgeable(ctx, e.at) {
		// Kept from before the reader's latest write, and fresh enough otherwise: judged
		// outside the lock, since the judgement may read the database.
		a.mu.Unlock()
		shown, holds := zero, false
		if since, all := s.writes.ownSince(ctx, e.gen); all {
			shown, holds = after(ctx, e.value.(T), since)
		}
		a.mu.Lock()
		// The judgement is of this entry: not of one kept since, nor after an erasure.
		if kept, ok := a.entries[key]; holds && ok && kept.gen == e.gen && kept.at.Equal(e.at) && kept.gen >= a.floor {
			if _, running := a.flights[key]; !running && refreshDue(e.gen, e.at, current, now, s.lag, ttl) {
				startFlight(ctx, s, a, key, ttl, compute, &flight{done: make(chan struct{})})
			}
			a.mu.Unlock()
			return shown, nil
		}
		need = max(need, a.floor)
	}
	if e, ok := a.entries[key]; ok && usable(e.gen, e.at, need, current, notBefore, now, s.lag, ttl) {
		if _, running := a.flights[key]; !running && refreshDue(e.gen, e.at, current, now, s.lag, ttl) {
			startFlight(ctx, s, a, key, ttl, compute, &flight{done: make(chan struct{})})
		}
		a.mu.Unlock()
		return e.value.(T), nil
	}
	f, running := a.flights[key]
	switch {
	case !running:
		f = &flight{done: make(chan struct{})}
		startFlight(ctx, s, a, key, ttl, compute, f)
	case usable(f.gen, f.at, need, current, notBefore, now, s.lag, ttl):
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
			a.keep(key, aggregateEntry{value: v, gen: f.gen, at: f.at, ttl: ttl})
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
		if old.gen <= e.gen {
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
