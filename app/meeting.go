package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/meetings"
)

func meetingPath(id int64) string { return fmt.Sprintf("/steering/meetings/%d", id) }

// meetingView is what a meeting page shows besides the meeting itself.
type meetingView struct {
	forms   map[int64]meetings.ItemForm
	errs    components.Errors
	applied []int64
	focus   int64
}

// meetingShow is the projector page: the agenda, a decision form beside each item and
// the running summary. ?item=ID shows one item at a time.
func (s *Server) meetingShow(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.store.MeetingByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	v := meetingView{}
	if focus, err := strconv.ParseInt(c.QueryParam("item"), 10, 64); err == nil {
		v.focus = focus
	}
	return s.renderMeeting(c, http.StatusOK, m, v)
}

func (s *Server) renderMeeting(c echo.Context, status int, m *models.Meeting, v meetingView) error {
	ctx := c.Request().Context()
	ids := make([]int64, len(m.Items))
	for i, it := range m.Items {
		ids[i] = it.ImprovementID
	}
	quotes, err := s.store.LinkedQuotes(ctx, ids)
	if err != nil {
		return err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	var owners []models.User
	for _, u := range users {
		if u.Active {
			owners = append(owners, u)
		}
	}
	areas, err := s.store.ActiveRefs(ctx, models.RefFunctionalAreas)
	if err != nil {
		return err
	}
	var applied []models.AgendaItem
	for _, it := range m.Items {
		for _, a := range v.applied {
			if it.ID == a {
				applied = append(applied, it)
			}
		}
	}
	return render(c, status, meetings.Show(meetings.ShowPage{Page: s.page(c, "meeting.page_title", "steering"),
		Meeting: *m, Quotes: quotes, Forms: v.forms, Errors: v.errs, Owners: owners, Areas: areas,
		Applied: applied, Focus: v.focus, Today: s.store.Today()}))
}

// readItemForm reads one agenda item's fields of the decisions form ("owner_12" ...).
func readItemForm(c echo.Context, itemID int64) meetings.ItemForm {
	get := func(field string) string { return strings.TrimSpace(c.FormValue(meetings.Key(field, itemID))) }
	version, _ := strconv.Atoi(get("version"))
	return meetings.ItemForm{Decision: get("decision"), Owner: get("owner"), FunctionalArea: get("functional_area"),
		TargetDate: get("target_date"), Reason: get("reason"), DeferUntil: get("defer_until"),
		Rationale: get("rationale"), Version: version}
}

// itemDecision turns an item's form into a decision through the domain's one
// transition request (the same checks as the improvement page and the API): only the
// fields the chosen decision uses are read, and problems come back by field.
func (s *Server) itemDecision(ctx context.Context, itemID int64, f meetings.ItemForm) (models.Decision, map[string]string) {
	d := models.Decision{ItemID: itemID, Version: f.Version, Rationale: f.Rationale}
	if st, ok := models.ParseStatus(f.Decision); !ok || !slices.Contains(models.DecisionStatuses(), st) {
		return d, map[string]string{"decision": "invalid_choice"}
	}
	req := models.TransitionRequest{To: f.Decision, Version: strconv.Itoa(f.Version), Reason: f.Reason,
		OwnerID: f.Owner, AreaID: f.FunctionalArea, TargetDate: f.TargetDate, DeferUntil: f.DeferUntil}
	in, err := s.store.TransitionInput(ctx, req)
	d.To, d.Reason, d.OwnerID, d.FunctionalAreaID = in.To, in.Reason, in.OwnerID, in.FunctionalAreaID
	d.TargetDate, d.DeferUntil = in.TargetDate, in.DeferUntil
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		if msg, ok := ve.Fields["to"]; ok {
			delete(ve.Fields, "to")
			ve.Fields["decision"] = msg
		}
		return d, ve.Fields
	}
	if err != nil {
		return d, map[string]string{"decision": "decision_not_allowed"}
	}
	return d, nil
}

// decisionErrors puts an item's refusal beside its fields; it returns false for an
// error that is not about the item (a failure of the system).
func decisionErrors(errs components.Errors, itemID int64, err error) bool {
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve):
		for field, msg := range ve.Fields {
			errs[meetings.Key(field, itemID)] = msg
		}
	case errors.Is(err, models.ErrConflict):
		errs[meetings.Key("decision", itemID)] = "decision_conflict"
	case errors.Is(err, models.ErrNotAllowed), errors.Is(err, models.ErrNotFound):
		errs[meetings.Key("decision", itemID)] = "decision_not_allowed"
	default:
		return false
	}
	return true
}

// readOpenForms reads the typed decision of every item still open, so that a page
// shown again after a problem keeps everything the group entered.
func readOpenForms(c echo.Context, m *models.Meeting) map[int64]meetings.ItemForm {
	forms := map[int64]meetings.ItemForm{}
	for _, it := range m.Items {
		if it.Open() {
			forms[it.ID] = readItemForm(c, it.ID)
		}
	}
	return forms
}

// plannedMeetingOf loads the meeting of the route and refuses a closed one.
func (s *Server) plannedMeetingOf(c echo.Context) (*models.Meeting, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	m, err := s.store.MeetingByID(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if m.Status != models.MeetingPlanned {
		return nil, fmt.Errorf("app: meeting %d is closed: %w", id, models.ErrNotAllowed)
	}
	return m, nil
}

// meetingDecisions records every decision of the meeting form in one post. Each item
// is applied on its own, so items with valid decisions are recorded even when another
// item has a problem; the page then comes back (400) naming the problem fields, with
// every typed value kept and the recorded decisions listed. Items without a decision
// stay in review.
func (s *Server) meetingDecisions(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.plannedMeetingOf(c)
	if err != nil {
		return err
	}
	forms := readOpenForms(c, m)
	errs := components.Errors{}
	var ds []models.Decision
	for _, it := range m.Items {
		f, open := forms[it.ID]
		if !open || f.Decision == "" {
			continue
		}
		d, bad := s.itemDecision(ctx, it.ID, f)
		if len(bad) > 0 {
			decisionErrors(errs, it.ID, &models.ValidationError{Fields: bad})
			continue
		}
		ds = append(ds, d)
	}
	failed := s.store.DecideItems(ctx, m.ID, ds, currentUser(c))
	var applied []int64
	for _, d := range ds {
		if err, bad := failed[d.ItemID]; bad {
			if !decisionErrors(errs, d.ItemID, err) {
				return err
			}
			continue
		}
		applied = append(applied, d.ItemID)
	}
	if len(applied) > 0 {
	}
	if len(errs) == 0 {
		s.flash(c, "flash.decisions_recorded", map[string]any{"Count": len(applied)})
		return redirect(c, meetingPath(m.ID))
	}
	if m, err = s.store.MeetingByID(ctx, m.ID); err != nil {
		return err
	}
	return s.renderMeeting(c, http.StatusBadRequest, m, meetingView{forms: forms, errs: errs, applied: applied})
}

// meetingDecideItem records the decision of one agenda item (the one-at-a-time view
// and the button beside each item), keeping the other items' typed values if it fails.
func (s *Server) meetingDecideItem(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.plannedMeetingOf(c)
	if err != nil {
		return err
	}
	itemID, err := paramID(c, "item")
	if err != nil {
		return err
	}
	idx := -1
	for i, it := range m.Items {
		if it.ID == itemID {
			idx = i
		}
	}
	if idx < 0 {
		return models.ErrNotFound
	}
	forms := readOpenForms(c, m)
	focus := c.FormValue("focus") == "1"
	errs := components.Errors{}
	f := readItemForm(c, itemID)
	if f.Decision == "" {
		errs[meetings.Key("decision", itemID)] = "required"
	} else if d, bad := s.itemDecision(ctx, itemID, f); len(bad) > 0 {
		decisionErrors(errs, itemID, &models.ValidationError{Fields: bad})
	} else if err := s.store.DecideItem(ctx, m.ID, d, currentUser(c)); err != nil && !decisionErrors(errs, itemID, err) {
		return err
	}
	if len(errs) > 0 {
		v := meetingView{forms: forms, errs: errs}
		if focus {
			v.focus = itemID
		}
		return s.renderMeeting(c, http.StatusBadRequest, m, v)
	}
	s.flash(c, "flash.decision_recorded", map[string]any{"Title": m.Items[idx].Improvement.Title})
	if focus {
		for _, it := range m.Items[idx+1:] {
			if it.Open() {
				return redirect(c, fmt.Sprintf("%s?item=%d", meetingPath(m.ID), it.ID))
			}
		}
	}
	return redirect(c, fmt.Sprintf("%s#item-%d", meetingPath(m.ID), itemID))
}

// meetingMoveItem moves an agenda item up or down (?dir=up|down).
func (s *Server) meetingMoveItem(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	itemID, err := paramID(c, "item")
	if err != nil {
		return err
	}
	delta := 1
	if c.QueryParam("dir") == "up" || c.FormValue("dir") == "up" {
		delta = -1
	}
	if err := s.store.MoveAgendaItem(c.Request().Context(), id, itemID, delta, currentUser(c)); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("%s#item-%d", meetingPath(id), itemID))
}

// meetingRemoveItem takes an item off the agenda; it stays in review.
func (s *Server) meetingRemoveItem(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	itemID, err := paramID(c, "item")
	if err != nil {
		return err
	}
	if err := s.store.RemoveAgendaItem(c.Request().Context(), id, itemID, currentUser(c)); err != nil {
		return err
	}
	s.flash(c, "flash.agenda_item_removed")
	return redirect(c, meetingPath(id))
}

// meetingRefresh adds the items that entered review since the agenda was built.
func (s *Server) meetingRefresh(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.store.RefreshAgenda(c.Request().Context(), id, currentUser(c))
	if err != nil {
		return err
	}
	s.flash(c, "flash.agenda_refreshed", map[string]any{"Count": n})
	return redirect(c, meetingPath(id))
}

// meetingClose ends the meeting; undecided items stay in review for the next one.
func (s *Server) meetingClose(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.CloseMeeting(c.Request().Context(), id, currentUser(c)); err != nil {
		return err
	}
	s.flash(c, "flash.meeting_closed")
	return redirect(c, meetingPath(id)+"/minutes")
}
