package components

import (
	"context"
	"math"
	"time"

	"github.com/improvementtracker/tracker/views/i18n"
)

// FormatDate writes a date as people read it in the user's language and TIME_ZONE:
// "3 Mar 2026" in English, "3. mar. 2026" in Danish.
func FormatDate(ctx context.Context, t time.Time) string { return i18n.Date(ctx, t) }

// FormatDateTime adds the time of day, in TIME_ZONE whatever zone t carries, so one
// moment shows the same clock on every page.
func FormatDateTime(ctx context.Context, t time.Time) string { return i18n.DateTime(ctx, t) }

// moment is a shown moment's two attributes, on the reader's clock like the text beside
// it: machine for the datetime attribute, with the reader's offset, and exact for the
// title, to the minute and with its zone (deadlines arrive in UTC, and their titles once
// said "08:30 UTC" beside a Copenhagen reader's "in 22 hours"). Both come from one
// conversion and one string, as a list shows three moments on each of its fifty rows.
type moment struct{ machine, exact string }

func momentOf(ctx context.Context, t time.Time) moment {
	in := t.In(i18n.Location(ctx))
	var buf [64]byte
	b := in.AppendFormat(buf[:0], time.RFC3339)
	n := len(b)
	s := string(in.AppendFormat(b, "2006-01-02 15:04 MST"))
	return moment{machine: s[:n], exact: s[n:]}
}

// Relative says how far a moment is from now: "in 4 hours", "2 days overdue".
func Relative(ctx context.Context, t, now time.Time) string {
	d := t.Sub(now)
	overdue := d < 0
	if overdue {
		d = -d
	}
	var n int
	var unit string
	switch {
	case d < time.Hour:
		n, unit = int(math.Max(1, math.Round(d.Minutes()))), "minutes"
	case d < 48*time.Hour:
		n, unit = int(math.Round(d.Hours())), "hours"
	default:
		n, unit = int(math.Round(d.Hours()/24)), "days"
	}
	key := "time.in_" + unit
	if overdue {
		key = "time." + unit + "_overdue"
	}
	return i18n.Count(ctx, key, n)
}

// dueClass marks a deadline overdue, or due within four hours.
func dueClass(t, now time.Time) string {
	switch {
	case t.Before(now):
		return "badge overdue"
	case t.Sub(now) < 4*time.Hour:
		return "badge due-soon"
	}
	return "badge"
}
