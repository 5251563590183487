package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// newFuzzApp is newTestApp for a fuzz target: the real router over a real database,
// built once per fuzzing process, before the inputs run.
func newFuzzApp(f *testing.F) *testApp {
	f.Helper()
	store := modeltest.Open(f)
	cfg := DefaultConfig()
	cfg.LoginRate, cfg.LoginBurst = 1000, 1000
	srv := New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &testApp{srv: srv, store: store}
}

// fuzzSignIn signs a client in without the *testing.T the test helpers take.
func fuzzSignIn(f *testing.F, a *testApp, email string) *client {
	f.Helper()
	c := a.client()
	res := c.postForm("/login", url.Values{"email": {email}, "password": {modeltest.Password}})
	if res.Code != http.StatusSeeOther {
		f.Fatalf("sign in %s: status %d", email, res.Code)
	}
	return c
}

// FuzzFeedbackForm posts arbitrary values in the feedback form as a signed-in
// ambassador. Whatever is typed, the answer is never a server error; a rejection is a
// 400 that shows the form again with at least one message beside a field (translated,
// not a raw message id); an acceptance is a redirect.
func FuzzFeedbackForm(f *testing.F) {
	f.Add("phone", "mobile_app", "city", "private", "3", "Waited 40 minutes", "2026-03-02T09:30", "", "", false)
	f.Add("", "", "", "", "11", "kept", "", "", "", false)
	a := newFuzzApp(f)
	modeltest.User(f, a.store, "amb@example.com", models.RoleAmbassador)
	c := fuzzSignIn(f, a, "amb@example.com")
	f.Fuzz(func(t *testing.T, channel, touchpoint, branch, segment, nps, comment, receivedAt, name, email string, consent bool) {
		form := url.Values{"channel": {channel}, "touchpoint": {touchpoint}, "branch": {branch}, "segment": {segment},
			"nps": {nps}, "comment": {comment}, "received_at": {receivedAt}, "customer_name": {name},
			"customer_email": {email}}
		if consent {
			form.Set("consent", "true")
		}
		res := c.postForm("/feedback/new", form)
		body := res.Body.String()
		switch {
		case res.Code >= 500:
			t.Fatalf("status %d for %v:\n%s", res.Code, form, body)
		case res.Code == http.StatusSeeOther:
			if res.Header().Get("Location") == "" {
				t.Fatalf("redirect without a Location for %v", form)
			}
		case res.Code == http.StatusBadRequest:
			if !strings.Contains(body, `data-testid="error-`) {
				t.Fatalf("400 without a message beside a field for %v:\n%s", form, body)
			}
			if strings.Contains(body, ">validation.") {
				t.Fatalf("400 shows an untranslated message id for %v:\n%s", form, body)
			}
		default:
			t.Fatalf("unexpected status %d for %v:\n%s", res.Code, form, body)
		}
	})
}

// FuzzTransitionAPI sends arbitrary bodies to the transition endpoint of the API, for
// real improvements on both tracks and for ids that are not. Whatever is sent, the
// answer is never a server error, and every 4xx is JSON with an error message.
func FuzzTransitionAPI(f *testing.F) {
	f.Add("1", []byte(`{"to":"in_progress","version":1}`))
	f.Add("2", []byte(`{"to":"approved","version":1,"owner_email":"lead@example.com","functional_area":"it","target_date":"2026-12-31"}`))
	f.Add("x", []byte(`not json`))
	a := newFuzzApp(f)
	lead := modeltest.User(f, a.store, "lead@example.com", models.RoleSteering, models.RoleQuickWin)
	ctx := context.Background()
	for _, n := range []models.NewImprovement{
		{Title: "Typo in the welcome e-mail", Impact: 3, Effort: models.EffortXS},
		{Title: "New mortgage process", Impact: 5, Effort: models.EffortL},
	} {
		if _, err := a.store.CreateImprovement(ctx, n, lead); err != nil {
			f.Fatal(err)
		}
	}
	token, err := a.store.CreateToken(ctx, lead.ID, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/improvements/"+url.PathEscape(id)+"/transition", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res := a.serve(t, req)
		if res.Code >= 500 {
			t.Fatalf("status %d for id %q body %q:\n%s", res.Code, id, body, res.Body.String())
		}
		if res.Code >= 400 {
			var e struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(res.Body.Bytes(), &e); err != nil || strings.TrimSpace(e.Error) == "" {
				t.Fatalf("status %d without a JSON error message for id %q body %q: %s", res.Code, id, body, res.Body.String())
			}
		}
	})
}
