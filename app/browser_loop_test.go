package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// Acceptance 3 of issue 17: a detractor naming an employee raises that employee's
// bell; on a phone they take the call-back, record a try and finish it.
func TestBrowserEmployeeWorksOwnFollowUpOnPhone(t *testing.T) {
	a := newTestApp(t)
	a.user("ambassador@example.com", ambassador)
	a.user("erik@example.com", "staff")

	amb := newBrowser(t, a, 390, 844)
	amb.signIn("ambassador@example.com", modeltest.Password)
	amb.open("/feedback/new")
	amb.waitFor(`[data-testid="feedback-form"]`)
	amb.click(`label[for="nps-2"]`)
	amb.choose("#f-channel", "phone")
	amb.choose("#f-branch", "north")
	amb.fill("#f-comment", "Erik promised a call about my loan and it never came.")
	amb.fill("#f-employee_email", "erik@example.com")
	amb.click(`[data-testid="feedback-form"] button[name="then"][value="show"]`)
	amb.waitFor(`[data-testid="flash"]`)
	if got := amb.text(`[data-testid="employee"]`); !strings.Contains(got, "erik") {
		t.Errorf("the feedback page names the employee as %q", got)
	}

	b := newBrowser(t, a, 390, 844)
	b.signIn("erik@example.com", modeltest.Password)
	if got := b.text(`[data-testid="bell-count"]`); got != "1" {
		t.Fatalf("Erik's bell shows %q, want 1", got)
	}
	b.screenshot("bell-raised")
	b.click(`[data-testid="bell"]`)
	b.waitFor(`[data-testid="notification"]`)
	b.click(`[data-testid="notification"] a`)
	card := `[data-testid="my-followup"]`
	b.waitFor(card)
	if got := b.text(card + ` blockquote`); !strings.Contains(got, "never came") {
		t.Fatalf("my follow-ups shows %q", got)
	}
	b.checkAccessibility("my follow-ups")
	b.click(card + ` [data-testid="take"]`)
	waitAfterPost(b, `[data-testid="flash"]`, "The call-back is yours.")
	b.click(card + ` [data-testid="tried"]`)
	waitAfterPost(b, `[data-testid="flash"]`, "Try recorded")
	if got := b.text(card + ` [data-testid="tries"]`); !strings.HasPrefix(got, "1 try") {
		t.Errorf("tries shown as %q", got)
	}
	b.screenshot("tried")
	b.click(card + ` [data-testid="done-open"]`)
	b.fill(card+` textarea[name="note"]`, "Reached him on the second call; the loan offer goes out today.")
	b.click(card + ` [data-testid="done"]`)
	waitAfterPost(b, `[data-testid="flash"]`, "ollow")
	b.run(chromedp.WaitNotPresent(card, chromedp.ByQuery))
	b.screenshot("done")

	var fb models.Feedback
	if err := a.store.Reader(context.Background()).Where("nps = ?", 2).First(&fb).Error; err != nil {
		t.Fatal(err)
	}
	st, owner, err := a.store.FollowUpStateOf(context.Background(), fb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fb.FollowedUpAt == nil || st.State != models.FollowUpDone || st.Tries != 1 || owner == nil || owner.Email != "erik@example.com" {
		t.Errorf("followed up %v, state %+v, owner %v", fb.FollowedUpAt, st, owner)
	}
}

// Acceptance 2 of issue 17: the branch page's monthly meeting pack prints on one A4
// page. With SHOTS_DIR set, it also saves the screenshots of "my follow-ups", the bell
// and a branch page, desktop and phone, English and Danish.
func TestBrowserBranchPackPrintsOnOnePage(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	manager(t, a, "mgr@example.com", "north")
	staff := a.user("erik@example.com", "staff")
	amb := a.user("ambassador@example.com", ambassador)
	comments := []string{"Kind and quick advice.", "Waited 40 minutes at the counter.", "The app logged me out twice.",
		"Erik sorted my mortgage in one meeting.", "Fine.", "Nobody called me back about my card."}
	for i, score := range []int{10, 3, 5, 9, 8, 2} {
		n := models.NewFeedback{Channel: "phone", Branch: "north", NPS: &score, Comment: comments[i],
			CustomerName: "Customer", CustomerPhone: "+45 20 30 40 50", Consent: true}
		if score >= 9 || score <= 3 {
			n.EmployeeEmail = staff.Email
		}
		fb, err := a.store.CreateFeedback(ctx, n, amb)
		if err != nil {
			t.Fatal(err)
		}
		if score == 5 {
			cat, _ := a.store.ResolveRef(ctx, models.RefCategories, "communication")
			if _, err := a.store.RecordFollowUp(ctx, fb.ID, models.FollowUp{By: amb, Note: "Called back", RootCauseID: &cat.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}

	b := newBrowser(t, a, 1366, 900)
	b.signIn("mgr@example.com", modeltest.Password)
	b.open("/branches/north/pack")
	b.waitFor(`[data-testid="branch-nps"]`)
	var pdf []byte
	b.run(chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPreferCSSPageSize(true).Do(ctx)
		return err
	}))
	if n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); n != 1 {
		t.Errorf("the meeting pack prints on %d pages, want 1", n)
	}
	b.screenshot("pack")
	b.open("/branches/north")
	b.checkAccessibility("branch page")
	b.open("/notifications")
	b.checkAccessibility("notifications")

	dir := os.Getenv("SHOTS_DIR")
	if dir == "" {
		return
	}
	for _, width := range []int{1366, 390} {
		for _, lang := range []string{"en", "da"} {
			for _, who := range []struct{ email, path, name string }{
				{"erik@example.com", "/my/follow-ups", "my-follow-ups"},
				{"erik@example.com", "/notifications", "bell"},
				{"mgr@example.com", "/branches/north", "branch-page"},
			} {
				if err := a.store.SetLanguage(ctx, mustUser(t, a, who.email).ID, lang); err != nil {
					t.Fatal(err)
				}
				sb := newBrowser(t, a, width, 900)
				sb.signIn(who.email, modeltest.Password)
				sb.open(who.path)
				var png []byte
				sb.run(chromedp.FullScreenshot(&png, 100))
				name := filepath.Join(dir, who.name+"-"+lang+"-"+itoaWidth(width)+".png")
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// waitAfterPost waits, across the page load a plain form post causes, until the
// element matching sel says text.
func waitAfterPost(b *browser, sel, text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(document.querySelector(%q)?.textContent || "").includes(%q)`, sel, text)
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		var ok bool
		ctx, cancel := context.WithTimeout(b.ctx, time.Second)
		err := chromedp.Run(ctx, chromedp.Evaluate(js, &ok))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.screenshot("failure")
	b.t.Fatalf("%q never showed %q", sel, text)
}

func itoaWidth(w int) string {
	if w < 600 {
		return "phone"
	}
	return "desktop"
}
