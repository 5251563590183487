package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// A kept first page's rows are drawn once a second for all its readers (models.Drawings):
// each reader still gets them in their own language, a reader's own new feedback is on
// their next page within the same second, and the drawing follows the clock: the row
// that falls overdue is marked the second after.
func TestKeptListRowsAreDrawnPerLanguageOwnWriteAndSecond(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	da := a.signIn("da@example.com", ambassador)
	en := a.signIn("en@example.com", ambassador)
	u, err := a.store.UserByEmail(ctx, "da@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetLanguage(ctx, u.ID, "da"); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Second)
	if _, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: fbScore(2),
		Comment: "Rådgiveren ringede aldrig", ReceivedAt: now.Add(-25 * time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	rows := func(c *client) string {
		t.Helper()
		res := c.get("/feedback?q=" + url.QueryEscape("rådgiver"))
		if res.Code != http.StatusOK {
			t.Fatalf("list: %d", res.Code)
		}
		return doc(t, res).Find("tbody").Text()
	}
	a.clockAt(now.Add(-2*time.Hour), func() {
		// Due a day after receipt: one hour left.
		if got := rows(en); !strings.Contains(got, "Detractor") || strings.Contains(got, "Kritiker") {
			t.Errorf("English reader's rows: %q", got)
		}
		if got := rows(da); !strings.Contains(got, "Kritiker") || strings.Contains(got, "Detractor") {
			t.Errorf("Danish reader's rows, drawn in the same second as the English ones: %q", got)
		}
		res := en.postForm("/feedback/new", url.Values{"nps": {"9"}, "channel": {"web"},
			"comment": {"Min rådgiver er god"}, "then": {"another"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("post: %d", res.Code)
		}
		if got := rows(en); !strings.Contains(got, "Min rådgiver er god") {
			t.Errorf("own feedback missing from the next page in the same second: %q", got)
		}
	})
	overdue := func() int {
		res := en.get("/feedback?q=" + url.QueryEscape("rådgiver"))
		return doc(t, res).Find("tr.overdue").Length()
	}
	due := now.Add(-time.Hour)
	a.clockAt(due.Add(-time.Second), func() {
		if n := overdue(); n != 0 {
			t.Errorf("a second before the due time: %d rows overdue, want 0", n)
		}
	})
	a.clockAt(due.Add(time.Second), func() {
		if n := overdue(); n != 1 {
			t.Errorf("a second after the due time: %d rows overdue, want 1", n)
		}
	})
}
