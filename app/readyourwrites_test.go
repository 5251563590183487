package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// figures are what the cached reads show: the navigation's badges, the dashboard, this
// month's report and the quick-win board.
type figures struct {
	followUps, triage, quickWins, review int
	goal, nps30                          string
	responses, implemented               string
	boardCards                           int
}

func (c *client) figures(t *testing.T) figures {
	t.Helper()
	var f figures
	home := c.get("/")
	if home.Code != http.StatusOK {
		t.Fatalf("dashboard: %d", home.Code)
	}
	d := doc(t, home)
	badge := func(key string) int {
		s := strings.TrimSpace(d.Find("#nav-count-" + key).First().Text())
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(strings.TrimSuffix(s, "+"))
		if err != nil {
			t.Fatalf("badge %s: %q", key, s)
		}
		return n
	}
	f.followUps, f.triage, f.quickWins, f.review = badge("followups"), badge("triage"), badge("quickwins"), badge("steering")
	f.goal = strings.TrimSpace(d.Find("[data-testid=goal-figure]").Text())
	f.nps30 = strings.TrimSpace(d.Find("[data-testid=nps30-value]").Text())
	month := time.Now().In(modeltest.Copenhagen).Format("2006-01")
	rep := doc(t, c.get("/reports?kind=month&period="+month))
	f.responses = strings.TrimSpace(rep.Find("[data-testid=responses]").Text())
	f.implemented = strings.TrimSpace(rep.Find("[data-testid=implemented-total]").Text())
	f.boardCards = doc(t, c.get("/quick-wins")).Find("[data-testid=card]").Length()
	return f
}

// Every write path tells the store's caches once it has committed, so the writer's
// next page shows the write: feedback (form, API, import), follow-up, improvement
// (create, transition), triage, a meeting's decision, reference data, goals and
// settings. The store runs with every cache on and lets other people's writes lag an
// hour, so what passes here passes because the write reached the caches, not because
// nothing was kept.
func TestReadYourWritesThroughEveryWritePath(t *testing.T) {
	models.PasswordCost = 4
	ctx := context.Background()
	st, err := store.Open(ctx, modeltest.URL(t), store.Options{Location: modeltest.Copenhagen, OthersLag: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.LoginRate, cfg.LoginBurst = 1000, 1000
	a := &testApp{t: t, srv: New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil))), store: st}
	me := a.user("lead@example.com", ambassador, quickwin, steering, adminRole)
	myToken := a.token(me)
	c := a.signIn("lead@example.com")
	other := a.token(a.user("colleague@example.com", ambassador))

	step := func(name string, write func(), check func(before, after figures) string) {
		t.Helper()
		before := c.figures(t)
		write()
		if problem := check(before, c.figures(t)); problem != "" {
			t.Fatalf("%s: %s", name, problem)
		}
	}
	want := func(what string, got, want int) string {
		if got != want {
			return fmt.Sprintf("%s = %d on the next page, want %d; ", what, got, want)
		}
		return ""
	}
	changed := func(what, before, after string) string {
		if before == after {
			return fmt.Sprintf("%s still shows %q; ", what, before)
		}
		return ""
	}
	ok := func(res interface{ Result() *http.Response }, codes ...int) {
		t.Helper()
		code := res.Result().StatusCode
		for _, c := range codes {
			if code == c {
				return
			}
		}
		body, _ := io.ReadAll(res.Result().Body)
		t.Fatalf("status %d, want %v: %s", code, codes, body)
	}

	// The caches are on: a colleague's feedback is not yet counted for me ...
	warm := c.figures(t)
	ok(a.api("POST", "/api/v1/feedback", other, map[string]any{"channel": "phone", "nps": 3, "comment": "Colleague's"}), http.StatusCreated)
	if got := c.figures(t); got.triage != warm.triage {
		t.Fatalf("a colleague's write showed at once (%d untriaged, before %d): the figures were not kept", got.triage, warm.triage)
	}
	// ... until my own write, after which everything committed before it shows.
	var webID int64
	step("feedback form", func() {
		res := c.postForm("/feedback/new", url.Values{"channel": {"phone"}, "nps": {"2"}, "comment": {"Waited an hour"}})
		ok(res, http.StatusSeeOther)
		st.Reader(ctx).Raw(`SELECT MAX(id) FROM feedback`).Scan(&webID)
	}, func(b, f figures) string {
		return want("untriaged", f.triage, b.triage+2) + want("follow-ups", f.followUps, b.followUps+2) +
			changed("report responses", b.responses, f.responses) + changed("dashboard NPS", b.nps30, f.nps30)
	})
	var apiID int64
	step("feedback API", func() {
		res := a.api("POST", "/api/v1/feedback", myToken, map[string]any{"channel": "web", "nps": 10, "comment": "Great"})
		ok(res, http.StatusCreated)
		apiID = decode[apiFeedbackJSON](t, res).ID
	}, func(b, f figures) string {
		return want("untriaged", f.triage, b.triage+1) + changed("report responses", b.responses, f.responses)
	})
	step("feedback import", func() {
		csv := "external_id,received_at,channel,nps,comment\r\nryw-1," + time.Now().In(modeltest.Copenhagen).Format(time.DateOnly) + ",survey,9,Imported\r\n"
		ok(c.upload("/feedback/import", "survey.csv", csv, nil), http.StatusOK)
	}, func(b, f figures) string {
		return want("untriaged", f.triage, b.triage+1) + changed("report responses", b.responses, f.responses)
	})
	step("follow-up", func() {
		ok(c.postForm(fmt.Sprintf("/feedback/%d/follow-up", webID), url.Values{"note": {"Called back"}}), http.StatusSeeOther)
	}, func(b, f figures) string { return want("follow-ups", f.followUps, b.followUps-1) })
	step("triage", func() {
		ok(c.postForm("/triage/no-action", url.Values{"feedback": {fmt.Sprint(apiID)}, "reason": {"Praise only"}}), http.StatusSeeOther)
	}, func(b, f figures) string { return want("untriaged", f.triage, b.triage-1) })
	var quickWin int64
	step("improvement create", func() {
		ok(c.postForm("/improvements", url.Values{"title": {"Call back sooner"}, "impact": {"4"}, "effort": {"XS"},
			"feedback": {fmt.Sprint(webID)}}), http.StatusSeeOther)
		st.Reader(ctx).Raw(`SELECT MAX(id) FROM improvements`).Scan(&quickWin)
	}, func(b, f figures) string {
		return want("untriaged", f.triage, b.triage-1) + want("queued", f.quickWins, b.quickWins+1) +
			want("board cards", f.boardCards, b.boardCards+1)
	})
	step("transition to in progress", func() {
		ok(c.postForm(fmt.Sprintf("/improvements/%d/transition", quickWin), url.Values{"to": {"in_progress"}, "version": {"1"}}),
			http.StatusSeeOther)
	}, func(b, f figures) string { return want("queued", f.quickWins, b.quickWins-1) })
	step("transition to implemented (API)", func() {
		ok(a.api("POST", fmt.Sprintf("/api/v1/improvements/%d/transition", quickWin), myToken,
			map[string]any{"to": "implemented", "version": 2, "note": "Done"}), http.StatusOK)
	}, func(b, f figures) string {
		return changed("goal", b.goal, f.goal) + changed("implemented this month", b.implemented, f.implemented)
	})
	var review int64
	step("steering improvement", func() {
		ok(a.api("POST", "/api/v1/improvements", myToken, map[string]any{"title": "New branch hours", "impact": 3,
			"effort": "XL"}), http.StatusCreated)
		st.Reader(ctx).Raw(`SELECT MAX(id) FROM improvements`).Scan(&review)
	}, func(b, f figures) string { return want("in review", f.review, b.review+1) })
	step("meeting decision", func() {
		res := c.postForm("/steering/meetings", url.Values{"held_on": {time.Now().In(modeltest.Copenhagen).Format(time.DateOnly)}, "title": {"Weekly"},
			"attendees": {fmt.Sprint(me.ID)}})
		ok(res, http.StatusSeeOther)
		m, err := st.MeetingByID(ctx, mustID(t, res.Header().Get("Location"), "/steering/meetings/"))
		if err != nil || len(m.Items) != 1 {
			t.Fatalf("meeting %+v, %v", m, err)
		}
		form := url.Values{}
		decide(form, m.Items[0].ID, map[string]string{"decision": "rejected", "reason": "Not now"})
		ok(c.postForm(fmt.Sprintf("/steering/meetings/%d/items/%d/decide", m.ID, m.Items[0].ID), form), http.StatusSeeOther)
	}, func(b, f figures) string { return want("in review", f.review, b.review-1) })
	step("goal", func() {
		ok(c.postForm("/admin/goals", url.Values{"year": {fmt.Sprint(time.Now().In(modeltest.Copenhagen).Year())}, "target": {"7"}}),
			http.StatusSeeOther)
	}, func(b, f figures) string { return changed("goal", b.goal, f.goal) })

	// Reference data: a new channel is offered on the next form and accepted at once.
	ok(c.postForm("/admin/reference/channels", url.Values{"code": {"chat"}, "name": {"Chat"}}), http.StatusSeeOther)
	if !strings.Contains(c.get("/feedback/new").Body.String(), `value="chat"`) {
		t.Fatal("reference data: the new channel is not offered on the next form")
	}
	ok(a.api("POST", "/api/v1/feedback", myToken, map[string]any{"channel": "chat", "nps": 8}), http.StatusCreated)

	// Settings: with the routing threshold raised to L, an L improvement is suggested
	// for the quick-win team on the next request.
	ok(c.postForm("/admin/settings", url.Values{"threshold": {"L"}}), http.StatusSeeOther)
	step("settings", func() {
		ok(a.api("POST", "/api/v1/improvements", myToken, map[string]any{"title": "Bigger screens", "impact": 2,
			"effort": "L"}), http.StatusCreated)
	}, func(b, f figures) string { return want("queued", f.quickWins, b.quickWins+1) })
}

// mustID reads the id that follows prefix in a redirect's location.
func mustID(t *testing.T, location, prefix string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(location, prefix), 10, 64)
	if err != nil {
		t.Fatalf("no id in %q", location)
	}
	return id
}
