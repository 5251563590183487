package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// The steering group records an improvement's savings; the yearly report and the
// dashboard add up those of the year's implemented improvements.
func TestSavingsAreSummedInReportAndDashboard(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@example.com", steering)
	one := a.implementAt(st, "Fewer letters", models.EffortXS, cphTime(2026, time.March, 3, 10, 0))
	two := a.implementAt(st, "Faster card", models.EffortXS, cphTime(2026, time.April, 3, 10, 0))
	a.store.Now = func() time.Time { return cphTime(2026, time.May, 1, 12, 0) }
	c := a.signIn("steer@example.com")
	save := func(imp *models.Improvement, v url.Values) int {
		v.Set("version", strconvFormat(int64(imp.Version)))
		return c.postForm("/improvements/"+strconvFormat(imp.ID)+"/savings", v).Code
	}
	if code := save(one, url.Values{"savings_estimated_kr": {"-5"}}); code != http.StatusBadRequest {
		t.Errorf("negative savings: status %d", code)
	}
	if code := save(one, url.Values{"savings_estimated_kr": {"120000"}, "savings_realised_kr": {"90000"}, "hours_estimated": {"300"}}); code != http.StatusSeeOther {
		t.Fatalf("save: status %d", code)
	}
	if code := save(two, url.Values{"savings_realised_kr": {"10000"}, "hours_realised": {"40"}}); code != http.StatusSeeOther {
		t.Fatalf("save: status %d", code)
	}
	page := doc(t, c.get("/improvements/"+strconvFormat(one.ID)))
	if got := page.Find(`[data-testid="savings-estimated"]`).Text(); !strings.Contains(got, "DKK\u00a0120,000") {
		t.Errorf("improvement page savings: %q", got)
	}
	for _, path := range []string{"/reports?kind=year&period=2026", "/"} {
		d := doc(t, c.get(path))
		if got := strings.TrimSpace(d.Find(`[data-testid="savings-realised-kr"]`).Text()); got != "DKK\u00a0100,000" {
			t.Errorf("%s: realised = %q, want DKK 100,000", path, got)
		}
		if got := strings.TrimSpace(d.Find(`[data-testid="savings-estimated-kr"]`).Text()); got != "DKK\u00a0120,000" {
			t.Errorf("%s: estimated = %q, want DKK 120,000", path, got)
		}
	}
}
