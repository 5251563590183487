package store

import (
	"testing"
	"time"
)

func TestWholeMonths(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name       string
		from, to   time.Time
		first, end time.Time
		ok         bool
	}{
		{"one whole month", d(2026, 2, 1), d(2026, 3, 1), d(2026, 2, 1), d(2026, 3, 1), true},
		{"a year", d(2026, 1, 1), d(2027, 1, 1), d(2026, 1, 1), d(2027, 1, 1), true},
		{"edges on both sides", d(2026, 1, 31), d(2026, 3, 2), d(2026, 2, 1), d(2026, 3, 1), true},
		{"inside one month", d(2026, 2, 2), d(2026, 2, 28), time.Time{}, time.Time{}, false},
		{"across a month end, no whole month", d(2026, 2, 15), d(2026, 3, 15), time.Time{}, time.Time{}, false},
		{"empty", d(2026, 2, 1), d(2026, 2, 1), time.Time{}, time.Time{}, false},
		{"last day to first day", d(2026, 1, 31), d(2026, 2, 1), time.Time{}, time.Time{}, false},
	} {
		first, end, ok := wholeMonths(c.from, c.to)
		if ok != c.ok || (ok && (!first.Equal(c.first) || !end.Equal(c.end))) {
			t.Errorf("%s: wholeMonths(%s, %s) = %s, %s, %v", c.name, c.from.Format(time.DateOnly), c.to.Format(time.DateOnly),
				first.Format(time.DateOnly), end.Format(time.DateOnly), ok)
		}
	}
}
