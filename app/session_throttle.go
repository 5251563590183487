package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
)

// throttledSessions stands between the session manager and the database. With an idle
// timeout, scs saves the session after every request only to push its expiry on, and
// that made every page view a database write, queued behind the single SQLite writer.
// This store skips such a save when the data is exactly what this instance last wrote
// or read and the expiry moved by less than touch: the idle timeout then ends at most
// touch early. Any change of the data is written at once.
type throttledSessions struct {
	inner scs.CtxStore
	touch time.Duration
	now   func() time.Time

	mu      sync.Mutex
	known   map[string]sessionMark
	commits int
}

// sessionMark is what the database holds for a token, as far as this instance knows.
type sessionMark struct {
	sum    [sha256.Size]byte
	expiry time.Time
	at     time.Time // when this instance learnt it
}

func newThrottledSessions(inner scs.CtxStore, touch time.Duration) *throttledSessions {
	return &throttledSessions{inner: inner, touch: touch, now: time.Now, known: map[string]sessionMark{}}
}

// FindCtx loads a session. What it read becomes the known state, so that a session
// changed by another instance is never mistaken for the one this instance wrote.
func (t *throttledSessions) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, found, err := t.inner.FindCtx(ctx, token)
	if err != nil {
		return b, found, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !found {
		delete(t.known, token)
		return b, found, nil
	}
	sum := sessionSum(b)
	if m, ok := t.known[token]; !ok || m.sum != sum {
		// The expiry in the database is unknown here; a zero expiry makes the next
		// commit write.
		t.known[token] = sessionMark{sum: sum, at: t.now()}
	}
	return b, found, nil
}

// CommitCtx saves a session unless only its expiry moved, and by less than touch.
func (t *throttledSessions) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	sum := sessionSum(b)
	now := t.now()
	t.mu.Lock()
	m, ok := t.known[token]
	skip := ok && m.sum == sum && !m.expiry.IsZero() && !expiry.Before(m.expiry) && expiry.Sub(m.expiry) < t.touch
	t.mu.Unlock()
	if skip {
		return nil
	}
	if err := t.inner.CommitCtx(ctx, token, b, expiry); err != nil {
		t.forget(token)
		return err
	}
	t.mu.Lock()
	t.known[token] = sessionMark{sum: sum, expiry: expiry, at: now}
	t.commits++
	if t.commits%1024 == 0 {
		t.sweepLocked(now)
	}
	t.mu.Unlock()
	return nil
}

// DeleteCtx removes a session.
func (t *throttledSessions) DeleteCtx(ctx context.Context, token string) error {
	t.forget(token)
	return t.inner.DeleteCtx(ctx, token)
}

func (t *throttledSessions) forget(token string) {
	t.mu.Lock()
	delete(t.known, token)
	t.mu.Unlock()
}

// sweepLocked drops marks too old to skip anything, so the map stays small.
func (t *throttledSessions) sweepLocked(now time.Time) {
	for tok, m := range t.known {
		if now.Sub(m.at) > t.touch {
			delete(t.known, tok)
		}
	}
}

// Find implements scs.Store for callers without a context.
func (t *throttledSessions) Find(token string) ([]byte, bool, error) {
	return t.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (t *throttledSessions) Commit(token string, b []byte, expiry time.Time) error {
	return t.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (t *throttledSessions) Delete(token string) error {
	return t.DeleteCtx(context.Background(), token)
}

// sessionSum fingerprints a session's content. scs encodes its values map with gob,
// which writes a map in random order: the same two values (user and auth version) gave
// different bytes on half the requests, and each of those was written. The sum is
// therefore taken over the decoded values in key order.
//
// sessionCodec writes the values in key order already: its bytes are hashed as they are.
func sessionSum(b []byte) [sha256.Size]byte {
	if bytes.HasPrefix(b, []byte(sessionFormat)) {
		return sha256.Sum256(b)
	}
	deadline, values, err := scs.GobCodec{}.Decode(b)
	if err != nil {
		return sha256.Sum256(b)
	}
	keys := slices.Sorted(maps.Keys(values))
	h := sha256.New()
	fmt.Fprintf(h, "%d", deadline.UnixNano())
	for _, k := range keys {
		fmt.Fprintf(h, "\x00%q=%T:%v", k, values[k], values[k])
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}
