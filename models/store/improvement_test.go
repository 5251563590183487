package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func category(t *testing.T, s *store.Store, code string) *int64 {
	t.Helper()
	c, err := s.ResolveRef(context.Background(), models.RefCategories, code)
	if err != nil {
		t.Fatal(err)
	}
	return &c.ID
}

func TestCreateImprovementRoutesByEffort(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	by := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	cases := []struct {
		effort       models.Effort
		override     models.Track
		reason       string
		wantTrack    models.Track
		wantStatus   models.Status
		wantReasonOK bool
	}{
		{models.EffortXS, "", "", models.TrackQuickWin, models.StatusQueued, true},
		{models.EffortS, "", "", models.TrackQuickWin, models.StatusQueued, true},
		{models.EffortM, "", "", models.TrackSteering, models.StatusReview, true},
		{models.EffortS, models.TrackSteering, "touches the mortgage policy", models.TrackSteering, models.StatusReview, true},
		{models.EffortS, models.TrackSteering, "", "", "", false},
	}
	for _, tc := range cases {
		t.Run(string(tc.effort)+"/"+string(tc.override), func(t *testing.T) {
			imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Fix it", Impact: 3, Effort: tc.effort,
				CategoryID: category(t, s, "digital"), Track: tc.override, TrackReason: tc.reason}, by)
			if !tc.wantReasonOK {
				var ve *models.ValidationError
				if !errors.As(err, &ve) || ve.Fields["track_reason"] == "" {
					t.Fatalf("override without reason: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if imp.Track != tc.wantTrack || imp.Status != tc.wantStatus || imp.Priority != models.Priority(3, tc.effort) {
				t.Fatalf("got %s/%s priority %d", imp.Track, imp.Status, imp.Priority)
			}
			got, err := s.ImprovementByID(ctx, imp.ID)
			if err != nil || got.Category == nil || got.Category.Code != "digital" {
				t.Fatalf("reload: %+v %v", got, err)
			}
		})
	}
}

func TestTransitionChecksVersionRulesAndRoles(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	qw := modeltest.User(t, s, "qw@example.com", models.RoleQuickWin)
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	quick, _ := s.CreateImprovement(ctx, models.NewImprovement{Title: "Typo", Impact: 2, Effort: models.EffortXS}, st)
	big, _ := s.CreateImprovement(ctx, models.NewImprovement{Title: "New app", Impact: 5, Effort: models.EffortXL}, st)

	if _, err := s.TransitionImprovement(ctx, quick.ID, models.TransitionInput{To: models.StatusInProgress, Version: 1}, amb); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("ambassador starts: %v", err)
	}
	if _, err := s.TransitionImprovement(ctx, big.ID, models.TransitionInput{To: models.StatusRejected, Version: 1, Reason: "no"}, qw); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("quick-win member rejects a steering item: %v", err)
	}
	if _, err := s.TransitionImprovement(ctx, quick.ID, models.TransitionInput{To: models.StatusApproved, Version: 1}, st); !errors.Is(err, models.ErrNotAllowed) {
		t.Fatalf("queued to approved: %v", err)
	}
	moved, err := s.TransitionImprovement(ctx, quick.ID, models.TransitionInput{To: models.StatusInProgress, Version: 1}, qw)
	if err != nil || moved.Version != 2 {
		t.Fatalf("start: %v %+v", err, moved)
	}
	if _, err := s.TransitionImprovement(ctx, quick.ID, models.TransitionInput{To: models.StatusImplemented, Version: 1, Note: "x"}, qw); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}
	var ve *models.ValidationError
	if _, err := s.TransitionImprovement(ctx, quick.ID, models.TransitionInput{To: models.StatusImplemented, Version: 2}, qw); !errors.As(err, &ve) || ve.Fields["note"] == "" {
		t.Fatalf("finish without note: %v", err)
	}
	done, err := s.TransitionImprovement(ctx, quick.ID, models.TransitionInput{To: models.StatusImplemented, Version: 2, Note: "Fixed the template"}, qw)
	if err != nil || done.ImplementedAt == nil || done.ResolutionNote == nil {
		t.Fatalf("finish: %v %+v", err, done)
	}
	area, _ := s.ResolveRef(ctx, models.RefFunctionalAreas, "it")
	target := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.TransitionImprovement(ctx, big.ID, models.TransitionInput{To: models.StatusApproved, Version: 1, TargetDate: &target}, st); !errors.As(err, &ve) || ve.Fields["owner"] == "" || ve.Fields["functional_area"] == "" {
		t.Fatalf("approve without owner: %v", err)
	}
	ok, err := s.TransitionImprovement(ctx, big.ID, models.TransitionInput{To: models.StatusApproved, Version: 1,
		OwnerID: &st.ID, FunctionalAreaID: &area.ID, TargetDate: &target}, st)
	if err != nil || ok.Owner == nil || ok.FunctionalArea == nil || ok.FunctionalArea.Code != "it" {
		t.Fatalf("approve: %v %+v", err, ok)
	}
	hist, _ := s.History(ctx, "improvement", big.ID)
	if len(hist) < 2 || hist[len(hist)-1].FromValue != "review" || hist[len(hist)-1].ToValue != "approved" || hist[len(hist)-1].User == nil {
		t.Fatalf("history: %+v", hist)
	}
}

// History lists one record's entries oldest first, each with who made it (never their
// password hash), and the system's entries without anyone.
func TestHistoryNamesWhoMadeEachEntry(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "styregruppe@example.com", models.RoleSteering, models.RoleQuickWin)
	imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Kortere kø", Impact: 3, Effort: models.EffortXS}, st)
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Anden sag", Impact: 2, Effort: models.EffortS}, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = s.TransitionImprovement(ctx, imp.ID, models.TransitionInput{To: models.StatusInProgress, Version: imp.Version}, st); err != nil {
		t.Fatal(err)
	}
	hist, err := s.History(ctx, "improvement", imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 {
		t.Fatalf("%d entries, want the creation and the move: %+v", len(hist), hist)
	}
	created, moved := hist[0], hist[1]
	if created.ID >= moved.ID || created.Action != "created" || created.Entity != "improvement" || created.EntityID != imp.ID ||
		moved.ToValue != string(models.StatusInProgress) || moved.CreatedAt.IsZero() {
		t.Errorf("entries %+v, want the creation of %d, then the move", hist, imp.ID)
	}
	for _, e := range hist {
		if e.User == nil || e.User.ID != st.ID || e.User.Name != st.Name || e.User.Email != st.Email || e.User.PasswordHash != "" {
			t.Errorf("%s by %+v, want %s's id, name and address only", e.Action, e.User, st.Email)
		}
	}
	if h, _ := s.History(ctx, "improvement", other.ID); len(h) != 1 {
		t.Errorf("the other improvement's history holds %d entries, want its creation only", len(h))
	}

	// An operator's import (tracker import feedback) is made by no one.
	res, err := s.ImportFeedback(ctx, strings.NewReader("received_at,channel,nps,comment\n2026-03-02,phone,4,Lang kø\n"), models.ImportOptions{})
	if err != nil || res.Created != 1 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	var id int64
	if err := s.Reader(ctx).Raw("SELECT MAX(id) FROM feedback").Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	if h, err := s.History(ctx, "feedback", id); err != nil || len(h) != 1 || h[0].Action != "imported" || h[0].User != nil || h[0].UserID != nil {
		t.Errorf("imported feedback's history %+v, %v: want one entry by no one", h, err)
	}
}

// An improvement's impact reads the daily rollup of its touchpoints only, by the index
// that starts with the touchpoint, not every touchpoint's days around it.
func TestImpactReadsItsTouchpointsRowsOnly(t *testing.T) {
	s := modeltest.Open(t)
	if s.Dialect() != store.SQLite {
		return // PostgreSQL plans by its own statistics
	}
	for _, tps := range [][]int64{{3}, {1, 5, 8}} {
		plan, err := s.ImpactRowsPlan(context.Background(), tps)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "feedback_daily_touchpoint") {
			t.Errorf("touchpoints %v: plan %q does not use feedback_daily_touchpoint", tps, plan)
		}
	}
}
