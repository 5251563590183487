package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
)

// feedbackRow inserts one feedback row with the columns triage needs, so these tests
// stand apart from the feedback pages.
func feedbackRow(t *testing.T, a *testApp, nps *int, comment string, loggedBy *models.User, branch string) int64 {
	t.Helper()
	ctx := context.Background()
	ch, err := a.store.ResolveRef(ctx, models.RefChannels, "survey")
	if err != nil {
		t.Fatal(err)
	}
	var branchID, logged *int64
	if branch != "" {
		b, err := a.store.ResolveRef(ctx, models.RefBranches, branch)
		if err != nil {
			t.Fatal(err)
		}
		branchID = &b.ID
	}
	if loggedBy != nil {
		logged = &loggedBy.ID
	}
	var group *string
	if g := models.GroupOf(nps); g != "" {
		gs := string(g)
		group = &gs
	}
	now := time.Now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var id int64
	err = a.store.Writer(ctx).Raw(`INSERT INTO feedback (received_at, received_on, channel_id, branch_id, nps, nps_group,
		comment, logged_by_id, triage_status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?) RETURNING id`,
		now, day, ch.ID, branchID, nps, group, comment, logged, now, now).Scan(&id).Error
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func intp(n int) *int { return &n }

func idPath(id int64, suffix string) string { return fmt.Sprintf("/improvements/%d%s", id, suffix) }

// versionOnPage reads the hidden version input the page's forms carry.
func versionOnPage(t *testing.T, c *client, path string) string {
	t.Helper()
	res := c.get(path)
	if res.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, res.Code)
	}
	v, ok := doc(t, res).Find("input[name=version]").First().Attr("value")
	if !ok {
		t.Fatalf("%s has no version input", path)
	}
	return v
}

// TestTwoBrowsersSameImprovement is acceptance 2: the first change lands, the second,
// based on the same page, is refused with a message and changes nothing.
func TestTwoBrowsersSameImprovement(t *testing.T) {
	a := newTestApp(t)
	st := a.user("st@example.com", steering)
	imp, err := a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Queue at the counter",
		Impact: 4, Effort: models.EffortL}, st)
	if err != nil {
		t.Fatal(err)
	}
	one := a.signIn("st@example.com")
	two := a.signIn("st2@example.com", steering)
	v1, v2 := versionOnPage(t, one, idPath(imp.ID, "")), versionOnPage(t, two, idPath(imp.ID, ""))
	if v1 != "1" || v2 != "1" {
		t.Fatalf("versions %s %s", v1, v2)
	}
	res := one.postForm(idPath(imp.ID, "/transition"), url.Values{"to": {"rejected"}, "version": {v1}, "reason": {"Not now"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("first: %d %s", res.Code, res.Body.String())
	}
	res = two.postForm(idPath(imp.ID, "/transition"), url.Values{"to": {"deferred"}, "version": {v2}, "defer_until": {"2099-01-01"}})
	if res.Code != http.StatusConflict {
		t.Fatalf("second: %d, want 409", res.Code)
	}
	msg := doc(t, res).Find("[data-testid=flash-error]").Text()
	if !strings.Contains(msg, "Someone else changed") {
		t.Fatalf("refusal message %q", msg)
	}
	got, _ := a.store.ImprovementByID(context.Background(), imp.ID)
	if got.Status != models.StatusRejected || got.DeferUntil != nil || got.Version != 2 {
		t.Fatalf("after refusal: %+v", got)
	}
}

// TestFeedbackLinkMergeListsAllOnce is acceptance 3.
func TestFeedbackLinkMergeListsAllOnce(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("st@example.com", steering)
	f1 := feedbackRow(t, a, intp(1), "The app logs me out", nil, "")
	f2 := feedbackRow(t, a, intp(3), "Logged out again", nil, "")
	f3 := feedbackRow(t, a, intp(10), "Love the app, but the logout", nil, "")
	f4 := feedbackRow(t, a, nil, "Session too short", nil, "")
	f5 := feedbackRow(t, a, intp(6), "Timeout while paying", nil, "")

	res := c.get("/triage")
	if n := doc(t, res).Find("[data-testid=triage-row]").Length(); n != 5 {
		t.Fatalf("inbox rows %d", n)
	}
	res = c.get(fmt.Sprintf("/improvements/new?feedback=%d&feedback=%d&feedback=%d", f1, f2, f3))
	if n := doc(t, res).Find("[data-testid=selected-feedback] li").Length(); n != 3 {
		t.Fatalf("selected on the form: %d", n)
	}
	res = c.postForm("/improvements", url.Values{"title": {"Longer sessions in the app"}, "impact": {"4"}, "effort": {"M"},
		"category": {"digital"}, "feedback": {fmt.Sprint(f1), fmt.Sprint(f2), fmt.Sprint(f3)}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/triage" {
		t.Fatalf("create: %d %s", res.Code, res.Header().Get("Location"))
	}
	if flash := c.flashOf(res); !strings.Contains(flash, "Longer sessions") {
		t.Fatalf("flash %q", flash)
	}
	page, err := a.store.ListImprovements(context.Background(), models.ImprovementFilter{}, "", 10)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list: %v %v", page, err)
	}
	main := page.Items[0]
	if main.Track != models.TrackSteering || main.Status != models.StatusReview {
		t.Fatalf("routed %s/%s", main.Track, main.Status)
	}
	res = c.get("/triage/link?q=sessions&feedback=" + fmt.Sprint(f4))
	if n := doc(t, res).Find("[data-testid=link-button]").Length(); n != 1 {
		t.Fatalf("link search hits %d", n)
	}
	res = c.postForm(idPath(main.ID, "/link"), url.Values{"feedback": {fmt.Sprint(f4)}, "next": {"/triage"}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/triage" {
		t.Fatalf("link: %d %s", res.Code, res.Header().Get("Location"))
	}
	other, err := a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Payment timeout",
		Impact: 3, Effort: models.EffortS, FeedbackIDs: []int64{f5, f1}}, a.user("st3@example.com", steering))
	if err != nil {
		t.Fatal(err)
	}
	version := versionOnPage(t, c, idPath(main.ID, ""))
	res = c.postForm(idPath(main.ID, "/merge"), url.Values{"merge_id": {fmt.Sprint(other.ID)}, "direction": {"into_this"}, "version": {version}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != idPath(main.ID, "") {
		t.Fatalf("merge: %d %s %s", res.Code, res.Header().Get("Location"), res.Body.String())
	}
	res = c.get(idPath(main.ID, ""))
	d := doc(t, res)
	seen := map[string]int{}
	d.Find("[data-testid=linked]").Each(func(_ int, q *goquery.Selection) { seen[q.AttrOr("data-id", "")]++ })
	for _, id := range []int64{f1, f2, f3, f4, f5} {
		if seen[fmt.Sprint(id)] != 1 {
			t.Errorf("feedback %d listed %d times", id, seen[fmt.Sprint(id)])
		}
	}
	if len(seen) != 5 {
		t.Errorf("listed %v", seen)
	}
	if tally := d.Find("[data-testid=detractors]").Text(); !strings.Contains(tally, "3 detractors") {
		t.Errorf("detractors %q", tally)
	}
	if d.Find("[data-testid=history-entry]").Length() < 5 {
		t.Errorf("timeline too short")
	}
	res = c.get(idPath(other.ID, ""))
	if res.Code != http.StatusMovedPermanently || res.Header().Get("Location") != idPath(main.ID, "") {
		t.Fatalf("merged address: %d %s", res.Code, res.Header().Get("Location"))
	}
	if n := doc(t, c.get("/triage")).Find("[data-testid=triage-row]").Length(); n != 0 {
		t.Fatalf("inbox after triage: %d rows", n)
	}
}

// TestRolesSeeAndMakeOnlyTheirMoves is acceptance 4.
func TestRolesSeeAndMakeOnlyTheirMoves(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	st := a.user("st@example.com", steering)
	qw := a.user("qw@example.com", quickwin)
	amb := a.user("amb@example.com", ambassador)
	big, _ := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "New branch layout", Impact: 3, Effort: models.EffortXL}, st)
	small, _ := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Typo in letter", Impact: 3, Effort: models.EffortXS}, st)

	body := map[string]any{"to": "in_progress", "version": 1}
	if res := a.api("POST", fmt.Sprintf("/api/v1/improvements/%d/transition", big.ID), a.token(qw),
		map[string]any{"to": "rejected", "version": 1, "reason": "no"}); res.Code != http.StatusForbidden {
		t.Fatalf("quickwin moves a steering item: %d %s", res.Code, res.Body.String())
	}
	if res := a.api("POST", fmt.Sprintf("/api/v1/improvements/%d/transition", big.ID), a.token(amb),
		map[string]any{"to": "approved", "version": 1}); res.Code != http.StatusForbidden {
		t.Fatalf("ambassador approves: %d", res.Code)
	}
	if res := a.api("POST", fmt.Sprintf("/api/v1/improvements/%d/transition", small.ID), a.token(qw), body); res.Code != http.StatusOK {
		t.Fatalf("quickwin starts a quick win: %d %s", res.Code, res.Body.String())
	}
	tests := []struct {
		name    string
		email   string
		id      int64
		buttons int
	}{
		{"quickwin on a steering item", "qw@example.com", big.ID, 0},
		{"ambassador on a steering item", "amb@example.com", big.ID, 0},
		{"ambassador on a quick win", "amb@example.com", small.ID, 0},
		{"steering on a steering item", "st@example.com", big.ID, 3},
		{"quickwin on its own item", "qw@example.com", small.ID, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(t, a.signIn(tt.email).get(idPath(tt.id, "")))
			if n := d.Find("[data-testid=actions] form").Length(); n != tt.buttons {
				t.Fatalf("%d action forms, want %d", n, tt.buttons)
			}
			if tt.buttons == 0 && d.Find("[data-testid=actions]").Length() != 0 {
				t.Fatal("an empty actions section is shown")
			}
		})
	}
	res := a.signIn("qw@example.com").postForm(idPath(big.ID, "/transition"), url.Values{"to": {"rejected"}, "version": {"1"}, "reason": {"x"}})
	if res.Code != http.StatusForbidden {
		t.Fatalf("quickwin posts a steering move: %d", res.Code)
	}
}

func TestTransitionFormNamesMissingFieldsAndRefusedMoves(t *testing.T) {
	a := newTestApp(t)
	st := a.user("st@example.com", steering)
	imp, _ := a.store.CreateImprovement(context.Background(), models.NewImprovement{Title: "Mortgage letters", Impact: 3, Effort: models.EffortL}, st)
	c := a.signIn("st@example.com")
	res := c.postForm(idPath(imp.ID, "/transition"), url.Values{"to": {"approved"}, "version": {"1"}, "target_date": {"2027-02-30"}})
	if res.Code != http.StatusBadRequest {
		t.Fatalf("approve without owner: %d", res.Code)
	}
	d := doc(t, res)
	for _, f := range []string{"owner", "functional_area", "target_date"} {
		if d.Find("[data-testid=error-"+f+"]").Length() == 0 {
			t.Errorf("no message beside %s", f)
		}
	}
	res = c.postForm(idPath(imp.ID, "/transition"), url.Values{"to": {"implemented"}, "version": {"1"}, "note": {"x"}})
	if res.Code != http.StatusConflict || !strings.Contains(doc(t, res).Find("[data-testid=flash-error]").Text(), "Approved") {
		t.Fatalf("review to implemented: %d %q", res.Code, doc(t, res).Find("[data-testid=flash-error]").Text())
	}
	res = c.postForm(idPath(imp.ID, "/transition"), url.Values{"to": {"approved"}, "version": {"1"},
		"owner": {fmt.Sprint(st.ID)}, "functional_area": {"it"}, "target_date": {"2027-03-01"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.Code, res.Body.String())
	}
	got, _ := a.store.ImprovementByID(context.Background(), imp.ID)
	if got.Status != models.StatusApproved || got.FunctionalArea == nil || got.TargetDate == nil {
		t.Fatalf("approved: %+v", got)
	}
}

func TestImprovementAPI(t *testing.T) {
	a := newTestApp(t)
	st := a.user("st@example.com", steering)
	tok := a.token(st)
	fb := feedbackRow(t, a, intp(2), "Too many fees", nil, "")
	res := a.api("POST", "/api/v1/improvements", tok, map[string]any{"title": "Explain fees", "description": "d",
		"category": "Prices and fees", "impact": 4, "effort": "xs", "feedback_ids": []int64{fb},
		"track": "steering", "track_reason": "touches pricing policy"})
	if res.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Code, res.Body.String())
	}
	created := decode[map[string]any](t, res)
	if created["track"] != "steering" || created["suggested_track"] != "quick_win" || created["status"] != "review" ||
		created["priority"] != float64(20) || created["category"] != "prices" || created["detractors"] != float64(1) {
		t.Fatalf("created: %v", created)
	}
	id := int64(created["id"].(float64))
	for _, key := range []string{"id", "title", "description", "category", "impact", "effort", "priority", "track",
		"suggested_track", "track_reason", "status", "owner_email", "assignee_email", "functional_area", "target_date",
		"defer_until", "resolution_note", "reject_reason", "merged_into_id", "implemented_at", "created_at",
		"updated_at", "version", "feedback_ids", "detractors", "promoters"} {
		if _, ok := created[key]; !ok {
			t.Errorf("missing %s", key)
		}
	}
	res = a.api("POST", "/api/v1/improvements", tok, map[string]any{"title": "", "impact": 9, "effort": "XXL"})
	if res.Code != http.StatusBadRequest {
		t.Fatalf("bad create: %d", res.Code)
	}
	if e := decode[apiError](t, res); e.Fields["effort"] == "" {
		t.Fatalf("bad create fields: %+v", e)
	}
	path := fmt.Sprintf("/api/v1/improvements/%d/transition", id)
	res = a.api("POST", path, tok, map[string]any{"to": "implemented", "version": 1, "note": "x"})
	if res.Code != http.StatusConflict || !strings.Contains(decode[apiError](t, res).Error, "allowed: approved, rejected, deferred") {
		t.Fatalf("refused move: %d %s", res.Code, res.Body.String())
	}
	res = a.api("POST", path, tok, map[string]any{"to": "approved", "version": 1})
	if e := decode[apiError](t, res); res.Code != http.StatusBadRequest || e.Fields["owner_email"] == "" || e.Fields["target_date"] == "" {
		t.Fatalf("approve without needs: %d %s", res.Code, res.Body.String())
	}
	res = a.api("POST", path, tok, map[string]any{"to": "approved", "version": 1, "owner_email": "st@example.com",
		"functional_area": "IT and digital", "target_date": "2027-01-31"})
	if res.Code != http.StatusOK {
		t.Fatalf("approve: %d %s", res.Code, res.Body.String())
	}
	approved := decode[map[string]any](t, res)
	if approved["owner_email"] != "st@example.com" || approved["functional_area"] != "it" || approved["target_date"] != "2027-01-31" || approved["version"] != float64(2) {
		t.Fatalf("approved: %v", approved)
	}
	res = a.api("POST", path, tok, map[string]any{"to": "in_progress", "version": 1})
	if res.Code != http.StatusConflict {
		t.Fatalf("stale: %d", res.Code)
	}
	res = a.api("GET", fmt.Sprintf("/api/v1/improvements/%d", id), tok, nil)
	one := decode[map[string]any](t, res)
	hist, _ := one["history"].([]any)
	if res.Code != http.StatusOK || len(hist) < 3 || one["feedback_ids"].([]any)[0] != float64(fb) {
		t.Fatalf("get: %d %v", res.Code, one)
	}
	if h := hist[len(hist)-1].(map[string]any); h["user"] != "st@example.com" || h["from"] != "review" || h["to"] != "approved" {
		t.Fatalf("last history entry: %v", h)
	}
	for i := range 3 {
		a.api("POST", "/api/v1/improvements", tok, map[string]any{"title": fmt.Sprint("Quick ", i), "impact": 5 - i, "effort": "S"})
	}
	var all []any
	cursor := ""
	for range 5 {
		res = a.api("GET", "/api/v1/improvements?limit=2&year="+fmt.Sprint(time.Now().Year())+"&cursor="+url.QueryEscape(cursor), tok, nil)
		page := decode[map[string]any](t, res)
		all = append(all, page["items"].([]any)...)
		cursor, _ = page["next_cursor"].(string)
		if cursor == "" {
			break
		}
	}
	if len(all) != 4 || all[0].(map[string]any)["priority"] != float64(20) {
		t.Fatalf("list pages: %d items, first %v", len(all), all[0])
	}
	res = a.api("GET", "/api/v1/improvements?track=quick_win", tok, nil)
	if items := decode[map[string]any](t, res)["items"].([]any); len(items) != 3 {
		t.Fatalf("track filter: %d", len(items))
	}
	if res = a.api("GET", "/api/v1/improvements?status=nope", tok, nil); res.Code != http.StatusBadRequest {
		t.Fatalf("bad status: %d", res.Code)
	}
}

func TestTriageNoActionAndRouteSuggestion(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	f := feedbackRow(t, a, intp(9), "Thanks for the help", nil, "")
	res := c.get("/triage/no-action?feedback=" + fmt.Sprint(f))
	if doc(t, res).Find("[data-testid=selected-feedback] li").Length() != 1 {
		t.Fatal("confirmation does not show the selection")
	}
	res = c.postForm("/triage/no-action", url.Values{"feedback": {fmt.Sprint(f)}})
	if res.Code != http.StatusBadRequest || doc(t, res).Find("[data-testid=error-reason]").Length() == 0 {
		t.Fatalf("no reason: %d", res.Code)
	}
	res = c.postForm("/triage/no-action", url.Values{"feedback": {fmt.Sprint(f)}, "reason": {"Praise only"}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/triage" {
		t.Fatalf("no action: %d", res.Code)
	}
	if flash := c.flashOf(res); !strings.Contains(flash, "1 feedback item closed") {
		t.Fatalf("flash %q", flash)
	}
	tests := []struct{ effort, want string }{{"XS", "quick-win team"}, {"M", "steering group"}, {"", "Choose an effort"}}
	for _, tt := range tests {
		res := c.get("/improvements/route-suggestion?effort=" + tt.effort)
		if !strings.Contains(res.Body.String(), tt.want) {
			t.Errorf("effort %q: %s", tt.effort, res.Body.String())
		}
	}
	for _, p := range []string{"/improvements", "/improvements/matrix"} {
		if res := c.get(p); res.Code != http.StatusOK {
			t.Errorf("%s: %d", p, res.Code)
		}
	}
}
