package components

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/views/i18n"
)

// The components written in Go give the markup their templ versions gave, values
// escaped the same way.
func TestGoComponentsWriteEscapedMarkup(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	ctx := i18n.WithLocation(i18n.WithTranslator(context.Background(), i18n.For("da")), cph)
	at := time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)
	const attrs = `datetime="2026-12-01T09:30:00+01:00" title="2026-12-01 09:30 CET"`
	for _, c := range []struct {
		name string
		comp templ.Component
		want string
	}{
		{"date", Date(at), `<time ` + attrs + `>1. dec. 2026</time>`},
		{"date-time", DateTime(at), `<time ` + attrs + `>1. dec. 2026 09.30</time>`},
		{"due soon", Due(at, at.Add(-2*time.Hour)), `<time ` + attrs + ` class="badge due-soon">om 2 timer</time>`},
		{"due", Due(at, at.Add(-20*time.Hour)), `<time ` + attrs + ` class="badge">om 20 timer</time>`},
		{"overdue", Due(at, at.Add(2*time.Hour)), `<time ` + attrs + ` class="badge overdue">2 timer forsinket</time>`},
		{"badge", Badge("group", "detractor"), `<span class="badge detractor" data-testid="badge-group">Kritiker</span>`},
		{"no badge", Badge("group", ""), ``},
		{"hostile badge", Badge(`k"`, `x"<y&`), `<span class="badge x&#34;&lt;y&amp;" data-testid="badge-k&#34;">k&#34;.x&#34;&lt;y&amp;</span>`},
	} {
		var b, plain strings.Builder
		if err := c.comp.Render(ctx, &b); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, b.String(), c.want)
		}
		// A writer without WriteString gets the same.
		if err := c.comp.Render(ctx, struct{ io.Writer }{&plain}); err != nil || plain.String() != c.want {
			t.Errorf("%s to a plain writer: %q, %v", c.name, plain.String(), err)
		}
	}
}

// ClassIf gives the class templ.KV would, or none at all.
func TestClassIf(t *testing.T) {
	for _, c := range []struct {
		base, extra string
		on          bool
		want        templ.OrderedAttributes
	}{
		{"count", "overdue", true, templ.OrderedAttributes{{Key: "class", Value: "count overdue"}}},
		{"count", "overdue", false, templ.OrderedAttributes{{Key: "class", Value: "count"}}},
		{"", "overdue", true, templ.OrderedAttributes{{Key: "class", Value: "overdue"}}},
		{"", "overdue", false, nil},
	} {
		if got := ClassIf(c.base, c.extra, c.on); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ClassIf(%q, %q, %v) = %v, want %v", c.base, c.extra, c.on, got, c.want)
		}
	}
}
