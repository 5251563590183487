package components

import (
	"context"
	"testing"
	"time"

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
