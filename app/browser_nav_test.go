package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// navRowJS measures the top bar: whether its navigation entries, the brand and the
// user's menu sit on one row (their vertical centres within a few pixels of each
// other; a second row is a line height below), and whether the page became wider than
// the screen.
const navRowJS = `(() => {
	const cs = [];
	document.querySelectorAll('nav#mainnav > a, nav#mainnav > details > summary, .usermenu, .topbar .brand').forEach(el => {
		const r = el.getBoundingClientRect();
		if (r.width > 0) cs.push(r.top + r.height / 2);
	});
	const spread = Math.max(...cs) - Math.min(...cs);
	return (spread < 12 ? "1" : "2+") + ":" + (document.documentElement.scrollWidth > window.innerWidth);
})()`

// At a laptop's 1366 px the top navigation keeps to one row for a user holding several
// roles (steering and ambassador; an admin with both; an admin alone; a steering
// member alone), in English, Danish and Norwegian, with work counts in the badges.
// The links that do not fit fold under "More", which opens without JavaScript; on a
// phone without JavaScript the menu opens and lists the folded links with the rest.
func TestNavigationKeepsToOneRowForSeveralRoles(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	amb := a.user("amb@example.com", ambassador)
	st := a.user("steer@example.com", steering)
	// Work behind every badge, with two-digit counts where they can be.
	for i := range 12 {
		if _, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Branch: "north", NPS: score(i % 4), Comment: fmt.Sprintf("Ventetid %d", i)}, amb); err != nil {
			t.Fatal(err)
		}
	}
	for i, effort := range []models.Effort{models.EffortXS, models.EffortXL} {
		if _, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: fmt.Sprintf("Item %d", i), Impact: 3, Effort: effort}, st); err != nil {
			t.Fatal(err)
		}
	}
	users := []struct {
		email string
		roles []string
	}{
		{"both@example.com", []string{steering, ambassador}},
		{"all@example.com", []string{adminRole, steering, ambassador}},
		{"admin@example.com", []string{adminRole}},
		{"steer2@example.com", []string{steering}},
	}
	for _, u := range users {
		user := a.user(u.email, u.roles...)
		for _, lang := range []string{"en", "da", "nb"} {
			if err := a.store.SetLanguage(ctx, user.ID, lang); err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, a, 1366, 768)
			b.signIn(u.email, modeltest.Password)
			for _, path := range []string{"/", "/reports"} {
				b.open(path)
				var got string
				b.eval(navRowJS, &got)
				if got != "1:false" {
					b.screenshot("nav " + u.email + " " + lang)
					t.Errorf("%s (%s) in %s on %s: rows:wider = %s, want one row (1:false)", u.email, strings.Join(u.roles, "+"), lang, path, got)
				}
			}
			if u.email == "all@example.com" {
				// The folded links are reached through "More", and the current one marks it.
				b.click(`[data-testid="nav-more"] summary`)
				b.waitFor(`[data-testid="nav-more"][open] [data-testid="nav-admin"]`)
				b.click(`[data-testid="nav-more"] [data-testid="nav-admin"]`)
				b.waitFor(`[data-testid="nav-more"] summary.current`)
			}
		}
	}

	// A phone without JavaScript: the menu button opens the list, folded links included.
	phone := newBrowser(t, a, 390, 844)
	phone.run(emulation.SetScriptExecutionDisabled(true))
	phone.signIn("all@example.com", modeltest.Password)
	phone.open("/")
	phone.click(`label[data-menu-toggle]`)
	for _, key := range []string{"steering", "admin", "reports", "yousaid"} {
		var visible bool
		phone.run(chromedp.Evaluate(fmt.Sprintf(`(() => { const e = document.querySelector('[data-testid="nav-%s"]'); const r = e && e.getBoundingClientRect(); return !!r && r.width > 0 && r.height > 0; })()`, key), &visible))
		if !visible {
			phone.screenshot("phone menu")
			t.Errorf("on a phone without JavaScript the menu does not show %s", key)
		}
	}
}
