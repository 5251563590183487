package models

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
	"gorm.io/gorm"
)

// aggregateTTL bounds how old the dashboard's and reports' figures may be. They sum up
// a million feedback and thousands of improvements (50-500 ms cold on the benchmark's
// data set); read many times a minute, they are computed once per write or per TTL. A
// write through this instance drops them at once, so whoever just logged feedback sees
// it counted; writes through another instance sharing the database show within the TTL.
const aggregateTTL = 5 * time.Second

// aggregates caches computed figures by key until the next write or the TTL.
type aggregates struct {
	writes  atomic.Uint64
	flight  singleflight.Group
	mu      sync.Mutex
	entries map[string]aggregateEntry
}

type aggregateEntry struct {
	value  any
	writes uint64
	at     time.Time
}

// quietTables are written on every request or by the clock; their writes change no
// figure, so they keep the cache.
var quietTables = map[string]bool{"sessions": true, "job_leases": true, "outbox": true}

// watchWrites counts every write made through db.
func (a *aggregates) watchWrites(db *gorm.DB) error {
	bump := func(tx *gorm.DB) {
		if !quietTables[tx.Statement.Table] {
			a.writes.Add(1)
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("tracker:count_writes", bump),
		cb.Update().After("gorm:update").Register("tracker:count_writes", bump),
		cb.Delete().After("gorm:delete").Register("tracker:count_writes", bump),
		cb.Raw().After("gorm:raw").Register("tracker:count_writes", bump),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *aggregates) get(key string, now time.Time) (any, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := a.entries[key]
	if !ok || e.writes != a.writes.Load() || now.Sub(e.at) > aggregateTTL || now.Before(e.at) {
		return nil, false
	}
	return e.value, true
}

func (a *aggregates) put(key string, v any, writes uint64, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.entries == nil || len(a.entries) > 1024 {
		a.entries = map[string]aggregateEntry{}
	}
	a.entries[key] = aggregateEntry{value: v, writes: writes, at: now}
}

// cachedAggregate returns the figures under key, computing them when none are fresh.
// Visits that miss at the same moment wait for one computation instead of each making
// their own (32 at once made a yearly report take 14 s). Callers only read what they
// get: it is shared between requests.
func cachedAggregate[T any](s *Store, key string, compute func() (T, error)) (T, error) {
	if v, ok := s.aggs.get(key, time.Now()); ok {
		return v.(T), nil
	}
	v, err, _ := s.aggs.flight.Do(key, func() (any, error) {
		now := time.Now()
		if v, ok := s.aggs.get(key, now); ok {
			return v, nil
		}
		writes := s.aggs.writes.Load() // before computing: a write during it makes it stale
		v, err := compute()
		if err != nil {
			return nil, err
		}
		s.aggs.put(key, v, writes, now)
		return v, nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
