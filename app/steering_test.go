package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// steeringFixture is a steering group with items awaiting review on a fixed clock.
type steeringFixture struct {
	a     *testApp
	chair *models.User
	c     *client
	owner *models.User
	area  int64
	items []*models.Improvement // highest priority first
}

// sgClock is 5 March 2026, 10:00 in Copenhagen.
var sgClock = time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)

func newSteeringFixture(t *testing.T, titles ...string) *steeringFixture {
	t.Helper()
	a := newTestApp(t)
	ctx := context.Background()
	a.store.Now = func() time.Time { return sgClock }
	f := &steeringFixture{a: a}
	f.chair = a.user("chair@example.com", steering)
	f.c = a.signIn("chair@example.com")
	f.owner = a.user("owner@example.com", ambassador)
	area, err := a.store.ResolveRef(ctx, models.RefFunctionalAreas, "it")
	if err != nil {
		t.Fatal(err)
	}
	f.area = area.ID
	for i, title := range titles {
		// Impact falls with each title, so the titles are in priority order.
		imp, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: title, Impact: 5 - i%5,
			Effort: models.EffortL, Track: models.TrackSteering, TrackReason: "policy"}, f.chair)
		if err != nil {
			t.Fatal(err)
		}
		f.items = append(f.items, imp)
	}
	return f
}

// feedbackFor stores a piece of feedback and links it to an improvement.
func (f *steeringFixture) feedbackFor(t *testing.T, imp *models.Improvement, nps int, group, comment string) {
	t.Helper()
	ctx := context.Background()
	ch, _ := f.a.store.ResolveRef(ctx, models.RefChannels, "phone")
	br, _ := f.a.store.ResolveRef(ctx, models.RefBranches, "city")
	day := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	err := f.a.store.Writer(ctx).Exec(`INSERT INTO feedback (received_at, received_on, channel_id, branch_id, nps, nps_group,
		comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		day.Add(9*time.Hour), day, ch.ID, br.ID, nps, group, comment, sgClock, sgClock).Error
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	f.a.store.Reader(ctx).Raw(`SELECT MAX(id) FROM feedback`).Scan(&id)
	if err := f.a.store.LinkFeedback(ctx, imp.ID, []int64{id}, f.chair); err != nil {
		t.Fatal(err)
	}
}

// meeting creates a meeting through the form and returns it as stored.
func (f *steeringFixture) meeting(t *testing.T, title string) *models.Meeting {
	t.Helper()
	res := f.c.postForm("/steering/meetings", url.Values{"held_on": {"2026-03-05"}, "title": {title},
		"attendees": {fmt.Sprint(f.chair.ID)}})
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/steering/meetings/") {
		t.Fatalf("create meeting: %d %s", res.Code, res.Body.String())
	}
	var id int64
	fmt.Sscanf(strings.TrimPrefix(res.Header().Get("Location"), "/steering/meetings/"), "%d", &id)
	m, err := f.a.store.MeetingByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func itemFor(t *testing.T, m *models.Meeting, imp *models.Improvement) int64 {
	t.Helper()
	for _, it := range m.Items {
		if it.ImprovementID == imp.ID {
			return it.ID
		}
	}
	t.Fatalf("%s is not on the agenda", imp.Title)
	return 0
}

func (f *steeringFixture) status(t *testing.T, imp *models.Improvement) models.Status {
	t.Helper()
	got, err := f.a.store.ImprovementByID(context.Background(), imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Status
}

// decide fills the decision fields of one item into a form.
func decide(form url.Values, item int64, fields map[string]string) {
	form.Set(fmt.Sprintf("version_%d", item), "1")
	for k, v := range fields {
		form.Set(fmt.Sprintf("%s_%d", k, item), v)
	}
}

func TestSteeringPageShowsTheReviewQueueWithFeedback(t *testing.T) {
	f := newSteeringFixture(t, "Shorter queues", "Clearer letters")
	f.feedbackFor(t, f.items[1], 3, "detractor", "I could not understand the letter")
	res := f.c.get("/steering")
	if res.Code != http.StatusOK {
		t.Fatalf("steering page: %d", res.Code)
	}
	d := doc(t, res)
	entries := d.Find("[data-testid=review-item]")
	if entries.Length() != 2 || !strings.Contains(entries.First().Text(), "Shorter queues") {
		t.Fatalf("queue not in priority order: %q", entries.Text())
	}
	quote := entries.Eq(1).Find("[data-testid=quote]")
	if !strings.Contains(quote.Text(), "I could not understand the letter") || !strings.Contains(quote.Text(), "City centre") ||
		quote.Find("[data-testid=badge-group]").Text() != "Detractor" {
		t.Fatalf("linked feedback: %q", quote.Text())
	}
	if d.Find("form[data-testid=new-meeting] input[name=attendees]:checked").Length() != 1 {
		t.Fatal("steering members are not offered as attendees")
	}
	if got := d.Find("[data-testid=count-steering]").Text(); got != "2" {
		t.Fatalf("nav badge %q, want 2", got)
	}
	bad := f.c.postForm("/steering/meetings", url.Values{"held_on": {"5/3"}, "title": {"X"}})
	if bad.Code != http.StatusBadRequest {
		t.Fatalf("bad meeting form: %d", bad.Code)
	}
	bd := doc(t, bad)
	if bd.Find("[data-testid=error-held_on]").Length() != 1 || bd.Find("input[name=title]").AttrOr("value", "") != "X" {
		t.Fatalf("bad date not named or title lost")
	}
}

// Acceptance 1: a meeting with four agenda items: approve one, reject one, defer one,
// leave one; each item's status afterwards, and the minutes in HTML and Markdown.
func TestMeetingDecidesFourItemsAndWritesMinutes(t *testing.T) {
	f := newSteeringFixture(t, "New mortgage flow", "Free coffee", "Video meetings", "Longer opening hours")
	approve, reject, deferIt, leave := f.items[0], f.items[1], f.items[2], f.items[3]
	m := f.meeting(t, "March meeting")
	if len(m.Items) != 4 {
		t.Fatalf("agenda has %d items, want 4", len(m.Items))
	}
	page := f.c.get(fmt.Sprintf("/steering/meetings/%d", m.ID))
	if page.Code != http.StatusOK {
		t.Fatalf("meeting page: %d", page.Code)
	}
	if n := doc(t, page).Find("form[data-testid=decisions] .decide").Length(); n != 4 {
		t.Fatalf("%d decision forms, want 4", n)
	}

	form := url.Values{}
	decide(form, itemFor(t, m, approve), map[string]string{"decision": "approved", "owner": fmt.Sprint(f.owner.ID),
		"functional_area": fmt.Sprint(f.area), "target_date": "2026-09-30", "rationale": "Half of all complaints"})
	decide(form, itemFor(t, m, reject), map[string]string{"decision": "rejected", "reason": "Not our core business",
		"rationale": "Costs too much"})
	decide(form, itemFor(t, m, deferIt), map[string]string{"decision": "deferred", "defer_until": "2026-06-01",
		"rationale": "After the new platform"})
	decide(form, itemFor(t, m, leave), map[string]string{"decision": "", "rationale": "not discussed"})
	res := f.c.postForm(fmt.Sprintf("/steering/meetings/%d/decisions", m.ID), form)
	if res.Code != http.StatusSeeOther {
		t.Fatalf("decisions: %d %s", res.Code, res.Body.String())
	}
	if flash := f.c.flashOf(res); flash != "3 decisions recorded." {
		t.Fatalf("flash %q", flash)
	}
	want := map[*models.Improvement]models.Status{approve: models.StatusApproved, reject: models.StatusRejected,
		deferIt: models.StatusDeferred, leave: models.StatusReview}
	for imp, st := range want {
		if got := f.status(t, imp); got != st {
			t.Errorf("%s: %s, want %s", imp.Title, got, st)
		}
	}
	if got := doc(t, f.c.get("/steering")).Find("[data-testid=count-steering]").Text(); got != "1" {
		t.Errorf("review badge after the meeting: %q, want 1", got)
	}
	// The projector page shows the running summary.
	sd := doc(t, f.c.get(fmt.Sprintf("/steering/meetings/%d", m.ID)))
	for id, n := range map[string]string{"count-approved": "1", "count-rejected": "1", "count-deferred": "1", "count-open": "1"} {
		if got := sd.Find("[data-testid=summary] [data-testid=" + id + "]").Text(); got != n {
			t.Errorf("summary %s = %q, want %s", id, got, n)
		}
	}

	if res := f.c.postForm(fmt.Sprintf("/steering/meetings/%d/close", m.ID), nil); res.Code != http.StatusSeeOther {
		t.Fatalf("close: %d", res.Code)
	}
	minutes := f.c.get(fmt.Sprintf("/steering/meetings/%d/minutes", m.ID))
	if minutes.Code != http.StatusOK {
		t.Fatalf("minutes: %d", minutes.Code)
	}
	md := doc(t, minutes)
	if got := md.Find("[data-testid=attendees]").Text(); !strings.Contains(got, "chair") {
		t.Errorf("attendees %q", got)
	}
	decisions := md.Find("[data-testid=minutes-decision]")
	if decisions.Length() != 3 {
		t.Fatalf("%d decisions in the minutes, want 3", decisions.Length())
	}
	text := decisions.Text()
	for _, s := range []string{"New mortgage flow", "Approved", "owner", "IT and digital", "30 Sep 2026", "Half of all complaints",
		"Free coffee", "Rejected", "Not our core business", "Costs too much",
		"Video meetings", "Deferred", "1 Jun 2026", "After the new platform"} {
		if !strings.Contains(text, s) {
			t.Errorf("minutes lack %q: %s", s, text)
		}
	}
	if got := md.Find("[data-testid=not-reached]").Text(); !strings.Contains(got, "Longer opening hours") || strings.Contains(got, "Free coffee") {
		t.Errorf("not reached: %q", got)
	}

	mdRes := f.c.get(fmt.Sprintf("/steering/meetings/%d/minutes.md", m.ID))
	if mdRes.Code != http.StatusOK || !strings.HasPrefix(mdRes.Header().Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(mdRes.Header().Get("Content-Disposition"), "minutes-2026-03-05") ||
		!strings.HasPrefix(mdRes.Header().Get("Content-Type"), "text/markdown") {
		t.Fatalf("markdown download: %d %v", mdRes.Code, mdRes.Header())
	}
	body := mdRes.Body.String()
	for _, s := range []string{"# Minutes: March meeting", "- Attendees: chair", "**New mortgage flow**", ": Approved",
		"Owner: owner", "Target date: 30 Sep 2026", "Rationale: Half of all complaints", "**Free coffee**", ": Rejected",
		"Reason: Not our core business", "**Video meetings**", ": Deferred", "Back in review on: 1 Jun 2026",
		"## Not reached\n\n- Longer opening hours"} {
		if !strings.Contains(body, s) {
			t.Errorf("markdown lacks %q:\n%s", s, body)
		}
	}
}

// Acceptance 3: approving without an owner and rejecting without a reason are refused
// with the field named; the other decisions of the post are applied, and every typed
// value comes back.
func TestRefusedDecisionsKeepTheRest(t *testing.T) {
	f := newSteeringFixture(t, "No owner", "No reason", "Fine deferral", "Untouched")
	noOwner, noReason, fine, untouched := f.items[0], f.items[1], f.items[2], f.items[3]
	m := f.meeting(t, "")
	iOwner, iReason, iFine, iUntouched := itemFor(t, m, noOwner), itemFor(t, m, noReason), itemFor(t, m, fine), itemFor(t, m, untouched)
	form := url.Values{}
	decide(form, iOwner, map[string]string{"decision": "approved", "functional_area": fmt.Sprint(f.area),
		"target_date": "2026-10-01", "rationale": "Top of the list"})
	decide(form, iReason, map[string]string{"decision": "rejected", "reason": " ", "rationale": "We said no"})
	decide(form, iFine, map[string]string{"decision": "deferred", "defer_until": "2026-05-01", "rationale": "Budget"})
	decide(form, iUntouched, map[string]string{"rationale": "typed but undecided"})
	res := f.c.postForm(fmt.Sprintf("/steering/meetings/%d/decisions", m.ID), form)
	if res.Code != http.StatusBadRequest {
		t.Fatalf("decisions with problems: %d, want 400", res.Code)
	}
	d := doc(t, res)
	for _, field := range []string{fmt.Sprintf("owner_%d", iOwner), fmt.Sprintf("reason_%d", iReason)} {
		if d.Find("[data-testid=error-"+field+"]").Length() != 1 {
			t.Errorf("field %s not named", field)
		}
	}
	if d.Find("[data-testid^=error-]").Length() != 2 {
		t.Errorf("other fields named too: %q", d.Find("[data-testid^=error-]").Text())
	}
	// The refused and untouched items keep everything typed.
	kept := map[string]string{
		fmt.Sprintf("select[name=functional_area_%d] option[selected]", iOwner): fmt.Sprint(f.area),
		fmt.Sprintf("input[name=target_date_%d]", iOwner):                       "2026-10-01",
		fmt.Sprintf("input[name=decision_%d][checked]", iOwner):                 "approved",
		fmt.Sprintf("input[name=decision_%d][checked]", iReason):                "rejected",
	}
	for sel, want := range kept {
		if got := d.Find(sel).AttrOr("value", ""); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	texts := map[string]string{
		fmt.Sprintf("textarea[name=rationale_%d]", iOwner):     "Top of the list",
		fmt.Sprintf("textarea[name=rationale_%d]", iReason):    "We said no",
		fmt.Sprintf("textarea[name=rationale_%d]", iUntouched): "typed but undecided",
	}
	for sel, want := range texts {
		if got := d.Find(sel).Text(); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	// The page says which decisions were applied, and they were.
	applied := d.Find("[data-testid=applied]")
	if applied.Find(fmt.Sprintf("[data-testid=applied-%d]", iFine)).Length() != 1 || applied.Find("li").Length() != 1 {
		t.Errorf("applied list: %q", applied.Text())
	}
	if d.Find("[data-testid=not-applied]").Length() != 1 {
		t.Error("the page does not say that some decisions were not recorded")
	}
	want := map[*models.Improvement]models.Status{noOwner: models.StatusReview, noReason: models.StatusReview,
		fine: models.StatusDeferred, untouched: models.StatusReview}
	for imp, st := range want {
		if got := f.status(t, imp); got != st {
			t.Errorf("%s: %s, want %s", imp.Title, got, st)
		}
	}

	// Correcting and sending again records the rest.
	form.Set(fmt.Sprintf("owner_%d", iOwner), fmt.Sprint(f.owner.ID))
	form.Set(fmt.Sprintf("reason_%d", iReason), "Out of scope")
	form.Del(fmt.Sprintf("decision_%d", iFine))
	res = f.c.postForm(fmt.Sprintf("/steering/meetings/%d/decisions", m.ID), form)
	if res.Code != http.StatusSeeOther {
		t.Fatalf("corrected decisions: %d", res.Code)
	}
	if f.status(t, noOwner) != models.StatusApproved || f.status(t, noReason) != models.StatusRejected {
		t.Fatal("corrected decisions not applied")
	}
	// A stale version is refused by name, not lost silently.
	m2 := f.meeting(t, "Second")
	stale := url.Values{}
	decide(stale, itemFor(t, m2, untouched), map[string]string{"decision": "rejected", "reason": "x"})
	stale.Set(fmt.Sprintf("version_%d", itemFor(t, m2, untouched)), "9")
	res = f.c.postForm(fmt.Sprintf("/steering/meetings/%d/decisions", m2.ID), stale)
	if res.Code != http.StatusBadRequest || doc(t, res).Find(fmt.Sprintf("[data-testid=error-decision_%d]", itemFor(t, m2, untouched))).Length() != 1 {
		t.Fatalf("stale decision: %d", res.Code)
	}
}

func TestSingleItemDecisionAndAgendaEditing(t *testing.T) {
	f := newSteeringFixture(t, "First", "Second", "Third")
	m := f.meeting(t, "")
	base := fmt.Sprintf("/steering/meetings/%d", m.ID)
	first, second, third := itemFor(t, m, f.items[0]), itemFor(t, m, f.items[1]), itemFor(t, m, f.items[2])

	// Reorder and trim.
	if res := f.c.postForm(fmt.Sprintf("%s/items/%d/move?dir=up", base, third), nil); res.Code != http.StatusSeeOther {
		t.Fatalf("move: %d", res.Code)
	}
	if res := f.c.postForm(fmt.Sprintf("%s/items/%d/remove", base, first), nil); res.Code != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.Code)
	}
	got, _ := f.a.store.MeetingByID(context.Background(), m.ID)
	if len(got.Items) != 2 || got.Items[0].ID != third || got.Items[1].ID != second {
		t.Fatalf("agenda after move and remove: %+v", got.Items)
	}
	// The removed item is still in review and a refresh brings it back.
	if res := f.c.postForm(base+"/refresh", nil); res.Code != http.StatusSeeOther || f.c.flashOf(res) != "1 item added to the agenda." {
		t.Fatalf("refresh: %d", res.Code)
	}

	// One item at a time: a missing date is named, the item stays open.
	focus := doc(t, f.c.get(fmt.Sprintf("%s?item=%d", base, third)))
	if focus.Find(".agenda-item").Length() != 1 {
		t.Fatalf("focus view shows %d items", focus.Find(".agenda-item").Length())
	}
	form := url.Values{"focus": {"1"}}
	decide(form, third, map[string]string{"decision": "deferred", "rationale": "later"})
	res := f.c.postForm(fmt.Sprintf("%s/items/%d/decide", base, third), form)
	if res.Code != http.StatusBadRequest || doc(t, res).Find(fmt.Sprintf("[data-testid=error-defer_until_%d]", third)).Length() != 1 {
		t.Fatalf("defer without a date: %d", res.Code)
	}
	form.Set(fmt.Sprintf("defer_until_%d", third), "2026-04-01")
	res = f.c.postForm(fmt.Sprintf("%s/items/%d/decide", base, third), form)
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != fmt.Sprintf("%s?item=%d", base, second) {
		t.Fatalf("decide one: %d %s", res.Code, res.Header().Get("Location"))
	}
	if f.status(t, f.items[2]) != models.StatusDeferred {
		t.Fatal("single decision not applied")
	}
	// A decided item cannot be decided again, nor removed.
	res = f.c.postForm(fmt.Sprintf("%s/items/%d/decide", base, third), form)
	if res.Code != http.StatusBadRequest {
		t.Fatalf("decide twice: %d", res.Code)
	}
	if res := f.c.postForm(fmt.Sprintf("%s/items/%d/remove", base, third), nil); res.Code != http.StatusConflict {
		t.Fatalf("remove a decided item: %d", res.Code)
	}
	// After closing, the meeting takes no more decisions.
	if res := f.c.postForm(base+"/close", nil); res.Code != http.StatusSeeOther {
		t.Fatalf("close: %d", res.Code)
	}
	if res := f.c.postForm(base+"/decisions", url.Values{}); res.Code != http.StatusConflict {
		t.Fatalf("decide in a closed meeting: %d", res.Code)
	}
}

// Acceptance 2: with an injected clock, a deferred item returns to review when its
// date comes (and not before), through the background job, and joins the next agenda.
func TestDeferredItemReturnsToReviewByTheJob(t *testing.T) {
	f := newSteeringFixture(t, "Come back later")
	imp := f.items[0]
	m := f.meeting(t, "")
	form := url.Values{}
	decide(form, itemFor(t, m, imp), map[string]string{"decision": "deferred", "defer_until": "2026-04-01"})
	if res := f.c.postForm(fmt.Sprintf("/steering/meetings/%d/decisions", m.ID), form); res.Code != http.StatusSeeOther {
		t.Fatalf("defer: %d", res.Code)
	}
	var job Job
	for _, j := range f.a.srv.jobs() {
		if j.Name == returnDeferredJob {
			job = j
		}
	}
	if job.Run == nil {
		t.Fatal("no job returns deferred items")
	}
	clock := sgClock
	f.a.store.Now = func() time.Time { return clock }
	steps := []struct {
		name string
		at   time.Time
		want models.Status
	}{
		{"the evening before (Copenhagen)", time.Date(2026, 3, 31, 21, 30, 0, 0, time.UTC), models.StatusDeferred},
		{"the morning of the date", time.Date(2026, 4, 1, 6, 0, 0, 0, time.UTC), models.StatusReview},
	}
	for _, step := range steps {
		clock = step.at
		if !f.a.srv.RunJobOnce(context.Background(), "test", job) {
			t.Fatalf("%s: job did not run", step.name)
		}
		if got := f.status(t, imp); got != step.want {
			t.Fatalf("%s: %s, want %s", step.name, got, step.want)
		}
	}
	hist, _ := f.a.store.History(context.Background(), "improvement", imp.ID)
	if last := hist[len(hist)-1]; last.Action != "return_to_review" || last.UserID != nil {
		t.Fatalf("history: %+v", last)
	}
	next := f.meeting(t, "April")
	if len(next.Items) != 1 || next.Items[0].ImprovementID != imp.ID {
		t.Fatalf("returned item not on the next agenda: %+v", next.Items)
	}
}

// The page, the API and a meeting read a transition through one request: the same bad
// approval is refused the same way by all three, field by field, and nothing moves.
func TestOneTransitionParserForPageAPIAndMeeting(t *testing.T) {
	f := newSteeringFixture(t, "Open on Saturdays")
	imp := f.items[0]
	bad := map[string]string{"owner": "999999", "target_date": "5/3"}

	page := f.c.postForm(fmt.Sprintf("/improvements/%d/transition", imp.ID), url.Values{"to": {"approved"}, "version": {"1"},
		"owner": {bad["owner"]}, "functional_area": {"it"}, "target_date": {bad["target_date"]}})
	pd := doc(t, page)
	if page.Code != http.StatusBadRequest || pd.Find("[data-testid=error-owner]").Length() != 1 ||
		pd.Find("[data-testid=error-target_date]").Length() != 1 {
		t.Fatalf("page: %d, errors owner %d target_date %d", page.Code, pd.Find("[data-testid=error-owner]").Length(),
			pd.Find("[data-testid=error-target_date]").Length())
	}

	res := f.a.api("POST", fmt.Sprintf("/api/v1/improvements/%d/transition", imp.ID), f.a.token(f.chair),
		map[string]any{"to": "approved", "version": 1, "owner_email": "nobody@example.com", "functional_area": "it",
			"target_date": bad["target_date"]})
	body := res.Body.String()
	if res.Code != http.StatusBadRequest || !strings.Contains(body, `"owner_email":"unknown_user"`) ||
		!strings.Contains(body, `"target_date":"invalid_date"`) {
		t.Fatalf("API: %d %s", res.Code, body)
	}

	m := f.meeting(t, "Weekly")
	item := itemFor(t, m, imp)
	form := url.Values{}
	decide(form, item, map[string]string{"decision": "approved", "owner": bad["owner"], "functional_area": fmt.Sprint(f.area),
		"target_date": bad["target_date"]})
	res = f.c.postForm(fmt.Sprintf("/steering/meetings/%d/items/%d/decide", m.ID, item), form)
	md := doc(t, res)
	if res.Code != http.StatusBadRequest || md.Find(fmt.Sprintf("[data-testid=error-owner_%d]", item)).Length() != 1 ||
		md.Find(fmt.Sprintf("[data-testid=error-target_date_%d]", item)).Length() != 1 {
		t.Fatalf("meeting: %d", res.Code)
	}
	if got, _ := f.a.store.ImprovementByID(context.Background(), imp.ID); got.Status != models.StatusReview {
		t.Fatalf("status %s after three refused approvals, want review", got.Status)
	}
}
