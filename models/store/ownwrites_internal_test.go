package store

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// ownSince returns a user's writes after a generation while they are all remembered,
// and says so once the oldest of them are forgotten.
func TestOwnSince(t *testing.T) {
	var w writeLog
	me := ForUser(context.Background(), 7)
	w.committed(ForUser(context.Background(), 8), map[string]bool{"feedback": true}) // someone else's, gen 1
	for i := range ownWritesKept + 3 {                                               // gens 2..36
		w.committed(withFootprint(me, newFeedbackWrite(int64(i), time.Time{})), map[string]bool{"feedback": true})
	}
	for _, c := range []struct {
		after uint64
		want  int
		all   bool
	}{
		{after: 36, want: 0, all: true},
		{after: 35, want: 1, all: true},
		{after: 4, want: ownWritesKept, all: true},
		{after: 3, want: 0, all: false}, // gen 4's write is remembered, gen 3's is not
		{after: 0, want: 0, all: false},
	} {
		got, all := w.ownSince(me, c.after)
		if len(got) != c.want || all != c.all {
			t.Errorf("ownSince(%d) = %d writes, all %v; want %d, %v", c.after, len(got), all, c.want, c.all)
		}
	}
	if got, all := w.ownSince(ForUser(context.Background(), 9), 0); len(got) != 0 || !all {
		t.Errorf("a user who never wrote: %d writes, all %v", len(got), all)
	}
}

// Only writes known to create or follow up feedback can be judged; a follow-up that
// failed before it read its row, or any other write, changes everything.
func TestAllFrom(t *testing.T) {
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	created := func(at time.Time) loggedWrite { return loggedWrite{feedback: newFeedbackWrite(1, at)} }
	followed := func(at time.Time) loggedWrite {
		return loggedWrite{feedback: &feedbackWrite{followUp: true, rows: []writtenRow{{2, at}}}}
	}
	for _, c := range []struct {
		name  string
		since []loggedWrite
		want  bool
	}{
		{"none", nil, true},
		{"created after", []loggedWrite{created(day.Add(time.Hour))}, true},
		{"created at", []loggedWrite{created(day)}, true},
		{"created before", []loggedWrite{created(day.Add(-time.Second))}, false},
		{"followed up after", []loggedWrite{followed(day.AddDate(0, 1, 0))}, true},
		{"followed up before", []loggedWrite{created(day), followed(day.AddDate(0, -1, 0))}, false},
		{"a follow-up that never read its row", []loggedWrite{{feedback: &feedbackWrite{followUp: true}}}, false},
		{"another write", []loggedWrite{created(day), {}}, false},
	} {
		if got := allFrom(c.since, day); got != c.want {
			t.Errorf("%s: allFrom = %v, want %v", c.name, got, c.want)
		}
	}
}

// The NPS counts of earlier days hold after writes that did not touch the feedback or
// its rollups, after follow-ups of any day, and after feedback created from the day on;
// not after feedback of an earlier day, or a write of the feedback or its rollups that
// did not say what it did.
func TestNPSHeldBefore(t *testing.T) {
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	created := func(at time.Time) loggedWrite {
		return loggedWrite{feedback: newFeedbackWrite(1, at), tables: []string{"feedback", "history"}}
	}
	followed := func(at time.Time) loggedWrite {
		return loggedWrite{feedback: &feedbackWrite{followUp: true, rows: []writtenRow{{2, at}}}, tables: []string{"feedback", "history"}}
	}
	other := func(tables ...string) loggedWrite { return loggedWrite{tables: tables} }
	for _, c := range []struct {
		name  string
		since []loggedWrite
		want  bool
	}{
		{"none", nil, true},
		{"created at", []loggedWrite{created(day)}, true},
		{"created before", []loggedWrite{created(day.Add(-time.Second))}, false},
		{"followed up before", []loggedWrite{followed(day.AddDate(0, -1, 0))}, true},
		{"an improvement moved", []loggedWrite{other("history", "improvements", "notifications")}, true},
		{"a rollup written", []loggedWrite{created(day), other("feedback_monthly")}, false},
		{"the feedback written otherwise", []loggedWrite{other("feedback", "history")}, false},
		{"unknown tables", []loggedWrite{other(anyTable)}, false},
		{"a target set", []loggedWrite{other("history", "nps_targets")}, true},
	} {
		if got := npsHeldBefore(c.since, day); got != c.want {
			t.Errorf("%s: npsHeldBefore = %v, want %v", c.name, got, c.want)
		}
	}
}

// The follow-ups overdue at a time stay as they were after writes that leave the
// feedback alone and after feedback created or followed up that was not yet due then;
// not after one that was, nor after a write of the feedback that did not say what it did.
func TestOverdueHeld(t *testing.T) {
	at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	notYetDue, overdue := at.Add(-models.FollowUpWindow), at.Add(-models.FollowUpWindow-time.Second)
	created := func(received time.Time) loggedWrite {
		return loggedWrite{feedback: newFeedbackWrite(1, received), tables: []string{"feedback", "history"}}
	}
	followed := func(received time.Time) loggedWrite {
		return loggedWrite{feedback: &feedbackWrite{followUp: true, rows: []writtenRow{{2, received}}}, tables: []string{"feedback", "history"}}
	}
	for _, c := range []struct {
		name  string
		since []loggedWrite
		want  bool
	}{
		{"none", nil, true},
		{"created now", []loggedWrite{created(at)}, true},
		{"created, due just then", []loggedWrite{created(notYetDue)}, true},
		{"created, overdue then", []loggedWrite{created(overdue)}, false},
		{"followed up, not yet due", []loggedWrite{followed(notYetDue)}, true},
		{"followed up, overdue", []loggedWrite{created(at), followed(overdue)}, false},
		{"an improvement moved", []loggedWrite{{tables: []string{"history", "improvements"}}}, true},
		{"the feedback written otherwise", []loggedWrite{{tables: []string{"feedback"}}}, false},
		{"unknown tables", []loggedWrite{{tables: []string{anyTable}}}, false},
	} {
		if got := overdueHeld(c.since, at); got != c.want {
			t.Errorf("%s: overdueHeld = %v, want %v", c.name, got, c.want)
		}
	}
}

// writesSince returns everyone's writes after a generation while they are all
// remembered, and says so once the oldest half of the log has been dropped.
func TestWritesSince(t *testing.T) {
	var w writeLog
	for i := range 2*recentKept + 1 { // gens 1..2*recentKept+1; the last one drops the first half
		w.committed(ForUser(context.Background(), int64(i%3+1)), map[string]bool{"feedback": true})
	}
	last := uint64(2*recentKept + 1)
	for _, c := range []struct {
		after uint64
		want  int
		all   bool
	}{
		{after: last, want: 0, all: true},
		{after: last - 1, want: 1, all: true},
		{after: recentKept, want: recentKept + 1, all: true},
		{after: recentKept - 1, want: 0, all: false},
		{after: 0, want: 0, all: false},
	} {
		got, latest, all := w.writesSince(c.after)
		if len(got) != c.want || all != c.all || latest != last {
			t.Errorf("writesSince(%d) = %d writes up to %d, all %v; want %d up to %d, %v", c.after, len(got), latest, all, c.want, last, c.all)
		}
		if len(got) > 0 && got[0].gen != c.after+1 {
			t.Errorf("writesSince(%d) starts at generation %d", c.after, got[0].gen)
		}
	}
}
