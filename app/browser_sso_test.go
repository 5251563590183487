package app

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A Norwegian employee signs in through the company's identity provider in a real
// browser: the button on the sign-in page, the provider (a real OpenID provider on a
// local port), back to the app in Norwegian with the mapped role. Someone with no role
// for the app gets a clear page instead. Both pages pass axe.
func TestBrowserSingleSignOnInNorwegian(t *testing.T) {
	a, m := ssoApp(t)
	b := newBrowser(t, a, 1280, 900)
	// The provider sends the browser back to this server.
	a.srv.oidc.cfg.BaseURL = b.base

	b.open("/login")
	b.run(chromedp.Click(`form[action="/lang"] button[value="nb"]`, chromedp.ByQuery),
		chromedp.WaitReady(`html[lang="nb"] [data-testid="sso-button"]`, chromedp.ByQuery))
	if got := b.text(`[data-testid="sso-button"]`); got != "Logg inn med Contoso ID" {
		t.Errorf("button = %q", got)
	}
	b.screenshot("innlogging med enkel paalogging")
	b.checkAccessibility("sign-in with single sign-on")

	m.QueueUser(ssoUser{sub: "entra-7", email: "kari@sparebanken.nb", name: "Kari Nordmann", roles: []string{"Tracker.Steering"}})
	b.run(chromedp.Click(`[data-testid="sso-button"]`, chromedp.ByQuery))
	b.waitAcrossOrigins(`html[lang="nb"] nav#mainnav [data-testid="nav-steering"]`)
	b.screenshot("innlogget")
	var who string
	b.run(chromedp.Evaluate(`document.querySelector(".usermenu span").textContent`, &who))
	if got := who; got != "Kari Nordmann" {
		t.Errorf("signed in as %q", got)
	}

	b.run(chromedp.Click(`form[action="/logout"] button`, chromedp.ByQuery),
		chromedp.WaitReady(`[data-testid="sso-button"]`, chromedp.ByQuery))
	m.QueueUser(ssoUser{sub: "entra-8", email: "ola@sparebanken.nb", name: "Ola", roles: []string{"All-Staff"}})
	b.run(chromedp.Click(`[data-testid="sso-button"]`, chromedp.ByQuery),
		chromedp.WaitReady(`[data-testid="error-page"]`, chromedp.ByQuery))
	b.screenshot("avvist uten rolle")
	if got := b.text(`[data-testid="error-page"]`); !strings.Contains(got, "Innlogging avvist") || !strings.Contains(got, "ingen av gruppene dine") {
		t.Errorf("refusal page: %q", got)
	}
	b.checkAccessibility("single sign-on refused")
}
