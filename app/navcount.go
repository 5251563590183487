package app

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/layout"
)

type pageData = layout.Page

// navCounter caches the navigation's work counts for a few seconds: they are shown on
// every page, and a busy team should not pay four count queries per click. Pages that
// find them stale share one recount instead of each waiting for their own in turn: with
// every logged feedback invalidating them, 64 users waited 3 s per page in line for the
// lock while one counted 170,000 untriaged rows after the other.
type navCounter struct {
	store  *models.Store
	ttl    time.Duration
	flight singleflight.Group
	mu     sync.Mutex
	at     time.Time
	val    models.WorkCounts
	// gen counts invalidations: a count that saw one begin during it is not kept.
	gen uint64
}

func newNavCounter(store *models.Store, ttl time.Duration) *navCounter {
	return &navCounter{store: store, ttl: ttl}
}

// For returns the counts the user's roles make relevant.
func (n *navCounter) For(ctx context.Context, u *models.User) layout.NavCounts {
	v := n.current(ctx)
	return layout.NavCounts{FollowUpsDue: v.FollowUpsDue, FollowUpsOverdue: v.FollowUpsOverdue,
		Untriaged: v.Untriaged, Queued: v.Queued, Review: v.Review}
}

func (n *navCounter) current(ctx context.Context) models.WorkCounts {
	n.mu.Lock()
	v, fresh := n.val, time.Since(n.at) <= n.ttl
	n.mu.Unlock()
	if fresh {
		return v
	}
	got, err, _ := n.flight.Do("counts", func() (any, error) {
		n.mu.Lock()
		gen, started := n.gen, time.Now()
		n.mu.Unlock()
		w, err := n.store.WorkCountsUpTo(context.WithoutCancel(ctx), models.NavCountCap)
		if err == nil {
			n.mu.Lock()
			if n.gen == gen {
				n.val, n.at = w, started
			}
			n.mu.Unlock()
		}
		return w, err
	})
	if err != nil {
		return v
	}
	return got.(models.WorkCounts)
}

// Invalidate makes the next page recount, after an action that changed the work.
func (n *navCounter) Invalidate() {
	n.mu.Lock()
	n.at = time.Time{}
	n.gen++
	n.mu.Unlock()
}
