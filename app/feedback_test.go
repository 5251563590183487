package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
)

func TestFeedbackFormKeepsInputAndNamesEveryProblem(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	form := url.Values{"nps": {"11"}, "channel": {""}, "comment": {"The app logged me out twice"},
		"branch": {"north"}, "segment": {"business"}, "customer_name": {"Karen Holm"}, "customer_email": {"karen@example.dk"},
		"consent": {"true"}, "received_at": {"2026-03-02T09:15"}}
	res := c.postForm("/feedback/new", form)
	if res.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", res.Code)
	}
	d := doc(t, res)
	for _, field := range []string{"nps", "channel"} {
		if d.Find("[data-testid=error-"+field+"]").Length() != 1 {
			t.Errorf("no error shown beside %s", field)
		}
	}
	if got := d.Find("textarea[name=comment]").Text(); got != "The app logged me out twice" {
		t.Errorf("comment not kept: %q", got)
	}
	checks := map[string]string{
		"select[name=branch] option[selected]":  "north",
		"select[name=segment] option[selected]": "business",
		"input[name=customer_name]":             "Karen Holm",
		"input[name=customer_email]":            "karen@example.dk",
		"input[name=received_at]":               "2026-03-02T09:15",
	}
	for sel, want := range checks {
		if got, _ := d.Find(sel).Attr("value"); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if _, ok := d.Find("input[name=consent]").Attr("checked"); !ok {
		t.Error("consent not kept")
	}
	if d.Find(".nps input[type=radio]").Length() != 11 || d.Find(".nps label.detractor").Length() != 7 ||
		d.Find(".nps label.passive").Length() != 2 || d.Find(".nps label.promoter").Length() != 2 {
		t.Error("the score is not eleven buttons coloured by group")
	}
}

func TestFeedbackFormSavesAndRemembersChannelAndBranch(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	res := c.postForm("/feedback/new", url.Values{"nps": {"3"}, "channel": {"phone"}, "branch": {"south"},
		"comment": {"Nobody called back"}, "then": {"another"}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/feedback/new" {
		t.Fatalf("status %d to %q, want 303 to /feedback/new", res.Code, res.Header().Get("Location"))
	}
	if flash := c.flashOf(res); !strings.Contains(flash, "Follow-up due by") {
		t.Errorf("flash %q does not say when the follow-up is due", flash)
	}
	d := doc(t, c.get("/feedback/new"))
	if v, _ := d.Find("select[name=channel] option[selected]").Attr("value"); v != "phone" {
		t.Errorf("channel not pre-filled: %q", v)
	}
	if v, _ := d.Find("select[name=branch] option[selected]").Attr("value"); v != "south" {
		t.Errorf("branch not pre-filled: %q", v)
	}
	res = c.postForm("/feedback/new", url.Values{"nps": {"10"}, "channel": {"phone"}, "comment": {"Great"}, "then": {"show"}})
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/feedback/") {
		t.Fatalf("save: %d %q", res.Code, res.Header().Get("Location"))
	}
	page := c.get(res.Header().Get("Location"))
	if page.Code != http.StatusOK || !strings.Contains(doc(t, page).Find("[data-testid=comment]").Text(), "Great") {
		t.Errorf("detail page: %d", page.Code)
	}
	if res := c.get("/follow-ups"); res.Code != http.StatusOK || doc(t, res).Find("[data-testid=followup]").Length() != 1 {
		t.Errorf("follow-up queue: %d", res.Code)
	}
}

type apiFeedbackJSON struct {
	ID             int64      `json:"id"`
	ReceivedAt     time.Time  `json:"received_at"`
	Channel        string     `json:"channel"`
	Branch         *string    `json:"branch"`
	NPS            *int       `json:"nps"`
	NPSGroup       *string    `json:"nps_group"`
	FollowUpDueAt  *time.Time `json:"follow_up_due_at"`
	FollowedUpAt   *time.Time `json:"followed_up_at"`
	ImprovementIDs []int64    `json:"improvement_ids"`
}

type apiListJSON struct {
	Items      []apiFeedbackJSON `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

func TestFeedbackAPIDetractorFollowUp(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	tok := a.token(amb)
	received := time.Now().UTC().Add(-30 * time.Hour).Truncate(time.Second)
	res := a.api("POST", "/api/v1/feedback", tok, map[string]any{"received_at": received.Format(time.RFC3339),
		"channel": "Phone", "branch": "north", "nps": 2, "comment": "Waited an hour", "segment": "private"})
	if res.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	created := decode[apiFeedbackJSON](t, res)
	if created.Channel != "phone" || created.Branch == nil || *created.Branch != "north" || created.NPSGroup == nil || *created.NPSGroup != "detractor" {
		t.Errorf("created %+v", created)
	}
	got := decode[apiFeedbackJSON](t, a.api("GET", fmt.Sprintf("/api/v1/feedback/%d", created.ID), tok, nil))
	if got.FollowUpDueAt == nil || !got.FollowUpDueAt.Equal(got.ReceivedAt.Add(24*time.Hour)) || !got.ReceivedAt.Equal(received) {
		t.Errorf("received %v, due %v: want due 24 hours after receipt", got.ReceivedAt, got.FollowUpDueAt)
	}
	if got.ImprovementIDs == nil {
		t.Error("improvement_ids missing")
	}
	overdue := decode[apiListJSON](t, a.api("GET", "/api/v1/feedback?overdue=true", tok, nil))
	if len(overdue.Items) != 1 || overdue.Items[0].ID != created.ID {
		t.Fatalf("overdue before the follow-up: %+v", overdue)
	}
	res = a.api("POST", fmt.Sprintf("/api/v1/feedback/%d/follow-up", created.ID), tok, map[string]any{"note": "Called and apologised", "goodwill_amount": 100})
	if res.Code != http.StatusOK {
		t.Fatalf("follow-up: %d %s", res.Code, res.Body)
	}
	if fu := decode[apiFeedbackJSON](t, res); fu.FollowedUpAt == nil {
		t.Error("followed_up_at not set")
	}
	overdue = decode[apiListJSON](t, a.api("GET", "/api/v1/feedback?overdue=true", tok, nil))
	if len(overdue.Items) != 0 || overdue.NextCursor != nil {
		t.Errorf("overdue after the follow-up: %+v", overdue)
	}
	if res := a.api("POST", fmt.Sprintf("/api/v1/feedback/%d/follow-up", created.ID), tok, map[string]any{"note": "again"}); res.Code != http.StatusConflict {
		t.Errorf("second follow-up: %d, want 409", res.Code)
	}
}

func TestFeedbackAPIRejectsBadInputByField(t *testing.T) {
	a := newTestApp(t)
	tok := a.token(a.user("amb@example.com", ambassador))
	tests := []struct {
		name   string
		body   any
		fields []string
	}{
		{"nps out of range", map[string]any{"channel": "web", "nps": 11, "comment": "x"}, []string{"nps"}},
		{"nps not a whole number", map[string]any{"channel": "web", "nps": 7.5, "comment": "x"}, []string{"nps"}},
		{"nps a string", map[string]any{"channel": "web", "nps": "7", "comment": "x"}, []string{"nps"}},
		{"no channel, bad date", map[string]any{"received_at": "yesterday", "comment": "x"}, []string{"channel", "received_at"}},
		{"unknown channel", map[string]any{"channel": "telegraph", "comment": "x"}, []string{"channel"}},
		{"neither comment nor nps", map[string]any{"channel": "web", "nps": nil}, []string{"comment"}},
		{"channel not text", map[string]any{"channel": 5, "comment": "x"}, []string{"channel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.api("POST", "/api/v1/feedback", tok, tt.body)
			if res.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", res.Code, res.Body)
			}
			body := decode[apiError](t, res)
			for _, f := range tt.fields {
				if body.Fields[f] == "" {
					t.Errorf("fields.%s missing in %s", f, res.Body)
				}
			}
		})
	}
	if res := a.api("POST", "/api/v1/feedback", tok, map[string]any{"channel": "web", "nps": nil, "comment": "no score"}); res.Code != http.StatusCreated {
		t.Errorf("null nps: %d %s", res.Code, res.Body)
	}
	for _, q := range []string{"limit=abc", "cursor=!!", "nps_group=grumpy", "from=31-12-2026", "channel=telegraph"} {
		if res := a.api("GET", "/api/v1/feedback?"+q, tok, nil); res.Code != http.StatusBadRequest {
			t.Errorf("GET ?%s: %d, want 400", q, res.Code)
		}
	}
}

func TestFeedbackAPIPagesEveryRowOnce(t *testing.T) {
	a := newTestApp(t)
	amb := a.user("amb@example.com", ambassador)
	tok := a.token(amb)
	base := time.Now().UTC().Add(-10 * 24 * time.Hour).Truncate(time.Second)
	for i := range 7 {
		// Pairs share a time: the id breaks the tie.
		at := base.Add(time.Duration(i/2) * time.Hour)
		if res := a.api("POST", "/api/v1/feedback", tok, map[string]any{"received_at": at.Format(time.RFC3339), "channel": "web",
			"nps": i, "comment": fmt.Sprintf("row %d", i)}); res.Code != http.StatusCreated {
			t.Fatalf("create %d: %d", i, res.Code)
		}
	}
	seen := map[int64]bool{}
	path := "/api/v1/feedback?limit=3"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		page := decode[apiListJSON](t, a.api("GET", path, tok, nil))
		for _, it := range page.Items {
			if seen[it.ID] {
				t.Errorf("%d returned twice", it.ID)
			}
			seen[it.ID] = true
		}
		if page.NextCursor == nil {
			break
		}
		path = "/api/v1/feedback?limit=3&cursor=" + url.QueryEscape(*page.NextCursor)
	}
	if len(seen) != 7 {
		t.Errorf("saw %d rows, want 7", len(seen))
	}
	from := base.In(a.store.Location).Format("2006-01-02")
	to := base.Add(4 * time.Hour).In(a.store.Location).Format("2006-01-02")
	list := decode[apiListJSON](t, a.api("GET", "/api/v1/feedback?nps_group=detractor&q=row&channel=Website&from="+from+"&to="+to, tok, nil))
	if len(list.Items) != 7 {
		t.Errorf("filtered: %d items, want 7", len(list.Items))
	}
	list = decode[apiListJSON](t, a.api("GET", "/api/v1/feedback?nps_group=promoter", tok, nil))
	if len(list.Items) != 0 || list.Items == nil {
		t.Errorf("no promoters: %+v", list)
	}
}

// upload posts a CSV file to the import page the way a browser form does.
func (c *client) upload(path, name, content string, fields url.Values) *httptest.ResponseRecorder {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	_ = w.WriteField("_csrf", c.csrf())
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

const webImportCSV = "\xEF\xBB\xBFexternal_id,received_at,channel,nps,comment\r\n" +
	"w-1,2026-03-02,survey,9,\"Two\r\nlines\"\r\n" +
	"w-2,2026-03-02,survey,11,Too high\r\n" +
	"w-3,not a date,survey,5,Bad date\r\n" +
	"w-4,2026-03-03,telegraph,5,Unknown channel\r\n" +
	"w-5,2026-03-03,survey,,\r\n" +
	"w-1,2026-03-03,survey,8,Repeated\r\n"

func TestFeedbackImportPage(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	if res := c.get("/feedback/import"); res.Code != http.StatusOK {
		t.Fatalf("form: %d", res.Code)
	}
	res := c.upload("/feedback/import", "survey.csv", webImportCSV, nil)
	if res.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", res.Code, res.Body)
	}
	d := doc(t, res)
	var lines []string
	d.Find("[data-testid=rejected-row] td:first-child").Each(func(_ int, s *goquery.Selection) { lines = append(lines, s.Text()) })
	if strings.Join(lines, ",") != "4,5,6,7,8" || !strings.Contains(d.Find("[data-testid=created]").Text(), "1") {
		t.Errorf("rejected lines %v, created %q", lines, d.Find("[data-testid=created]").Text())
	}
	again := doc(t, c.upload("/feedback/import", "survey.csv", webImportCSV, nil))
	if !strings.Contains(again.Find("[data-testid=created]").Text(), "0") || !strings.Contains(again.Find("[data-testid=skipped]").Text(), "1") {
		t.Errorf("second upload: %q %q", again.Find("[data-testid=created]").Text(), again.Find("[data-testid=skipped]").Text())
	}
	if res := c.upload("/feedback/import", "bad.csv", "just,some,columns\n", nil); res.Code != http.StatusBadRequest {
		t.Errorf("bad file: %d, want 400", res.Code)
	}
}

func TestFeedbackListFiltersSearchAndExport(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("steer@example.com", steering)
	ctx := context.Background()
	now := time.Now()
	for i, in := range []models.NewFeedback{
		{Channel: "web", NPS: fbScore(2), Comment: "Login fails on the app", ReceivedAt: now.Add(-50 * time.Hour)},
		{Channel: "phone", NPS: fbScore(9), Comment: "Friendly advisor", ReceivedAt: now.Add(-3 * time.Hour)},
		{Channel: "web", NPS: fbScore(10), Comment: "=HYPERLINK(\"x\") the app is great", ReceivedAt: now.Add(-2 * time.Hour)},
	} {
		if _, err := a.store.CreateFeedback(ctx, in, nil); err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
	}
	res := c.get("/feedback?channel=web&q=app")
	if res.Code != http.StatusOK {
		t.Fatalf("list: %d", res.Code)
	}
	d := doc(t, res)
	if n := d.Find("[data-testid=feedback-row]").Length(); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
	if d.Find("[data-testid=chips] .chip").Length() != 3 { // channel, search, clear all
		t.Errorf("chips: %q", d.Find("[data-testid=chips]").Text())
	}
	href, _ := d.Find("[data-testid=export]").Attr("href")
	if !strings.Contains(href, "channel=web") || !strings.Contains(href, "q=app") {
		t.Errorf("export link %q does not carry the filters", href)
	}
	if d := doc(t, c.get("/feedback?overdue=true")); d.Find("[data-testid=feedback-row]").Length() != 1 || d.Find("tr.overdue").Length() != 1 {
		t.Error("overdue filter")
	}
	exp := c.get(href)
	if exp.Code != http.StatusOK || !strings.HasPrefix(exp.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", exp.Code, exp.Header().Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(exp.Body.String(), "\xEF\xBB\xBF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "id" || !strings.HasPrefix(rows[1][9], "'=") {
		t.Errorf("export rows: %q", rows)
	}
	// Keyset pages through the page itself.
	for i := range 55 {
		if _, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "survey", Comment: fmt.Sprintf("bulk %d", i),
			ReceivedAt: now.Add(-time.Duration(100+i) * time.Hour)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	first := doc(t, c.get("/feedback?channel=survey"))
	next, ok := first.Find("[data-testid=next-page]").Attr("href")
	if !ok || first.Find("[data-testid=feedback-row]").Length() != 50 {
		t.Fatalf("first page: %d rows, next %q", first.Find("[data-testid=feedback-row]").Length(), next)
	}
	second := doc(t, c.get(next))
	if second.Find("[data-testid=feedback-row]").Length() != 5 || second.Find("[data-testid=next-page]").Length() != 0 {
		t.Errorf("second page: %d rows", second.Find("[data-testid=feedback-row]").Length())
	}
}

func fbScore(v int) *int { return &v }

func TestFollowUpInPlaceAndGoodwillLimit(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn("amb@example.com", ambassador)
	ctx := context.Background()
	north, _ := a.store.ResolveRef(ctx, models.RefBranches, "north")
	admin := a.user("admin@example.com", adminRole)
	if err := a.store.SetGoodwillLimit(ctx, north.ID, models.Kroner(300), admin); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for range 2 {
		fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Branch: "north", NPS: fbScore(1), Comment: "Angry"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fb.ID)
	}
	res := c.htmx(fmt.Sprintf("/feedback/%d/follow-up", ids[0]), url.Values{"note": {"Called"}, "goodwill_amount": {"200"}, "root_cause": {"waiting_time"}})
	if res.Code != http.StatusOK || doc(t, res).Find("[data-testid=followed-up]").Length() != 1 {
		t.Fatalf("htmx follow-up: %d %s", res.Code, res.Body)
	}
	// The navigation's badge is updated with the row: one detractor is left to call.
	if badge := doc(t, res).Find("#nav-count-followups[hx-swap-oob]"); strings.TrimSpace(badge.Text()) != "1" {
		t.Errorf("the follow-up badge is not updated out of band: %q", badge.Text())
	}
	res = c.postForm(fmt.Sprintf("/feedback/%d/follow-up", ids[1]), url.Values{"note": {"Called"}, "goodwill_amount": {"150"}})
	if res.Code != http.StatusBadRequest {
		t.Fatalf("over the limit: %d, want 400", res.Code)
	}
	msg := doc(t, res).Find("[data-testid=error-goodwill_amount]").Text()
	if !strings.Contains(msg, "100") {
		t.Errorf("refusal %q does not name the 100 left", msg)
	}
	if v, _ := doc(t, res).Find("textarea[name=note]").Html(); v != "Called" {
		t.Errorf("note not kept: %q", v)
	}
	res = c.postForm(fmt.Sprintf("/feedback/%d/follow-up", ids[1]), url.Values{"note": {"Called"}, "goodwill_amount": {"100"}, "from": {"feedback"}})
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != fmt.Sprintf("/feedback/%d", ids[1]) {
		t.Errorf("plain post from the feedback page: %d %q", res.Code, res.Header().Get("Location"))
	}
	ac := a.signIn("admin@example.com")
	ledger := doc(t, ac.get("/admin/goodwill"))
	found := false
	ledger.Find("[data-testid=goodwill-line]").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "North") && strings.TrimSpace(s.Find("[data-testid=spent]").Text()) == "DKK\u00a0300" {
			found = true
		}
	})
	if !found {
		t.Error("ledger does not show 300 spent at North")
	}
	if res := ac.postForm(fmt.Sprintf("/admin/goodwill/%d", north.ID), url.Values{"limit": {"-5"}}); res.Code != http.StatusBadRequest {
		t.Errorf("negative limit: %d", res.Code)
	}
	if res := ac.get(fmt.Sprintf("/admin/goodwill/%d", north.ID)); res.Code != http.StatusOK || doc(t, res).Find("[data-testid=total]").Text() != "DKK\u00a0300" {
		t.Errorf("branch ledger: %d", res.Code)
	}
}

func TestPrivacyEraseAsksFirstAndKeepsNoAddress(t *testing.T) {
	a := newTestApp(t)
	ac := a.signIn("admin@example.com", adminRole)
	ctx := context.Background()
	const email = "mette.lund@example.dk"
	if _, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "meeting", NPS: fbScore(4), Comment: "Slow",
		CustomerName: "Mette Lund", CustomerEmail: email, Consent: true}, nil); err != nil {
		t.Fatal(err)
	}
	res := ac.postForm("/admin/privacy/erase", url.Values{"email": {email}})
	if res.Code != http.StatusOK || doc(t, res).Find("[data-testid=confirm]").Length() != 1 {
		t.Fatalf("confirmation: %d", res.Code)
	}
	if n, _ := a.store.CountCustomer(ctx, email); n != 1 {
		t.Fatal("erased before confirmation")
	}
	res = ac.postForm("/admin/privacy/erase", url.Values{"email": {email}, "confirm": {"yes"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("erase: %d", res.Code)
	}
	if flash := ac.flashOf(res); strings.Contains(flash, email) || !strings.Contains(flash, "1") {
		t.Errorf("flash %q", flash)
	}
	if n, _ := a.store.CountCustomer(ctx, email); n != 0 {
		t.Error("not erased")
	}
	if res := ac.postForm("/admin/privacy/retention", url.Values{"retention_days": {"365"}}); res.Code != http.StatusSeeOther {
		t.Errorf("retention: %d", res.Code)
	}
	if d, _ := a.store.RetentionDays(ctx); d != 365 {
		t.Errorf("retention days = %d", d)
	}
	if res := ac.postForm("/admin/privacy/retention", url.Values{"retention_days": {"-1"}}); res.Code != http.StatusBadRequest {
		t.Errorf("negative retention: %d", res.Code)
	}
	if res := ac.get("/admin/privacy"); res.Code != http.StatusOK || doc(t, res).Find("[data-testid=privacy-log] li").Length() != 1 {
		t.Errorf("privacy page: %d", res.Code)
	}
}
