package app

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
)

// Issue 18: a search lists the feedback holding the word itself first, then, under a
// heading, the feedback holding it inside longer words; the API pages through both.
func TestSearchListsPartsOfWordsAfterWords(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@example.com", steering)
	c := a.signIn("steer@example.com")
	ctx := context.Background()
	now := time.Now()
	var ids []int64
	for i, comment := range []string{
		"Mobilbanken går ned hver fredag", // 0, parts
		"Banken har lukket filialen",      // 1, word
		"Bankrådgiveren var dygtig",       // 2, word (the compound starts with it)
		"Netbanken viser forkert saldo",   // 3, parts
		"Kassen var lukket",               // 4
	} {
		fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "web", Comment: comment,
			ReceivedAt: now.Add(-time.Duration(10-i) * time.Hour)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fb.ID)
	}
	want := []int64{ids[2], ids[1], ids[3], ids[0]}

	d := doc(t, c.get("/feedback?q=bank"))
	var got []int64
	heading := -1
	d.Find("[data-testid=feedback] tbody tr").Each(func(i int, s *goquery.Selection) {
		if s.Is("[data-testid=search-parts]") {
			heading = len(got)
			return
		}
		href, _ := s.Find("a").First().Attr("href")
		for _, id := range ids {
			if href == fmt.Sprintf("/feedback/%d", id) {
				got = append(got, id)
			}
		}
	})
	if !slices.Equal(got, want) || heading != 2 {
		t.Errorf("page lists %v with the parts heading before row %d; want %v, heading before 2", got, heading, want)
	}
	if n := strings.TrimSpace(d.Find("[data-testid=count]").Text()); n != "4 feedback" {
		t.Errorf("count %q, want 4 feedback", n)
	}

	tok := a.token(st)
	got = nil
	path := "/api/v1/feedback?limit=1&q=" + url.QueryEscape("bank")
	for range 10 {
		list := decode[apiListJSON](t, a.api("GET", path, tok, nil))
		for _, it := range list.Items {
			got = append(got, it.ID)
		}
		if list.NextCursor == nil {
			break
		}
		path = "/api/v1/feedback?limit=1&q=bank&cursor=" + url.QueryEscape(*list.NextCursor)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the API pages through %v, want %v", got, want)
	}
}
