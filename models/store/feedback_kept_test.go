package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// First pages of the feedback list are kept (ListFeedback): a user's own write shows
// on their next page, other people's within the lag, an erasure at once for everyone,
// and a caller that changes its rows never changes what the next caller gets.
func TestKeptFirstPages(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, modeltest.URL(t), store.Options{Location: modeltest.Copenhagen, OthersLag: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	admin := modeltest.User(t, s, "admin@example.com", models.RoleAdmin)
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	reader := modeltest.User(t, s, "reader@example.com", models.RoleSteering)
	as := func(u *models.User) context.Context { return store.ForUser(ctx, u.ID) }
	create := func(by *models.User, comment, name, email string) *models.Feedback {
		t.Helper()
		fb, err := s.CreateFeedback(as(by), models.NewFeedback{ReceivedAt: time.Now().Add(-time.Minute), Channel: "phone",
			NPS: score(3), Comment: comment, CustomerName: name, CustomerEmail: email, Consent: true}, by)
		if err != nil {
			t.Fatal(err)
		}
		return fb
	}
	first := func(u *models.User) []models.Feedback {
		t.Helper()
		page, err := s.ListFeedback(as(u), models.FeedbackFilter{}, models.Cursor{}, 50)
		if err != nil {
			t.Fatal(err)
		}
		return page.Items
	}
	has := func(items []models.Feedback, id int64) bool {
		for _, it := range items {
			if it.ID == id {
				return true
			}
		}
		return false
	}

	one := create(amb, "Lang ventetid", "Birgitte Kjærsgaard", "birgitte@example.dk")
	if got := first(reader); !has(got, one.ID) {
		t.Fatal("the first page misses the feedback written before it was first read")
	}
	// Another user's write may wait for the lag (an hour here); the author's shows at once.
	two := create(amb, "Gebyret er for højt", "Ole Olsen", "ole@example.dk")
	if got := first(reader); has(got, two.ID) {
		t.Fatal("the kept page was recomputed for another user's write within the lag; the test would prove nothing")
	}
	if got := first(amb); !has(got, two.ID) {
		t.Error("the author's own feedback is missing from their next first page")
	}

	// A caller hiding contact details on its copy leaves the kept page alone.
	got := first(reader)
	for i := range got {
		got[i].HideContact()
	}
	for _, it := range first(reader) {
		if it.ID == one.ID && it.CustomerName == nil {
			t.Fatal("hiding contact on one caller's rows hid it in the kept page")
		}
	}

	// An erasure drops every kept page at once, also for readers who did not write.
	if _, err := s.EraseCustomer(as(admin), "birgitte@example.dk", admin); err != nil {
		t.Fatal(err)
	}
	for _, it := range first(reader) {
		if it.ID == one.ID && it.CustomerName != nil {
			t.Fatalf("another reader's first page still shows the erased customer %q", *it.CustomerName)
		}
	}
}
