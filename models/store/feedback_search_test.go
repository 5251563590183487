package store_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"gorm.io/gorm"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// A word in thousands of comments is searched window by window of the time index on
// SQLite (searchByWindows). Paging through it must give exactly the matching feedback,
// newest first, even when ids do not grow with time (imports of old feedback) and many
// share a received time.
func TestSearchOfACommonWordPagesExactly(t *testing.T) {
	t.Run("matches throughout", func(t *testing.T) { testSearchPages(t, 0) })
	t.Run("no matches among the newest", func(t *testing.T) {
		// The windows give up after 2,048 feedback and gather every match instead.
		defer store.SetLastSearchWindow(2048)()
		testSearchPages(t, 120*24*time.Hour)
	})
}

// testSearchPages stores 12,000 feedback over a year, 30% with the searched words
// except in the newest quiet period, and pages through the search.
func testSearchPages(t *testing.T, quiet time.Duration) {
	s := modeltest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock(s, now)
	phone, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	groups := []string{"promoter", "passive", "detractor"}
	rows := make([]models.Feedback, 12000)
	for i := range rows {
		// Whole hours over a year: ties on received time, ids in no time order.
		at := now.Add(-time.Duration(rnd.IntN(24*365)) * time.Hour)
		comment := "Kassen var lukket"
		if rnd.IntN(10) < 3 && now.Sub(at) > quiet {
			comment = "Min rådgiver ringede tilbage"
		}
		g := groups[rnd.IntN(3)]
		rows[i] = models.Feedback{ReceivedAt: at, ReceivedOn: at.Truncate(24 * time.Hour), ChannelID: phone.ID,
			NPSGroup: &g, Comment: comment, TriageStatus: models.TriageNew, Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	if err := s.Tx(ctx, func(tx *gorm.DB) error {
		_, err := store.InsertFeedbackRows(tx, rows, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	for _, f := range []models.FeedbackFilter{
		{Q: "rådgiver"},
		{Q: "Rådgiver ringede", Group: "detractor"},
	} {
		var all []models.Feedback
		if err := s.Reader(ctx).Order("received_at DESC, id DESC").Find(&all).Error; err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, fb := range all {
			if strings.Contains(fb.Comment, "rådgiver ringede") && (f.Group == "" || *fb.NPSGroup == string(f.Group)) {
				want = append(want, fb.ID)
			}
		}
		var got []int64
		var cursor models.Cursor
		for {
			page, err := s.ListFeedback(ctx, f, cursor, 500)
			if err != nil {
				t.Fatal(err)
			}
			for _, fb := range page.Items {
				got = append(got, fb.ID)
			}
			if page.Next.ID == 0 {
				break
			}
			cursor = page.Next
		}
		if len(want) < 500 {
			t.Fatalf("%+v: only %d matches; the test needs a common word", f, len(want))
		}
		if !slices.Equal(got, want) {
			first := 0
			for first < min(len(got), len(want)) && got[first] == want[first] {
				first++
			}
			t.Errorf("%+v: got %d feedback, want %d; first difference at %d", f, len(got), len(want), first)
		}
	}
}
