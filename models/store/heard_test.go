package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// twoHearing opens two stores on one PostgreSQL schema that hear each other's writes
// (heard.go), with other people's writes otherwise hidden for an hour; it skips on
// SQLite, which runs one instance.
func twoHearing(t *testing.T) (*store.Store, *store.Store) {
	t.Helper()
	if !modeltest.Postgres() {
		t.Skip("instances hear each other's writes on PostgreSQL; SQLite runs one instance")
	}
	url := modeltest.URL(t)
	open := func() *store.Store {
		s, err := store.Open(context.Background(), url, store.Options{Location: modeltest.Copenhagen, OthersLag: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	for _, s := range []*store.Store{a, b} {
		if listening, _ := s.Hearing(); !listening {
			t.Fatal("a store on PostgreSQL does not hear other instances' writes once open")
		}
	}
	if err := a.SeedReference(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// heardWrites is how many writes of other instances s has heard.
func heardWrites(s *store.Store) uint64 {
	_, n := s.Hearing()
	return n
}

// waitHeard waits until s has heard more than n writes of other instances.
func waitHeard(t *testing.T, s *store.Store, n uint64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); heardWrites(s) <= n; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("heard %d writes of the other instance after 10 s, want more than %d", heardWrites(s), n)
		}
	}
}

// A user's own feedback through the other instance, once heard, is judged like one made
// here: the kept figures of improvements outlive it while the figures of feedback count
// it. Without hearing it the instance computes everything afresh for that user (the
// other instance's improvement, hidden until now, would then show).
func TestOwnFeedbackHeardFromTheOtherInstanceIsJudged(t *testing.T) {
	ctx := context.Background()
	here, there := twoHearing(t)
	me := modeltest.User(t, here, "me@example.com", models.RoleSteering, models.RoleAmbassador)
	colleague := modeltest.User(t, here, "colleague@example.com", models.RoleSteering)
	as := func() context.Context {
		t.Helper()
		u, err := here.UserByID(ctx, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		return store.WithLastWrite(store.ForUser(ctx, u.ID), u.LastWriteAt, u.LastWriteBy, u.ElsewhereWriteAt)
	}
	// The dashboard's figures are kept per minute: held at one, the two reads share them.
	now := time.Now()
	here.Now = func() time.Time { return now }
	dashboard := func() *models.Dashboard {
		t.Helper()
		d, err := here.Dashboard(as())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	before := dashboard()
	heard := heardWrites(here)
	implement(t, there, colleague, "Shorter phone queue", models.EffortXS, "", time.Now()) // someone else's: within the lag
	if _, err := there.CreateFeedback(store.ForUser(ctx, me.ID), models.NewFeedback{Channel: "phone", NPS: score(9), Comment: "Fint"}, me); err != nil {
		t.Fatal(err)
	}
	waitHeard(t, here, heard+3) // the improvement's creation, its two moves, then the feedback
	wantImprovementsKeptPromoterCounted(t, before, dashboard(), "the reader's own feedback through the other instance")
}

// An erasure through one instance, once heard, drops what the other kept: its next page
// does not show the erased address, although other people's writes are hidden for an hour.
func TestErasureHeardFromTheOtherInstanceDropsKeptPages(t *testing.T) {
	ctx := context.Background()
	here, there := twoHearing(t)
	admin := modeltest.User(t, here, "admin@example.com", models.RoleAdmin)
	reader := store.ForUser(ctx, admin.ID)
	if _, err := here.CreateFeedback(reader, models.NewFeedback{Channel: "phone", NPS: score(3), Comment: "Ring mig",
		CustomerName: "Karen Jensen", CustomerEmail: "karen@example.com", Consent: true}, admin); err != nil {
		t.Fatal(err)
	}
	shows := func() bool {
		t.Helper()
		page, err := here.ListFeedback(reader, models.FeedbackFilter{}, models.Cursor{}, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			if it.CustomerEmail != nil && *it.CustomerEmail == "karen@example.com" {
				return true
			}
		}
		return false
	}
	if !shows() {
		t.Fatal("the first page does not show the feedback's address before the erasure")
	}
	heard := heardWrites(here)
	if n, err := there.EraseCustomer(ctx, "karen@example.com", nil); err != nil || n != 1 {
		t.Fatalf("erase: %d rows, %v", n, err)
	}
	waitHeard(t, here, heard)
	if shows() {
		t.Fatal("the other instance still shows the erased address on its kept first page")
	}
}

// An instance whose listening connection is cut listens again, and hears the writes
// made after that.
func TestListeningAgainAfterALostConnection(t *testing.T) {
	ctx := context.Background()
	here, there := twoHearing(t)
	author := modeltest.User(t, here, "author@example.com", models.RoleAmbassador)
	var cut int64
	if err := there.Writer(ctx).Raw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE pid <> pg_backend_pid() AND query = ?`, `LISTEN "`+here.WritesChannel()+`"`).Scan(&cut).Error; err != nil {
		t.Fatal(err)
	}
	if cut < 2 { // both stores listen on the schema's channel (and the schema's own store)
		t.Fatalf("cut %d listening connections, want both stores'", cut)
	}
	heard := heardWrites(here)
	deadline := time.Now().Add(15 * time.Second)
	for heardWrites(here) == heard {
		if time.Now().After(deadline) {
			t.Fatal("the instance did not hear a write within 15 s of losing its listening connection")
		}
		if _, err := there.CreateFeedback(store.ForUser(ctx, author.ID), models.NewFeedback{Channel: "phone", NPS: score(7), Comment: "Igen"}, author); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if listening, _ := here.Hearing(); !listening {
		t.Error("the store heard a write but does not report that it listens")
	}
}
