package app

import (
	"context"
	"sync"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/layout"
)

type pageData = layout.Page

// navCounter caches the navigation's work counts for a few seconds: they are shown on
// every page, and a busy team should not pay four count queries per click.
type navCounter struct {
	store *models.Store
	ttl   time.Duration
	mu    sync.Mutex
	at    time.Time
	val   models.WorkCounts
}

func newNavCounter(store *models.Store, ttl time.Duration) *navCounter {
	return &navCounter{store: store, ttl: ttl}
}

// For returns the counts the user's roles make relevant.
func (n *navCounter) For(ctx context.Context, u *models.User) layout.NavCounts {
	n.mu.Lock()
	defer n.mu.Unlock()
	if time.Since(n.at) > n.ttl {
		if v, err := n.store.WorkCounts(ctx); err == nil {
			n.val, n.at = v, time.Now()
		}
	}
	v := n.val
	return layout.NavCounts{FollowUpsDue: v.FollowUpsDue, FollowUpsOverdue: v.FollowUpsOverdue,
		Untriaged: v.Untriaged, Queued: v.Queued, Review: v.Review}
}

// Invalidate makes the next page recount, after an action that changed the work.
func (n *navCounter) Invalidate() {
	n.mu.Lock()
	n.at = time.Time{}
	n.mu.Unlock()
}
