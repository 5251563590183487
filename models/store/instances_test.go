package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// Two stores on one database, as two instances behind a load balancer: what a user
// changes through one shows in the other's kept reference lists on their next read,
// although that instance never saw the write (others see it within refCacheTTL).
func TestOwnReferenceChangeShowsThroughTheOtherStore(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	admin := modeltest.User(t, a, "admin@example.com", models.RoleAdmin)
	// What the app does on each request: the user, read afresh, rides in the context.
	asUser := func(s *store.Store) context.Context {
		u, err := s.UserByID(ctx, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		return store.WithLastWrite(store.ForUser(ctx, u.ID), u.LastWriteAt, u.LastWriteBy, u.ElsewhereWriteAt)
	}
	phone, err := b.ResolveRef(asUser(b), models.RefChannels, "phone") // b now keeps the list
	if err != nil {
		t.Fatal(err)
	}
	if err := a.UpdateRef(asUser(a), models.RefChannels, phone.ID, "Telefonen", true, admin); err != nil {
		t.Fatal(err)
	}
	list, err := b.RefList(asUser(b), models.RefChannels)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range list {
		if it.ID == phone.ID && it.Name != "Telefonen" {
			t.Errorf("through the other store the author still reads %q after renaming it", it.Name)
		}
	}
}

// twoInstances opens two stores on one database, as two instances of the app run, with
// the reference lists seeded and other people's writes hidden for an hour.
func twoInstances(t *testing.T) (*store.Store, *store.Store) {
	t.Helper()
	url := modeltest.URL(t)
	a, b := openLagging(t, url), openLagging(t, url)
	if err := a.SeedReference(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// openLagging opens a store on url whose kept figures miss other people's writes for an
// hour, so that a test sees what only a cache could show.
func openLagging(t *testing.T, url string) *store.Store {
	t.Helper()
	return openWithLag(t, url, time.Hour)
}

// openWithLag opens a store on url whose kept figures may miss other people's writes
// for lag (Options.OthersLag). It does not hear other instances' writes (Options.Deaf):
// what they change shows through it only as its caches expire.
func openWithLag(t *testing.T, url string, lag time.Duration) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url, store.Options{Location: modeltest.Copenhagen, OthersLag: lag, Deaf: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
