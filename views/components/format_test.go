package components

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/views/i18n"
)

func TestNumbersAndDatesInEachLanguage(t *testing.T) {
	ctxFor := func(lang string) context.Context {
		return i18n.WithTranslator(context.Background(), i18n.For(lang))
	}
	day := time.Date(2026, time.March, 3, 9, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		lang, got, want string
	}{
		{"nb", FormatDate(ctxFor("nb"), day), "3. mars 2026"},
		{"da", FormatDate(ctxFor("da"), day), "3. mar. 2026"},
		{"en", FormatDate(ctxFor("en"), day), "3 Mar 2026"},
		{"nb", FormatDate(ctxFor("nb"), day.AddDate(0, 9, 0)), "3. desember 2026"},
		{"nb", FormatDateTime(ctxFor("nb"), day), "3. mars 2026 10:30"}, // 09:30 UTC in TIME_ZONE (Copenhagen)
		{"nb", FormatKroner(ctxFor("nb"), 1250), "1\u00a0250\u00a0kr"},
		{"da", FormatKroner(ctxFor("da"), 1250), "1.250\u00a0kr."},
		{"en", FormatKroner(ctxFor("en"), 1250), "DKK\u00a01,250"},
		{"nb", FormatNumber(ctxFor("nb"), 1234567.891, 1), "1\u00a0234\u00a0567,9"},
		{"da", FormatNumber(ctxFor("da"), -12.25, 1), "−12,3"},
		{"en", FormatNumber(ctxFor("en"), 999.5, 0), "1,000"},
		{"nb", FormatNumber(ctxFor("nb"), -0.04, 1), "0,0"},
		{"nb", FormatInt(ctxFor("nb"), 100), "100"},
		{"nb", FormatInt(ctxFor("nb"), 1000), "1\u00a0000"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.lang, c.got, c.want)
		}
	}
}

// num writes what fmt's %.1f writes, without a trailing ".0".
func TestNum(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{{0, "0"}, {12, "12"}, {12.25, "12.2"}, {12.35, "12.3"}, {-3.96, "-4"}, {-0.04, "-0"}, {1e6 + 0.05, "1000000.1"}, {7.5, "7.5"}}
	for _, tt := range tests {
		if got := num(tt.in); got != tt.want {
			t.Errorf("num(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if legacy := strings.TrimSuffix(fmt.Sprintf("%.1f", tt.in), ".0"); legacy != num(tt.in) {
			t.Errorf("num(%v) = %q, %%.1f gives %q", tt.in, num(tt.in), legacy)
		}
	}
}

// A moment's title and datetime attribute are on the reader's clock, like its text,
// whatever zone the time arrives in.
func TestTimeTitlesOnTheReadersClock(t *testing.T) {
	ctx := i18n.WithTranslator(context.Background(), i18n.For("en"))
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	ctx = i18n.WithLocation(ctx, cph)
	due := time.Date(2026, time.December, 1, 8, 30, 0, 0, time.UTC)
	now := due.Add(-22 * time.Hour)
	for name, c := range map[string]templ.Component{
		"date":      Date(due),
		"date-time": DateTime(due),
		"due":       Due(due, now),
	} {
		var b strings.Builder
		if err := c.Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		html := b.String()
		for _, want := range []string{`datetime="2026-12-01T09:30:00+01:00"`, `title="2026-12-01 09:30 CET"`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: %s lacks %s", name, html, want)
			}
		}
	}
}

// The groups bar writes its shares and counts as the reader's language does.
func TestStackedBarInTheReadersLanguage(t *testing.T) {
	segs := []Segment{{Label: "Promoters", Value: 1234}, {Label: "Detractors", Value: 1234}}
	for lang, want := range map[string][2]string{
		"da": {"50\u00a0%", "Promoters: 1.234 (50\u00a0%)"},
		"en": {"50%", "Promoters: 1,234 (50%)"},
	} {
		sb := NewStackedBar(i18n.WithTranslator(context.Background(), i18n.For(lang)), "Groups", segs)
		if len(sb.Bars) != 2 || sb.Bars[0].Label != want[0] || sb.Bars[0].Title != want[1] {
			t.Errorf("%s: bars %+v, want label %q and title %q", lang, sb.Bars, want[0], want[1])
		}
	}
}
