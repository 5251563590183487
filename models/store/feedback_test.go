package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func score(v int) *int { return &v }

// clock pins the store's clock and returns a setter to move it.
func clock(s *store.Store, at time.Time) func(time.Time) {
	now := at
	s.Now = func() time.Time { return now }
	return func(t time.Time) { now = t }
}

func TestCreateFeedbackDerivesGroupDayAndDueTime(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	clock(s, time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC))
	// 23:30 UTC on 31 March is 01:30 on 1 April in Copenhagen (summer time).
	received := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name      string
		nps       *int
		wantGroup string
		wantDue   bool
	}{
		{"detractor 0", score(0), "detractor", true},
		{"detractor 6", score(6), "detractor", true},
		{"passive 7", score(7), "passive", false},
		{"passive 8", score(8), "passive", false},
		{"promoter 9", score(9), "promoter", false},
		{"promoter 10", score(10), "promoter", false},
		{"no score", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb, err := s.CreateFeedback(ctx, models.NewFeedback{ReceivedAt: received, Channel: "phone",
				Branch: "North", NPS: tt.nps, Comment: "The queue was long"}, amb)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(fb.Group()); got != tt.wantGroup {
				t.Errorf("group = %q, want %q", got, tt.wantGroup)
			}
			if got := fb.ReceivedOn.Format("2006-01-02"); got != "2026-04-01" {
				t.Errorf("received_on = %s, want the local date 2026-04-01", got)
			}
			if tt.wantDue != (fb.FollowUpDueAt != nil) {
				t.Fatalf("follow_up_due_at = %v, want set %v", fb.FollowUpDueAt, tt.wantDue)
			}
			if tt.wantDue && !fb.FollowUpDueAt.Equal(received.Add(24*time.Hour)) {
				t.Errorf("due %v, want 24 hours after %v", fb.FollowUpDueAt, received)
			}
			if fb.Channel == nil || fb.Channel.Code != "phone" || fb.Branch == nil || fb.Branch.Code != "north" {
				t.Errorf("references not resolved: %+v %+v", fb.Channel, fb.Branch)
			}
			got, err := s.FeedbackByID(ctx, fb.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.ReceivedAt.Equal(received) || got.Comment != "The queue was long" {
				t.Errorf("stored %v %q", got.ReceivedAt, got.Comment)
			}
			h, err := s.History(ctx, "feedback", fb.ID)
			if err != nil || len(h) != 1 || h[0].Action != "created" {
				t.Errorf("history = %+v, %v", h, err)
			}
		})
	}
	u, err := s.UserByID(ctx, amb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.LastChannelID == nil || u.LastBranchID == nil {
		t.Errorf("last channel and branch not remembered: %v %v", u.LastChannelID, u.LastBranchID)
	}
}

func TestCreateFeedbackNamesEveryProblem(t *testing.T) {
	s := modeltest.Open(t)
	tests := []struct {
		name string
		in   models.NewFeedback
		want map[string]string
	}{
		{"nps 11 and no channel", models.NewFeedback{NPS: score(11), Comment: "x"},
			map[string]string{"nps": "out_of_range", "channel": "required"}},
		{"neither comment nor nps", models.NewFeedback{Channel: "phone"},
			map[string]string{"comment": "comment_or_nps"}},
		{"unknown channel", models.NewFeedback{Channel: "carrier pigeon", Comment: "x"},
			map[string]string{"channel": "unknown_reference"}},
		{"contact without consent", models.NewFeedback{Channel: "phone", Comment: "x", CustomerEmail: "a@b.dk"},
			map[string]string{"consent": "consent_required"}},
		{"bad e-mail and segment", models.NewFeedback{Channel: "phone", Comment: "x", CustomerEmail: "nope", Consent: true, Segment: "vip"},
			map[string]string{"customer_email": "invalid_email", "segment": "invalid_choice"}},
		{"in the future", models.NewFeedback{Channel: "phone", Comment: "x", ReceivedAt: time.Now().Add(48 * time.Hour)},
			map[string]string{"received_at": "in_future"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateFeedback(context.Background(), tt.in, nil)
			var ve *models.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			if fmt.Sprint(ve.Fields) != fmt.Sprint(tt.want) {
				t.Errorf("fields = %v, want %v", ve.Fields, tt.want)
			}
		})
	}
}

// seed creates n feedback with distinct times, one minute apart, newest last.
func seed(t *testing.T, s *store.Store, n int, start time.Time, mk func(i int) models.NewFeedback) []*models.Feedback {
	t.Helper()
	var out []*models.Feedback
	for i := range n {
		in := mk(i)
		if in.ReceivedAt.IsZero() {
			in.ReceivedAt = start.Add(time.Duration(i) * time.Minute)
		}
		fb, err := s.CreateFeedback(context.Background(), in, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
		out = append(out, fb)
	}
	return out
}

func TestListFeedbackKeysetPagesReturnEveryRowOnce(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	clock(s, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	// Several rows share a received time, so the id must break ties.
	seed(t, s, 23, start, func(i int) models.NewFeedback {
		return models.NewFeedback{Channel: "web", Comment: fmt.Sprintf("row %d", i), NPS: score(i % 11),
			ReceivedAt: start.Add(time.Duration(i/3) * time.Hour)}
	})
	seen := map[int64]bool{}
	var cursor models.Cursor
	var prev *models.Feedback
	pages := 0
	for {
		enc := cursor.String()
		c, err := models.ParseCursor(enc)
		if err != nil {
			t.Fatal(err)
		}
		page, err := s.ListFeedback(ctx, models.FeedbackFilter{}, c, 5)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for i := range page.Items {
			f := page.Items[i]
			if seen[f.ID] {
				t.Errorf("feedback %d returned twice", f.ID)
			}
			seen[f.ID] = true
			if prev != nil && (f.ReceivedAt.After(prev.ReceivedAt) || f.ReceivedAt.Equal(prev.ReceivedAt) && f.ID > prev.ID) {
				t.Errorf("order broken: %d after %d", f.ID, prev.ID)
			}
			prev = &f
		}
		if page.Next.ID == 0 {
			break
		}
		cursor = page.Next
	}
	if len(seen) != 23 || pages != 5 {
		t.Errorf("saw %d rows in %d pages, want 23 in 5", len(seen), pages)
	}
	if _, err := models.ParseCursor("not a cursor!"); err == nil {
		t.Error("a garbled cursor was accepted")
	}
}

func TestListFeedbackFilters(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	set := clock(s, time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	mk := func(at time.Time, ch string, nps *int, comment string) *models.Feedback {
		fb, err := s.CreateFeedback(ctx, models.NewFeedback{ReceivedAt: at, Channel: ch, NPS: nps, Comment: comment,
			Segment: "business", Branch: "city"}, amb)
		if err != nil {
			t.Fatal(err)
		}
		return fb
	}
	old := mk(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), "phone", score(2), "Rude staff at the counter")
	recent := mk(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), "phone", score(3), "Card blocked: again!")
	promoter := mk(time.Date(2026, 3, 5, 22, 30, 0, 0, time.UTC), "web", score(10), "Lovely app, cards work")
	set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	web, _ := s.ResolveRef(ctx, models.RefChannels, "web")
	ids := func(f models.FeedbackFilter) []int64 {
		t.Helper()
		page, err := s.ListFeedback(ctx, f, models.Cursor{}, 50)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		var out []int64
		for _, it := range page.Items {
			out = append(out, it.ID)
		}
		return out
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		f    models.FeedbackFilter
		want []int64
	}{
		{"all", models.FeedbackFilter{}, []int64{recent.ID, promoter.ID, old.ID}},
		{"overdue", models.FeedbackFilter{Overdue: true}, []int64{old.ID}},
		{"channel", models.FeedbackFilter{ChannelID: web.ID}, []int64{promoter.ID}},
		{"group", models.FeedbackFilter{Group: models.GroupDetractor}, []int64{recent.ID, old.ID}},
		{"no score", models.FeedbackFilter{Group: models.GroupNone}, nil},
		// 22:30 UTC on 5 March is 23:30 in Copenhagen: still the 5th.
		{"local day", models.FeedbackFilter{From: day(2026, 3, 5), To: day(2026, 3, 5)}, []int64{promoter.ID}},
		{"from", models.FeedbackFilter{From: day(2026, 3, 6)}, []int64{recent.ID}},
		{"to", models.FeedbackFilter{To: day(2026, 3, 4)}, []int64{old.ID}},
		// Word forms match (issue 18): "cards" is stemmed to "card", a prefix of both.
		{"text", models.FeedbackFilter{Q: "cards"}, []int64{recent.ID, promoter.ID}},
		{"text, two words", models.FeedbackFilter{Q: "card blocked"}, []int64{recent.ID}},
		{"text with FTS syntax", models.FeedbackFilter{Q: `"rude" -(staff:*`}, []int64{old.ID}},
		{"text of only symbols", models.FeedbackFilter{Q: `"*:(`}, []int64{recent.ID, promoter.ID, old.ID}},
		{"logged by", models.FeedbackFilter{LoggedByID: amb.ID, Segment: "business", Triage: models.TriageNew}, []int64{recent.ID, promoter.ID, old.ID}},
		{"segment", models.FeedbackFilter{Segment: "private"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(tt.f); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			n, capped, err := s.CountFeedback(ctx, tt.f)
			if err != nil || n != len(tt.want) || capped {
				t.Errorf("count = %d %v %v, want %d", n, capped, err, len(tt.want))
			}
		})
	}
	var streamed []int64
	if err := s.StreamFeedback(ctx, models.FeedbackFilter{ChannelID: 0, Group: models.GroupDetractor}, func(f *models.Feedback) error {
		streamed = append(streamed, f.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(streamed) != fmt.Sprint([]int64{recent.ID, old.ID}) {
		t.Errorf("stream = %v", streamed)
	}
}

func TestFollowUpAndGoodwillLimit(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	set := clock(s, now)
	admin := modeltest.User(t, s, "admin@example.com", models.RoleAdmin)
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	north, _ := s.ResolveRef(ctx, models.RefBranches, "north")
	if err := s.SetGoodwillLimit(ctx, north.ID, models.Kroner(500), admin); err != nil {
		t.Fatal(err)
	}
	fbs := seed(t, s, 4, now.Add(-30*time.Hour), func(int) models.NewFeedback {
		return models.NewFeedback{Channel: "phone", Branch: "north", NPS: score(2), Comment: "Bad advice"}
	})
	queue, err := s.FollowUpQueue(ctx, 0)
	if err != nil || len(queue) != 4 || queue[0].ID != fbs[0].ID {
		t.Fatalf("queue = %d items, %v", len(queue), err)
	}
	waiting, _ := s.ResolveRef(ctx, models.RefCategories, "waiting_time")
	got, err := s.RecordFollowUp(ctx, fbs[0].ID, models.FollowUp{By: amb, Note: "Called, apologised", Goodwill: models.Kroner(300), RootCauseID: &waiting.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got.FollowedUpAt == nil || got.GoodwillAmount != models.Kroner(300) || got.FollowUpBy == nil || got.RootCause == nil {
		t.Errorf("follow-up not stored: %+v", got)
	}
	if _, err := s.RecordFollowUp(ctx, fbs[0].ID, models.FollowUp{By: amb, Note: "again"}); !errors.Is(err, models.ErrConflict) {
		t.Errorf("second follow-up: %v, want ErrConflict", err)
	}
	_, err = s.RecordFollowUp(ctx, fbs[1].ID, models.FollowUp{By: amb, Note: "Called", Goodwill: 20050})
	var gl *models.GoodwillLimitError
	var ve *models.ValidationError
	if !errors.As(err, &gl) || gl.Remaining != models.Kroner(200) || !errors.As(err, &ve) || ve.Fields["goodwill_amount"] != "goodwill_over_limit" {
		t.Fatalf("over the limit: %v, want a goodwill limit error naming 200 left", err)
	}
	if f, _ := s.FeedbackByID(ctx, fbs[1].ID); f.FollowedUpAt != nil {
		t.Error("a refused follow-up was stored")
	}
	if _, err := s.RecordFollowUp(ctx, fbs[1].ID, models.FollowUp{By: amb, Note: "Called", Goodwill: models.Kroner(200)}); err != nil {
		t.Errorf("exactly the rest of the limit: %v", err)
	}
	if _, err := s.RecordFollowUp(ctx, fbs[2].ID, models.FollowUp{By: amb, Note: "", Goodwill: -1}); !errors.As(err, &ve) ||
		ve.Fields["note"] != "required" || ve.Fields["goodwill_amount"] != "must_not_be_negative" {
		t.Errorf("bad input: %v", err)
	}
	// A new month has a new budget.
	set(time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC))
	if _, err := s.RecordFollowUp(ctx, fbs[2].ID, models.FollowUp{By: amb, Note: "Called", Goodwill: models.Kroner(500)}); err != nil {
		t.Errorf("new month: %v", err)
	}
	ledger, err := s.GoodwillLedger(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ledger {
		if l.Branch.ID == north.ID && (l.Spent != models.Kroner(500) || l.Entries != 2 || l.Remaining() != 0) {
			t.Errorf("march ledger for north: %+v", l)
		}
	}
	entries, err := s.GoodwillEntries(ctx, north.ID, now)
	if err != nil || len(entries) != 2 || entries[0].FollowUpBy == nil {
		t.Errorf("entries = %d, %v", len(entries), err)
	}
	overdue, _ := s.ListFeedback(ctx, models.FeedbackFilter{Overdue: true}, models.Cursor{}, 10)
	if len(overdue.Items) != 1 || overdue.Items[0].ID != fbs[3].ID {
		t.Errorf("overdue after follow-ups: %d items", len(overdue.Items))
	}
	if _, err := s.RecordFollowUp(ctx, 999999, models.FollowUp{Note: "x"}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("missing feedback: %v", err)
	}
}

// The feedback list, newest first, walks its filter's time index backwards and reads no
// more than the page: no sort of the matching rows (migration 00031 turned the indexes
// oldest first). The plan is read on an empty table, where SQLite still picks by the
// indexes' shapes; the bench's million rows get the same plans (BenchmarkFeedback1M).
func TestFeedbackListWalksTimeIndexesWithoutSorting(t *testing.T) {
	s := modeltest.Open(t)
	if s.Dialect() != store.SQLite {
		return // PostgreSQL plans by its own statistics
	}
	ctx := context.Background()
	after := models.Cursor{ReceivedAt: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), ID: 900}
	for _, c := range []struct {
		f     models.FeedbackFilter
		index string
	}{
		{models.FeedbackFilter{}, "feedback_received"},
		{models.FeedbackFilter{ChannelID: 1}, "feedback_channel"},
		{models.FeedbackFilter{TouchpointID: 1}, "feedback_touchpoint"},
		{models.FeedbackFilter{BranchID: 1}, "feedback_branch"},
		{models.FeedbackFilter{Group: models.GroupDetractor}, "feedback_group"},
		{models.FeedbackFilter{LoggedByID: 1}, "feedback_logged_by"},
	} {
		for _, cur := range []models.Cursor{{}, after} {
			plan, err := s.FeedbackListPlan(ctx, c.f, cur, 51)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "INDEX "+c.index+" ") && !strings.HasSuffix(plan, "INDEX "+c.index) ||
				strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("%+v after %v: plan %q, want %s walked without a sort", c.f, cur.ID, plan, c.index)
			}
		}
	}
}

// Feedback arrives newest last. The time indexes list it oldest first (migration 00031)
// so that a new row goes after the others of its channel, touchpoint, branch or group and
// fills its page; sorted newest first they stayed half empty (0.5 of each page used after
// the load below, 0.9 now).
func TestTimeIndexesStayFullAsFeedbackArrives(t *testing.T) {
	s := modeltest.Open(t)
	if s.Dialect() != store.SQLite {
		return // dbstat is SQLite's
	}
	ctx := context.Background()
	ids := func(kind models.RefKind) []int64 {
		items, err := s.RefList(ctx, kind)
		if err != nil || len(items) == 0 {
			t.Fatalf("%s: %d, %v", kind, len(items), err)
		}
		out := make([]int64, len(items))
		for i, it := range items {
			out[i] = it.ID
		}
		return out
	}
	channels, touchpoints, branches := ids(models.RefChannels), ids(models.RefTouchpoints), ids(models.RefBranches)
	bulk, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, time.January, 1, 8, 0, 0, 0, time.UTC)
	for i := range 20_000 {
		score := i * 7 % 11
		f := models.Feedback{ReceivedAt: start.Add(time.Duration(i) * 3 * time.Minute), NPS: &score,
			ChannelID: channels[i%len(channels)], TouchpointID: &touchpoints[i*3%len(touchpoints)], BranchID: &branches[i*5%len(branches)]}
		if err := bulk.Add(&f); err != nil {
			t.Fatal(err)
		}
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	var used []struct {
		Name string
		Used float64
	}
	if err := s.Reader(ctx).Raw(`SELECT name, SUM(pgsize - unused) * 1.0 / SUM(pgsize) AS used FROM dbstat
		WHERE name IN ('feedback_received', 'feedback_channel', 'feedback_touchpoint', 'feedback_branch', 'feedback_group')
		GROUP BY name ORDER BY name`).Scan(&used).Error; err != nil {
		t.Fatal(err)
	}
	if len(used) != 5 {
		t.Fatalf("dbstat: %v", used)
	}
	for _, u := range used {
		t.Logf("%s: %.2f", u.Name, u.Used)
		if u.Used < 0.8 {
			t.Errorf("%s: %.2f of its pages used after a load in time order, want at least 0.8", u.Name, u.Used)
		}
	}
}
