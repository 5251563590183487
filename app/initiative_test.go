package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

func TestInitiativesFromApprovalToImplemented(t *testing.T) {
	f := newSteeringFixture(t, "Faster loans", "Better app")
	ctx := context.Background()
	loans, app := f.items[0], f.items[1]
	for _, x := range []struct {
		imp    *models.Improvement
		target time.Time
	}{{loans, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}, {app, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}} {
		// Approved before the fixture's clock, so a target in the past is possible.
		f.a.store.Now = func() time.Time { return time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC) }
		if _, err := f.a.store.TransitionImprovement(ctx, x.imp.ID, models.TransitionInput{To: models.StatusApproved, Version: 1,
			OwnerID: &f.owner.ID, FunctionalAreaID: &f.area, TargetDate: &x.target}, f.chair); err != nil {
			t.Fatal(err)
		}
	}
	f.a.store.Now = func() time.Time { return sgClock }

	res := f.c.get("/initiatives")
	if res.Code != http.StatusOK {
		t.Fatalf("initiatives: %d", res.Code)
	}
	d := doc(t, res)
	if d.Find("[data-testid=area]").Length() != 1 || !strings.Contains(d.Find("[data-testid=area] h3").Text(), "owner") {
		t.Fatalf("not grouped by area and owner: %q", d.Find("[data-testid=area]").Text())
	}
	if d.Find(fmt.Sprintf("[data-testid=initiative-%d] [data-testid=overdue]", loans.ID)).Length() != 1 ||
		d.Find(fmt.Sprintf("[data-testid=initiative-%d] [data-testid=overdue]", app.ID)).Length() != 0 {
		t.Fatal("overdue target dates not marked, or marked wrongly")
	}

	start := f.c.postForm(fmt.Sprintf("/initiatives/%d/transition", loans.ID), url.Values{"to": {"in_progress"}, "version": {"2"}})
	if start.Code != http.StatusSeeOther || f.status(t, loans) != models.StatusInProgress {
		t.Fatalf("start: %d", start.Code)
	}
	stale := f.c.postForm(fmt.Sprintf("/initiatives/%d/transition", app.ID), url.Values{"to": {"in_progress"}, "version": {"1"}})
	if stale.Code != http.StatusConflict {
		t.Fatalf("stale start: %d", stale.Code)
	}
	noNote := f.c.postForm(fmt.Sprintf("/initiatives/%d/transition", loans.ID), url.Values{"to": {"implemented"}, "version": {"3"}, "note": {" "}})
	if noNote.Code != http.StatusBadRequest || doc(t, noNote).Find("[data-testid=error-note]").Length() != 1 {
		t.Fatalf("implemented without a note: %d", noNote.Code)
	}
	progress := f.c.postForm(fmt.Sprintf("/improvements/%d/comments", loans.ID), url.Values{"kind": {"progress"},
		"body": {"Pilot running in two branches"}, "next": {"/initiatives"}})
	if progress.Code != http.StatusSeeOther || progress.Header().Get("Location") != "/initiatives" {
		t.Fatalf("progress note: %d %s", progress.Code, progress.Header().Get("Location"))
	}
	if got := doc(t, f.c.get("/initiatives")).Find(fmt.Sprintf("[data-testid=initiative-%d] [data-testid=last-progress]", loans.ID)).Text(); !strings.Contains(got, "Pilot running in two branches") {
		t.Fatalf("latest progress note %q", got)
	}
	done := f.c.postForm(fmt.Sprintf("/initiatives/%d/transition", loans.ID), url.Values{"to": {"implemented"}, "version": {"3"},
		"note": {"Loan decisions now take one day"}})
	if done.Code != http.StatusSeeOther {
		t.Fatalf("implemented: %d %s", done.Code, done.Body.String())
	}
	imp, _ := f.a.store.ImprovementByID(ctx, loans.ID)
	if imp.Status != models.StatusImplemented || imp.ResolutionNote == nil || *imp.ResolutionNote != "Loan decisions now take one day" {
		t.Fatalf("implemented item: %+v", imp)
	}
	if strings.Contains(doc(t, f.c.get("/initiatives")).Text(), "Faster loans") {
		t.Fatal("an implemented item is still listed as an initiative")
	}

	// Admins read the page without the forms.
	admin := f.a.signIn("admin@example.com", adminRole)
	ad := doc(t, admin.get("/initiatives"))
	if ad.Find("[data-testid=area]").Length() != 1 || ad.Find("form").Length() != 2 {
		t.Fatalf("admin view: %d areas, %d forms (want only the language and sign-out forms)",
			ad.Find("[data-testid=area]").Length(), ad.Find("form").Length())
	}
}

func TestCommentsOnAnImprovement(t *testing.T) {
	f := newSteeringFixture(t, "Commented")
	imp := f.items[0]
	path := fmt.Sprintf("/improvements/%d/comments", imp.ID)
	amb := f.a.signIn("amb@example.com", ambassador)

	res := amb.postForm(path, url.Values{"body": {"Customers ask about this weekly"}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != fmt.Sprintf("/improvements/%d", imp.ID) {
		t.Fatalf("comment: %d %s", res.Code, res.Header().Get("Location"))
	}
	empty := amb.postForm(path, url.Values{"body": {"  "}})
	if empty.Code != http.StatusBadRequest || doc(t, empty).Find("[data-testid=error-body]").Length() != 1 {
		t.Fatalf("empty comment: %d", empty.Code)
	}
	if res := amb.postForm(path, url.Values{"body": {"done?"}, "kind": {"progress"}}); res.Code != http.StatusForbidden {
		t.Fatalf("progress note by someone who is neither owner nor steering: %d", res.Code)
	}
	if res := amb.postForm(path, url.Values{"body": {"x"}, "next": {"//evil.example"}}); res.Header().Get("Location") != "/" {
		t.Fatalf("next leaves the site: %s", res.Header().Get("Location"))
	}
	hx := f.c.htmx(path, url.Values{"body": {"Approved in principle"}, "kind": {"progress"}})
	if hx.Code != http.StatusOK {
		t.Fatalf("htmx comment: %d", hx.Code)
	}
	d := doc(t, hx)
	if d.Find("[data-testid=comment]").Length() != 3 || d.Find("[data-testid=badge-comment]").Length() != 1 ||
		d.Find("input[name=kind][value=progress]").Length() != 1 || strings.Contains(hx.Body.String(), "<html") {
		t.Fatalf("htmx fragment: %s", hx.Body.String())
	}
	if res := amb.postForm("/improvements/99999/comments", url.Values{"body": {"x"}}); res.Code != http.StatusNotFound {
		t.Fatalf("comment on a missing improvement: %d", res.Code)
	}
}
