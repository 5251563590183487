package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

func TestClaimQuickWinExactlyOneWins(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	anna := modeltest.User(t, s, "anna@example.com", models.RoleQuickWin)
	bo := modeltest.User(t, s, "bo@example.com", models.RoleQuickWin)
	for round := range 5 {
		imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Typo", Impact: 3, Effort: models.EffortXS}, st)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, u := range []*models.User{anna, bo} {
			wg.Go(func() { errs[i] = s.ClaimQuickWin(ctx, imp.ID, u) })
		}
		wg.Wait()
		wins, losses := 0, 0
		for _, err := range errs {
			if err == nil {
				wins++
			} else if holder, ok := models.IsClaimed(err); ok && errors.Is(err, models.ErrConflict) && (holder == "anna" || holder == "bo") {
				losses++
			} else {
				t.Fatalf("round %d: unexpected %v", round, err)
			}
		}
		if wins != 1 || losses != 1 {
			t.Fatalf("round %d: %d wins, %d losses", round, wins, losses)
		}
	}
}

func TestQuickWinBoardColumnsAndFilters(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	s.Now = func() time.Time { return time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC) }
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	qw := modeltest.User(t, s, "qw@example.com", models.RoleQuickWin)
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	fb := rawFeedback(t, s, s.Now(), npsOf(3), "typo", amb, "north")
	a, _ := s.CreateImprovement(ctx, models.NewImprovement{Title: "A", Impact: 5, Effort: models.EffortXS, FeedbackIDs: []int64{fb}}, st)
	b, _ := s.CreateImprovement(ctx, models.NewImprovement{Title: "B", Impact: 2, Effort: models.EffortS}, st)
	if _, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Big", Impact: 5, Effort: models.EffortXL}, st); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartQuickWin(ctx, b.ID, 1, qw); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartQuickWin(ctx, a.ID, 1, qw); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TransitionImprovement(ctx, a.ID, models.TransitionInput{To: models.StatusImplemented, Version: 2, Note: "fixed"}, qw); err != nil {
		t.Fatal(err)
	}
	north, _ := s.ResolveRef(ctx, models.RefBranches, "north")
	tests := []struct {
		name                   string
		f                      models.BoardFilter
		queued, inProg, impled int
	}{
		{"all", models.BoardFilter{}, 0, 1, 1},
		{"mine", models.BoardFilter{HolderID: &qw.ID}, 0, 1, 1},
		{"someone else's", models.BoardFilter{HolderID: &st.ID}, 0, 0, 0},
		{"unassigned", models.BoardFilter{Unassigned: true}, 0, 0, 0},
		{"branch", models.BoardFilter{BranchID: &north.ID}, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := s.QuickWinBoard(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Queued) != tt.queued || len(b.InProgress) != tt.inProg || len(b.Implemented) != tt.impled ||
				b.ImplementedThisYear != tt.impled {
				t.Fatalf("columns %d/%d/%d (%d this year)", len(b.Queued), len(b.InProgress), len(b.Implemented), b.ImplementedThisYear)
			}
		})
	}
	board, _ := s.QuickWinBoard(ctx, models.BoardFilter{})
	if c := board.Implemented[0]; c.Customers != 1 || c.HolderInitials() != "Q" {
		t.Fatalf("card %+v initials %q", c, c.HolderInitials())
	}
	led, err := s.ImplementedForAmbassador(ctx, amb.ID, 5)
	if err != nil || len(led) != 1 || led[0].ID != a.ID || led[0].ResolutionNote != "fixed" {
		t.Fatalf("led to: %+v %v", led, err)
	}
	if other, _ := s.ImplementedForAmbassador(ctx, qw.ID, 5); len(other) != 0 {
		t.Fatalf("someone else's feedback: %+v", other)
	}
}

// The implemented column shows the year's latest 30, latest first, and counts them all.
func TestQuickWinBoardShowsTheLatestImplemented(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return at }
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	qw := modeltest.User(t, s, "qw@example.com", models.RoleQuickWin)
	var last int64
	for i := range 32 {
		at = at.Add(time.Minute)
		imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: fmt.Sprintf("Fix %d", i), Impact: 1 + i%5, Effort: models.EffortXS}, st)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.StartQuickWin(ctx, imp.ID, 1, qw); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TransitionImprovement(ctx, imp.ID, models.TransitionInput{To: models.StatusImplemented, Version: 2, Note: "done"}, qw); err != nil {
			t.Fatal(err)
		}
		last = imp.ID
	}
	b, err := s.QuickWinBoard(ctx, models.BoardFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Implemented) != 30 || b.ImplementedThisYear != 32 || b.Implemented[0].ID != last {
		t.Fatalf("implemented column: %d cards of %d, first %d; want 30 of 32, first %d",
			len(b.Implemented), b.ImplementedThisYear, b.Implemented[0].ID, last)
	}
}

func TestStartDoesNotTakeAnItemSomeoneHolds(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	anna := modeltest.User(t, s, "anna@example.com", models.RoleQuickWin)
	bo := modeltest.User(t, s, "bo@example.com", models.RoleQuickWin)
	imp, _ := s.CreateImprovement(ctx, models.NewImprovement{Title: "Typo", Impact: 3, Effort: models.EffortXS}, st)
	if err := s.ClaimQuickWin(ctx, imp.ID, anna); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartQuickWin(ctx, imp.ID, 2, bo); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("bo starts anna's item: %v", err)
	}
	got, err := s.StartQuickWin(ctx, imp.ID, 2, anna)
	if err != nil || got.Status != models.StatusInProgress || got.Assignee == nil || got.Assignee.ID != anna.ID {
		t.Fatalf("anna starts: %+v %v", got, err)
	}
	big, _ := s.CreateImprovement(ctx, models.NewImprovement{Title: "Big", Impact: 3, Effort: models.EffortXL}, st)
	if err := s.ClaimQuickWin(ctx, big.ID, anna); !errors.Is(err, models.ErrNotAllowed) {
		t.Fatalf("claim steering item: %v", err)
	}
}

// What an ambassador's feedback led to is kept through feedback, which the whole team
// logs all day and which cannot change it, their own included; a write to an
// improvement shows on the next read, whoever made it. Two instances: what the other
// one wrote is what the kept value would have missed.
func TestLedToIsKeptThroughFeedbackUntilAnImprovementIsWritten(t *testing.T) {
	a, b := twoInstances(t)
	ctx := context.Background()
	st := modeltest.User(t, a, "st@example.com", models.RoleSteering)
	amb := modeltest.User(t, a, "amb@example.com", models.RoleAmbassador)
	asAmb := store.ForUser(ctx, amb.ID)
	fb := rawFeedback(t, a, time.Now(), npsOf(3), "typo", amb, "north")
	imp := implement(t, a, st, "Fix the letter", models.EffortXS, "", time.Now(), fb)
	title := func(step string) string {
		t.Helper()
		led, err := a.ImplementedForAmbassador(asAmb, amb.ID, 5)
		if err != nil || len(led) != 1 {
			t.Fatalf("%s: led to %+v, %v", step, led, err)
		}
		return led[0].Title
	}
	if got := title("implemented"); got != "Fix the letter" {
		t.Fatalf("implemented: %q", got)
	}
	// Renamed through the other instance, which this one is not told of.
	if err := b.Writer(ctx).Exec(`UPDATE improvements SET title = 'Fix the welcome letter' WHERE id = ?`, imp.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateFeedback(asAmb, models.NewFeedback{Channel: "phone", NPS: npsOf(9), Comment: "Quick"}, amb); err != nil {
		t.Fatal(err)
	}
	if got := title("after the ambassador's own feedback"); got != "Fix the letter" {
		t.Errorf("after the ambassador's own feedback: %q, want the kept value", got)
	}
	other, err := a.CreateImprovement(ctx, models.NewImprovement{Title: "Longer opening hours", Impact: 2, Effort: models.EffortS}, st)
	if err != nil || other == nil {
		t.Fatal(err)
	}
	if got := title("after an improvement was written"); got != "Fix the welcome letter" {
		t.Errorf("after an improvement was written through this instance: %q, want it read again", got)
	}
}

// The links of a page of feedback are kept for the clients polling it, and every link
// written shows on the next read: a new improvement's, a link added, a merge's.
func TestLinksOfAPageShowEveryLinkWritten(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	fb1 := rawFeedback(t, s, time.Now(), npsOf(3), "typo", amb, "north")
	fb2 := rawFeedback(t, s, time.Now(), npsOf(4), "queue", amb, "north")
	links := func() string {
		t.Helper()
		got, err := s.ImprovementIDsFor(ctx, []int64{fb1, fb2})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(got[fb1], got[fb2])
	}
	if got := links(); got != "[] []" {
		t.Fatalf("before any link: %s", got)
	}
	first, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Fix the letter", Impact: 5, Effort: models.EffortXS, FeedbackIDs: []int64{fb1}}, st)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := links(), fmt.Sprintf("[%d] []", first.ID); got != want {
		t.Errorf("after a new improvement linked the first: %s, want %s", got, want)
	}
	second, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Shorter queue", Impact: 3, Effort: models.EffortS}, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LinkFeedback(ctx, second.ID, []int64{fb2}, st); err != nil {
		t.Fatal(err)
	}
	if got, want := links(), fmt.Sprintf("[%d] [%d]", first.ID, second.ID); got != want {
		t.Errorf("after a link was added: %s, want %s", got, want)
	}
	if _, err := s.MergeImprovements(ctx, models.MergeInput{SurvivorID: first.ID, MergedID: second.ID, SeenID: first.ID, SeenVersion: first.Version}, st); err != nil {
		t.Fatal(err)
	}
	if got, want := links(), fmt.Sprintf("[%d] [%d]", first.ID, first.ID); got != want {
		t.Errorf("after a merge: %s, want %s", got, want)
	}
}
