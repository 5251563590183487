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

// A count past the cap is judged after everyone's new feedback, not computed again: it
// cannot fall under the cap by new feedback. Shown by rows removed behind the
// instance's back (through another, deaf one), which take the true count just under the
// cap: a count computed again after a colleague's feedback would no longer be capped.
// Only cheap writes lie between the two counts, well within the kept count's TTL.
func TestCappedCountOutlivesOthersFeedback(t *testing.T) {
	ctx := context.Background()
	url := modeltest.URL(t)
	here, there := openWithLag(t, url, 0), openWithLag(t, url, 0)
	if err := here.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	reader := modeltest.User(t, here, "reader@example.com", models.RoleAmbassador)
	colleague := modeltest.User(t, here, "colleague@example.com", models.RoleAmbassador)
	ch, err := here.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	fb, err := there.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	received := time.Now().UTC().Add(-time.Hour)
	const first = 1_000_000
	for i := range models.CountCap + 1 {
		if err := fb.Add(&models.Feedback{ID: int64(first + i), ReceivedAt: received, ChannelID: ch.ID, Comment: "Gebyret er for højt"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := fb.Close(); err != nil {
		t.Fatal(err)
	}
	f := models.FeedbackFilter{Q: "gebyret"}
	count := func() (int, bool) {
		t.Helper()
		n, capped, err := here.CountFeedback(store.ForUser(ctx, reader.ID), f)
		if err != nil {
			t.Fatal(err)
		}
		return n, capped
	}
	if n, capped := count(); !capped {
		t.Fatalf("count %d, want it capped at %d", n, models.CountCap)
	}
	if err := there.Writer(ctx).Exec(`DELETE FROM feedback WHERE id IN (?, ?)`, first, first+1).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := here.CreateFeedback(store.ForUser(ctx, colleague.ID), models.NewFeedback{Channel: "phone", NPS: score(4),
		Comment: "Lang ventetid"}, colleague); err != nil {
		t.Fatal(err)
	}
	if n, capped := count(); !capped {
		t.Fatalf("the capped count was computed again after a colleague's new feedback: %d", n)
	}
}
