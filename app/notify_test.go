package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/improvementtracker/tracker/models"
)

// mailbox is a real SMTP server in the test process that keeps what it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []received
	addr string
}

type received struct {
	from string
	to   []string
	data string
}

func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: m}, nil }

func (m *mailbox) all() []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.msgs)
}

type mailSession struct {
	box *mailbox
	cur received
}

func (s *mailSession) Reset()        { s.cur = received{} }
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, s.cur)
	s.box.mu.Unlock()
	return nil
}

// startMailbox runs an SMTP server on a loopback port until the test ends.
func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	box := &mailbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	box.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return box
}

// TestNotifyCustomersOverSMTP implements an improvement with two consenting customers
// and one without consent, sends the message (twice), runs the worker (twice) and
// expects exactly two e-mails at the real SMTP server.
func TestNotifyCustomersOverSMTP(t *testing.T) {
	box := startMailbox(t)
	a := newTestAppWith(t, func(c *Config) { c.SMTPURL = "smtp://" + box.addr + "?from=tracker@bank.example" })
	st := a.user("steer@example.com", steering, ambassador)
	at := cphTime(2026, time.March, 2, 10, 0)
	f1 := a.feedbackAt(st, at, models.NewFeedback{NPS: score(3), Comment: "The letter had the wrong date",
		CustomerName: "Mette Hansen", CustomerEmail: "mette@example.com", Consent: true})
	f2 := a.feedbackAt(st, at, models.NewFeedback{NPS: score(5), Comment: "Confusing letter",
		CustomerEmail: "jens@example.com", Consent: true})
	f3 := a.feedbackAt(st, at, models.NewFeedback{NPS: score(4), Comment: "Letter was wrong"})
	imp := a.implementAt(st, "Correct dates in letters", models.EffortXS, cphTime(2026, time.March, 20, 10, 0), f1.ID, f2.ID, f3.ID)

	c := a.signIn("steer@example.com")
	path := fmt.Sprintf("/improvements/%d/notify", imp.ID)
	d := doc(t, c.get(path+"?lang=da"))
	if n := d.Find("[data-testid=recipient]").Length(); n != 2 {
		t.Fatalf("recipients shown: %d, want the two who consented", n)
	}
	if d.Find("[data-testid=without-consent]").Length() != 1 {
		t.Error("the page should say one customer cannot be told")
	}
	subject, _ := d.Find("#f-subject").Attr("value")
	body := d.Find("#f-body").Text()
	if !strings.HasPrefix(subject, "Du sagde, vi gjorde") || !strings.Contains(body, "Kære {name}") {
		t.Fatalf("Danish template not prefilled: %q / %q", subject, body)
	}
	body = strings.Replace(body, "Din bank", "Kundeservice, Aarhus", 1)
	form := url.Values{"lang": {"da"}, "subject": {subject}, "body": {body}}
	if res := c.postForm(path, form); res.Code != http.StatusSeeOther {
		t.Fatalf("send: %d %s", res.Code, res.Body)
	}
	res := c.postForm(path, form)
	if res.Code != http.StatusSeeOther {
		t.Fatalf("send again: %d", res.Code)
	}
	if flash := c.flashOf(res); !strings.Contains(flash, "already been told") {
		t.Errorf("a second send says %q, want that everyone has already been told", flash)
	}

	ctx := context.Background()
	for range 2 {
		if _, err := a.srv.RunOutboxOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := box.all()
	if len(got) != 2 {
		t.Fatalf("received %d messages, want exactly 2", len(got))
	}
	var to []string
	for _, m := range got {
		to = append(to, m.to...)
		if m.from != "tracker@bank.example" {
			t.Errorf("from = %q", m.from)
		}
		if !strings.Contains(m.data, "Kundeservice, Aarhus") {
			t.Errorf("the edited text was not sent: %q", m.data)
		}
	}
	slices.Sort(to)
	if strings.Join(to, ",") != "jens@example.com,mette@example.com" {
		t.Errorf("recipients = %v", to)
	}
	for _, m := range got {
		if slices.Contains(m.to, "mette@example.com") && !strings.Contains(m.data, "Mette Hansen") {
			t.Errorf("Mette's message should greet her by name: %q", m.data)
		}
	}
	d = doc(t, c.get(path))
	if n := d.Find("[data-testid=recipient-status]").Length(); n != 2 || !strings.Contains(d.Find("[data-testid=recipients]").Text(), "sent") {
		t.Errorf("page should show both as sent (%d statuses)", n)
	}
	if d.Find("[data-testid=send]").Length() != 0 {
		t.Error("nobody is left to tell, so there is nothing to send")
	}
	h, err := a.store.History(ctx, "improvement", imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	notified := 0
	for _, e := range h {
		if e.Action == "notified" {
			notified++
			if e.ToValue != "2" {
				t.Errorf("history says %s customers", e.ToValue)
			}
		}
	}
	if notified != 1 {
		t.Errorf("history has %d notified entries, want 1 (the second post queued nothing)", notified)
	}
}

func TestNotifyRefusesWhatIsNotImplemented(t *testing.T) {
	a := newTestApp(t)
	st := a.user("steer@example.com", steering)
	imp, err := a.store.CreateImprovement(t.Context(), models.NewImprovement{Title: "Pending", Impact: 2, Effort: models.EffortXS}, st)
	if err != nil {
		t.Fatal(err)
	}
	c := a.signIn("steer@example.com")
	path := fmt.Sprintf("/improvements/%d/notify", imp.ID)
	// The refusal says why (not implemented yet), never "someone else changed this".
	if res := c.get(path); res.Code != http.StatusConflict || !strings.Contains(res.Body.String(), "not implemented yet") ||
		strings.Contains(res.Body.String(), "Someone else") {
		t.Errorf("GET: %d, want 409 saying it is not implemented", res.Code)
	}
	if res := c.postForm(path, url.Values{"subject": {"x"}, "body": {"y"}}); res.Code != http.StatusConflict ||
		!strings.Contains(res.Body.String(), "not implemented yet") {
		t.Errorf("POST: %d, want 409", res.Code)
	}
}

// TestOutboxRetriesWithBackoff checks that a failed delivery is retried later, not at
// once, and given up after the maximum attempts.
func TestOutboxRetriesWithBackoff(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens: every attempt fails
	a := newTestAppWith(t, func(c *Config) { c.SMTPURL = "smtp://" + addr })
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	a.store.Now = func() time.Time { return now }
	ctx := context.Background()
	if _, err := a.store.Enqueue(ctx, "test:1", "a@example.com", "Hi", "Body"); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= models.OutboxMaxAttempts; attempt++ {
		if n, err := a.srv.RunOutboxOnce(ctx); err != nil || n != 0 {
			t.Fatalf("attempt %d: sent %d, %v", attempt, n, err)
		}
		msgs, err := a.store.OutboxByKeys(ctx, []string{"test:1"})
		if err != nil {
			t.Fatal(err)
		}
		m := msgs["test:1"]
		if m.Attempts != attempt || m.LastError == "" {
			t.Fatalf("attempt %d: %+v", attempt, m)
		}
		if attempt < models.OutboxMaxAttempts {
			if m.Status != models.OutboxPending || !m.NextAttemptAt.Equal(now.Add(models.OutboxBackoff(attempt))) {
				t.Fatalf("attempt %d: status %s, next %v", attempt, m.Status, m.NextAttemptAt)
			}
			// Not due yet: a run now must not try again.
			if claimed, _ := a.store.ClaimOutbox(ctx, 10); len(claimed) != 0 {
				t.Fatalf("attempt %d: retried before the backoff", attempt)
			}
			now = m.NextAttemptAt
		} else if m.Status != models.OutboxFailed {
			t.Fatalf("after %d attempts: status %s, want failed", attempt, m.Status)
		}
	}
}
