package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/improvementtracker/tracker/models"
)

// TestOnlyTheHolderFinishesOrGivesBack: a quick win started by Anna cannot be finished
// or given back by Bo, also a quick-win member (start was protected, these were not);
// a steering member may; the API says the same.
func TestOnlyTheHolderFinishesOrGivesBack(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	st := a.user("st@example.com", steering)
	anna := a.user("anna@example.com", quickwin)
	imp, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Fix welcome e-mail", Impact: 4,
		Effort: models.EffortXS}, st)
	if err != nil {
		t.Fatal(err)
	}
	started, err := a.store.StartQuickWin(ctx, imp.ID, imp.Version, anna)
	if err != nil {
		t.Fatal(err)
	}
	v := fmt.Sprint(started.Version)
	bo := a.signIn("bo@example.com", quickwin)
	base := fmt.Sprintf("/quick-wins/%d/", imp.ID)
	if res := bo.postForm(base+"finish", url.Values{"version": {v}, "note": {"Done by Bo"}}); res.Code != http.StatusConflict {
		t.Errorf("Bo finishes Anna's quick win: %d, want 409", res.Code)
	}
	if res := bo.postForm(base+"hand-back", url.Values{"version": {v}, "reason": {"Bo gives it back"}}); res.Code != http.StatusConflict {
		t.Errorf("Bo gives Anna's quick win back: %d, want 409", res.Code)
	}
	boUser, _ := a.store.UserByEmail(ctx, "bo@example.com")
	tok := a.token(boUser)
	res := a.api(http.MethodPost, fmt.Sprintf("/api/v1/improvements/%d/transition", imp.ID), tok,
		map[string]any{"to": "implemented", "version": started.Version, "note": "Done by Bo"})
	if res.Code != http.StatusConflict {
		t.Errorf("Bo finishes through the API: %d, want 409", res.Code)
	}
	if cur, _ := a.store.ImprovementByID(ctx, imp.ID); cur.Status != models.StatusInProgress {
		t.Fatalf("the quick win moved: %s", cur.Status)
	}
	steer := a.signIn("st@example.com")
	if res := steer.postForm(base+"hand-back", url.Values{"version": {v}, "reason": {"Anna is on leave"}}); res.Code != http.StatusSeeOther {
		t.Errorf("a steering member gives it back: %d, want 303", res.Code)
	}
}

func TestHolderOnlyMoves(t *testing.T) {
	for _, tc := range []struct {
		track    models.Track
		from, to models.Status
		want     bool
	}{
		{models.TrackQuickWin, models.StatusInProgress, models.StatusImplemented, true},
		{models.TrackQuickWin, models.StatusInProgress, models.StatusQueued, true},
		{models.TrackQuickWin, models.StatusInProgress, models.StatusReview, false},
		{models.TrackQuickWin, models.StatusQueued, models.StatusInProgress, false},
		{models.TrackSteering, models.StatusInProgress, models.StatusImplemented, false},
	} {
		if got := models.HolderOnly(tc.track, tc.from, tc.to); got != tc.want {
			t.Errorf("HolderOnly(%s, %s, %s) = %v", tc.track, tc.from, tc.to, got)
		}
	}
}

// TestOnlyAnAdminCreatesReferenceDataInAnImport: an ambassador's web import with
// "create missing" is refused and creates nothing; the box is offered to admins only.
func TestOnlyAnAdminCreatesReferenceDataInAnImport(t *testing.T) {
	a := newTestApp(t)
	csv := "received_at,channel,nps,comment\n2026-03-02,carrier pigeon,9,Fine\n"
	amb := a.signIn("amb@example.com", ambassador)
	if doc(t, amb.get("/feedback/import")).Find("input[name=create_missing]").Length() != 0 {
		t.Error("an ambassador is offered create missing")
	}
	res := amb.upload("/feedback/import", "survey.csv", csv, url.Values{"create_missing": {"true"}})
	if res.Code != http.StatusForbidden {
		t.Errorf("ambassador with create missing: %d, want 403", res.Code)
	}
	refs, _ := a.store.ActiveRefs(context.Background(), models.RefChannels)
	for _, r := range refs {
		if r.Name == "carrier pigeon" {
			t.Fatal("the ambassador created a channel")
		}
	}
	boss := a.signIn("boss@example.com", ambassador, adminRole)
	if doc(t, boss.get("/feedback/import")).Find("input[name=create_missing]").Length() != 1 {
		t.Error("an admin is not offered create missing")
	}
	d := doc(t, boss.upload("/feedback/import", "survey.csv", csv, url.Values{"create_missing": {"true"}}))
	if got := d.Find("[data-testid=created]").Text(); got == "" || got[0] != '1' && !containsDigit(got, '1') {
		t.Errorf("admin import: %q", got)
	}
}

func containsDigit(s string, d byte) bool {
	for i := range len(s) {
		if s[i] == d {
			return true
		}
	}
	return false
}
