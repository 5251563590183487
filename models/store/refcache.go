package store

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// refCacheTTL is how long a reference list read from the database is reused. The lists
// are a few dozen rows that change a few times a year, yet every feedback POST resolved
// three of them and named four: seven queries on the single busiest write path. Changes
// made through this instance are seen at once (the write log moves the list's table on
// after the commit); changes made through another instance sharing the database are
// seen within the TTL, by their author at once (writeLog.notBefore).
const refCacheTTL = 2 * time.Second

type refCache struct {
	mu    sync.Mutex
	lists map[models.RefKind]cachedRefs
}

type cachedRefs struct {
	items  []models.RefItem
	loaded time.Time
	// gen is the generation of the list's table when it was read (writeLog.table).
	gen uint64
}

func (c *refCache) get(kind models.RefKind, gen uint64, now, notBefore time.Time) ([]models.RefItem, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.lists[kind]
	if !ok || e.gen != gen || now.Sub(e.loaded) > refCacheTTL || now.Before(e.loaded) || !e.loaded.After(notBefore) {
		return nil, false
	}
	return e.items, true
}

func (c *refCache) put(kind models.RefKind, items []models.RefItem, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lists == nil {
		c.lists = map[models.RefKind]cachedRefs{}
	}
	c.lists[kind] = cachedRefs{items: items, loaded: now, gen: gen}
}

// cachedRefList returns the list, active items first, by name: from the cache when
// fresh. Callers get their own copy, so nothing they change leaks into the cache.
func (s *Store) cachedRefList(ctx context.Context, kind models.RefKind) ([]models.RefItem, error) {
	now := time.Now()
	// Read before loading: a change committed while the list loads leaves it stale.
	gen := s.writes.table(string(kind))
	items, ok := s.refs.get(kind, gen, now, s.writes.notBefore(ctx))
	if !ok {
		var err error
		if items, err = s.loadRefList(ctx, kind); err != nil {
			return nil, err
		}
		s.refs.put(kind, items, gen, now)
	}
	return append([]models.RefItem(nil), items...), nil
}

// findRef picks the item a code or name means: an exact code, else a name in any case;
// an active item before an inactive one, then the oldest.
func findRef(items []models.RefItem, codeOrName string) (models.RefItem, bool) {
	v := strings.ToLower(strings.TrimSpace(codeOrName))
	var best models.RefItem
	found := false
	for _, it := range items {
		if it.Code != v && strings.ToLower(it.Name) != v {
			continue
		}
		if !found || (it.Active && !best.Active) || (it.Active == best.Active && it.ID < best.ID) {
			best, found = it, true
		}
	}
	return best, found
}
