package app

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestMetricsOnlyFromAllowedAddressesOrWithAnAdminToken(t *testing.T) {
	a := newTestAppWith(t, func(c *Config) {
		nets, err := ParseCIDRs("10.20.0.0/16, 2001:db8::/32")
		if err != nil {
			t.Fatal(err)
		}
		c.MetricsAllow = nets
	})
	get := func(remote, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = remote
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return a.serve(t, req)
	}
	// Some traffic first, so the request metrics have series.
	amb := a.signIn("amb@bank.example", models.RoleAmbassador)
	amb.get("/feedback")
	amb.get("/feedback/12345")

	res := get("10.20.3.4:5555", "")
	if res.Code != http.StatusOK {
		t.Fatalf("allowed address: %d", res.Code)
	}
	if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("content type %q, want the Prometheus text format", ct)
	}
	body := res.Body.String()
	for _, want := range []string{
		`tracker_http_requests_total{method="GET",route="/feedback",status="200"} 1`,
		// The route's pattern, never the raw path of one feedback.
		`tracker_http_requests_total{method="GET",route="/feedback/:id",status="404"} 1`,
		`tracker_http_request_duration_seconds_bucket{method="GET",route="/feedback",le="0.005"}`,
		`tracker_db_pool_open_connections{pool="write"}`,
		`tracker_db_pool_in_use_connections{pool="read"}`,
		`tracker_db_writer_queue_depth 0`,
		`tracker_delivery_backlog{queue="outbox",state="pending"} 0`,
		`tracker_delivery_backlog{queue="outbox",state="failed"} 0`,
		`tracker_followups_overdue `,
		`tracker_metrics_query_errors 0`,
		`tracker_instances_heard_writes_total `,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// An instance on PostgreSQL hears the others' writes; on SQLite there are none.
	if want := "tracker_instances_listening " + map[bool]string{true: "1", false: "0"}[modeltest.Postgres()] + "\n"; !strings.Contains(body, want) {
		t.Errorf("metrics lack %s", want)
	}
	if strings.Contains(body, `route="/feedback/12345"`) {
		t.Error("a raw path is a label")
	}
	if got := get("[2001:db8::1]:80", "").Code; got != http.StatusOK {
		t.Errorf("allowed IPv6 address: %d", got)
	}

	// Others: 403, unless they bring an admin's API token.
	if got := get("192.0.2.9:1234", "").Code; got != http.StatusForbidden {
		t.Errorf("other address: %d, want 403", got)
	}
	ambUser, _ := a.store.UserByEmail(context.Background(), "amb@bank.example")
	if got := get("192.0.2.9:1234", a.token(ambUser)).Code; got != http.StatusForbidden {
		t.Errorf("an ambassador's token: %d, want 403", got)
	}
	if got := get("192.0.2.9:1234", "not-a-token").Code; got != http.StatusForbidden {
		t.Errorf("a wrong token: %d, want 403", got)
	}
	admin := a.user("it@bank.example", models.RoleAdmin)
	if got := get("192.0.2.9:1234", a.token(admin)).Code; got != http.StatusOK {
		t.Errorf("an admin's token: %d, want 200", got)
	}
}

func TestMetricsCountOverdueFollowUps(t *testing.T) {
	a := newTestAppWith(t, func(c *Config) { c.MetricsAllow, _ = ParseCIDRs("192.0.2.0/24") })
	amb := a.signIn("amb@bank.example", models.RoleAmbassador)
	ref, err := a.store.AllReference(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Channels) == 0 {
		t.Fatal("no channels to log feedback in")
	}
	old := time.Now().In(a.srv.cfg.Location()).Add(-30 * time.Hour).Format(datetimeLocal)
	res := amb.postForm("/feedback/new", url.Values{"channel": {ref.Channels[0].Code}, "nps": {"2"},
		"comment": {"Ingen ringte tilbake"}, "received_at": {old}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("log feedback: %d %s", res.Code, res.Body.String())
	}
	body := amb.get("/metrics").Body.String()
	if !strings.Contains(body, "tracker_followups_overdue 1\n") {
		t.Errorf("overdue follow-ups not counted:\n%s", grepLines(body, "tracker_followups"))
	}
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestJSONLogs(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, "json")
	log.Info("request", slog.String("route", "/feedback/:id"), slog.Int("status", 200))
	line := strings.TrimSpace(buf.String())
	if !strings.HasPrefix(line, "{") || !strings.Contains(line, `"route":"/feedback/:id"`) || !strings.Contains(line, `"msg":"request"`) {
		t.Errorf("json log line = %s", line)
	}
	cfg := DefaultConfig()
	cfg.LogFormat = "xml"
	if cfg.Check() == nil {
		t.Error("LOG_FORMAT=xml accepted")
	}
	if _, err := ConfigFromEnv(func(k string) string {
		return map[string]string{"METRICS_ALLOW": "10.0.0.0/8,not-a-net"}[k]
	}); err == nil {
		t.Error("a bad METRICS_ALLOW accepted")
	}
	c, err := ConfigFromEnv(func(k string) string {
		return map[string]string{"METRICS_ALLOW": "10.0.0.0/8, 127.0.0.1", "LOG_FORMAT": "json"}[k]
	})
	if err != nil || len(c.MetricsAllow) != 2 || c.LogFormat != "json" || c.Check() != nil {
		t.Errorf("config: %v %+v", err, c)
	}
}
