package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hookRequest is one request a test receiver got.
type hookRequest struct {
	ID, Timestamp, Signature string
	Body                     []byte
	At                       time.Time
}

// webhookReceiver is a local receiver answering each request with the next status of
// answers (the last one repeated).
type webhookReceiver struct {
	mu      sync.Mutex
	got     []hookRequest
	answers []int
	srv     *httptest.Server
	notify  chan struct{}
}

func newWebhookReceiver(t *testing.T, answers ...int) *webhookReceiver {
	r := &webhookReceiver{answers: answers, notify: make(chan struct{}, 100)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, hookRequest{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"),
			Signature: req.Header.Get("webhook-signature"), Body: body, At: time.Now()})
		n := len(r.got)
		status := r.answers[min(n, len(r.answers))-1]
		r.mu.Unlock()
		w.WriteHeader(status)
		r.notify <- struct{}{}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// wait returns the first n requests, failing after timeout.
func (r *webhookReceiver) wait(t *testing.T, n int, timeout time.Duration) []hookRequest {
	t.Helper()
	deadline := time.After(timeout)
	for {
		r.mu.Lock()
		if len(r.got) >= n {
			out := append([]hookRequest(nil), r.got...)
			r.mu.Unlock()
			return out
		}
		r.mu.Unlock()
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("the receiver got %d requests within %v, want %d", len(r.got), timeout, n)
		}
	}
}

const testWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// verifySignature checks a request the way a Standard Webhooks receiver does.
func verifySignature(t *testing.T, r hookRequest) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(testWebhookSecret[len("whsec_"):])
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(r.ID + "." + r.Timestamp + "." + string(r.Body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if r.Signature != want || r.ID == "" {
		t.Errorf("webhook-id %q signature %q, want %q", r.ID, r.Signature, want)
	}
}

// startWebhooks runs the app's webhook worker until the test ends.
func startWebhooks(t *testing.T, a *testApp) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.srv.runWebhooks(ctx, "test"); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func TestWebhookDetractorReachesReceiverSigned(t *testing.T) {
	rcv := newWebhookReceiver(t, http.StatusNoContent)
	a := newTestAppWith(t, func(c *Config) {
		c.WebhookURLs = []string{rcv.srv.URL + "/hook"}
		c.WebhookSecret = testWebhookSecret
	})
	startWebhooks(t, a)
	tok := a.token(a.user("amb@example.com", ambassador))
	start := time.Now()
	res := a.api("POST", "/api/v1/feedback", tok, map[string]any{"channel": "phone", "branch": "north", "nps": 2,
		"comment": "Nobody called me back", "customer_phone": "+45 12 34 56 78"})
	if res.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	created := decode[apiFeedbackJSON](t, res)
	got := rcv.wait(t, 1, 5*time.Second)
	if took := got[0].At.Sub(start); took > 5*time.Second {
		t.Errorf("delivered after %v, want within 5 s", took)
	}
	verifySignature(t, got[0])
	var body struct {
		Type      string          `json:"type"`
		Timestamp string          `json:"timestamp"`
		Data      apiFeedbackJSON `json:"data"`
	}
	if err := json.Unmarshal(got[0].Body, &body); err != nil {
		t.Fatalf("body %s: %v", got[0].Body, err)
	}
	if _, err := time.Parse(time.RFC3339, body.Timestamp); err != nil || body.Type != "feedback.created" ||
		body.Data.ID != created.ID || body.Data.NPSGroup == nil || *body.Data.NPSGroup != "detractor" {
		t.Errorf("payload %s", got[0].Body)
	}
	// The admin page lists the delivery with its answer.
	page := a.signIn("admin@example.com", adminRole).get("/admin/webhooks")
	if page.Code != http.StatusOK {
		t.Fatalf("admin webhooks: %d", page.Code)
	}
	d := doc(t, page)
	if row := d.Find("[data-testid=delivery]").First(); row.Find("[data-testid=delivery-status]").Text() == "" ||
		row.Find("[data-testid=delivery-answer]").Text() != "204" {
		t.Errorf("delivery row %q", row.Text())
	}
}

func TestWebhookRetriedWithSameID(t *testing.T) {
	rcv := newWebhookReceiver(t, http.StatusInternalServerError, http.StatusInternalServerError, http.StatusOK)
	a := newTestAppWith(t, func(c *Config) {
		c.WebhookURLs = []string{rcv.srv.URL}
		c.WebhookSecret = testWebhookSecret
	})
	// The clock runs ahead on demand, so a retry's backoff passes without waiting.
	var ahead atomic.Int64
	a.store.Now = func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	startWebhooks(t, a)
	tok := a.token(a.user("amb@example.com", ambassador))
	if res := a.api("POST", "/api/v1/feedback", tok, map[string]any{"channel": "web", "nps": 1, "comment": "Broken"}); res.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	first := rcv.wait(t, 1, 5*time.Second)
	waitRetrying(t, a, 1)
	ahead.Store(int64(60 * time.Second)) // the first retry comes within a minute
	rcv.wait(t, 2, 5*time.Second)
	waitRetrying(t, a, 2)
	ahead.Store(int64(10 * time.Minute))
	all := rcv.wait(t, 3, 5*time.Second)
	for _, r := range all {
		if r.ID != first[0].ID {
			t.Errorf("webhook-id %q on a retry, want %q every time", r.ID, first[0].ID)
		}
		verifySignature(t, r)
	}
	time.Sleep(3 * time.Second) // delivered: nothing more comes
	rcv.mu.Lock()
	n := len(rcv.got)
	rcv.mu.Unlock()
	if n != 3 {
		t.Errorf("%d requests, want 3 (two failures, then delivered)", n)
	}
}

// waitRetrying waits until the only delivery has failed attempts times and waits for
// its next attempt.
func waitRetrying(t *testing.T, a *testApp, attempts int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		ds, err := a.store.RecentDeliveries(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 1 && ds[0].Attempts == attempts && ds[0].Status == "pending" {
			if ds[0].LastStatus != http.StatusInternalServerError {
				t.Errorf("last answer %d, want 500", ds[0].LastStatus)
			}
			return
		}
	}
	t.Fatalf("the delivery was not waiting for a retry after %d attempts", attempts)
}
