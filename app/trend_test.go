package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// The admin sets an NPS target beside the improvements target; the dashboard and the
// yearly report draw the NPS by month over several years against it.
func TestNPSTargetAndTrend(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	a.feedbackAt(amb, cphTime(2025, time.May, 3, 12, 0), models.NewFeedback{NPS: score(10), Comment: "x"})
	a.feedbackAt(amb, cphTime(2025, time.June, 3, 12, 0), models.NewFeedback{NPS: score(0), Comment: "y"})
	a.feedbackAt(amb, cphTime(2026, time.February, 3, 12, 0), models.NewFeedback{NPS: score(9), Comment: "z"})
	a.store.Now = func() time.Time { return cphTime(2026, time.March, 1, 12, 0) }
	admin := a.signIn("admin@example.com", adminRole)
	targetKey := func() int { return doc(t, admin.get("/")).Find(`[data-testid="trend"] .legend .key.target`).Length() }
	if n := targetKey(); n != 0 {
		t.Errorf("before any NPS target, the trend's legend shows a target's key (%d)", n)
	}

	bad := admin.postForm("/admin/goals", url.Values{"year": {"2026"}, "target": {"40"}, "nps_target": {"150"}})
	if bad.Code != http.StatusBadRequest || doc(t, bad).Find(`[data-field="nps_target"].invalid, #f-nps_target[aria-invalid="true"]`).Length() == 0 {
		t.Fatalf("NPS target 150: status %d", bad.Code)
	}
	if res := admin.postForm("/admin/goals", url.Values{"year": {"2026"}, "target": {"40"}, "nps_target": {"60"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("set: status %d: %s", res.Code, res.Body)
	}
	if res := admin.postForm("/admin/goals", url.Values{"year": {"2025"}, "target": {"50"}, "nps_target": {"-5"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("set 2025: status %d", res.Code)
	}
	if n := targetKey(); n != 1 {
		t.Errorf("with NPS targets, the trend's legend shows %d target keys, want 1", n)
	}
	goals := doc(t, admin.get("/admin/goals"))
	if got := goals.Find(`[data-testid="nps-target"]`).Text(); !strings.Contains(got, "60") || !strings.Contains(got, "-5") {
		t.Errorf("NPS targets on the goals page: %q", got)
	}
	for _, path := range []string{"/", "/reports?kind=year&period=2026"} {
		d := doc(t, admin.get(path))
		chart := d.Find(`[data-testid="nps-trend"]`)
		if chart.Length() != 1 {
			t.Fatalf("%s: no NPS trend", path)
		}
		if n := chart.Find(`[data-testid="nps-target-line"]`).Length(); n != 2 {
			t.Errorf("%s: %d target lines, want 2 (2025 and 2026)", path, n)
		}
		if n := chart.Find(`circle.trend-point`).Length(); n != 3 {
			t.Errorf("%s: %d months with an NPS, want 3", path, n)
		}
	}
	if n := doc(t, admin.get("/reports?kind=month&period=2026-02")).Find(`[data-testid="nps-trend"]`).Length(); n != 0 {
		t.Errorf("the monthly report shows no trend")
	}
}

func TestValidNPSTarget(t *testing.T) {
	for v, want := range map[int]bool{-101: false, -100: true, 0: true, 83: true, 100: true, 101: false} {
		if models.ValidNPSTarget(v) != want {
			t.Errorf("ValidNPSTarget(%d) != %v", v, want)
		}
	}
}
