package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// newClient returns an HTTP client for many concurrent keep-alive connections to one
// host, which never follows redirects (a 303 is an answer to check, not to chase).
func newClient(conns int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// session is a signed-in browser: its cookies and its CSRF token.
type session struct {
	base    string
	cookies string // the Cookie header to send
	csrf    string
}

var csrfInput = regexp.MustCompile(`name="_csrf"\s+value="([^"]+)"|value="([^"]+)"\s+name="_csrf"`)

// signIn does what a browser does: fetch the sign-in page (which sets the CSRF cookie
// and puts the token in the form), then post the form with it.
func signIn(ctx context.Context, base, email, password string) (*session, error) {
	return signInFrom(ctx, base, email, password, nil)
}

// signInFrom signs in from a given loopback address (nil: any): the server limits
// sign-ins per client address, and a team signs in from several machines.
func signInFrom(ctx context.Context, base, email, password string, from net.IP) (*session, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if from != nil {
		d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: from}}
		c.Transport = &http.Transport{DialContext: d.DialContext}
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	res, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		return nil, errors.New("sign in: no CSRF token in the sign-in form")
	}
	token := string(m[1]) + string(m[2])
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {token}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err = c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in: status %d, want 303", res.StatusCode)
	}
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
		if ck.Name == "tracker_csrf" {
			token = ck.Value
		}
	}
	return &session{base: base, cookies: strings.Join(parts, "; "), csrf: token}, nil
}

// target is one page or endpoint the bench loads.
type target struct {
	Name string
	// Path is what the table shows; newRequest builds each request to the instance at
	// base (n counts requests).
	Path       string
	newRequest func(ctx context.Context, base string, n int64) *http.Request
	// Expect lists the statuses that count as success.
	Expect []int
}

// result is what one load run measured.
type result struct {
	Target     target
	Requests   int64
	Errors     int64
	ErrorNote  string // the first unexpected answer, to say what went wrong
	Duration   time.Duration
	P50, P99   time.Duration
	Max        time.Duration
	PeakRSSKB  int64
	PeakExact  bool // the peak is this run's own (the counter could be reset before it)
	ReqPerSec  float64
	RefRatio   float64
	Status2xx3 int64
	// Writes is the stream of feedback written beside the load, if any.
	Writes writeStats
}

// writeStats counts the feedback a writeStream posted.
type writeStats struct {
	Rate, Sent, Created, Failed int64
	Took                        time.Duration
}

// note is what the console shows of a stream; nothing when there was none.
func (w writeStats) note() string {
	if w.Rate == 0 {
		return ""
	}
	return fmt.Sprintf("  (writes: %d created in %s, %d failed)", w.Created, w.Took.Round(time.Millisecond), w.Failed)
}

// writeStream posts feedback through the API at a steady rate, each on its own
// goroutine so that a slow answer does not slow the stream down.
type writeStream struct {
	stats  writeStats
	start  time.Time
	cancel context.CancelFunc
	wg     sync.WaitGroup
	sent   atomic.Int64
	ok     atomic.Int64
	failed atomic.Int64
}

// startWrites starts posting rate feedback a second until stop, to the instances at
// bases in turn.
func startWrites(ctx context.Context, bases []string, token string, rate int) *writeStream {
	ctx, cancel := context.WithCancel(ctx)
	w := &writeStream{cancel: cancel, start: time.Now()}
	w.stats.Rate = int64(rate)
	client := newClient(rate)
	body := feedbackJSON("stream")
	w.wg.Go(func() {
		tick := time.NewTicker(time.Second / time.Duration(rate))
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			n := w.sent.Add(1)
			w.wg.Go(func() {
				base := bases[int(n)%len(bases)]
				req, _ := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, base+"/api/v1/feedback", bytes.NewReader(body(n)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					w.failed.Add(1)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					w.ok.Add(1)
				} else {
					w.failed.Add(1)
				}
			})
		}
	})
	return w
}

// stop ends the stream, waits for the answers in flight and returns its counts.
func (w *writeStream) stop() writeStats {
	w.cancel()
	w.wg.Wait()
	w.stats.Took = time.Since(w.start)
	w.stats.Sent, w.stats.Created, w.stats.Failed = w.sent.Load(), w.ok.Load(), w.failed.Load()
	return w.stats
}

// run loads t from conns workers for d after a short warm-up, recording every latency.
// Worker w talks to the instance bases[w mod len(bases)], as a load balancer spreads
// connections.
func run(ctx context.Context, client *http.Client, t target, bases []string, conns int, warmup, d time.Duration) result {
	var n atomic.Int64
	loop := func(base string, until time.Time, record bool, lat *[]int32, res *result, mu *sync.Mutex) {
		for time.Now().Before(until) && ctx.Err() == nil {
			req := t.newRequest(ctx, base, n.Add(1))
			start := time.Now()
			resp, err := client.Do(req)
			status := 0
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				status = resp.StatusCode
			}
			el := time.Since(start)
			if !record {
				continue
			}
			*lat = append(*lat, int32(el/time.Microsecond))
			if err != nil || !slices.Contains(t.Expect, status) {
				mu.Lock()
				res.Errors++
				if res.ErrorNote == "" {
					if err != nil {
						res.ErrorNote = err.Error()
					} else {
						res.ErrorNote = fmt.Sprintf("status %d", status)
					}
				}
				mu.Unlock()
			}
		}
	}
	var (
		res result
		mu  sync.Mutex
		wg  sync.WaitGroup
	)
	res.Target = t
	// Warm-up: fill the server's caches and open the connections.
	until := time.Now().Add(warmup)
	for w := range conns {
		wg.Go(func() { loop(bases[w%len(bases)], until, false, nil, &res, &mu) })
	}
	wg.Wait()
	lats := make([][]int32, conns)
	start := time.Now()
	until = start.Add(d)
	for w := range conns {
		lats[w] = make([]int32, 0, 4096)
		wg.Go(func() { loop(bases[w%len(bases)], until, true, &lats[w], &res, &mu) })
	}
	wg.Wait()
	res.Duration = time.Since(start)
	var all []int32
	for _, l := range lats {
		all = append(all, l...)
	}
	slices.Sort(all)
	res.Requests = int64(len(all))
	if len(all) > 0 {
		q := func(p float64) time.Duration {
			i := int(p * float64(len(all)-1))
			return time.Duration(all[i]) * time.Microsecond
		}
		res.P50, res.P99, res.Max = q(0.50), q(0.99), time.Duration(all[len(all)-1])*time.Microsecond
	}
	res.ReqPerSec = float64(res.Requests) / res.Duration.Seconds()
	return res
}

// get builds a GET target with the session's cookies.
func (s *session) get(name, path string) target {
	return target{Name: name, Path: path, Expect: []int{http.StatusOK},
		newRequest: func(ctx context.Context, base string, _ int64) *http.Request {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
			req.Header.Set("Cookie", s.cookies)
			return req
		}}
}

// postForm builds a form POST target with the CSRF token, as a browser posts a form;
// form gives the fields of request n.
func (s *session) postForm(name, path string, form func(n int64) url.Values, expect ...int) target {
	return target{Name: name, Path: "POST " + path, Expect: expect,
		newRequest: func(ctx context.Context, base string, n int64) *http.Request {
			v := form(n)
			v.Set("_csrf", s.csrf)
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", s.cookies)
			return req
		}}
}

// apiGet builds an API GET target with a bearer token.
func apiGet(token, name, path string) target {
	return target{Name: name, Path: path, Expect: []int{http.StatusOK},
		newRequest: func(ctx context.Context, base string, _ int64) *http.Request {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			return req
		}}
}

// apiPost builds an API POST target; body gives the JSON of request n.
func apiPost(token, name, path string, body func(n int64) []byte, expect ...int) target {
	return target{Name: name, Path: "POST " + path, Expect: expect,
		newRequest: func(ctx context.Context, base string, n int64) *http.Request {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body(n)))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			return req
		}}
}

// plainGet builds an unauthenticated GET target.
func plainGet(name, path string) target {
	return target{Name: name, Path: path, Expect: []int{http.StatusOK},
		newRequest: func(ctx context.Context, base string, _ int64) *http.Request {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
			return req
		}}
}
