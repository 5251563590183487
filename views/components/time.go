package components

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/improvementtracker/tracker/views/i18n"
)

// FormatDate writes a date as people read it in the user's language:
// "3 Mar 2026" in English, "3. mar. 2026" in Danish, "3. mars 2026" in Norwegian
// (which writes the month in full in running text).
func FormatDate(ctx context.Context, t time.Time) string {
	tr := i18n.FromContext(ctx)
	switch tr.Lang {
	case "nb":
		return fmt.Sprintf("%d. %s %d", t.Day(), tr.T(fmt.Sprintf("month.long.%d", int(t.Month()))), t.Year())
	case "da":
		return fmt.Sprintf("%d. %s %d", t.Day(), tr.T(fmt.Sprintf("month.short.%d", int(t.Month()))), t.Year())
	}
	month := tr.T(fmt.Sprintf("month.short.%d", int(t.Month())))
	return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
}

// FormatDateTime adds the time of day.
func FormatDateTime(ctx context.Context, t time.Time) string {
	return FormatDate(ctx, t) + " " + t.Format("15:04")
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
	return i18n.T(ctx, key, map[string]any{"Count": n})
}
