package store

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// What one instance announces is what another enters into its write log: the tables,
// the feedback created or followed up (to the microsecond), and the writers, each with
// the time of their write; an announcement too long for PostgreSQL drops its rows and
// is heard as a write that may have changed anything in its tables.
func TestAnnouncedWritesAreHeardAsWritten(t *testing.T) {
	at := time.Date(2026, 12, 2, 9, 30, 0, 123456000, time.UTC)
	rows := func(n int) []writtenRow {
		out := make([]writtenRow, n)
		for i := range out {
			out[i] = writtenRow{int64(1_000_000 + i), at.Add(time.Duration(i) * time.Second)}
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		fw        *feedbackWrite
		wantKnown bool
	}{
		{"new feedback", &feedbackWrite{rows: rows(3)}, true},
		{"a follow-up", &feedbackWrite{followUp: true, rows: rows(1)}, true},
		{"a batch too long to list", &feedbackWrite{rows: rows(400)}, false},
		{"an unknown write", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := &txTables{tables: map[string]bool{"feedback": true, "history": true, "sessions": true},
				writers: []announcedWriter{{ID: 7, At: at}, {ID: 9, At: at}}}
			payload, err := announcementOf("there", tx, tc.fw)
			if err != nil {
				t.Fatal(err)
			}
			if len(payload) > announcementLimit {
				t.Fatalf("payload of %d bytes, over %d", len(payload), announcementLimit)
			}
			var a announcement
			if err := json.Unmarshal(payload, &a); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Tables, []string{"feedback", "history"}) {
				t.Errorf("tables %v, want feedback and history (sessions change no figure)", a.Tables)
			}
			var w writeLog
			gen := w.heard(a)
			since, _, all := w.writesSince(gen - 1)
			if !all || len(since) != 1 || since[0].gen != gen || !slices.Equal(since[0].tables, a.Tables) {
				t.Fatalf("heard %+v, want one write of the feedback at generation %d", since, gen)
			}
			if got := since[0].feedback; (got != nil) != tc.wantKnown {
				t.Fatalf("heard footprint %+v, want known: %v", got, tc.wantKnown)
			} else if got != nil && (got.followUp != tc.fw.followUp || !slices.Equal(got.rows, tc.fw.rows)) {
				t.Errorf("heard %+v, announced %+v", got, tc.fw)
			}
			for _, id := range []int64{7, 9} {
				if w.byUser[id] != gen || !w.heardUser(id, at) {
					t.Errorf("writer %d: must see generation %d (has %d), heard %v", id, gen, w.byUser[id], w.heardUser(id, at))
				}
			}
			if w.heardUser(8, at) || w.heardUser(7, at.Add(time.Microsecond)) {
				t.Error("heard a write nobody announced")
			}
		})
	}
}

// An instance remembers each user's latest heardKept writes heard.
func TestHeardWritesOfAUserAreRememberedLatestFirst(t *testing.T) {
	var w writeLog
	base := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for i := range heardKept + 2 {
		w.heard(announcement{Instance: "there", Tables: []string{"feedback"},
			Writers: []announcedWriter{{ID: 1, At: base.Add(time.Duration(i) * time.Second)}}})
	}
	for i := range heardKept + 2 {
		want := i >= 2
		if got := w.heardUser(1, base.Add(time.Duration(i)*time.Second)); got != want {
			t.Errorf("write %d heard: %v, want %v", i, got, want)
		}
	}
}
