package board

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// The kept columns are what a fresh drawing gives each reader, byte for byte: their own
// CSRF token in every form, the "start" of the card they hold, their filter in the forms,
// each card's age on the day it is read, their language, and a refusal on their card.
func TestKeptColumnsAreEachReadersOwn(t *testing.T) {
	in := func(lang string) context.Context {
		return i18n.WithTranslator(context.Background(), i18n.For(lang))
	}
	anna, bo := int64(1), int64(2)
	created := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	b := &models.Board{Drawn: new(models.Drawings), Queued: []models.BoardCard{
		{ID: 7, Title: "Typo in the letter", Status: models.StatusQueued, Version: 3, CreatedAt: created, AssigneeID: &anna, HolderName: "Anna"},
		{ID: 8, Title: "Wrong opening hours", Status: models.StatusQueued, Version: 1, CreatedAt: created.Add(time.Hour)},
	}}
	morning := time.Date(2026, 11, 30, 14, 30, 0, 0, time.UTC)
	view := func(user int64, csrf string, now time.Time) View {
		return View{Board: b, UserID: user, CSRF: csrf, Now: now}
	}
	refused := view(bo, "token-of-bo", morning)
	refused.Notice = Notice{Message: "Give a reason", Error: true, CardID: 8, Action: "escalate", Errors: map[string]string{"reason": "required"}, Input: "<b>too big</b>"}
	withFilter := view(bo, "token-of-bo", morning)
	withFilter.Query = Query{Unassigned: true, Category: "web"}
	otherCategory := withFilter
	otherCategory.Query.Category = "shop"
	steps := []struct {
		name      string
		ctx       context.Context
		v         View
		want, not []string
	}{
		{"Anna, who holds card 7", in("en"), view(anna, "token-of-anna", morning),
			[]string{`value="token-of-anna"`, "/quick-wins/7/start", "9 days old"}, []string{"token-of-bo"}},
		{"Bo, the same second", in("en"), view(bo, "token-of-bo", morning),
			[]string{`value="token-of-bo"`}, []string{"token-of-anna", "/quick-wins/7/start"}},
		{"Bo, after card 7 turned 10 days old", in("en"), view(bo, "token-of-bo", morning.Add(time.Hour)),
			[]string{"10 days old", "9 days old"}, nil},
		{"Bo in Danish", in("da"), view(bo, "token-of-bo", morning), []string{"9 dage gammel"}, nil},
		{"Bo with a filter", in("en"), withFilter, []string{`name="unassigned" value="1"`, `name="category" value="web"`}, nil},
		{"Bo with another category", in("en"), otherCategory, []string{`name="category" value="shop"`}, []string{`value="web"`}},
		{"Bo's refused escalation", in("en"), refused, []string{"&lt;b&gt;too big&lt;/b&gt;", `data-testid="error-reason"`}, nil},
		{"Anna after Bo's refusal", in("en"), view(anna, "token-of-anna", morning), []string{`value="token-of-anna"`}, []string{"too big", "error-reason"}},
		{"Bo after his refusal", in("en"), view(bo, "token-of-bo", morning), []string{`value="token-of-bo"`}, []string{"too big", "error-reason"}},
	}
	for _, st := range steps {
		got := render(t, st.ctx, keptColumns(st.v))
		for _, w := range st.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q", st.name, w)
			}
		}
		for _, n := range st.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: has %q", st.name, n)
			}
		}
		if want := render(t, st.ctx, columns(st.v)); got != want {
			t.Errorf("%s: the kept drawing differs from a fresh one:\n%s\n%s", st.name, got, want)
		}
	}
}

func render(t *testing.T, ctx context.Context, c interface {
	Render(context.Context, io.Writer) error
}) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
