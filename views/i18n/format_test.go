package i18n

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestFormatNumbers(t *testing.T) {
	en, da := For("en"), For("da")
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"da decimal", da.FormatNumber(27.3, 1), "27,3"},
		{"en decimal", en.FormatNumber(27.3, 1), "27.3"},
		{"da thousands", da.FormatInt(1250), "1.250"},
		{"en thousands", en.FormatInt(1250), "1,250"},
		{"da million", da.FormatNumber(1234567.891, 2), "1.234.567,89"},
		{"negative", da.FormatNumber(-9.25, 1), "−9,3"},
		{"negative zero", en.FormatNumber(-0.04, 1), "0.0"},
		{"small", da.FormatInt(999), "999"},
		{"da money", da.FormatMoney(125000), "1.250\u00a0kr."},
		{"en money", en.FormatMoney(125000), "DKK\u00a01,250"},
		{"da money øre", da.FormatMoney(25050), "250,50\u00a0kr."},
		{"da money thousands øre", da.FormatMoney(125005), "1.250,05\u00a0kr."},
		{"nb money", For("nb").FormatMoney(125050), "1\u00a0250,50\u00a0kr"},
		{"en money øre", en.FormatMoney(25050), "DKK\u00a0250.50"},
		{"da money million", da.FormatMoney(100000000), "1.000.000\u00a0kr."},
		{"da money negative", da.FormatMoney(-550), "−5,50\u00a0kr."},
		{"da input", da.FormatMoneyInput(125050), "1250,50"},
		{"en input", en.FormatMoneyInput(125000), "1250"},
		{"da percent", da.FormatPercent(72.4), "72\u00a0%"},
		{"en percent", en.FormatPercent(72.5), "73%"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		lang, in string
		want     int64 // hundredths
		ok       bool
	}{
		{"da", "250,50", 25050, true},
		{"da", "1.250", 125000, true},
		{"da", "1.250,50", 125050, true},
		{"da", "1250", 125000, true},
		{"da", "1.250,75 kr.", 125075, true},
		{"da", "kr. 80", 8000, true},
		{"da", "250", 25000, true},
		{"da", " 12,5 ", 1250, true},
		{"da", "1 250,50", 125050, true},
		{"da", "1.000.000", 100000000, true},
		{"da", "0,05", 5, true},
		{"da", "-5", -500, true},
		{"nb", "250,50", 25050, true},
		{"nb", "1.250,50", 125050, true},
		{"nb", "1\u00a0250,50 kr", 125050, true},
		{"nb", "1250", 125000, true},
		{"en", "250.50", 25050, true},
		{"en", "1,250", 125000, true},
		{"en", "1,250.50", 125050, true},
		{"en", "DKK 1,250.75", 125075, true},
		{"en", "1250", 125000, true},
		// Read one way in Danish and another in English: refused, never guessed.
		{"da", "250.50", 0, false},
		{"da", "12.5", 0, false},
		{"da", "1,250", 0, false},
		{"nb", "250.50", 0, false},
		{"en", "250,50", 0, false},
		{"en", "12,5", 0, false},
		{"en", "1.250", 0, false},
		// Garbage.
		{"da", "1.25.0", 0, false},
		{"da", "12,345", 0, false},
		{"da", "1.250 000", 0, false},
		{"da", "1250.000", 0, false},
		{"da", "abc", 0, false},
		{"da", "", 0, false},
		{"da", "kr.", 0, false},
		{"da", ",50", 0, false},
		{"da", "5,", 0, false},
		{"da", "1,2,3", 0, false},
		{"da", "250,50,1", 0, false},
		{"da", "2e3", 0, false},
		{"en", "99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := For(tt.lang).ParseMoney(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("%s ParseMoney(%q) = %d, %v; want %d ok=%v", tt.lang, tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestDatesInTimeZone(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	midnight := time.Date(2026, time.March, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 March in Copenhagen
	summer := time.Date(2026, time.July, 14, 7, 5, 0, 0, time.UTC)     // 09:05 in Copenhagen
	for _, tt := range []struct {
		lang string
		at   time.Time
		want string
	}{
		{"en", midnight, "2 Mar 2026 00:30"}, {"da", midnight, "2. mar. 2026 00.30"}, {"nb", midnight, "2. mars 2026 00:30"},
		{"en", summer, "14 Jul 2026 09:05"}, {"da", summer, "14. jul. 2026 09.05"}, {"nb", summer, "14. juli 2026 09:05"},
	} {
		ctx := WithLocation(WithTranslator(context.Background(), For(tt.lang)), cph)
		if got := DateTime(ctx, tt.at); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.want)
		}
		// The same instant in another zone shows the same clock.
		if got := DateTime(ctx, tt.at.In(time.FixedZone("x", -5*3600))); got != tt.want {
			t.Errorf("%s from another zone: %q, want %q", tt.lang, got, tt.want)
		}
		if got, want := Date(ctx, tt.at)+" "+Clock(ctx, tt.at), tt.want; got != want {
			t.Errorf("%s: date and clock apart %q, want %q", tt.lang, got, want)
		}
	}
	// A calendar date (midnight UTC) stays that date.
	ctx := WithLocation(WithTranslator(context.Background(), For("en")), time.FixedZone("west", -5*3600))
	if got := Date(ctx, time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)); got != "2 Mar 2026" {
		t.Errorf("calendar date = %q", got)
	}
}

// TestEveryCountedMessageRenders renders every message of both catalogs with counts 0,
// 1, 2 and 1250 and fails when one shows its id (a missing plural form) or a number the
// other language's way.
func TestEveryCountedMessageRenders(t *testing.T) {
	for _, lang := range Languages {
		ids, err := MessageIDs(lang)
		if err != nil {
			t.Fatal(err)
		}
		tr := For(lang)
		for id := range ids {
			for _, n := range []int{0, 1, 2, 1250} {
				got := tr.T(id, map[string]any{"Count": n})
				if got == id {
					t.Errorf("%s %s with Count %d shows its id", lang, id, n)
				}
				if n == 1250 && strings.Contains(got, "{{") {
					t.Errorf("%s %s: %q", lang, id, got)
				}
				if lang == "da" && n == 1250 && strings.Contains(got, "1250") {
					t.Errorf("da %s writes 1250 without a thousands separator: %q", id, got)
				}
			}
		}
	}
}
