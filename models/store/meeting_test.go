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

// steeringItem creates an improvement that goes to the steering group's review.
func steeringItem(t *testing.T, s *store.Store, title string, impact int, effort models.Effort, by *models.User) *models.Improvement {
	t.Helper()
	imp, err := s.CreateImprovement(context.Background(), models.NewImprovement{Title: title, Impact: impact,
		Effort: effort, Track: models.TrackSteering, TrackReason: "needs the steering group"}, by)
	if err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	if imp.Status != models.StatusReview {
		t.Fatalf("%s starts in %s, want review", title, imp.Status)
	}
	return imp
}

func sgDay(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func sgArea(t *testing.T, s *store.Store, code string) *int64 {
	t.Helper()
	a, err := s.ResolveRef(context.Background(), models.RefFunctionalAreas, code)
	if err != nil {
		t.Fatal(err)
	}
	return &a.ID
}

func agendaTitles(m *models.Meeting) []string {
	var out []string
	for _, it := range m.Items {
		out = append(out, it.Improvement.Title)
	}
	return out
}

func sgSame(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCreateMeetingValidatesAndBuildsAgendaByPriority(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "chair@example.com", models.RoleSteering)
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	steeringItem(t, s, "Low", 1, models.EffortXL, st)
	steeringItem(t, s, "High", 5, models.EffortM, st)
	steeringItem(t, s, "Middle", 3, models.EffortL, st)
	quick, _ := s.CreateImprovement(ctx, models.NewImprovement{Title: "Typo", Impact: 5, Effort: models.EffortXS}, st)
	if quick.Status != models.StatusQueued {
		t.Fatalf("quick win status %s", quick.Status)
	}

	cases := []struct {
		name   string
		in     models.NewMeeting
		fields []string
	}{
		{"no date", models.NewMeeting{AttendeeIDs: []int64{st.ID}}, []string{"held_on"}},
		{"no attendees", models.NewMeeting{HeldOn: sgDay(2026, 3, 5)}, []string{"attendees"}},
		{"attendee not in the steering group", models.NewMeeting{HeldOn: sgDay(2026, 3, 5), AttendeeIDs: []int64{amb.ID}}, []string{"attendees"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateMeeting(ctx, tc.in, st)
			var ve *models.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a validation error", err)
			}
			for _, f := range tc.fields {
				if ve.Fields[f] == "" {
					t.Errorf("field %s not named: %v", f, ve.Fields)
				}
			}
		})
	}

	m, err := s.CreateMeeting(ctx, models.NewMeeting{HeldOn: sgDay(2026, 3, 5), Title: "March", AttendeeIDs: []int64{st.ID, st.ID}}, st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.MeetingByID(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"High", "Middle", "Low"}; !sgSame(agendaTitles(got), want) {
		t.Fatalf("agenda %v, want %v (priority order, quick wins left out)", agendaTitles(got), want)
	}
	if len(got.Attendees) != 1 || got.Attendees[0].ID != st.ID || got.Status != models.MeetingPlanned {
		t.Fatalf("attendees %+v status %s", got.Attendees, got.Status)
	}
	list, err := s.Meetings(ctx, 10)
	if err != nil || len(list) != 1 || list[0].Items != 3 || list[0].Decided != 0 {
		t.Fatalf("meetings list %+v %v", list, err)
	}
}

func TestAgendaReorderTrimRefreshAndClose(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "chair@example.com", models.RoleSteering)
	steeringItem(t, s, "A", 5, models.EffortM, st)
	steeringItem(t, s, "B", 4, models.EffortM, st)
	steeringItem(t, s, "C", 3, models.EffortM, st)
	m, err := s.CreateMeeting(ctx, models.NewMeeting{HeldOn: sgDay(2026, 3, 5), AttendeeIDs: []int64{st.ID}}, st)
	if err != nil {
		t.Fatal(err)
	}
	load := func() *models.Meeting {
		got, err := s.MeetingByID(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	cur := load()
	steps := []struct {
		name  string
		do    func(cur *models.Meeting) error
		want  []string
		check func(error) bool
	}{
		{"move C up", func(cur *models.Meeting) error { return s.MoveAgendaItem(ctx, m.ID, cur.Items[2].ID, -1, st) }, []string{"A", "C", "B"}, nil},
		{"move A up past the top", func(cur *models.Meeting) error { return s.MoveAgendaItem(ctx, m.ID, cur.Items[0].ID, -1, st) }, []string{"A", "C", "B"}, nil},
		{"move A down", func(cur *models.Meeting) error { return s.MoveAgendaItem(ctx, m.ID, cur.Items[0].ID, 1, st) }, []string{"C", "A", "B"}, nil},
		{"remove A", func(cur *models.Meeting) error { return s.RemoveAgendaItem(ctx, m.ID, cur.Items[1].ID, st) }, []string{"C", "B"}, nil},
		{"bad direction", func(cur *models.Meeting) error { return s.MoveAgendaItem(ctx, m.ID, cur.Items[0].ID, 2, st) }, []string{"C", "B"},
			func(err error) bool { var ve *models.ValidationError; return errors.As(err, &ve) }},
		{"item of another meeting", func(cur *models.Meeting) error { return s.RemoveAgendaItem(ctx, m.ID+1, cur.Items[0].ID, st) }, []string{"C", "B"},
			func(err error) bool { return errors.Is(err, models.ErrNotFound) }},
	}
	for _, step := range steps {
		err := step.do(cur)
		if step.check == nil && err != nil || step.check != nil && !step.check(err) {
			t.Fatalf("%s: unexpected error %v", step.name, err)
		}
		cur = load()
		if !sgSame(agendaTitles(cur), step.want) {
			t.Fatalf("%s: agenda %v, want %v", step.name, agendaTitles(cur), step.want)
		}
	}

	// A new item and the removed one (still in review) come back with a refresh.
	steeringItem(t, s, "D", 5, models.EffortXL, st)
	n, err := s.RefreshAgenda(ctx, m.ID, st)
	if err != nil || n != 2 {
		t.Fatalf("refresh added %d, %v; want 2", n, err)
	}
	if got := agendaTitles(load()); !sgSame(got, []string{"C", "B", "A", "D"}) {
		t.Fatalf("after refresh %v", got)
	}
	if err := s.CloseMeeting(ctx, m.ID, st); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseMeeting(ctx, m.ID, st); !errors.Is(err, models.ErrNotAllowed) {
		t.Fatalf("close twice: %v", err)
	}
	cur = load()
	if err := s.MoveAgendaItem(ctx, m.ID, cur.Items[1].ID, -1, st); !errors.Is(err, models.ErrNotAllowed) {
		t.Fatalf("reorder a closed meeting: %v", err)
	}
	if _, err := s.RefreshAgenda(ctx, m.ID, st); !errors.Is(err, models.ErrNotAllowed) {
		t.Fatalf("refresh a closed meeting: %v", err)
	}
	err = s.DecideItem(ctx, m.ID, models.Decision{ItemID: cur.Items[0].ID, To: models.StatusRejected, Version: 1, Reason: "no"}, st)
	if !errors.Is(err, models.ErrNotAllowed) {
		t.Fatalf("decide in a closed meeting: %v", err)
	}
}

func TestDecideItemAppliesTheTransitionAndRecordsTheDecision(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "chair@example.com", models.RoleSteering)
	owner := modeltest.User(t, s, "owner@example.com", models.RoleAmbassador)
	s.Now = func() time.Time { return time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC) }
	a := steeringItem(t, s, "Approve me", 5, models.EffortM, st)
	r := steeringItem(t, s, "Reject me", 4, models.EffortM, st)
	d := steeringItem(t, s, "Defer me", 3, models.EffortM, st)
	m, err := s.CreateMeeting(ctx, models.NewMeeting{HeldOn: sgDay(2026, 3, 5), AttendeeIDs: []int64{st.ID}}, st)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := s.MeetingByID(ctx, m.ID)
	itemOf := map[int64]int64{}
	for _, it := range full.Items {
		itemOf[it.ImprovementID] = it.ID
	}

	refused := []struct {
		name   string
		d      models.Decision
		fields []string
		is     error
	}{
		{"approve without owner", models.Decision{ItemID: itemOf[a.ID], To: models.StatusApproved, Version: 1,
			FunctionalAreaID: sgArea(t, s, "it"), TargetDate: sgDay(2026, 9, 1)}, []string{"owner"}, nil},
		{"approve with nothing", models.Decision{ItemID: itemOf[a.ID], To: models.StatusApproved, Version: 1},
			[]string{"owner", "functional_area", "target_date"}, nil},
		{"approve with unknown owner", models.Decision{ItemID: itemOf[a.ID], To: models.StatusApproved, Version: 1,
			OwnerID: sgPtr(int64(9999)), FunctionalAreaID: sgArea(t, s, "it"), TargetDate: sgDay(2026, 9, 1)}, []string{"owner"}, nil},
		{"reject without reason", models.Decision{ItemID: itemOf[r.ID], To: models.StatusRejected, Version: 1, Reason: "  "},
			[]string{"reason"}, nil},
		{"defer without date", models.Decision{ItemID: itemOf[d.ID], To: models.StatusDeferred, Version: 1}, []string{"defer_until"}, nil},
		{"defer to the past", models.Decision{ItemID: itemOf[d.ID], To: models.StatusDeferred, Version: 1, DeferUntil: sgDay(2026, 3, 1)},
			[]string{"defer_until"}, nil},
		{"unknown decision", models.Decision{ItemID: itemOf[d.ID], To: models.StatusImplemented, Version: 1}, []string{"decision"}, nil},
		{"stale version", models.Decision{ItemID: itemOf[r.ID], To: models.StatusRejected, Version: 7, Reason: "no"}, nil, models.ErrConflict},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			err := s.DecideItem(ctx, m.ID, tc.d, st)
			if tc.is != nil {
				if !errors.Is(err, tc.is) {
					t.Fatalf("got %v, want %v", err, tc.is)
				}
				return
			}
			var ve *models.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a validation error", err)
			}
			for _, f := range tc.fields {
				if ve.Fields[f] == "" {
					t.Errorf("field %s not named: %v", f, ve.Fields)
				}
			}
		})
	}

	failed := s.DecideItems(ctx, m.ID, []models.Decision{
		{ItemID: itemOf[a.ID], To: models.StatusApproved, Version: 1, OwnerID: &owner.ID,
			FunctionalAreaID: sgArea(t, s, "it"), TargetDate: sgDay(2026, 9, 1), Rationale: "Many customers ask"},
		{ItemID: itemOf[r.ID], To: models.StatusRejected, Version: 1, Reason: "Regulation forbids it"},
		{ItemID: itemOf[d.ID], To: models.StatusDeferred, Version: 1, Rationale: "after the IT freeze"},
	}, st)
	if len(failed) != 1 || failed[itemOf[d.ID]] == nil {
		t.Fatalf("failed %v, want only the deferral without a date", failed)
	}
	want := map[int64]models.Status{a.ID: models.StatusApproved, r.ID: models.StatusRejected, d.ID: models.StatusReview}
	for id, status := range want {
		imp, _ := s.ImprovementByID(ctx, id)
		if imp.Status != status {
			t.Errorf("%s: %s, want %s", imp.Title, imp.Status, status)
		}
	}
	app, _ := s.ImprovementByID(ctx, a.ID)
	if app.Owner == nil || app.Owner.ID != owner.ID || app.FunctionalArea == nil || app.FunctionalArea.Code != "it" || app.TargetDate == nil {
		t.Fatalf("approved without its owner, area or date: %+v", app)
	}
	full, _ = s.MeetingByID(ctx, m.ID)
	if c := full.Counts(); c != (models.DecisionCounts{Approved: 1, Rejected: 1, Open: 1}) {
		t.Fatalf("counts %+v", c)
	}
	for _, it := range full.Items {
		if it.ImprovementID == a.ID && (it.Rationale != "Many customers ask" || it.DecidedBy == nil || it.DecidedAt == nil) {
			t.Fatalf("approval not recorded on the agenda: %+v", it)
		}
	}
	if err := s.DecideItem(ctx, m.ID, models.Decision{ItemID: itemOf[r.ID], To: models.StatusRejected, Version: 2, Reason: "again"}, st); !errors.Is(err, models.ErrNotAllowed) {
		t.Fatalf("decide twice: %v", err)
	}
	hist, _ := s.History(ctx, "improvement", a.ID)
	if last := hist[len(hist)-1]; last.Action != "meeting_decision" || last.Note != "Many customers ask" {
		t.Fatalf("history lacks the meeting's decision: %+v", last)
	}
}

func sgPtr[T any](v T) *T { return &v }
