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
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// testApp is the real router over a real database.
type testApp struct {
	t     testing.TB
	srv   *Server
	store *store.Store
	// logs holds everything the server logged, for tests that check what a log holds.
	logs *lockedBuffer
}

// lockedBuffer is a log sink that handlers of concurrent requests may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	return newTestAppWith(t, func(*Config) {})
}

func newTestAppWith(t testing.TB, tune func(*Config)) *testApp {
	t.Helper()
	st := modeltest.Open(t)
	cfg := DefaultConfig()
	cfg.LoginRate, cfg.LoginBurst = 1000, 1000
	tune(&cfg)
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := New(cfg, st, log)
	return &testApp{t: t, srv: srv, store: st, logs: logs}
}

// user creates a user holding roles.
func (a *testApp) user(email string, roles ...string) *models.User {
	return modeltest.User(a.t, a.store, email, roles...)
}

// client is a browser: it keeps cookies and sends the CSRF token with every form.
type client struct {
	app     *testApp
	cookies map[string]*http.Cookie
	ip      string
}

func (a *testApp) client() *client {
	return &client{app: a, cookies: map[string]*http.Cookie{}, ip: "192.0.2.1"}
}

// signIn returns a client signed in as email (created with roles when given).
func (a *testApp) signIn(email string, roles ...string) *client {
	a.t.Helper()
	if len(roles) > 0 {
		a.user(email, roles...)
	}
	c := a.client()
	res := c.postForm("/login", url.Values{"email": {email}, "password": {modeltest.Password}})
	if res.Code != http.StatusSeeOther {
		a.t.Fatalf("sign in %s: status %d", email, res.Code)
	}
	return c
}

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	req.RemoteAddr = c.ip + ":1234"
	var tb testing.TB
	if c.app.t != nil {
		tb = c.app.t
	}
	res := c.app.serve(tb, req)
	for _, ck := range res.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return res
}

func (c *client) get(path string) *httptest.ResponseRecorder {
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// csrf fetches a page first when the client has no token yet, as a browser would.
func (c *client) csrf() string {
	if ck, ok := c.cookies["tracker_csrf"]; ok {
		return ck.Value
	}
	c.get("/login")
	return c.cookies["tracker_csrf"].Value
}

// postForm sends a form with the CSRF token, like a same-site browser form.
func (c *client) postForm(path string, form url.Values) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.csrf())
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// htmx sends a form the way htmx does: token in a header, HX-Request set.
func (c *client) htmx(path string, form url.Values) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf())
	req.Header.Set("HX-Request", "true")
	return c.do(req)
}

// token creates an API token for a user.
func (a *testApp) token(u *models.User) string {
	a.t.Helper()
	tok, err := a.store.CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		a.t.Fatal(err)
	}
	return tok
}

// api calls the JSON API with a bearer token; body may be nil.
func (a *testApp) api(method, path, token string, body any) *httptest.ResponseRecorder {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return a.serve(a.t, req)
}

// decode reads a JSON response into v.
func decode[T any](t *testing.T, res *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(res.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %q: %v", res.Body.String(), err)
	}
	return v
}

// doc parses an HTML response.
func doc(t *testing.T, res *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(res.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// flashOf follows a redirect and returns the flash message shown there.
func (c *client) flashOf(res *httptest.ResponseRecorder) string {
	loc := res.Header().Get("Location")
	if loc == "" {
		return ""
	}
	page := c.get(loc)
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(page.Body.Bytes()))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(d.Find("[data-testid=flash]").Text())
}

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }
