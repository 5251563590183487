package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// journeyData is what the journeys create and later journeys look for.
type journeyData struct {
	// triage holds the three reports of one problem; small is the one quick fix.
	triage [3]int64
	small  int64
	// scores are every NPS score given in the journeys, to compute the report's NPS.
	scores []int
}

// The whole way from a customer's words to an implemented improvement, through the real
// UI, one journey after another on one app: the ambassador logs and follows up a
// detractor on a phone, the steering group triages and decides, the quick-win team
// works the board, and the dashboard and report then show the result.
func TestBrowserJourneys(t *testing.T) {
	a := newTestApp(t)
	a.user("ambassador@example.com", ambassador)
	steerer := a.user("steering@example.com", steering)
	a.user("quickwin@example.com", quickwin)
	d := seedJourney(t, a, steerer)

	steps := []struct {
		name string
		run  func(t *testing.T, a *testApp, d *journeyData)
	}{
		{"ambassador follows up a detractor on a phone", journeyAmbassador},
		{"steering member triages, routes and decides", journeySteering},
		{"quick-win member works the board with htmx", journeyQuickWin},
		{"dashboard and report show the result", journeyResults},
	}
	for _, s := range steps {
		// Each journey builds on the one before: after a failure the rest would only
		// repeat it.
		if !t.Run(s.name, func(t *testing.T) { s.run(t, a, d) }) {
			return
		}
	}
}

// seedJourney logs the feedback the steering journey triages; these are not what the
// journeys are about, so they go in through the model.
func seedJourney(t *testing.T, a *testApp, by *models.User) *journeyData {
	t.Helper()
	ctx := context.Background()
	d := &journeyData{}
	add := func(score int, comment string) int64 {
		fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "survey", Branch: "city",
			NPS: &score, Comment: comment}, by)
		if err != nil {
			t.Fatalf("seed feedback: %v", err)
		}
		d.scores = append(d.scores, score)
		return fb.ID
	}
	// No detractors here: the ambassador's journey must find its own in the queue.
	d.triage[0] = add(10, "Great advice, but the queue at the counter took 40 minutes.")
	d.triage[1] = add(9, "Long queue at the counter again, otherwise fine.")
	d.triage[2] = add(9, "The counter queue was long, but the staff were lovely.")
	d.small = add(7, "The welcome e-mail spells the bank's name wrong.")
	return d
}

// 1. An ambassador on a phone logs a detractor, sees when the follow-up is due, finds
// it in the queue and records the call with a goodwill amount.
func journeyAmbassador(t *testing.T, a *testApp, d *journeyData) {
	b := newBrowser(t, a, 390, 844)
	b.signIn("ambassador@example.com", modeltest.Password)
	b.screenshot("home-phone")

	// The navigation is folded behind the menu button on a phone.
	b.click(`label[data-menu-toggle]`)
	b.click(`[data-testid="nav-log"]`)
	b.waitFor(`[data-testid="feedback-form"]`)
	b.click(`label[for="nps-3"]`)
	b.choose("#f-channel", "phone")
	b.fill("#f-comment", "Nobody called back about my card, I had to chase it three times.")
	b.screenshot("log-feedback")
	b.click(`[data-testid="feedback-form"] button[name="then"][value="show"]`)
	b.waitFor(`[data-testid="flash"]`)
	if got := b.text(`[data-testid="flash"]`); !strings.Contains(got, "Follow-up due by") {
		t.Fatalf("after logging a detractor the flash says %q", got)
	}
	d.scores = append(d.scores, 3)
	b.screenshot("feedback-saved")

	b.open("/follow-ups")
	row := `[data-testid="followup"]:has(blockquote)`
	b.waitFor(row)
	if got := b.text(row + ` blockquote`); !strings.Contains(got, "Nobody called back") {
		t.Fatalf("follow-up queue shows %q", got)
	}
	b.screenshot("follow-ups")
	b.click(row + ` summary`)
	b.fill(row+` textarea[name="note"]`, "Called her; the card is on its way and we apologised.")
	b.choose(row+` select[name="root_cause"]`, "communication")
	b.fill(row+` input[name="goodwill_amount"]`, "200")
	b.click(row + ` [data-testid="followup-form"] button[type="submit"]`)
	// htmx swaps the row in place with the recorded follow-up.
	b.waitFor(`[data-testid="followed-up"]`)
	b.screenshot("followed-up")

	var fb models.Feedback
	if err := a.store.Reader(context.Background()).Where("nps = ?", 3).First(&fb).Error; err != nil {
		t.Fatal(err)
	}
	if fb.FollowedUpAt == nil || fb.GoodwillAmount != models.Kroner(200) {
		t.Fatalf("follow-up not stored: followed up %v, goodwill %s", fb.FollowedUpAt, fb.GoodwillAmount)
	}
}

// 2. A steering member makes one improvement of three reports (routed to steering),
// sends a small one to the quick-win board, holds a meeting and approves the first.
func journeySteering(t *testing.T, a *testApp, d *journeyData) {
	b := newBrowser(t, a, 1280, 900)
	b.signIn("steering@example.com", modeltest.Password)

	b.open("/triage")
	b.waitFor(`[data-testid="triage-list"]`)
	b.screenshot("triage")
	for _, id := range d.triage {
		b.click(fmt.Sprintf("#fb-%d", id))
	}
	b.click(`[data-testid="action-new"]`)
	b.waitFor(`[data-testid="new-improvement"]`)
	var selected int
	b.eval(`document.querySelectorAll('[data-testid="selected-feedback"] li').length`, &selected)
	if selected != 3 {
		t.Fatalf("new improvement form carries %d feedback, want 3", selected)
	}
	b.fill("#f-title", "Shorter counter queues")
	b.choose("#f-category", "waiting_time")
	b.choose("#f-impact", "4")
	b.choose("#f-effort", "M")
	b.waitFor(`[data-testid="route-suggestion"]`)
	b.waitText(`[data-testid="route-suggestion"]`, "steering group")
	b.screenshot("new-improvement")
	b.click(`[data-testid="new-improvement"] button[type="submit"]`)
	b.waitFor(`[data-testid="flash"]`)
	if got := b.text(`[data-testid="flash"]`); !strings.Contains(strings.ToLower(got), "steering group") {
		t.Fatalf("flash after creating: %q", got)
	}

	// Back in the inbox: the small one goes to the quick-win team.
	b.click(fmt.Sprintf("#fb-%d", d.small))
	b.click(`[data-testid="action-new"]`)
	b.waitFor(`[data-testid="new-improvement"]`)
	b.fill("#f-title", "Fix the bank's name in the welcome e-mail")
	b.choose("#f-impact", "3")
	b.choose("#f-effort", "XS")
	b.waitText(`[data-testid="route-suggestion"]`, "quick-win team")
	b.click(`[data-testid="new-improvement"] button[type="submit"]`)
	b.waitFor(`[data-testid="flash"]`)
	if got := b.text(`[data-testid="flash"]`); !strings.Contains(strings.ToLower(got), "quick-win team") {
		t.Fatalf("flash after routing the small one: %q", got)
	}

	b.open("/steering")
	b.waitFor(`[data-testid="review-item"]`)
	if got := b.text(`[data-testid="review-queue"]`); !strings.Contains(got, "Shorter counter queues") {
		t.Fatalf("review queue: %q", got)
	}
	b.screenshot("steering")
	b.click(`[data-testid="new-meeting"] button[type="submit"]`)
	b.waitFor(`[data-testid="decisions"]`)
	var itemID string
	b.eval(`document.querySelector('article.agenda-item').id.replace('item-', '')`, &itemID)
	item := "#item-" + itemID
	if got := b.text(item + " h2"); got != "Shorter counter queues" {
		t.Fatalf("agenda item: %q", got)
	}
	b.screenshot("meeting")

	b.click(fmt.Sprintf(`input[name="decision_%s"][value="approved"]`, itemID))
	owner, err := a.store.UserByEmail(context.Background(), "steering@example.com")
	if err != nil {
		t.Fatal(err)
	}
	area, err := a.store.ResolveRef(context.Background(), models.RefFunctionalAreas, "retail")
	if err != nil {
		t.Fatal(err)
	}
	b.choose("#f-owner_"+itemID, fmt.Sprint(owner.ID))
	b.choose("#f-functional_area_"+itemID, fmt.Sprint(area.ID))
	b.choose("#f-target_date_"+itemID, a.store.Today().AddDate(0, 3, 0).Format(time.DateOnly))
	b.fill("#f-rationale_"+itemID, "Three customers in one month; worth a pilot.")
	b.acceptConfirms()
	b.click(`[data-testid="decide-` + itemID + `"]`)
	b.waitFor(item + ` [data-testid="decision"]`)
	if got := b.text(`[data-testid="count-approved"]`); got != "1" {
		t.Fatalf("meeting summary counts %q approved", got)
	}
	b.screenshot("meeting-decided")
}

// 3. A quick-win member claims, starts and finishes the small item; every move is an
// htmx swap of the board, never a new page.
func journeyQuickWin(t *testing.T, a *testApp, d *journeyData) {
	b := newBrowser(t, a, 1280, 900)
	b.signIn("quickwin@example.com", modeltest.Password)
	b.open("/quick-wins")
	card := `[data-testid="column-queued"] [data-testid="card"]`
	b.waitFor(card)
	var id string
	b.eval(`document.querySelector('[data-testid="column-queued"] [data-testid="card"]').dataset.id`, &id)
	card = fmt.Sprintf(`[data-testid="card"][data-id="%s"]`, id)
	if got := b.text(card + ` [data-testid="card-title"]`); got != "Fix the bank's name in the welcome e-mail" {
		t.Fatalf("queued card: %q", got)
	}
	b.screenshot("board")

	// A full page load would drop this marker; an htmx swap keeps it.
	b.eval(`window.__marker = 1`, nil)
	b.click(card + ` [data-testid="move-claim"] button`)
	b.waitFor(card + ` [data-testid="holder"]`)
	b.waitText(`[data-testid="board-flash"]`, "You now hold")
	b.assertNoNavigation()

	b.click(card + ` [data-testid="move-start"] button`)
	b.waitFor(`[data-testid="column-in_progress"] ` + card)
	b.assertNoNavigation()
	b.screenshot("board-in-progress")

	// Finishing needs a resolution note.
	finish := card + ` details:has([data-testid="move-finish"])`
	b.click(finish + ` > summary`)
	b.click(finish + ` [data-testid="move-finish"] button`)
	b.waitFor(card + ` [data-testid="error-note"]`)
	b.assertNoNavigation()
	b.screenshot("finish-needs-note")
	b.fill(finish+` textarea[name="note"]`, "Corrected the name in the e-mail template.")
	b.click(finish + ` [data-testid="move-finish"] button`)
	b.waitFor(`[data-testid="column-implemented"] ` + card)
	b.waitText(`[data-testid="board-flash"]`, "implemented")
	b.assertNoNavigation()
	b.screenshot("board-implemented")
}

// 4. The dashboard counts the implemented quick win against the goal, and this month's
// report shows the NPS of every score given above.
func journeyResults(t *testing.T, a *testApp, d *journeyData) {
	b := newBrowser(t, a, 1280, 900)
	b.signIn("steering@example.com", modeltest.Password)
	b.waitFor(`[data-testid="goal-figure"]`)
	if got := b.text(`[data-testid="goal-figure"]`); got != "1 of 50" {
		t.Fatalf("goal figure: %q, want 1 of 50", got)
	}
	b.screenshot("dashboard")

	var promoters, detractors int
	for _, s := range d.scores {
		switch {
		case s >= 9:
			promoters++
		case s <= 6:
			detractors++
		}
	}
	want := fmt.Sprintf("%.1f", float64(100*(promoters-detractors))/float64(len(d.scores)))
	month := a.store.Today().Format("2006-01")
	b.open("/reports?kind=month&period=" + month)
	b.waitFor(`[data-testid="nps-value"]`)
	if got := b.text(`[data-testid="nps-value"]`); got != want {
		t.Fatalf("report NPS for %s: %q, want %s (scores %v)", month, got, want, d.scores)
	}
	if got := b.text(`[data-testid="responses"]`); !strings.Contains(got, fmt.Sprint(len(d.scores))) {
		t.Fatalf("report responses: %q, want %d", got, len(d.scores))
	}
	b.screenshot("report")
}
