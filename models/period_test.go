package models

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the DST cases must not depend on the machine's zone files
)

// periodLocation loads the organisation's zone used in these tests.
func periodLocation(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestPeriodOfLocalMidnight(t *testing.T) {
	cph := periodLocation(t)
	lastMinute := time.Date(2026, time.March, 31, 23, 59, 0, 0, cph)
	if got := lastMinute.UTC(); got.Hour() != 21 || got.Day() != 31 {
		t.Fatalf("test premise: %v is not 21:59 UTC", got)
	}
	april := time.Date(2026, time.April, 1, 0, 0, 0, 0, cph)
	march := PeriodOf(PeriodMonth, lastMinute.UTC(), cph)
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"23:59 on 31 March local", lastMinute, true},
		{"the same instant in UTC", lastMinute.UTC(), true},
		{"00:00 on 1 April local", april, false},
		{"00:00 on 1 March local", time.Date(2026, time.March, 1, 0, 0, 0, 0, cph), true},
		{"23:30 on 28 February UTC is 1 March local", time.Date(2026, time.February, 28, 23, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := march.Contains(tt.t); got != tt.want {
				t.Errorf("%s.Contains(%v) = %v, want %v", march, tt.t, got, tt.want)
			}
		})
	}
	if got := PeriodOf(PeriodMonth, april, cph).String(); got != "2026-04" {
		t.Errorf("PeriodOf(1 April) = %s, want 2026-04", got)
	}
}

func TestPeriodOfDST(t *testing.T) {
	cph := periodLocation(t)
	tests := []struct {
		name       string
		month      time.Month
		start, end time.Time
		hours      time.Duration
	}{
		{"spring forward", time.March,
			time.Date(2026, time.February, 28, 23, 0, 0, 0, time.UTC),
			time.Date(2026, time.March, 31, 22, 0, 0, 0, time.UTC), 31*24 - 1},
		{"fall back", time.October,
			time.Date(2026, time.September, 30, 22, 0, 0, 0, time.UTC),
			time.Date(2026, time.October, 31, 23, 0, 0, 0, time.UTC), 31*24 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := PeriodOf(PeriodMonth, time.Date(2026, tt.month, 15, 12, 0, 0, 0, cph), cph)
			if !p.Start.Equal(tt.start) || !p.End.Equal(tt.end) {
				t.Errorf("PeriodOf = [%v, %v), want [%v, %v)", p.Start.UTC(), p.End.UTC(), tt.start, tt.end)
			}
			if got := p.End.Sub(p.Start); got != tt.hours*time.Hour {
				t.Errorf("length = %v, want %v hours", got, tt.hours)
			}
			if p.Start.Hour() != 0 || p.End.Hour() != 0 {
				t.Errorf("boundaries %v, %v are not local midnights", p.Start, p.End)
			}
		})
	}
}

func TestPeriodOfKinds(t *testing.T) {
	cph := periodLocation(t)
	at := time.Date(2026, time.August, 20, 10, 0, 0, 0, cph)
	tests := []struct {
		kind       PeriodKind
		want       string
		start, end time.Time
	}{
		{PeriodMonth, "2026-08", time.Date(2026, 8, 1, 0, 0, 0, 0, cph), time.Date(2026, 9, 1, 0, 0, 0, 0, cph)},
		{PeriodQuarter, "2026-Q3", time.Date(2026, 7, 1, 0, 0, 0, 0, cph), time.Date(2026, 10, 1, 0, 0, 0, 0, cph)},
		{PeriodYear, "2026", time.Date(2026, 1, 1, 0, 0, 0, 0, cph), time.Date(2027, 1, 1, 0, 0, 0, 0, cph)},
		{"week", "", time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			p := PeriodOf(tt.kind, at, cph)
			if p.String() != tt.want || !p.Start.Equal(tt.start) || !p.End.Equal(tt.end) {
				t.Errorf("PeriodOf = %s [%v, %v), want %s [%v, %v)", p, p.Start, p.End, tt.want, tt.start, tt.end)
			}
		})
	}
}

func TestPeriodNavigation(t *testing.T) {
	cph := periodLocation(t)
	tests := []struct {
		kind                     PeriodKind
		in, previous, next, year string
	}{
		{PeriodMonth, "2026-01", "2025-12", "2026-02", "2025-01"},
		{PeriodMonth, "2026-12", "2026-11", "2027-01", "2025-12"},
		{PeriodQuarter, "2026-Q4", "2026-Q3", "2027-Q1", "2025-Q4"},
		{PeriodQuarter, "2026-Q1", "2025-Q4", "2026-Q2", "2025-Q1"},
		{PeriodYear, "2026", "2025", "2027", "2025"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.kind, tt.in, cph)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{p.String(), p.Previous().String(), p.Next().String(), p.YearBefore().String()}
			want := []string{tt.in, tt.previous, tt.next, tt.year}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("got %v, want %v", got, want)
					break
				}
			}
			if !p.Previous().End.Equal(p.Start) || !p.Next().Start.Equal(p.End) {
				t.Errorf("%s does not adjoin its neighbours", p)
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	cph := periodLocation(t)
	tests := []struct {
		kind PeriodKind
		in   string
		want string // "" for an error
	}{
		{PeriodMonth, "2026-03", "2026-03"},
		{PeriodMonth, " 2026-12 ", "2026-12"},
		{PeriodQuarter, "2026-Q2", "2026-Q2"},
		{PeriodQuarter, "2026-q4", "2026-Q4"},
		{PeriodYear, "2026", "2026"},
		{PeriodMonth, "2026-13", ""},
		{PeriodMonth, "2026-00", ""},
		{PeriodMonth, "2026-3", ""},
		{PeriodMonth, "26-03", ""},
		{PeriodMonth, "2026-Q1", ""},
		{PeriodMonth, "2026", ""},
		{PeriodMonth, "", ""},
		{PeriodMonth, "2026-03-01", ""},
		{PeriodQuarter, "2026-Q0", ""},
		{PeriodQuarter, "2026-Q5", ""},
		{PeriodQuarter, "2026Q1", ""},
		{PeriodQuarter, "2026-1", ""},
		{PeriodQuarter, "2026-03", ""},
		{PeriodYear, "2026-01", ""},
		{PeriodYear, "+2026", ""},
		{PeriodYear, "year", ""},
		{"week", "2026", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+" "+tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.kind, tt.in, cph)
			if tt.want == "" {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Fields["period"] == "" {
					t.Errorf("ParsePeriod = %s, %v, want a validation error on period", p, err)
				}
				return
			}
			if err != nil || p.String() != tt.want || p.Start.Location() != cph {
				t.Errorf("ParsePeriod = %s (%v), %v, want %s", p, p.Start, err, tt.want)
			}
		})
	}
}

func TestParsePeriodKind(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{{"month", true}, {" Quarter", true}, {"year", true}, {"week", false}, {"", false}}
	for _, tt := range tests {
		if _, ok := ParsePeriodKind(tt.in); ok != tt.want {
			t.Errorf("ParsePeriodKind(%q) ok = %v, want %v", tt.in, ok, tt.want)
		}
	}
}

func TestPeriodLastDay(t *testing.T) {
	cph := periodLocation(t)
	tests := []struct {
		kind PeriodKind
		in   string
		want time.Time
	}{
		{PeriodMonth, "2026-03", time.Date(2026, 3, 31, 0, 0, 0, 0, cph)},
		{PeriodMonth, "2024-02", time.Date(2024, 2, 29, 0, 0, 0, 0, cph)},
		{PeriodMonth, "2026-10", time.Date(2026, 10, 31, 0, 0, 0, 0, cph)},
		{PeriodQuarter, "2026-Q1", time.Date(2026, 3, 31, 0, 0, 0, 0, cph)},
		{PeriodYear, "2026", time.Date(2026, 12, 31, 0, 0, 0, 0, cph)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.kind, tt.in, cph)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.LastDay(); !got.Equal(tt.want) {
				t.Errorf("LastDay = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDayRange(t *testing.T) {
	cph := periodLocation(t)
	tests := []struct {
		name             string
		from, to         time.Time
		wantFrom, wantTo time.Time
	}{
		{"a month of dates parsed in UTC",
			time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 3, 1, 0, 0, 0, 0, cph), time.Date(2026, 4, 1, 0, 0, 0, 0, cph)},
		{"one day, time of day ignored",
			time.Date(2026, 10, 25, 15, 0, 0, 0, cph), time.Date(2026, 10, 25, 9, 0, 0, 0, cph),
			time.Date(2026, 10, 25, 0, 0, 0, 0, cph), time.Date(2026, 10, 26, 0, 0, 0, 0, cph)},
		{"across a year end",
			time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
			time.Date(2025, 12, 31, 0, 0, 0, 0, cph), time.Date(2026, 1, 1, 0, 0, 0, 0, cph)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := DayRange(tt.from, tt.to, cph)
			if !from.Equal(tt.wantFrom) || !to.Equal(tt.wantTo) {
				t.Errorf("DayRange = [%v, %v), want [%v, %v)", from, to, tt.wantFrom, tt.wantTo)
			}
		})
	}
}
