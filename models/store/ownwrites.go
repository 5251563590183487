package store

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// A user's own write makes what is kept stale for them: their next page must show it
// (read-your-writes). Most of a team's writes are new feedback and follow-ups, and most
// kept pages cannot change by one: a filtered list the new feedback is not in, a search
// for another word, an earlier month's report. So the write log remembers, per user,
// what their latest writes did to the feedback, and such a page judges with a cheap
// check whether it still holds, instead of being computed again after every write of
// a user who writes all day (the soak's mixed load recomputed nearly every page).

// The same check serves everyone's writes: a page kept from before writes that cannot
// have changed it (or merged with the feedback they created) is as good as one computed
// now, so the kept page moves on past them once (recentLog, judgeKept in aggcache.go)
// instead of being computed again after OthersLag; under the soak's mixed load those
// recomputations of first pages and reports were 18% of the CPU.

// ownWritesKept is how many of a user's latest writes are remembered; a page kept from
// before all of them is computed again.
const ownWritesKept = 32

// recentKept is how many of this instance's latest writes are remembered at least (a
// few seconds of the soak's mixed load); a value kept from before them is computed again.
const recentKept = 4096

// loggedWrite is one write through this instance, as the kept pages judge it.
type loggedWrite struct {
	gen uint64
	// feedback is what the write did, when the store knows it wrote nothing but new
	// feedback or follow-ups; nil for any other write, which may change anything.
	feedback *feedbackWrite
	// tables are the tables it wrote (anyTable: it may have written any): one that did
	// not write those a value reads (an improvement moved, a meeting held, for the
	// feedback list or the NPS by month) leaves it as it is.
	tables []string
}

// wrote says whether w may have written one of tables.
func (w loggedWrite) wrote(tables ...string) bool {
	return slices.ContainsFunc(w.tables, func(t string) bool { return t == anyTable || slices.Contains(tables, t) })
}

// feedbackWrite is a write that created feedback rows, or recorded their follow-ups,
// and changed no other column that a list filters or sorts on.
type feedbackWrite struct {
	followUp bool
	rows     []writtenRow
}

// writtenRow is one feedback a write created or followed up.
type writtenRow struct {
	id         int64
	receivedAt time.Time
}

// newFeedbackWrite is the footprint of storing one new feedback.
func newFeedbackWrite(id int64, receivedAt time.Time) *feedbackWrite {
	return &feedbackWrite{rows: []writtenRow{{id, receivedAt}}}
}

// ownLog is one user's latest writes, oldest first.
type ownLog struct {
	writes []loggedWrite
	// forgotten is the newest generation dropped from writes: what was kept before it
	// cannot be judged.
	forgotten uint64
}

func (l *ownLog) add(w loggedWrite) {
	if len(l.writes) == ownWritesKept {
		l.forgotten = l.writes[0].gen
		l.writes = slices.Delete(l.writes, 0, 1)
	}
	l.writes = append(l.writes, w)
}

// recentLog is this instance's latest writes, whoever made them, oldest first.
type recentLog struct {
	writes []loggedWrite
	// forgotten is the newest generation dropped from writes.
	forgotten uint64
}

// add appends w, a write of the next generation. The oldest half goes once the log is
// twice recentKept long, so that each write costs the same on average.
func (l *recentLog) add(w loggedWrite) {
	if len(l.writes) == 2*recentKept {
		l.forgotten = l.writes[recentKept-1].gen
		l.writes = slices.Delete(l.writes, 0, recentKept)
	}
	l.writes = append(l.writes, w)
}

// writesSince returns this instance's writes after generation gen, the latest
// generation, which they reach, and whether they are all remembered.
func (w *writeLog) writesSince(gen uint64) (since []loggedWrite, latest uint64, all bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	latest = w.all.Load()
	if w.recent.forgotten > gen {
		return nil, latest, false
	}
	i, _ := slices.BinarySearchFunc(w.recent.writes, gen+1, func(ow loggedWrite, g uint64) int { return cmp.Compare(ow.gen, g) })
	return slices.Clone(w.recent.writes[i:]), latest, true
}

type footprintKey struct{}

// withFootprint marks ctx's write as fw, for the write log to remember once it commits
// (Store.Tx); a method sets it only around a transaction that writes exactly that.
func withFootprint(ctx context.Context, fw *feedbackWrite) context.Context {
	return context.WithValue(ctx, footprintKey{}, fw)
}

func footprintOf(ctx context.Context) *feedbackWrite {
	fw, _ := ctx.Value(footprintKey{}).(*feedbackWrite)
	return fw
}

// rememberOwn records user id's write, with w.mu held.
func (w *writeLog) rememberOwn(id int64, wrote loggedWrite) {
	if w.own == nil {
		w.own = map[int64]*ownLog{}
	}
	l := w.own[id]
	if l == nil {
		l = &ownLog{}
		w.own[id] = l
	}
	l.add(wrote)
}

// judgeable says whether a value kept since at may be judged by this instance's own
// writes for ctx's user: every write of theirs that is not in its log must be older
// than at, by crossInstanceMargin. That is their latest write when another instance
// made it (notBefore already keeps what is shown to after it), or else the latest one
// another instance made before this one's run of their writes (ElsewhereWriteAt):
// without this, a page kept from before a write through another instance passed for
// fresh after a later write here, and the soak on PostgreSQL missed 19 own writes.
func (w *writeLog) judgeable(ctx context.Context, at time.Time) bool {
	last, ok := ctx.Value(lastWriteKey{}).(lastWrite)
	if !ok || last.by != w.instance || last.elsewhere.IsZero() {
		return true
	}
	if id, _ := userOf(ctx); w.heardUser(id, last.elsewhere) {
		return true // that write, and every one of theirs before it, is in the log
	}
	return at.After(last.elsewhere.Add(crossInstanceMargin))
}

// ownSince returns ctx's user's writes after generation gen, and whether they are all
// remembered.
func (w *writeLog) ownSince(ctx context.Context, gen uint64) ([]loggedWrite, bool) {
	id, ok := userOf(ctx)
	if !ok {
		return nil, true
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	l := w.own[id]
	if l == nil {
		return nil, w.byUser[id] <= gen
	}
	if l.forgotten > gen {
		return nil, false
	}
	i, _ := slices.BinarySearchFunc(l.writes, gen+1, func(ow loggedWrite, g uint64) int { return cmp.Compare(ow.gen, g) })
	return slices.Clone(l.writes[i:]), true
}

// afterWrites judges a kept value after writes made since it was computed (the
// reader's own, or everyone's through this instance): it returns what may be shown (the
// kept value, or one amended with the writes) and whether it could tell. It is asked only
// when the writes are all remembered, and answers false when in doubt.
type afterWrites[T any] func(ctx context.Context, kept T, since []loggedWrite) (shown T, ok bool)

// unchanged is an afterWrites for a value that holds after writes that pass holds.
func unchanged[T any](holds func(ctx context.Context, kept T, since []loggedWrite) bool) afterWrites[T] {
	return func(ctx context.Context, kept T, since []loggedWrite) (T, bool) { return kept, holds(ctx, kept, since) }
}

// createdAndFollowedUp splits writes into the feedback they created and the
// feedback they followed up; ok is false when one of them wrote anything else.
func createdAndFollowedUp(since []loggedWrite) (created, followedUp []writtenRow, ok bool) {
	for _, w := range since {
		switch {
		case w.feedback == nil || len(w.feedback.rows) == 0: // a write that failed before it knew its rows
			return nil, nil, false
		case w.feedback.followUp:
			followedUp = append(followedUp, w.feedback.rows...)
		default:
			created = append(created, w.feedback.rows...)
		}
	}
	return created, followedUp, true
}

// npsTables are what the NPS counts are read from: the feedback and its rollups.
var npsTables = []string{"feedback", "feedback_daily", "feedback_monthly"}

// npsHeldBefore reports whether the NPS counts of feedback received before t hold after
// the writes: each wrote none of the tables they are read from, or only followed up
// feedback (a follow-up changes no NPS count), or created feedback received at or after t.
func npsHeldBefore(since []loggedWrite, t time.Time) bool {
	for _, w := range since {
		switch {
		case !w.wrote(npsTables...):
		case w.feedback == nil || len(w.feedback.rows) == 0:
			return false
		case w.feedback.followUp:
		case slices.ContainsFunc(w.feedback.rows, func(r writtenRow) bool { return r.receivedAt.Before(t) }):
			return false
		}
	}
	return true
}

// writesOf returns the writes that may have written one of tables.
func writesOf(since []loggedWrite, tables ...string) []loggedWrite {
	return slices.DeleteFunc(slices.Clone(since), func(w loggedWrite) bool { return !w.wrote(tables...) })
}

// allFrom reports whether every feedback the writes created or followed up was
// received at or after t: a figure of earlier days cannot have changed by them.
func allFrom(since []loggedWrite, t time.Time) bool {
	created, followedUp, ok := createdAndFollowedUp(since)
	if !ok {
		return false
	}
	for _, r := range slices.Concat(created, followedUp) {
		if r.receivedAt.Before(t) {
			return false
		}
	}
	return true
}
