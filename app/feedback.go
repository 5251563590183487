package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/feedback"
	"github.com/improvementtracker/tracker/views/pages/followups"
)

// feedbackFilterKeys are the query parameters of the feedback list, in the order chips show them.
var feedbackFilterKeys = []string{"q", "from", "to", "channel", "touchpoint", "branch", "segment", "group", "triage", "logged_by", "overdue"}

// parseFeedbackFilter reads the list's filter from a query string. Each value that
// cannot be used is named in problems (field -> message id); the page drops such
// values, the API refuses them.
func (s *Server) parseFeedbackFilter(ctx context.Context, q url.Values) (models.FeedbackFilter, feedback.Filter, map[string]string) {
	var f models.FeedbackFilter
	var view feedback.Filter
	problems := map[string]string{}
	date := func(key string, dst *time.Time, keep *string) {
		v := strings.TrimSpace(q.Get(key))
		if v == "" {
			return
		}
		d, ok := models.ParseDay(v)
		if !ok {
			problems[key] = "invalid_date"
			return
		}
		*dst, *keep = *d, v
	}
	date("from", &f.From, &view.From)
	date("to", &f.To, &view.To)
	ref := func(key string, kind models.RefKind, dst *int64, keep *string) {
		v := strings.TrimSpace(q.Get(key))
		if v == "" {
			return
		}
		it, err := s.store.ResolveRef(ctx, kind, v)
		if err != nil {
			problems[key] = "unknown_reference"
			return
		}
		*dst, *keep = it.ID, it.Code
	}
	ref("channel", models.RefChannels, &f.ChannelID, &view.Channel)
	ref("touchpoint", models.RefTouchpoints, &f.TouchpointID, &view.Touchpoint)
	ref("branch", models.RefBranches, &f.BranchID, &view.Branch)
	switch v := strings.ToLower(strings.TrimSpace(q.Get("segment"))); v {
	case "":
	case models.SegmentPrivate, models.SegmentBusiness:
		f.Segment, view.Segment = v, v
	default:
		problems["segment"] = "invalid_choice"
	}
	group := q.Get("group")
	if group == "" {
		group = q.Get("nps_group") // the API's name for it
	}
	switch g := models.NPSGroup(strings.ToLower(strings.TrimSpace(group))); g {
	case "":
	case models.GroupPromoter, models.GroupPassive, models.GroupDetractor, models.GroupNone:
		f.Group, view.Group = g, string(g)
	default:
		problems["nps_group"] = "invalid_choice"
	}
	switch v := strings.TrimSpace(q.Get("triage")); v {
	case "":
	case models.TriageNew, models.TriageLinked, models.TriageNoAction:
		f.Triage, view.Triage = v, v
	default:
		problems["triage"] = "invalid_choice"
	}
	if v := strings.TrimSpace(q.Get("logged_by")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			problems["logged_by"] = "invalid"
		} else {
			f.LoggedByID, view.LoggedBy = id, v
		}
	}
	switch v := strings.ToLower(strings.TrimSpace(q.Get("overdue"))); v {
	case "", "false", "0":
	case "true", "1", "on":
		f.Overdue, view.Overdue = true, true
	default:
		problems["overdue"] = "invalid_choice"
	}
	f.Q = strings.TrimSpace(q.Get("q"))
	if len(f.Q) > 200 {
		f.Q = f.Q[:200]
	}
	view.Q = f.Q
	return f, view, problems
}

// values writes the usable filter back into a query string, for links.
func feedbackFilterValues(v feedback.Filter) url.Values {
	q := url.Values{}
	set := func(k, val string) {
		if val != "" {
			q.Set(k, val)
		}
	}
	set("q", v.Q)
	set("from", v.From)
	set("to", v.To)
	set("channel", v.Channel)
	set("touchpoint", v.Touchpoint)
	set("branch", v.Branch)
	set("segment", v.Segment)
	set("group", v.Group)
	set("triage", v.Triage)
	set("logged_by", v.LoggedBy)
	if v.Overdue {
		q.Set("overdue", "true")
	}
	return q
}

func feedbackURL(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// feedbackList shows the filtered list, newest first, a page at a time.
func (s *Server) feedbackList(c echo.Context) error {
	ctx := c.Request().Context()
	f, view, _ := s.parseFeedbackFilter(ctx, c.QueryParams())
	if err := s.scopeFilter(c, &f); err != nil {
		return err
	}
	cursor, err := models.ParseCursor(c.QueryParam("cursor"))
	if err != nil {
		cursor = models.Cursor{}
	}
	page, err := s.store.ListFeedback(ctx, f, cursor, 50)
	if err != nil {
		return err
	}
	count, capped, err := s.store.CountFeedback(ctx, f)
	if err != nil {
		return err
	}
	m := feedback.ListPage{Page: s.page(c, "feedback.list_title", "feedback"), Filter: view, Items: page.Items,
		PartsFrom: page.PartsFrom, Count: count, Capped: capped, Now: s.store.Now(), Loc: s.store.Location, Drawn: page.Drawn}
	if m.Channels, err = s.store.RefList(ctx, models.RefChannels); err != nil {
		return err
	}
	if m.Touchpoints, err = s.store.RefList(ctx, models.RefTouchpoints); err != nil {
		return err
	}
	if m.Branches, err = s.store.RefList(ctx, models.RefBranches); err != nil {
		return err
	}
	if m.Users, err = s.store.Users(ctx); err != nil {
		return err
	}
	q := feedbackFilterValues(view)
	m.ExportHref = feedbackURL("/feedback/export.csv", q)
	m.ExportXLSXHref = feedbackURL("/feedback/export.xlsx", q)
	if cursor.ID != 0 {
		m.FirstHref = feedbackURL("/feedback", q)
	}
	if page.Next.ID != 0 {
		nq := feedbackFilterValues(view)
		nq.Set("cursor", page.Next.String())
		m.NextHref = feedbackURL("/feedback", nq)
	}
	m.Chips = s.feedbackChips(c, view, m)
	return render(c, http.StatusOK, feedback.List(m))
}

// chips names each active filter with a link to the list without it.
func (s *Server) feedbackChips(c echo.Context, v feedback.Filter, m feedback.ListPage) []feedback.Chip {
	t := i18n.FromContext(c.Request().Context())
	all := feedbackFilterValues(v)
	refName := func(items []models.RefItem, code string) string {
		for _, it := range items {
			if it.Code == code {
				return it.Name
			}
		}
		return code
	}
	var out []feedback.Chip
	for _, k := range feedbackFilterKeys {
		val := all.Get(k)
		if val == "" {
			continue
		}
		labelID := "feedback.filter_" + k
		label := t.T(labelID)
		switch k {
		case "channel":
			val = refName(m.Channels, val)
		case "touchpoint":
			val = refName(m.Touchpoints, val)
		case "branch":
			val = refName(m.Branches, val)
		case "segment":
			val = t.T("segment." + val)
		case "group":
			val = t.T("group." + val)
		case "triage":
			val = t.T("triage_status." + val)
		case "overdue":
			val = t.T("feedback.yes")
		case "logged_by":
			for _, u := range m.Users {
				if strconv.FormatInt(u.ID, 10) == val {
					val = u.Name
				}
			}
		}
		rest := feedbackFilterValues(v)
		rest.Del(k)
		out = append(out, feedback.Chip{Label: label, Value: val, RemoveHref: feedbackURL("/feedback", rest)})
	}
	return out
}

// feedbackExport streams exactly the filtered rows as CSV, in the import's columns
// plus the follow-up, so a million rows never sit in memory.
func (s *Server) feedbackExport(c echo.Context) error {
	ctx := c.Request().Context()
	f, _, _ := s.parseFeedbackFilter(ctx, c.QueryParams())
	if err := s.scopeFilter(c, &f); err != nil {
		return err
	}
	// The columns keep the import's names (contracts.md) in every language; the
	// separator is the reader's (see export.go).
	w, d := newCSV(c, fmt.Sprintf("feedback-%s.csv", s.store.Now().In(s.store.Location).Format("2006-01-02")))
	_ = w.Write([]string{"id", "external_id", "received_at", "channel", "touchpoint", "branch", "segment", "nps", "nps_group",
		"comment", "customer_name", "customer_email", "follow_up_due_at", "followed_up_at", "goodwill_amount", "triage_status"})
	n := 0
	contact := models.MaySeeContact(currentUser(c))
	err := s.store.StreamFeedback(ctx, f, func(fb *models.Feedback) error {
		if !contact {
			// The columns stay, so the file has one layout; their cells are empty.
			fb.HideContact()
		}
		rec := []string{strconv.FormatInt(fb.ID, 10), csvCell(fbDeref(fb.ExternalID)), fbTimeText(&fb.ReceivedAt, s.store.Location),
			fbRefCode(fb.Channel), fbRefCode(fb.Touchpoint), fbRefCode(fb.Branch), fbDeref(fb.Segment), fbNPSText(fb.NPS),
			string(fb.Group()), csvCell(fb.Comment), csvCell(fbDeref(fb.CustomerName)), csvCell(fbDeref(fb.CustomerEmail)),
			fbTimeText(fb.FollowUpDueAt, s.store.Location), fbTimeText(fb.FollowedUpAt, s.store.Location), d.number(fb.GoodwillAmount.String()), fb.TriageStatus}
		if err := w.Write(rec); err != nil {
			return err
		}
		if n++; n%1000 == 0 {
			w.Flush()
		}
		return w.Error()
	})
	w.Flush()
	if err != nil {
		// The status is sent already; the truncated file and the log tell what happened.
		s.log.ErrorContext(ctx, "export feedback", "request_id", RequestID(ctx), "err", err)
	}
	return nil
}

// cell keeps a spreadsheet from running text as a formula (CSV injection).
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func fbDeref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func fbRefCode(it *models.RefItem) string {
	if it == nil {
		return ""
	}
	return it.Code
}

func fbNPSText(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// fbTimeText writes a moment of the export on TIME_ZONE's clock, with its offset, like
// received_at beside it.
func fbTimeText(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

// feedbackShow shows one feedback with its follow-up, improvements and history.
func (s *Server) feedbackShow(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.renderFeedback(c, http.StatusOK, id, nil)
}

// renderFeedback draws the feedback page; form carries a failed follow-up post.
func (s *Server) renderFeedback(c echo.Context, status int, id int64, form *followups.Item) error {
	ctx := c.Request().Context()
	fb, err := s.store.FeedbackByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.mayRead(c, fb); err != nil {
		return err
	}
	if !models.MaySeeContact(currentUser(c)) {
		fb.HideContact()
	}
	m := feedback.ShowPage{Page: s.page(c, "feedback.list_title", "feedback"), Feedback: *fb,
		Now: s.store.Now(), Loc: s.store.Location, ContactHidden: !models.MaySeeContact(currentUser(c))}
	m.Title = i18n.FromContext(ctx).T("feedback.show_title", map[string]any{"ID": id})
	if m.History, err = s.store.History(ctx, "feedback", id); err != nil {
		return err
	}
	if m.Improvements, err = s.store.FeedbackImprovements(ctx, id); err != nil {
		return err
	}
	if m.Loop, err = s.feedbackLoop(c, fb); err != nil {
		return err
	}
	if (currentUser(c).Has(models.RoleAmbassador) || (m.Loop.Panel != nil && m.Loop.Panel.CanWork)) && fb.FollowedUpAt == nil {
		if m.Categories, err = s.store.ActiveRefs(ctx, models.RefCategories); err != nil {
			return err
		}
		if form == nil {
			form = &followups.Item{}
		}
		form.Feedback = *fb
		form.From = "feedback"
		m.FollowUp = form
	}
	return render(c, status, feedback.Show(m))
}
