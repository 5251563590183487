package app

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/improvementtracker/tracker/models/modeltest"
)

// An admin signs in, creates a user with a mistake and then correctly, and switches
// the language; the pages pass the accessibility check.
func TestBrowserAdminJourney(t *testing.T) {
	a := newTestApp(t)
	a.user("admin@example.com", adminRole)
	b := newBrowser(t, a, 1280, 900)
	b.signIn("admin@example.com", modeltest.Password)
	b.screenshot("home")
	b.checkAccessibility("home")

	b.open("/admin/users")
	b.run(
		chromedp.SendKeys("#f-email", "ambassador@example.com", chromedp.ByQuery),
		chromedp.SendKeys("#f-name", "Aya Ambassador", chromedp.ByQuery),
		chromedp.SendKeys("#f-password", "short", chromedp.ByQuery),
		chromedp.Click(`form[action="/admin/users"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="error-password"]`, chromedp.ByQuery),
	)
	if got := b.text(`[data-testid="error-password"]`); !strings.Contains(got, "12") {
		t.Fatalf("password error: %q", got)
	}
	var name string
	b.run(chromedp.Value("#f-name", &name, chromedp.ByQuery))
	if name != "Aya Ambassador" {
		t.Fatalf("typed name lost: %q", name)
	}
	b.screenshot("user-form-error")
	b.checkAccessibility("users with an error")
	b.run(
		chromedp.SendKeys("#f-password", "a-long-password-1", chromedp.ByQuery),
		chromedp.Click(`form[action="/admin/users"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="flash"]`, chromedp.ByQuery),
	)
	if got := b.text(`[data-testid="flash"]`); !strings.Contains(got, "Aya Ambassador") {
		t.Fatalf("flash: %q", got)
	}
	b.run(
		chromedp.Click(`form[action="/lang"] button[value="da"]`, chromedp.ByQuery),
		chromedp.WaitReady(`html[lang="da"]`, chromedp.ByQuery),
	)
	if got := b.text(`[data-testid="nav-home"]`); got != "Forside" {
		t.Fatalf("after switching to Danish the nav says %q", got)
	}
	b.screenshot("users-danish")
}
