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

// FormatMoney writes an amount given in øre (hundredths of a krone) the way the
// language writes money: "1.250 kr." and "250,50 kr." in Danish, "1 250 kr" and
// "250,50 kr" in Norwegian, "DKK 1,250" and "DKK 250.50" in English. Øre are shown
// only when the amount is not a whole number of kroner.
func (t *Translator) FormatMoney(ore int64) string {
	n := t.moneyNumber(ore, true)
	switch t.Lang {
	case "da":
		return n + "\u00a0kr."
	case "nb":
		return n + "\u00a0kr"
	}
	return "DKK\u00a0" + n
}

// FormatMoneyInput writes an amount in øre as a person edits it in a form field of
// the language: without currency or thousands separators, with the decimal comma in
// Danish and Norwegian ("1250", "250,50"), so that ParseMoney reads it back unchanged.
func (t *Translator) FormatMoneyInput(ore int64) string { return t.moneyNumber(ore, false) }

// moneyNumber writes the number of an amount in øre, decimals only when not whole.
func (t *Translator) moneyNumber(ore int64, grouped bool) string {
	dec, group := separators(t.Lang)
	if !grouped {
		group = ""
	}
	neg := ore < 0
	if neg {
		ore = -ore
	}
	out := groupDigits(strconv.FormatInt(ore/100, 10), group)
	if ore%100 != 0 {
		out += dec + fmt.Sprintf("%02d", ore%100)
	}
	if neg {
		out = "−" + out
	}
	return out
}

// ErrMoney is returned by ParseMoney for text that is not an amount, or that could be
// read two ways.
var ErrMoney = errors.New("not an amount")

// moneySeparators returns the decimal separator a language types amounts with and the
// characters it groups thousands with. Danish and Norwegian both write "1.250,50" (and
// Norwegian also "1 250,50"); English "1,250.50". A space of any kind groups in each.
func moneySeparators(lang string) (dec rune, groups string) {
	switch lang {
	case "da", "nb":
		return ',', ". \u00a0\u202f"
	}
	return '.', ", \u00a0\u202f"
}

// ParseMoney reads an amount as a person types it in the language and returns it in
// øre. In Danish and Norwegian "250,50", "1.250,50", "1 250" and "1250" are read; in
// English "250.50", "1,250.50" and "1250". A "kr."/"kr"/"DKK" before or after is
// allowed. Text that a reader of the other language would read differently is
// refused rather than guessed: "250.50" or "1,250" typed in Danish (a decimal with
// three digits, or a thousands group of two) and "250,50" or "1.250" in English, so
// nothing typed is ever stored as a hundred times or a thousandth of what was meant.
// At most two decimals; thousands groups of exactly three digits, all with one
// separator.
func (t *Translator) ParseMoney(s string) (int64, error) {
	s = strings.TrimSpace(s)
	for _, affix := range []string{"kr.", "kr", "DKK", "dkk", "Kr.", "Kr"} {
		if strings.HasSuffix(s, affix) {
			s = strings.TrimSpace(strings.TrimSuffix(s, affix))
		}
		if strings.HasPrefix(s, affix) {
			s = strings.TrimSpace(strings.TrimPrefix(s, affix))
		}
	}
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, rest
	} else if rest, ok := strings.CutPrefix(s, "−"); ok {
		neg, s = true, rest
	}
	if s == "" {
		return 0, ErrMoney
	}
	dec, groups := moneySeparators(t.Lang)
	whole, frac, hasFrac := strings.Cut(s, string(dec))
	if hasFrac && (len(frac) < 1 || len(frac) > 2 || !allDigits(frac)) {
		return 0, ErrMoney
	}
	// The whole part: digits, or groups of three after a first group of one to three,
	// all separated by the same one of the language's group characters.
	var sep rune
	var parts []string
	start := 0
	for i, r := range whole {
		if strings.ContainsRune(groups, r) {
			if sep != 0 && r != sep {
				return 0, ErrMoney
			}
			sep = r
			parts = append(parts, whole[start:i])
			start = i + len(string(r))
		}
	}
	parts = append(parts, whole[start:])
	for i, p := range parts {
		if !allDigits(p) || (len(parts) > 1 && ((i == 0 && len(p) > 3) || (i > 0 && len(p) != 3))) {
			return 0, ErrMoney
		}
	}
	digits := strings.Join(parts, "")
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > 15 {
		return 0, ErrMoney
	}
	kroner, _ := strconv.ParseInt("0"+digits, 10, 64)
	ore := int64(0)
	if hasFrac {
		ore, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	n := kroner*100 + ore
	if neg {
		n = -n
	}
	return n, nil
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// formatDate writes the calendar date of t in the context's time zone: "3 Mar 2026" in
// English, "3. mar. 2026" in Danish, "3. mars 2026" in Norwegian.
func (t *Translator) formatDate(ctx context.Context, at time.Time) string {
	var buf [32]byte
	return string(t.appendDate(buf[:0], dateIn(ctx, at)))
}

// dateIn is the moment whose calendar date is shown: a calendar date (a target date, a
// day of received_on) is stored as midnight UTC and shown as that date, not moved into
// TIME_ZONE (which west of Greenwich would show the day before).
func dateIn(ctx context.Context, at time.Time) time.Time {
	if isCalendarDate(at) {
		return at
	}
	return at.In(Location(ctx))
}

func (t *Translator) appendDate(b []byte, at time.Time) []byte {
	b = strconv.AppendInt(b, int64(at.Day()), 10)
	switch t.Lang {
	case "da":
		b = append(append(b, ". "...), t.MonthShort(at.Month())...)
	case "nb":
		// Norwegian writes the month in full in running text: "3. mars 2026".
		b = append(append(b, ". "...), t.T(monthLongIDs[at.Month()-1])...)
	default:
		b = append(append(b, ' '), t.MonthShort(at.Month())...)
	}
	return strconv.AppendInt(append(b, ' '), int64(at.Year()), 10)
}

// appendClock writes the time of day of at: "14:05" in English, "14.05" in Danish (the
// Danish standard's separator).
func (t *Translator) appendClock(b []byte, at time.Time) []byte {
	sep := byte(':')
	if t.Lang == "da" {
		sep = '.'
	}
	return append2(append(append2(b, at.Hour()), sep), at.Minute())
}

// append2 writes n (0-99) with two digits.
func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

// MonthShort is a month's short name in the translator's language ("Mar", "mar.").
func (t *Translator) MonthShort(m time.Month) string { return t.T(monthShortIDs[m-1]) }

// monthShortIDs and monthLongIDs are the months' message ids, January first.
var monthShortIDs, monthLongIDs = monthIDs("month.short."), monthIDs("month.long.")

func monthIDs(prefix string) (ids [12]string) {
	for i := range ids {
		ids[i] = prefix + strconv.Itoa(i+1)
	}
	return ids
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
	var buf [8]byte
	return string(FromContext(ctx).appendClock(buf[:0], at.In(Location(ctx))))
}

// DateTime writes the date and time of day of a moment in the context's time zone.
func DateTime(ctx context.Context, at time.Time) string {
	t := FromContext(ctx)
	var buf [40]byte
	b := append(t.appendDate(buf[:0], dateIn(ctx, at)), ' ')
	return string(t.appendClock(b, at.In(Location(ctx))))
}

// Number formats v with decimals in the context's language.
func Number(ctx context.Context, v float64, decimals int) string {
	return FromContext(ctx).FormatNumber(v, decimals)
}

// Int formats a whole number in the context's language.
func Int(ctx context.Context, n int64) string { return FromContext(ctx).FormatInt(n) }

// Percent formats a share of 0-100 in the context's language.
func Percent(ctx context.Context, v float64) string { return FromContext(ctx).FormatPercent(v) }

// Money formats an amount in øre in the context's language ("250,50 kr.").
func Money(ctx context.Context, ore int64) string { return FromContext(ctx).FormatMoney(ore) }

// MoneyInput writes an amount in øre for a form field in the context's language.
func MoneyInput(ctx context.Context, ore int64) string { return FromContext(ctx).FormatMoneyInput(ore) }
