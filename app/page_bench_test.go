package app

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// BenchmarkSearchPage serves a search's first page of 50 rows through the real router,
// signed in, as `make bench`'s search row asks for it: the middleware, the session, the
// kept page and the HTML, without a load generator sharing the cores. Its ns/op is the
// server's CPU per page, for comparing builds when the machine is too noisy for req/s.
func BenchmarkSearchPage(b *testing.B) {
	a := newTestAppWith(b, func(*Config) {})
	a.user("steer@example.com", steering, ambassador)
	c := a.signIn("steer@example.com")
	ctx := context.Background()
	now := time.Now()
	for i := range 120 {
		nps := i % 11
		_, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "web", NPS: &nps,
			Comment:    "Rådgiveren ringede ikke tilbage, selv om jeg havde bedt om det " + strconv.Itoa(i),
			ReceivedAt: now.Add(-time.Duration(i) * 37 * time.Minute)}, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	const path = "/feedback?q=r%C3%A5dgiver"
	if res := c.get(path); res.Code != http.StatusOK {
		b.Fatalf("status %d", res.Code)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := c.get(path); res.Code != http.StatusOK {
			b.Fatalf("status %d", res.Code)
		}
	}
}

// BenchmarkBoardPage serves the quick-win board, 150 cards, to a member of the team, as
// `make bench`'s board row asks for it: the columns are kept for the team and each
// reader's token is filled into every card's forms (components.KeptForms).
func BenchmarkBoardPage(b *testing.B) {
	a := newTestAppWith(b, func(*Config) {})
	st := a.user("st@example.com", steering)
	c := a.signIn("qw@example.com", quickwin)
	ctx := context.Background()
	for i := range 150 {
		_, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Letter typo " + strconv.Itoa(i),
			Impact: 1 + i%5, Effort: models.EffortXS}, st)
		if err != nil {
			b.Fatal(err)
		}
	}
	if res := c.get("/quick-wins"); res.Code != http.StatusOK {
		b.Fatalf("status %d", res.Code)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := c.get("/quick-wins"); res.Code != http.StatusOK {
			b.Fatalf("status %d", res.Code)
		}
	}
}
