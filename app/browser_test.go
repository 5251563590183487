package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's Chromium; browser tests skip with a clear message when
// there is none (CI installs it, so there they always run).
func chromiumPath() string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// browser is a headless Chromium driving the real app over loopback.
type browser struct {
	t    *testing.T
	app  *testApp
	base string
	ctx  context.Context
	dir  string
	shot int
}

// chromium is the one Chromium process the browser tests share: starting it takes
// seconds, while a fresh browser context (its own cookies and storage, like a private
// window) per test takes milliseconds and keeps the tests apart just as well.
var chromium struct {
	once    sync.Once
	ctx     context.Context // the browser, for new browser contexts
	stop    func()
	err     error
	profile string
}

// startChromium starts the shared Chromium on first use.
func startChromium(path string) (context.Context, error) {
	chromium.once.Do(func() {
		// Chromium may still flush its profile while it exits, so the profile folder
		// is removed after the browser is gone (stopChromium), not by t.TempDir.
		profile, err := os.MkdirTemp("", "tracker-chromium-")
		if err != nil {
			chromium.err = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.UserDataDir(profile),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-background-networking", true),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(allocCtx)
		chromium.ctx, chromium.profile = ctx, profile
		chromium.stop = func() {
			cancelCtx()
			cancelAlloc()
			_ = os.RemoveAll(profile)
		}
		chromium.err = chromedp.Run(ctx)
	})
	return chromium.ctx, chromium.err
}

// stopChromium ends the shared Chromium, if a test started it.
func stopChromium() {
	if chromium.stop != nil {
		chromium.stop()
	}
}

// TestMain ends the shared Chromium after the package's tests (the process would die
// with the test binary anyway; this also removes its profile folder).
func TestMain(m *testing.M) {
	code := m.Run()
	stopChromium()
	os.Exit(code)
}

// newBrowser starts the app on a loopback port and opens a tab in a new browser
// context of the shared Chromium, with a viewport of the given size (a phone is
// 390 × 844).
func newBrowser(t *testing.T, a *testApp, width, height int) *browser {
	t.Helper()
	path := chromiumPath()
	if env := os.Getenv("CHROMIUM"); env != "" && path != env {
		// CI names the browser it installed: there the tests must run, not skip.
		t.Fatalf("CHROMIUM=%s is not there", env)
	}
	if path == "" {
		t.Skip("no Chromium found (apt-get install chromium); .ci/run installs it, so CI runs these tests")
	}
	started := time.Now()
	parent, err := startChromium(path)
	if err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	srv := httptest.NewServer(a.srv.Handler())
	t.Cleanup(srv.Close)
	// A browser context of its own, opened in a new window: chromedp's
	// WithNewBrowserContext opens no window, which this Chromium refuses ("no browser
	// is open").
	browserExec := cdp.WithExecutor(parent, chromedp.FromContext(parent).Browser)
	bcID, err := target.CreateBrowserContext().Do(browserExec)
	if err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	tabID, err := target.CreateTarget("about:blank").WithBrowserContextID(bcID).WithNewWindow(true).
		WithWidth(int64(width)).WithHeight(int64(height)).Do(browserExec)
	if err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancelCtx := chromedp.NewContext(parent, chromedp.WithTargetID(tabID))
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx() // closes the tab
		dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := target.DisposeBrowserContext(bcID).Do(cdp.WithExecutor(dctx, chromedp.FromContext(parent).Browser)); err != nil {
			t.Logf("dispose of the browser context: %v", err)
		}
	})
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	// This Go puts each test's artifacts in a folder with a random name only, so the
	// screenshots go in a folder named after the test inside it.
	dir := filepath.Join(t.ArtifactDir(), strings.NewReplacer("/", "__", " ", "_").Replace(t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("browser ready in %v; screenshots go to %s (kept with go test -artifacts)", time.Since(started).Round(time.Millisecond), dir)
	return &browser{t: t, app: a, base: srv.URL, ctx: ctx, dir: dir}
}

// stepTimeout bounds one run of actions: an element that never appears fails the test
// in seconds with a screenshot, rather than when the whole browser's time runs out.
const stepTimeout = 20 * time.Second

// run performs actions and fails the test with a screenshot on error.
func (b *browser) run(actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		b.screenshot("failure")
		b.t.Fatalf("browser: %v", err)
	}
}

// waitAcrossOrigins waits until an element matching sel is in the page, across navigations that
// pass through other origins (a sign-in at an identity provider): there chromedp's own
// node waits can keep watching the document that was left, so the page is asked anew
// until it answers or the step's time is up.
func (b *browser) waitAcrossOrigins(sel string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		var found bool
		ctx, cancel := context.WithTimeout(b.ctx, time.Second)
		err := chromedp.Run(ctx, chromedp.Evaluate(`!!document.querySelector(`+strconv.Quote(sel)+`)`, &found))
		cancel()
		if err == nil && found {
			return
		}
		if time.Now().After(deadline) {
			b.screenshot("failure")
			b.t.Fatalf("browser: %s did not appear (last error: %v)", sel, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// click clicks the first visible element matching sel, once htmx has taken over the
// form or element it belongs to, if any. htmx takes over swapped-in content only after
// the swap settles, and a click in that gap submits the form as a plain page load: no
// person clicks that fast, but a test does (CI saw it once on the board's second move).
func (b *browser) click(sel string) {
	b.t.Helper()
	ready := fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return false;
		const hx = el.closest("[hx-get],[hx-post],[hx-put],[hx-patch],[hx-delete]");
		if (!hx) return true;
		const data = hx["htmx-internal-data"];
		return !!(window.htmx && data && data.initHash) && !document.querySelector(".htmx-settling, .htmx-swapping");
	})()`, sel)
	b.run(
		chromedp.WaitVisible(sel, chromedp.ByQuery),
		chromedp.Poll(ready, nil, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout)),
		chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible),
	)
}

// fill types text into the field matching sel, after what it already holds.
func (b *browser) fill(sel, text string) {
	b.t.Helper()
	b.run(chromedp.SendKeys(sel, text, chromedp.ByQuery))
}

// choose sets a select's (or a date input's) value and fires its change event, as
// picking it by hand would (htmx listens for that event).
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	b.run(
		chromedp.WaitReady(sel, chromedp.ByQuery),
		chromedp.SetValue(sel, value, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event("change", {bubbles: true}))`, sel), nil),
	)
}

// waitFor waits until an element matching sel is visible.
func (b *browser) waitFor(sel string) {
	b.t.Helper()
	b.run(chromedp.WaitVisible(sel, chromedp.ByQuery))
}

// waitText waits until the first element matching sel contains text (after an htmx
// swap, for example, when the element was there before).
func (b *browser) waitText(sel, text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(document.querySelector(%q)?.textContent || "").includes(%q)`, sel, text)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Poll(js, nil, chromedp.WithPollingInterval(50*time.Millisecond),
		chromedp.WithPollingTimeout(stepTimeout))); err != nil {
		var got string
		_ = chromedp.Run(b.ctx, chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q)?.textContent || "(no element)"`, sel), &got))
		b.screenshot("failure")
		b.t.Fatalf("waiting for %q in %s: %v; it says %q", text, sel, err, strings.TrimSpace(got))
	}
}

// assertNoNavigation checks that window.__marker, set by the test before an htmx
// action, survived it: a full page load would have dropped it.
func (b *browser) assertNoNavigation() {
	b.t.Helper()
	var marker int
	b.eval(`window.__marker || 0`, &marker)
	if marker != 1 {
		b.screenshot("failure")
		b.t.Fatalf("the page was reloaded (window.__marker is gone): htmx did not swap in place")
	}
}

// eval runs JavaScript in the page and stores its result in out (nil to discard).
func (b *browser) eval(js string, out any) {
	b.t.Helper()
	b.run(chromedp.Evaluate(js, out))
}

// acceptConfirms answers "yes" to every confirmation the current page asks (the app
// asks before irreversible actions); a new page load asks again.
func (b *browser) acceptConfirms() {
	b.t.Helper()
	b.eval(`window.confirm = () => true; true`, nil)
}

// open navigates to a path of the app and waits for its main landmark.
func (b *browser) open(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.base+path), chromedp.WaitReady("main", chromedp.ByQuery))
}

// screenshot saves the page as a numbered PNG in the test's artifact folder.
func (b *browser) screenshot(name string) {
	var png []byte
	if err := chromedp.Run(b.ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.shot++
	file := filepath.Join(b.dir, fmt.Sprintf("%02d-%s.png", b.shot, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Logf("save screenshot: %v", err)
	}
}

// signIn fills the sign-in form like a person would.
func (b *browser) signIn(email, password string) {
	b.t.Helper()
	b.open("/login")
	b.run(
		chromedp.SendKeys("#f-email", email, chromedp.ByQuery),
		chromedp.SendKeys("#f-password", password, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		// Ready, not visible: on a phone the navigation is folded behind the menu button.
		chromedp.WaitReady(`nav#mainnav`, chromedp.ByQuery),
	)
}

// text returns the text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	var s string
	b.run(chromedp.Text(sel, &s, chromedp.ByQuery, chromedp.NodeVisible))
	return strings.TrimSpace(s)
}

// axeViolation is one finding of axe-core.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// checkAccessibility injects axe-core (vendored in testdata, pinned in the Makefile's
// assets target) and fails on serious or critical violations of the current page.
func (b *browser) checkAccessibility(page string) {
	b.t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		b.t.Fatalf("axe-core is missing from the repository (make assets restores it): %v", err)
	}
	started := time.Now()
	defer func() { b.t.Logf("axe on %s: %v", page, time.Since(started).Round(time.Millisecond)) }()
	var raw string
	b.run(
		chromedp.Evaluate(string(src), nil),
		chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, &raw,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	var found []axeViolation
	if err := json.Unmarshal([]byte(raw), &found); err != nil {
		b.t.Fatalf("axe result: %v", err)
	}
	for _, v := range found {
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Errorf("%s: accessibility %s (%s): %s at %v", page, v.ID, v.Impact, v.Help, v.Nodes)
		} else {
			b.t.Logf("%s: accessibility %s (%s, not failing): %s at %v", page, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}
