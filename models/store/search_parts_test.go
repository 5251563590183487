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

// Issue 18: search finds parts of Danish compounds on both databases, after the
// feedback holding the words themselves.
func TestSearchFindsPartsOfCompounds(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	comments := []string{
		"Alle kortgebyrerne er for høje",     // 0
		"Mobilbanken går ned hver fredag",    // 1
		"Rådgiveren ringede ikke tilbage",    // 2
		"Bankrådgiveren var dygtig",          // 3
		"Gebyret for kontoudtog er for højt", // 4
		"Banken har lukket filialen",         // 5
		"Kassen var lukket",                  // 6
		"En banan og en ankel",               // 7: the trigrams of "bank", not the word
		"Overtræksgebyr på 100 kr",           // 8
	}
	ids := make([]int64, len(comments))
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, c := range comments {
		fb, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "survey", Comment: c,
			ReceivedAt: start.Add(time.Duration(i) * time.Hour)}, amb)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = fb.ID
	}
	tests := []struct {
		q string
		// want lists the words' matches, then the parts' (partsFrom on), each newest first.
		want      []int
		partsFrom int
	}{
		{"gebyr", []int{4, 8, 0}, 1},
		{"gebyrer", []int{4, 8, 0}, 1},
		{"bank", []int{5, 3, 1}, 2},
		{"rådgiver", []int{2, 3}, 1},
		{"Rådgiveren", []int{2, 3}, 1},
		{"rådgiv*", []int{2, 3}, 1},
		{"mobilbank", []int{1}, -1},
		{"gebyr høje", []int{4, 0}, 1},
		{"kassen", []int{6}, -1},
		{"pensionsopsparing", nil, -1},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			var want []int64
			for _, i := range tt.want {
				want = append(want, ids[i])
			}
			page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: tt.q}, models.Cursor{}, 50)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, f := range page.Items {
				got = append(got, f.ID)
			}
			if !slices.Equal(got, want) || page.PartsFrom != tt.partsFrom {
				t.Errorf("search %q found %v (parts from %d), want %v (parts from %d)", tt.q, got, page.PartsFrom, want, tt.partsFrom)
			}
			n, capped, err := s.CountFeedback(ctx, models.FeedbackFilter{Q: tt.q})
			if err != nil || n != len(want) || capped {
				t.Errorf("count %q = %d, %v, %v; want %d", tt.q, n, capped, err, len(want))
			}
			// One a page: the cursor carries the search from the words into the parts.
			got = nil
			var cursor models.Cursor
			for range 20 {
				page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: tt.q}, cursor, 1)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range page.Items {
					got = append(got, f.ID)
				}
				if page.Next.ID == 0 {
					break
				}
				c, err := models.ParseCursor(page.Next.String())
				if err != nil || c != page.Next {
					t.Fatalf("cursor %+v read back as %+v, %v", page.Next, c, err)
				}
				cursor = c
			}
			if !slices.Equal(got, want) {
				t.Errorf("paging %q found %v, want %v", tt.q, got, want)
			}
			// The export holds the same feedback in the same order.
			got = nil
			if err := s.StreamFeedback(ctx, models.FeedbackFilter{Q: tt.q}, func(f *models.Feedback) error {
				got = append(got, f.ID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("export %q holds %v, want %v", tt.q, got, want)
			}
		})
	}
	// The index follows a changed comment.
	if err := s.Writer(ctx).Exec("UPDATE feedback SET comment = ? WHERE id = ?", "Kassen var lukket", ids[1]).Error; err != nil {
		t.Fatal(err)
	}
	page, err := s.ListFeedback(store.ForUser(ctx, amb.ID), models.FeedbackFilter{Q: "bank"}, models.Cursor{}, 50)
	if err != nil || len(page.Items) != 2 {
		t.Errorf("after the change, bank finds %d feedback, %v; want 2", len(page.Items), err)
	}
}

// A part in thousands of comments ("bank" in "Mobilbanken") is walked window by window
// on SQLite like a common word; paging gives exactly the words' matches, then the
// parts', each newest first, even with ids in no time order and ties on time.
func TestSearchOfACommonPartPagesExactly(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock(s, now)
	phone, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	rows := make([]models.Feedback, 8000)
	for i := range rows {
		at := now.Add(-time.Duration(rnd.IntN(24*365)) * time.Hour)
		comment := "Kassen var lukket"
		switch r := rnd.IntN(20); {
		case r < 6:
			comment = "Mobilbanken går ned"
		case r < 7:
			comment = "Banken ringede tilbage"
		case r < 8:
			comment = "En banan og en ankel"
		}
		rows[i] = models.Feedback{ReceivedAt: at, ReceivedOn: at.Truncate(24 * time.Hour), ChannelID: phone.ID,
			Comment: comment, TriageStatus: models.TriageNew, Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	if err := s.Tx(ctx, func(tx *gorm.DB) error {
		_, err := store.InsertFeedbackRows(tx, rows, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var all []models.Feedback
	if err := s.Reader(ctx).Order("received_at DESC, id DESC").Find(&all).Error; err != nil {
		t.Fatal(err)
	}
	var words, parts []int64
	for _, fb := range all {
		switch {
		case strings.HasPrefix(fb.Comment, "Banken"):
			words = append(words, fb.ID)
		case strings.HasPrefix(fb.Comment, "Mobilbanken"):
			parts = append(parts, fb.ID)
		}
	}
	want := append(words, parts...)
	var got []int64
	var cursor models.Cursor
	for {
		page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: "bank"}, cursor, 500)
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
	if len(parts) < 2000 {
		t.Fatalf("only %d parts; the test needs a common one", len(parts))
	}
	if !slices.Equal(got, want) {
		first := 0
		for first < min(len(got), len(want)) && got[first] == want[first] {
			first++
		}
		t.Errorf("got %d feedback, want %d (%d words); first difference at %d", len(got), len(want), len(words), first)
	}
}
