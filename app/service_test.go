package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/models"
)

// Acceptance: a CSV with a resolved_first_contact column gives the right rate in the
// NPS API, overall and narrowed by branch and touchpoint.
func TestImportedFirstContactResolutionInNPSAPI(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	c := a.signIn("amb@example.com")
	csvFile := "external_id,received_at,channel,touchpoint,branch,nps,comment,resolved_first_contact,csat\n" +
		"s-1,2026-03-02,survey,mobile_app,north,10,Fine,ja,5\n" +
		"s-2,2026-03-02,survey,mobile_app,north,9,Fine,1,4\n" +
		"s-3,2026-03-03,survey,mobile_app,south,3,Slow,nej,2\n" +
		"s-4,2026-03-03,survey,phone_service,north,8,Ok,yes,\n" +
		"s-5,2026-03-04,survey,phone_service,south,6,Meh,false,3\n" +
		"s-6,2026-03-04,survey,phone_service,south,7,Not asked,,\n" +
		"s-7,2026-03-05,survey,phone_service,south,7,Bad answer,maybe,\n" +
		"s-8,2026-03-05,survey,phone_service,south,7,Bad csat,,6\n"
	res := c.upload("/feedback/import", "survey.csv", csvFile, nil)
	if res.Code != http.StatusOK && res.Code != http.StatusSeeOther {
		t.Fatalf("import: status %d: %s", res.Code, res.Body)
	}
	tok := a.token(amb)
	type body struct {
		Responses int
		NPS       *float64
		FCR       *struct {
			Answered, Resolved int
			Rate               float64
		} `json:"first_contact_resolution"`
		CSAT *struct {
			Responses int
			Average   float64
		}
	}
	tests := []struct {
		name, query                   string
		responses, answered, resolved int
		rate                          float64
		csatResponses                 int
		csatAverage                   float64
	}{
		// s-7 and s-8 are rejected; s-6 did not answer: 5 answered, 3 resolved.
		{"all", "", 6, 5, 3, 60, 4, 3.5},
		{"branch north", "&branch=north", 3, 3, 3, 100, 2, 4.5},
		{"touchpoint by name", "&touchpoint=Phone%20service", 3, 2, 1, 50, 1, 3},
		{"branch and touchpoint", "&branch=south&touchpoint=phone_service", 2, 1, 0, 0, 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.api(http.MethodGet, "/api/v1/reports/nps?from=2026-03-01&to=2026-03-31"+tt.query, tok, nil)
			if res.Code != http.StatusOK {
				t.Fatalf("status %d: %s", res.Code, res.Body)
			}
			got := decode[body](t, res)
			if got.Responses != tt.responses || got.FCR == nil || got.FCR.Answered != tt.answered ||
				got.FCR.Resolved != tt.resolved || got.FCR.Rate != tt.rate || got.CSAT == nil ||
				got.CSAT.Responses != tt.csatResponses || got.CSAT.Average != tt.csatAverage {
				t.Errorf("got %s", res.Body)
			}
		})
	}
	t.Run("report page", func(t *testing.T) {
		d := doc(t, c.get("/reports?kind=month&period=2026-03"))
		// Resolved: 10, 9 and 8 (NPS 66.7); not resolved: 3 and 6 (NPS -100).
		if got := strings.TrimSpace(d.Find(`[data-testid="fcr-rate"]`).Text()); got != "60%" {
			t.Errorf("rate on the report = %q", got)
		}
		if got := strings.TrimSpace(d.Find(`[data-testid="csat-average"]`).Text()); got != "3.5" {
			t.Errorf("CSAT on the report = %q", got)
		}
		split := d.Find(`[data-testid="nps-by-resolution"]`).Text()
		if !strings.Contains(split, "66.7") || !strings.Contains(split, "−100.0") {
			t.Errorf("NPS by resolution = %q", split)
		}
		if n := d.Find(`[data-testid="service-by-touchpoint"] tbody tr`).Length(); n != 2 {
			t.Errorf("%d touchpoint rows, want 2", n)
		}
	})
	t.Run("none answered gives null", func(t *testing.T) {
		res := a.api(http.MethodGet, "/api/v1/reports/nps?from=2026-04-01&to=2026-04-30", tok, nil)
		if !strings.Contains(res.Body.String(), `"first_contact_resolution":null`) || !strings.Contains(res.Body.String(), `"csat":null`) {
			t.Errorf("got %s", res.Body)
		}
	})
	t.Run("unknown branch", func(t *testing.T) {
		res := a.api(http.MethodGet, "/api/v1/reports/nps?from=2026-03-01&to=2026-03-31&branch=atlantis", tok, nil)
		if res.Code != http.StatusBadRequest || decode[apiError](t, res).Fields["branch"] == "" {
			t.Errorf("status %d: %s", res.Code, res.Body)
		}
	})
	t.Run("feedback API returns and takes the answers", func(t *testing.T) {
		res := a.api(http.MethodPost, "/api/v1/feedback", tok, map[string]any{"channel": "survey", "nps": 9,
			"comment": "Quick", "resolved_first_contact": true, "csat": 5})
		if res.Code != http.StatusCreated || !strings.Contains(res.Body.String(), `"resolved_first_contact":true`) ||
			!strings.Contains(res.Body.String(), `"csat":5`) {
			t.Fatalf("status %d: %s", res.Code, res.Body)
		}
		bad := a.api(http.MethodPost, "/api/v1/feedback", tok, map[string]any{"channel": "survey", "nps": 9,
			"comment": "Quick", "resolved_first_contact": "perhaps", "csat": 7})
		fields := decode[apiError](t, bad).Fields
		if bad.Code != http.StatusBadRequest || fields["resolved_first_contact"] == "" || fields["csat"] == "" {
			t.Errorf("status %d: %s", bad.Code, bad.Body)
		}
	})
}

func TestParseYesNo(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		in   string
		want *bool
		ok   bool
	}{
		{"", nil, true}, {" ", nil, true}, {"true", &yes, true}, {"1", &yes, true}, {"Ja", &yes, true},
		{"YES", &yes, true}, {"false", &no, true}, {"0", &no, true}, {"nej", &no, true}, {"Nei", &no, true}, {"No", &no, true},
		{"maybe", nil, false}, {"2", nil, false},
	}
	for _, tt := range tests {
		got, ok := models.ParseYesNo(tt.in)
		if ok != tt.ok || (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("ParseYesNo(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
