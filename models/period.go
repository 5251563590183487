package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodKind is the length of a report period.
type PeriodKind string

// The report period kinds.
const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodYear    PeriodKind = "year"
)

// Months returns how many calendar months a period of kind k spans, or 0 for an unknown kind.
func (k PeriodKind) Months() int {
	switch k {
	case PeriodMonth:
		return 1
	case PeriodQuarter:
		return 3
	case PeriodYear:
		return 12
	}
	return 0
}

// ParsePeriodKind reads a period kind from a query string value.
func ParsePeriodKind(s string) (PeriodKind, bool) {
	k := PeriodKind(strings.ToLower(strings.TrimSpace(s)))
	return k, k.Months() > 0
}

// Period is a calendar month, quarter or year in one location, as [Start, End): End is the
// first instant after it. Boundaries are local midnights, so feedback received at 23:59 on
// the last evening of a month counts in that month wherever the server's clock is.
type Period struct {
	Kind       PeriodKind
	Start, End time.Time
}

// PeriodOf returns the period of kind that contains t as seen in loc. An unknown kind gives
// the zero Period, which contains nothing.
func PeriodOf(kind PeriodKind, t time.Time, loc *time.Location) Period {
	n := kind.Months()
	if n == 0 {
		return Period{}
	}
	t = t.In(loc)
	first := (int(t.Month())-1)/n*n + 1
	return Period{
		Kind:  kind,
		Start: time.Date(t.Year(), time.Month(first), 1, 0, 0, 0, 0, loc),
		End:   time.Date(t.Year(), time.Month(first+n), 1, 0, 0, 0, 0, loc),
	}
}

// ParsePeriod reads a period as String writes it: "2026-03" for a month, "2026-Q1" for a
// quarter, "2026" for a year. The error wraps a *ValidationError on the field "period".
func ParsePeriod(kind PeriodKind, s string, loc *time.Location) (Period, error) {
	year, month, ok := parsePeriodStart(kind, strings.ToUpper(strings.TrimSpace(s)))
	if !ok {
		return Period{}, fmt.Errorf("models: parse %s period %q: %w", kind, s, Invalid("period", "invalid_period"))
	}
	return PeriodOf(kind, time.Date(year, month, 1, 0, 0, 0, 0, loc), loc), nil
}

// parsePeriodStart returns the year and first month that s names for kind.
func parsePeriodStart(kind PeriodKind, s string) (int, time.Month, bool) {
	y, rest, found := strings.Cut(s, "-")
	year, ok := parseDigits(y, 4, 1, 9999)
	if !ok {
		return 0, 0, false
	}
	switch kind {
	case PeriodYear:
		return year, time.January, !found
	case PeriodMonth:
		m, ok := parseDigits(rest, 2, 1, 12)
		return year, time.Month(m), ok
	case PeriodQuarter:
		q, ok := parseDigits(strings.TrimPrefix(rest, "Q"), 1, 1, 4)
		return year, time.Month(3*q - 2), ok && strings.HasPrefix(rest, "Q")
	}
	return 0, 0, false
}

// parseDigits reads exactly width decimal digits as a number in [lo, hi].
func parseDigits(s string, width, lo, hi int) (int, bool) {
	if len(s) != width || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi
}

// String formats p the way ParsePeriod reads it, for links and the period picker.
func (p Period) String() string {
	switch p.Kind {
	case PeriodMonth:
		return p.Start.Format("2006-01")
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", p.Start.Year(), (int(p.Start.Month())+2)/3)
	case PeriodYear:
		return p.Start.Format("2006")
	}
	return ""
}

// Previous returns the period of the same kind just before p.
func (p Period) Previous() Period { return p.shift(-p.Kind.Months()) }

// Next returns the period of the same kind just after p.
func (p Period) Next() Period { return p.shift(p.Kind.Months()) }

// YearBefore returns the same period a year earlier, which reports compare against to
// cancel out seasons.
func (p Period) YearBefore() Period { return p.shift(-12) }

// shift returns the period of p's kind that starts the given number of months from p.Start.
func (p Period) shift(months int) Period {
	loc := p.Start.Location()
	start := time.Date(p.Start.Year(), p.Start.Month()+time.Month(months), 1, 0, 0, 0, 0, loc)
	return PeriodOf(p.Kind, start, loc)
}

// Contains reports whether t falls within p; the instant is compared, not the clock reading,
// so t may be in any location.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && t.Before(p.End)
}

// LastDay returns the start of p's last day, for showing p as an inclusive date range.
func (p Period) LastDay() time.Time {
	return p.End.AddDate(0, 0, -1)
}

// DayRange turns an inclusive range of dates, as a person enters it, into [start, end) in
// loc: from's date at 00:00 to the day after to's date at 00:00. The dates are read as
// written (in from's and to's own locations), so a date parsed in UTC means that date in loc.
func DayRange(from, to time.Time, loc *time.Location) (time.Time, time.Time) {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	return time.Date(fy, fm, fd, 0, 0, 0, 0, loc), time.Date(ty, tm, td+1, 0, 0, 0, 0, loc)
}
