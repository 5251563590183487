package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/improvementtracker/tracker/models"
)

// TestGoodwillInDanishKronerAndOre: a Danish ambassador types "250,50"; it is stored as
// 25050 øre and shown as "250,50 kr." on the feedback page, in the monthly report's sum
// and its CSV, and as 250.5 by the API. Text a Dane would not mean that way is refused
// with the expected form beside the field, the typed text kept.
func TestGoodwillInDanishKronerAndOre(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	u := a.user("amb@example.com", ambassador, steering)
	if err := a.store.SetLanguage(ctx, u.ID, "da"); err != nil {
		t.Fatal(err)
	}
	c := a.signIn("amb@example.com")
	fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Branch: "north", NPS: score(2), Comment: "Gebyr"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := "/feedback/" + strconvFormat(fb.ID) + "/follow-up"
	for _, bad := range []string{"250.50", "12,345", "250,50,1", "to hundrede"} {
		res := c.postForm(path, url.Values{"note": {"Ringede"}, "goodwill_amount": {bad}, "from": {"feedback"}})
		d := doc(t, res)
		msg := d.Find("[data-testid=error-goodwill_amount]").Text()
		if res.Code != http.StatusBadRequest || !strings.Contains(msg, "250,50") || !strings.Contains(msg, "1.250") {
			t.Errorf("%q: %d, message %q; want 400 naming 250,50 and 1.250", bad, res.Code, msg)
		}
		if v, _ := d.Find(`input[name=goodwill_amount]`).Attr("value"); v != bad {
			t.Errorf("%q: the field holds %q, want it kept as typed", bad, v)
		}
	}
	res := c.postForm(path, url.Values{"note": {"Ringede"}, "goodwill_amount": {"1.000.000,01"}, "from": {"feedback"}})
	if msg := doc(t, res).Find("[data-testid=error-goodwill_amount]").Text(); res.Code != http.StatusBadRequest || !strings.Contains(msg, "højst 1.000.000\u00a0kr.") {
		t.Errorf("over the maximum: %d %q, want the limit in Danish kroner", res.Code, msg)
	}
	res = c.postForm(path, url.Values{"note": {"Ringede"}, "goodwill_amount": {"250,50"}, "from": {"feedback"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("250,50: %d %s", res.Code, doc(t, res).Find(".error").Text())
	}
	got, err := a.store.FeedbackByID(ctx, fb.ID)
	if err != nil || got.GoodwillAmount != 25050 {
		t.Fatalf("stored goodwill = %d øre (%v), want 25050", got.GoodwillAmount.Ore(), err)
	}
	if g := strings.TrimSpace(doc(t, c.get("/feedback/"+strconvFormat(fb.ID))).Find("[data-testid=goodwill]").Text()); g != "250,50\u00a0kr." {
		t.Errorf("feedback page: %q, want 250,50 kr.", g)
	}
	month := a.store.Now().In(a.store.Location).Format("2006-01")
	report := doc(t, c.get("/reports?kind=month&period="+month))
	if g := strings.TrimSpace(report.Find("[data-testid=goodwill-total]").Text()); g != "250,50\u00a0kr." {
		t.Errorf("monthly report goodwill sum: %q, want 250,50 kr.", g)
	}
	csv := c.get("/reports/export.csv?kind=month&period=" + month).Body.String()
	if !strings.Contains(csv, "goodwill_total;;250,50") {
		t.Errorf("report CSV lacks goodwill_total;;250,50:\n%s", csv)
	}
	if body := c.get("/feedback/export.csv").Body.String(); !strings.Contains(body, ";250,50;") {
		t.Errorf("feedback CSV lacks the amount 250,50:\n%s", body)
	}
	tok := a.token(u)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(a.api("GET", fmt.Sprintf("/api/v1/feedback/%d", fb.ID), tok, nil).Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw["goodwill_amount"]) != "250.5" {
		t.Errorf("API goodwill_amount = %s, want 250.5", raw["goodwill_amount"])
	}
}

// TestGoodwillAPIDecimals: the API takes goodwill_amount in kroner with up to two
// decimals, answers it as a number (whole amounts as integers) and refuses a third
// decimal or a string rather than rounding.
func TestGoodwillAPIDecimals(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	tok := a.token(a.user("amb@example.com", ambassador))
	var ids []int64
	for range 4 {
		fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Branch: "north", NPS: score(1), Comment: "Vred"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fb.ID)
	}
	follow := func(id int64, amount any) *struct {
		code int
		raw  string
	} {
		res := a.api("POST", fmt.Sprintf("/api/v1/feedback/%d/follow-up", id), tok, map[string]any{"note": "Called", "goodwill_amount": amount})
		var m map[string]json.RawMessage
		_ = json.Unmarshal(res.Body.Bytes(), &m)
		return &struct {
			code int
			raw  string
		}{res.Code, string(m["goodwill_amount"])}
	}
	for _, bad := range []any{250.555, "250.5", "250,50"} {
		if r := follow(ids[0], bad); r.code != http.StatusBadRequest {
			t.Errorf("goodwill_amount %v: %d, want 400", bad, r.code)
		}
	}
	if r := follow(ids[0], json.RawMessage("250.5")); r.code != http.StatusOK || r.raw != "250.5" {
		t.Errorf("250.5: %d %s", r.code, r.raw)
	}
	if got, _ := a.store.FeedbackByID(ctx, ids[0]); got.GoodwillAmount != 25050 {
		t.Errorf("stored %d øre, want 25050", got.GoodwillAmount.Ore())
	}
	if r := follow(ids[1], 100); r.code != http.StatusOK || r.raw != "100" {
		t.Errorf("100: %d %s, want the integer 100", r.code, r.raw)
	}
	if r := follow(ids[2], json.RawMessage("0.05")); r.code != http.StatusOK || r.raw != "0.05" {
		t.Errorf("0.05: %d %s", r.code, r.raw)
	}
}

// TestGoodwillLimitWithOre: a branch's limit set in Danish with øre is reached exactly
// and not passed by one øre; the refusal names what is left in Danish kroner.
func TestGoodwillLimitWithOre(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	admin := a.user("admin@example.com", adminRole, ambassador)
	if err := a.store.SetLanguage(ctx, admin.ID, "da"); err != nil {
		t.Fatal(err)
	}
	c := a.signIn("admin@example.com")
	north, _ := a.store.ResolveRef(ctx, models.RefBranches, "north")
	limitPath := fmt.Sprintf("/admin/goodwill/%d", north.ID)
	res := c.postForm(limitPath, url.Values{"limit": {"500.50"}})
	if d := doc(t, res); res.Code != http.StatusBadRequest || !strings.Contains(d.Find("[data-testid=error-limit]").Text(), "250,50") {
		t.Errorf("limit 500.50 in Danish: %d %q", res.Code, d.Find("[data-testid=error-limit]").Text())
	}
	res = c.postForm(limitPath, url.Values{"limit": {"20.000.000"}})
	if d := doc(t, res); res.Code != http.StatusBadRequest || !strings.Contains(d.Find("[data-testid=error-limit]").Text(), "højst 10.000.000\u00a0kr.") {
		t.Errorf("limit too large: %d %q", res.Code, d.Find("[data-testid=error-limit]").Text())
	}
	if res := c.postForm(limitPath, url.Values{"limit": {"500,50"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("limit 500,50: %d", res.Code)
	}
	if b, _ := a.store.Branches(ctx); !func() bool {
		for _, x := range b {
			if x.ID == north.ID {
				return x.GoodwillMonthlyLimit == 50050
			}
		}
		return false
	}() {
		t.Fatal("the limit 500,50 is not stored as 50050 øre")
	}
	var ids []int64
	for range 3 {
		fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Branch: "north", NPS: score(1), Comment: "Vred"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fb.ID)
	}
	post := func(id int64, amount string) *httptest.ResponseRecorder {
		return c.postForm(fmt.Sprintf("/feedback/%d/follow-up", id), url.Values{"note": {"Ringede"}, "goodwill_amount": {amount}})
	}
	if res := post(ids[0], "250,50"); res.Code != http.StatusSeeOther {
		t.Fatalf("250,50: %d", res.Code)
	}
	res = post(ids[1], "250,01")
	if msg := doc(t, res).Find("[data-testid=error-goodwill_amount]").Text(); res.Code != http.StatusBadRequest || !strings.Contains(msg, "250\u00a0kr. tilbage") {
		t.Errorf("one øre over: %d %q, want the 250 kr. left named", res.Code, msg)
	}
	if res := post(ids[1], "250"); res.Code != http.StatusSeeOther {
		t.Errorf("exactly at the limit: %d", res.Code)
	}
	ledger := doc(t, c.get("/admin/goodwill"))
	found := false
	ledger.Find("[data-testid=goodwill-line]").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "North") && strings.TrimSpace(s.Find("[data-testid=spent]").Text()) == "500,50\u00a0kr." {
			found = true
			if v, _ := s.Find("input[name=limit]").Attr("value"); v != "500,50" {
				t.Errorf("limit field holds %q, want 500,50", v)
			}
		}
	})
	if !found {
		t.Error("the ledger does not show 500,50 kr. spent at North")
	}
}
