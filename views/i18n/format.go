package i18n

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file is the one formatting layer of the app: every page, e-mail and export that
// shows a number, a share, an amount of money, a date or a time to a person goes through
// these functions, so a Danish reader sees "27,3", "1.250 kr." and the clock of
// TIME_ZONE everywhere, and the same moment never shows two different times.

type locKey struct{}

// WithLocation stores the time zone the request's dates and times are shown in
// (TIME_ZONE); the middleware that sets the translator sets it too.
func WithLocation(ctx context.Context, loc *time.Location) context.Context {
	return context.WithValue(ctx, locKey{}, loc)
}

// Location returns the time zone of a context: the one WithLocation stored, else
// Europe/Copenhagen (the app's default TIME_ZONE), else UTC.
func Location(ctx context.Context) *time.Location {
	if loc, ok := ctx.Value(locKey{}).(*time.Location); ok && loc != nil {
		return loc
	}
	return defaultLocation()
}

var defaultLoc *time.Location

func defaultLocation() *time.Location {
	if defaultLoc == nil {
		loc, err := time.LoadLocation("Europe/Copenhagen")
		if err != nil {
			loc = time.UTC
		}
		defaultLoc = loc
	}
	return defaultLoc
}

// separators returns the decimal and the thousands separator of a language.
func separators(lang string) (dec, group string) {
	switch lang {
	case "da":
		return ",", "."
	case "nb":
		// Norwegian groups thousands with a space: a no-break one, so that a figure
		// never wraps across lines.
		return ",", "\u00a0"
	}
	return ".", ","
}

// groupDigits puts the thousands separator into a string of digits.
func groupDigits(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// FormatNumber writes v with the given number of decimals and the language's
// separators: 1234.5 is "1,234.5" in English and "1.234,5" in Danish. The minus sign is
// the typographic one (−), as in the rest of the app.
func (t *Translator) FormatNumber(v float64, decimals int) string {
	dec, group := separators(t.Lang)
	p := math.Pow(10, float64(decimals))
	v = math.Round(v*p) / p
	neg := v < 0
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	out := groupDigits(whole, group)
	if frac != "" {
		out += dec + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		out = "−" + out
	}
	return out
}

// FormatInt writes a whole number with the language's thousands separator.
func (t *Translator) FormatInt(n int64) string { return t.FormatNumber(float64(n), 0) }

// FormatPercent writes a share of 0-100 in whole percent: "27%" in English, "27 %" in
// Danish (Danish puts a space before the sign).
func (t *Translator) FormatPercent(v float64) string {
	if t.Lang == "da" || t.Lang == "nb" {
		return t.FormatNumber(v, 0) + "\u00a0%"
	}
	return t.FormatNumber(v, 0) + "%"
}

// FormatMoney writes an amount of whole kroner: "1.250 kr." in Danish, "1 250 kr" in
// Norwegian, "DKK 1,250" in English.
func (t *Translator) FormatMoney(kroner int64) string {
	switch t.Lang {
	case "da":
		return t.FormatInt(kroner) + "\u00a0kr."
	case "nb":
		return t.FormatInt(kroner) + "\u00a0kr"
	}
	return "DKK\u00a0" + t.FormatInt(kroner)
}

// ErrMoney is returned by ParseMoney for text that is not an amount.
var ErrMoney = errors.New("not an amount")

// ParseMoney reads an amount as a person types it in the language and returns it in
// hundredths (øre): in Danish "250,50" is 250.50 and "1.250" is 1250; in English
// "250.50" and "1,250". A trailing "kr."/"kr"/"DKK" and spaces are allowed. A
// separator that fits only the other language is read as the decimal point only when it
// cannot be a thousands separator ("12.5" in Danish is 12.50), so nothing typed is
// silently multiplied by a hundred.
func (t *Translator) ParseMoney(s string) (int64, error) {
	s = strings.TrimSpace(s)
	for _, suffix := range []string{"kr.", "kr", "DKK", "dkk"} {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, suffix), suffix))
	}
	s = strings.NewReplacer(" ", "", "\u00a0", "", "'", "").Replace(s)
	if s == "" {
		return 0, ErrMoney
	}
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		neg = true
		s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "−")
	}
	dec, group := separators(t.Lang)
	// A lone "other" separator followed by one or two digits is a decimal point typed
	// the other language's way ("12.5" in Danish); followed by three it is a thousands
	// separator in either language ("1.250", "1,250").
	if !strings.Contains(s, dec) && strings.Count(s, group) == 1 {
		if i := strings.Index(s, group); len(s)-i-1 <= 2 {
			s = s[:i] + dec + s[i+1:]
		}
	}
	whole, frac, hasFrac := strings.Cut(s, dec)
	if hasFrac && (len(frac) == 0 || len(frac) > 2 || strings.Contains(frac, group)) {
		return 0, ErrMoney
	}
	// Thousands separators must sit every three digits.
	parts := strings.Split(whole, group)
	for i, p := range parts {
		if p == "" || (i > 0 && len(p) != 3) || (i == 0 && len(parts) > 1 && len(p) > 3) {
			return 0, ErrMoney
		}
	}
	digits := strings.Join(parts, "") + fmt.Sprintf("%-2s", frac)
	digits = strings.ReplaceAll(digits, " ", "0")
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0, ErrMoney
		}
	}
	if len(digits) > 17 {
		return 0, ErrMoney
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, ErrMoney
	}
	if neg {
		n = -n
	}
	return n, nil
}

// formatDate writes the calendar date of t in the context's time zone: "3 Mar 2026" in
// English, "3. mar. 2026" in Danish, "3. mars 2026" in Norwegian.
func (t *Translator) formatDate(ctx context.Context, at time.Time) string {
	// A calendar date (a target date, a day of received_on) is stored as midnight UTC:
	// it is shown as that date, not moved into TIME_ZONE (which west of Greenwich would
	// show the day before).
	if !isCalendarDate(at) {
		at = at.In(Location(ctx))
	}
	month := t.T(fmt.Sprintf("month.short.%d", int(at.Month())))
	switch t.Lang {
	case "da":
		return fmt.Sprintf("%d. %s %d", at.Day(), month, at.Year())
	case "nb":
		// Norwegian writes the month in full in running text: "3. mars 2026".
		return fmt.Sprintf("%d. %s %d", at.Day(), t.T(fmt.Sprintf("month.long.%d", int(at.Month()))), at.Year())
	}
	return fmt.Sprintf("%d %s %d", at.Day(), month, at.Year())
}

// isCalendarDate reports whether t is a date without a time: midnight UTC.
func isCalendarDate(t time.Time) bool {
	return t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// Date writes the date of a moment in the user's language and the context's time zone.
func Date(ctx context.Context, at time.Time) string { return FromContext(ctx).formatDate(ctx, at) }

// Clock writes the time of day of a moment in the context's time zone: "14:05" in
// English, "14.05" in Danish (the Danish standard's separator).
func Clock(ctx context.Context, at time.Time) string {
	at = at.In(Location(ctx))
	if FromContext(ctx).Lang == "da" {
		return at.Format("15.04")
	}
	return at.Format("15:04")
}

// DateTime writes the date and time of day of a moment in the context's time zone.
func DateTime(ctx context.Context, at time.Time) string {
	return Date(ctx, at) + " " + Clock(ctx, at)
}

// Number formats v with decimals in the context's language.
func Number(ctx context.Context, v float64, decimals int) string {
	return FromContext(ctx).FormatNumber(v, decimals)
}

// Int formats a whole number in the context's language.
func Int(ctx context.Context, n int64) string { return FromContext(ctx).FormatInt(n) }

// Percent formats a share of 0-100 in the context's language.
func Percent(ctx context.Context, v float64) string { return FromContext(ctx).FormatPercent(v) }

// Money formats whole kroner in the context's language.
func Money(ctx context.Context, kroner int64) string { return FromContext(ctx).FormatMoney(kroner) }
