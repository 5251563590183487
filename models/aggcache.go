package models

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
	mu      sync.Mutex
	entries map[string]aggregateEntry
	// flights are the computations running now, the latest per key.
	flights map[string]*flight
}

type aggregateEntry struct {
	value any
	gen   uint64
	at    time.Time
}

// flight is one computation that readers wait for together.
type flight struct {
	done  chan struct{}
	value any
	err   error
	gen   uint64
	at    time.Time
}

// usable says whether figures computed at generation gen, at time at, may be shown to
// a reader who must see generation need, when the log is at current: never older than
// ttl, never before the reader's own latest write, and, when anyone else wrote since,
// no older than lag.
func usable(gen uint64, at time.Time, need, current uint64, now time.Time, lag, ttl time.Duration) bool {
	age := now.Sub(at)
	if age < 0 || age > ttl || gen < need {
		return false
	}
	return gen == current || age <= lag
}

// cachedAggregate returns the figures under key, computing them when none are fresh
// enough (aggregateTTL, Options.OthersLag, and always after the reader's own write).
// Callers only read what they get: it is shared between requests.
func cachedAggregate[T any](ctx context.Context, s *Store, key string, compute func(context.Context) (T, error)) (T, error) {
	return cachedFor(ctx, s, key, aggregateTTL, compute)
}

// cachedFor is cachedAggregate with its own TTL. Visits that miss at the same moment
// wait for one computation instead of each making their own (32 at once made a yearly
// report take 14 s). The computation runs under a context detached from every request
// (with computeTimeout), so a client that hangs up stops only its own wait, never the
// computation the others wait for.
func cachedFor[T any](ctx context.Context, s *Store, key string, ttl time.Duration, compute func(context.Context) (T, error)) (T, error) {
	var zero T
	a := &s.aggs
	now := time.Now()
	need, current := s.writes.seenBy(ctx), s.writes.all.Load()
	a.mu.Lock()
	if e, ok := a.entries[key]; ok && usable(e.gen, e.at, need, current, now, s.lag, ttl) {
		a.mu.Unlock()
		return e.value.(T), nil
	}
	f, ok := a.flights[key]
	if !ok || !usable(f.gen, f.at, need, current, now, s.lag, ttl) {
		f = &flight{done: make(chan struct{}), gen: current, at: now}
		if a.flights == nil {
			a.flights = map[string]*flight{}
		}
		a.flights[key] = f
		detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), computeTimeout)
		go func() {
			defer cancel()
			defer close(f.done)
			v, err := func() (v T, err error) {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("models: computing %s panicked: %v", key, p)
					}
				}()
				return compute(detached)
			}()
			a.mu.Lock()
			defer a.mu.Unlock()
			f.value, f.err = v, err
			if a.flights[key] == f {
				delete(a.flights, key)
			}
			if err != nil {
				return
			}
			if a.entries == nil || len(a.entries) > 1024 {
				a.entries = map[string]aggregateEntry{}
			}
			if e, ok := a.entries[key]; !ok || e.gen <= f.gen {
				a.entries[key] = aggregateEntry{value: v, gen: f.gen, at: f.at}
			}
		}()
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
