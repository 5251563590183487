package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// rawFeedback inserts one feedback row with only the columns triage needs, so these
// tests do not depend on the feedback pages' own model.
func rawFeedback(t *testing.T, s *store.Store, at time.Time, nps *int, comment string, loggedBy *models.User, branch string) int64 {
	t.Helper()
	ctx := context.Background()
	ch, err := s.ResolveRef(ctx, models.RefChannels, "survey")
	if err != nil {
		t.Fatal(err)
	}
	var branchID *int64
	if branch != "" {
		b, err := s.ResolveRef(ctx, models.RefBranches, branch)
		if err != nil {
			t.Fatal(err)
		}
		branchID = &b.ID
	}
	var logged *int64
	if loggedBy != nil {
		logged = &loggedBy.ID
	}
	var group *string
	if g := models.GroupOf(nps); g != "" {
		gs := string(g)
		group = &gs
	}
	at = at.UTC()
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	var id int64
	err = s.Writer(ctx).Raw(`INSERT INTO feedback (received_at, received_on, channel_id, branch_id, nps, nps_group,
		comment, logged_by_id, triage_status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?) RETURNING id`,
		at, day, ch.ID, branchID, nps, group, comment, logged, at, at).Scan(&id).Error
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func npsOf(n int) *int { return &n }

func TestUntriagedFeedbackOldestFirstWithKeyset(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 5 {
		// Inserted newest first, so the order must come from received_at.
		ids = append(ids, rawFeedback(t, s, base.Add(time.Duration(5-i)*time.Hour), npsOf(i), "c", nil, ""))
	}
	// Received at the same moment as ids[3]: the next page, after ids[3], starts with it.
	tie := rawFeedback(t, s, base.Add(2*time.Hour), npsOf(7), "c", nil, "")
	if _, err := s.CloseNoAction(ctx, []int64{ids[0]}, "spam", st); err != nil {
		t.Fatal(err)
	}
	var got []int64
	cursor := ""
	for pages := 0; pages < 5; pages++ {
		items, next, err := s.UntriagedFeedback(ctx, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			got = append(got, it.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	want := []int64{ids[4], ids[3], tie, ids[2], ids[1]}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestCloseNoAction(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	a := rawFeedback(t, s, time.Now(), nil, "just saying thanks", nil, "")
	b := rawFeedback(t, s, time.Now(), nil, "great", nil, "")
	tests := []struct {
		name   string
		ids    []int64
		reason string
		field  string
		closed int
	}{
		{"needs a reason", []int64{a}, " ", "reason", 0},
		{"needs a selection", nil, "thanks", "feedback", 0},
		{"closes both", []int64{a, b, a}, "praise only", "", 2},
		{"already closed ones are left", []int64{a}, "again", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := s.CloseNoAction(ctx, tt.ids, tt.reason, st)
			var ve *models.ValidationError
			if tt.field != "" {
				if !errors.As(err, &ve) || ve.Fields[tt.field] == "" {
					t.Fatalf("err = %v, want a problem with %s", err, tt.field)
				}
				return
			}
			if err != nil || n != tt.closed {
				t.Fatalf("closed %d, %v; want %d", n, err, tt.closed)
			}
		})
	}
	items, _ := s.FeedbackForTriage(ctx, []int64{a})
	if len(items) != 1 || items[0].TriageStatus != models.TriageNoAction {
		t.Fatalf("feedback after no action: %+v", items)
	}
	hist, _ := s.History(ctx, "feedback", a)
	if len(hist) != 1 || hist[0].Action != "no_action" || hist[0].Note != "praise only" {
		t.Fatalf("history: %+v", hist)
	}
}

func TestSearchImprovementsByTitle(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	mk := func(title string, impact int) *models.Improvement {
		imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: title, Impact: impact, Effort: models.EffortM}, st)
		if err != nil {
			t.Fatal(err)
		}
		return imp
	}
	low := mk("Longer opening hours", 1)
	high := mk("Opening hours on Saturdays", 5)
	mk("100% online mortgage", 3)
	tests := []struct {
		q    string
		want []int64
	}{
		{"opening", []int64{high.ID, low.ID}},
		{"SATURDAY", []int64{high.ID}},
		{"%", nil}, // matched literally: only the mortgage title has one
		{"nothing like it", nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			hits, err := s.SearchImprovements(ctx, tt.q, 10)
			if err != nil {
				t.Fatal(err)
			}
			if tt.q == "%" {
				if len(hits) != 1 || hits[0].Title != "100% online mortgage" {
					t.Fatalf("hits %+v", hits)
				}
				return
			}
			if len(hits) != len(tt.want) {
				t.Fatalf("hits %+v, want %v", hits, tt.want)
			}
			for i := range hits {
				if hits[i].ID != tt.want[i] {
					t.Fatalf("hits %+v, want %v", hits, tt.want)
				}
			}
		})
	}
}
