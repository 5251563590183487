package models

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseDay reads a calendar date written YYYY-MM-DD (an <input type=date>, the API, a
// meeting's form). The day is one of TIME_ZONE's calendar, held the way DATE columns
// and Store.Today hold days: as midnight UTC of that date, so that comparing it with
// Today is exact in any zone and it reads back the same from SQLite and PostgreSQL.
// Empty means no date (nil, true); anything else that is not a date gives ok false.
func ParseDay(v string) (day *time.Time, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	d, err := time.ParseInLocation(time.DateOnly, v, time.UTC)
	if err != nil {
		return nil, false
	}
	return &d, true
}

// Longest texts a transition takes.
const (
	maxReason = 2000
	maxNote   = 5000
)

// TransitionRequest is a move of an improvement as a person asks for it, in text, the
// same whether it comes from the improvement page, the API or a steering meeting's
// decision. Validate checks it on its own; Store.TransitionInput also looks up the
// owner and the functional area.
type TransitionRequest struct {
	To      string // the status to move to
	Version string // the improvement's version the person saw
	Reason  string
	Note    string
	// The owner, either picked from a list (OwnerID, a user's id) or named by e-mail.
	OwnerID, OwnerEmail string
	// The functional area, either picked from a list (AreaID) or named by code or name.
	AreaID, Area string
	// Dates as YYYY-MM-DD (ParseDay).
	TargetDate, DeferUntil string
	// ImplementedOn is the day a finished change took effect, when recorded later.
	ImplementedOn string
}

// Validate checks what the request can tell without the database and returns the
// input with every problem by field (to, version, reason, note, owner, functional_area,
// target_date, defer_until, implemented_on). Only the fields the target status uses are read: an
// approval its owner, area and target date, a deferral its date; a form may send the
// others filled in from another choice.
func (r TransitionRequest) Validate() (TransitionInput, *ValidationError) {
	f := map[string]string{}
	in := TransitionInput{Reason: r.Reason, Note: r.Note}
	to, ok := ParseStatus(strings.TrimSpace(r.To))
	if !ok {
		f["to"] = "invalid_choice"
	}
	in.To = to
	if v, err := strconv.Atoi(strings.TrimSpace(r.Version)); err != nil || v < 0 {
		f["version"] = "required"
	} else {
		in.Version = v
	}
	if utf8.RuneCountInString(r.Reason) > maxReason {
		f["reason"] = "out_of_range"
	}
	if utf8.RuneCountInString(r.Note) > maxNote {
		f["note"] = "out_of_range"
	}
	id := func(field, v string) *int64 {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			f[field] = "invalid_choice"
			return nil
		}
		return &n
	}
	day := func(field, v string) *time.Time {
		d, ok := ParseDay(v)
		if !ok {
			f[field] = "invalid_date"
		}
		return d
	}
	switch to {
	case StatusApproved:
		in.OwnerID = id("owner", r.OwnerID)
		in.FunctionalAreaID = id("functional_area", r.AreaID)
		in.TargetDate = day("target_date", r.TargetDate)
	case StatusDeferred:
		in.DeferUntil = day("defer_until", r.DeferUntil)
	case StatusImplemented:
		in.ImplementedOn = day("implemented_on", r.ImplementedOn)
	}
	if len(f) > 0 {
		return in, &ValidationError{Fields: f}
	}
	return in, nil
}
