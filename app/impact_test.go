package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// Acceptance: an improvement implemented on a given date, with detractors before and
// promoters after on its touchpoint, shows the NPS rise on its page and in its API.
func TestImpactShowsTheRiseAfterImplementation(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	st := a.user("steer@example.com", steering)
	linked := a.feedbackAt(amb, cphTime(2026, time.January, 10, 12, 0),
		models.NewFeedback{Touchpoint: "mobile_app", NPS: score(2), Comment: "The app logs me out"})
	for i := range 30 {
		a.feedbackAt(amb, cphTime(2026, time.January, 15+i, 9, 0), models.NewFeedback{Touchpoint: "mobile_app", NPS: score(3), Comment: "Bad"})
		a.feedbackAt(amb, cphTime(2026, time.March, 2+i, 9, 0), models.NewFeedback{Touchpoint: "mobile_app", NPS: score(10), Comment: "Good"})
		// Another touchpoint's feedback does not count.
		a.feedbackAt(amb, cphTime(2026, time.March, 2+i, 10, 0), models.NewFeedback{Touchpoint: "phone_service", NPS: score(0), Comment: "Other"})
	}
	var imp *models.Improvement
	a.clockAt(cphTime(2026, time.February, 1, 9, 0), func() {
		var err error
		imp, err = a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Stay signed in",
			Impact: 4, Effort: models.EffortXS, FeedbackIDs: []int64{linked.ID}}, st)
		if err != nil {
			t.Fatal(err)
		}
		if imp, err = a.store.TransitionImprovement(context.Background(), imp.ID,
			models.TransitionInput{To: models.StatusInProgress, Version: imp.Version}, st); err != nil {
			t.Fatal(err)
		}
	})
	a.store.Now = func() time.Time { return cphTime(2026, time.April, 15, 12, 0) }
	tok := a.token(st)
	path := "/api/v1/improvements/" + strconvFormat(imp.ID)

	future := a.api(http.MethodPost, path+"/transition", tok, map[string]any{"to": "implemented", "version": imp.Version,
		"note": "Sessions last 30 days", "implemented_on": "2026-04-16"})
	if future.Code != http.StatusBadRequest || decode[apiError](t, future).Fields["implemented_on"] == "" {
		t.Fatalf("a future implemented_on: status %d: %s", future.Code, future.Body)
	}
	res := a.api(http.MethodPost, path+"/transition", tok, map[string]any{"to": "implemented", "version": imp.Version,
		"note": "Sessions last 30 days", "implemented_on": "2026-03-01"})
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `"implemented_on":"2026-03-01"`) {
		t.Fatalf("implement: status %d: %s", res.Code, res.Body)
	}

	type side struct {
		Responses      int
		NPS            *float64
		DetractorShare *float64 `json:"detractor_share"`
	}
	type impact struct {
		ImplementedOn string `json:"implemented_on"`
		Days          int
		Before, After side
		Change        *float64
		TooFew        bool `json:"too_few"`
	}
	got := decode[impact](t, a.api(http.MethodGet, path+"/impact", tok, nil))
	if got.ImplementedOn != "2026-03-01" || got.Days != 90 || got.Before.Responses != 31 || got.After.Responses != 30 ||
		got.Before.NPS == nil || *got.Before.NPS != -100 || got.After.NPS == nil || *got.After.NPS != 100 ||
		got.Change == nil || *got.Change != 200 || got.TooFew || *got.Before.DetractorShare != 100 || *got.After.DetractorShare != 0 {
		t.Errorf("impact = %+v", got)
	}
	// 30 days before 1 March reach back to 30 January: 15 detractors, too few to tell.
	short := decode[impact](t, a.api(http.MethodGet, path+"/impact?days=30", tok, nil))
	if short.Days != 30 || short.Before.Responses != 15 || !short.TooFew || short.Change == nil {
		t.Errorf("impact over 30 days = %+v", short)
	}
	if bad := a.api(http.MethodGet, path+"/impact?days=0", tok, nil); bad.Code != http.StatusBadRequest {
		t.Errorf("days=0: status %d", bad.Code)
	}

	c := a.signIn("amb@example.com")
	page := doc(t, c.get("/improvements/"+strconvFormat(imp.ID)))
	section := page.Find(`[data-testid="impact"]`)
	if section.Length() != 1 {
		t.Fatalf("no impact section")
	}
	if change := strings.TrimSpace(section.Find(`[data-testid="impact-row"] [data-testid="nps-change"]`).Text()); change != "+200.0" && change != "+200" {
		t.Errorf("change on the page = %q", change)
	}
	if v := strings.TrimSpace(section.Find(`[data-testid="nps-before"]`).Text()); v != "−100.0" {
		t.Errorf("NPS before on the page = %q", v)
	}
	if section.Find(`[data-testid="impact-too-few"]`).Length() != 0 {
		t.Errorf("61 responses are enough to tell")
	}
	page = doc(t, c.get("/improvements/"+strconvFormat(imp.ID)+"?days=30"))
	if page.Find(`[data-testid="impact-too-few"]`).Length() != 1 {
		t.Errorf("15 responses before are too few to tell")
	}

	// An improvement that is not implemented has no impact yet.
	other, err := a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Not yet", Impact: 2, Effort: models.EffortS}, st)
	if err != nil {
		t.Fatal(err)
	}
	if res := a.api(http.MethodGet, "/api/v1/improvements/"+strconvFormat(other.ID)+"/impact", tok, nil); res.Code != http.StatusConflict {
		t.Errorf("impact of an open improvement: status %d", res.Code)
	}
}

func TestTooFewToTell(t *testing.T) {
	n := func(r int) models.NPSCounts { return models.NPSCounts{Promoters: r} }
	tests := []struct {
		before, after int
		want          bool
	}{
		{0, 0, true}, {29, 100, true}, {100, 29, true},
		{models.MinImpactResponses, models.MinImpactResponses, false}, {500, 500, false},
	}
	for _, tt := range tests {
		if got := models.TooFewToTell(n(tt.before), n(tt.after)); got != tt.want {
			t.Errorf("TooFewToTell(%d, %d) = %v, want %v", tt.before, tt.after, got, tt.want)
		}
	}
	if models.MinImpactResponses != 30 {
		t.Errorf("MinImpactResponses = %d; the page and README say 30", models.MinImpactResponses)
	}
}

// The implementation date's picker stops at today in TIME_ZONE: at 00:30 in
// Copenhagen it is already the new day there, while UTC still has the old one.
func TestImplementedOnPickerEndsTodayInTheTimeZone(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@example.com", steering)
	imp, err := a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Stay signed in",
		Impact: 4, Effort: models.EffortXS}, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = a.store.TransitionImprovement(context.Background(), imp.ID,
		models.TransitionInput{To: models.StatusInProgress, Version: imp.Version}, st); err != nil {
		t.Fatal(err)
	}
	a.store.Now = func() time.Time { return cphTime(2026, time.April, 16, 0, 30) } // 22:30 UTC on 15 April
	d := doc(t, a.signIn("steer@example.com").get("/improvements/"+strconvFormat(imp.ID)))
	if got, _ := d.Find("#f-implemented_on").Attr("max"); got != "2026-04-16" {
		t.Errorf("implemented_on max = %q, want 2026-04-16", got)
	}
}
