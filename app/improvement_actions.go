package app

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/improvements"
)

// transitionForm is one of the improvement page's action forms as posted.
type transitionForm struct {
	To         string `form:"to" validate:"required"`
	Version    string `form:"version" validate:"required,number"`
	Reason     string `form:"reason" validate:"max=2000"`
	Note       string `form:"note" validate:"max=5000"`
	Owner      string `form:"owner"`
	Area       string `form:"functional_area"`
	TargetDate string `form:"target_date"`
	DeferUntil string `form:"defer_until"`
	// ImplementedOn is the day a finished change took effect, when recorded later.
	ImplementedOn string `form:"implemented_on"`
}

func readTransitionForm(c echo.Context) transitionForm {
	return transitionForm{To: c.FormValue("to"), Version: c.FormValue("version"), Reason: c.FormValue("reason"),
		Note: c.FormValue("note"), Owner: c.FormValue("owner"), Area: c.FormValue("functional_area"),
		TargetDate: c.FormValue("target_date"), DeferUntil: c.FormValue("defer_until"),
		ImplementedOn: c.FormValue("implemented_on")}
}

func (f transitionForm) view() improvements.TransitionInput {
	return improvements.TransitionInput{To: f.To, Reason: f.Reason, Note: f.Note, Owner: f.Owner, Area: f.Area,
		TargetDate: f.TargetDate, DeferUntil: f.DeferUntil, ImplementedOn: f.ImplementedOn}
}

// parseDay reads a YYYY-MM-DD date as midnight in the store's time zone.
func (s *Server) parseDay(v string) (*time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	d, err := time.ParseInLocation(time.DateOnly, v, s.store.Location)
	if err != nil {
		return nil, false
	}
	return &d, true
}

// transitionInput turns a transition form into the model's input; problems it can
// see on its own (an unknown owner, a malformed date) come back by field.
func (s *Server) transitionInput(ctx context.Context, f transitionForm) (models.TransitionInput, components.Errors) {
	errs := checkForm(f)
	in := models.TransitionInput{Reason: f.Reason, Note: f.Note}
	to, ok := models.ParseStatus(f.To)
	if !ok {
		errs = addErr(errs, "to", "invalid_choice")
	}
	in.To = to
	v, err := strconv.Atoi(f.Version)
	if err != nil {
		errs = addErr(errs, "version", "required")
	}
	in.Version = v
	if f.Owner != "" {
		id, err := strconv.ParseInt(f.Owner, 10, 64)
		if err != nil {
			errs = addErr(errs, "owner", "invalid_choice")
		} else if u, err := s.store.UserByID(ctx, id); err != nil || !u.Active {
			errs = addErr(errs, "owner", "invalid_choice")
		} else {
			in.OwnerID = &u.ID
		}
	}
	if f.Area != "" {
		if in.FunctionalAreaID = s.refID(ctx, models.RefFunctionalAreas, f.Area); in.FunctionalAreaID == nil {
			errs = addErr(errs, "functional_area", "invalid_choice")
		}
	}
	if in.TargetDate, ok = s.parseDay(f.TargetDate); !ok {
		errs = addErr(errs, "target_date", "invalid_date")
	}
	if in.DeferUntil, ok = s.parseDay(f.DeferUntil); !ok {
		errs = addErr(errs, "defer_until", "invalid_date")
	}
	if in.ImplementedOn, ok = s.parseDay(f.ImplementedOn); !ok {
		errs = addErr(errs, "implemented_on", "invalid_date")
	}
	return in, errs
}

// improvementTransition applies one move from the improvement page. A move based on a
// stale page is refused (409) with the current page and nothing applied; a move the
// table does not allow is refused naming what is allowed; missing input is named by field.
func (s *Server) improvementTransition(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := readTransitionForm(c)
	in, errs := s.transitionInput(ctx, f)
	if errs == nil {
		imp, err := s.store.TransitionImprovement(ctx, id, in, currentUser(c))
		if err == nil {
			s.counts.Invalidate()
			s.flash(c, "flash.transitioned", map[string]any{"Title": imp.Title,
				"Status": i18n.T(ctx, "status."+string(imp.Status))})
			return redirect(c, "/improvements/"+strconv.FormatInt(id, 10))
		}
		var ok bool
		if errs, ok = merge(errs, err); !ok {
			return s.refuseOnPage(c, id, err, showState{})
		}
	}
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	if missing := s.store.MissingNeeds(imp, in); missing != nil {
		for k, v := range missing.Fields {
			errs = addErr(errs, k, v)
		}
	}
	return s.renderImprovement(c, http.StatusBadRequest, imp, showState{failed: f.To, input: f.view(), errs: errs})
}

// refuseOnPage shows the improvement as it is now with the reason a change was
// refused: 409 for a stale version or a move that is not allowed. Other errors
// (forbidden, not found) go to the error page.
func (s *Server) refuseOnPage(c echo.Context, id int64, cause error, st showState) error {
	ctx := c.Request().Context()
	if !errors.Is(cause, models.ErrConflict) && !errors.Is(cause, models.ErrNotAllowed) {
		return cause
	}
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	st.message = refusalMessage(ctx, cause)
	return s.renderImprovement(c, http.StatusConflict, imp, st)
}

// refusalMessage explains a refused change in the user's language.
func refusalMessage(ctx context.Context, err error) string {
	var te *models.TransitionError
	switch {
	case errors.As(err, &te):
		if len(te.Allowed) == 0 {
			return i18n.T(ctx, "improvement.refused_final", map[string]any{"Status": i18n.T(ctx, "status."+string(te.From))})
		}
		names := make([]string, len(te.Allowed))
		for i, st := range te.Allowed {
			names[i] = i18n.T(ctx, "status."+string(st))
		}
		return i18n.T(ctx, "improvement.refused_move", map[string]any{"From": i18n.T(ctx, "status."+string(te.From)),
			"To": i18n.T(ctx, "status."+string(te.To)), "Allowed": strings.Join(names, ", ")})
	case errors.Is(err, models.ErrConflict):
		if holder, ok := models.IsClaimed(err); ok {
			return i18n.T(ctx, "board.claimed_by", map[string]any{"Name": holder})
		}
		return i18n.T(ctx, "improvement.stale")
	default:
		return i18n.T(ctx, "improvement.not_allowed")
	}
}

// improvementLink links the selected feedback to an existing improvement and returns
// to triage for the next item.
func (s *Server) improvementLink(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	params, _ := c.FormParams()
	ids := parseIDs(params["feedback"])
	if len(ids) == 0 {
		return models.Invalid("feedback", "select_feedback")
	}
	if err := s.store.LinkFeedback(ctx, id, ids, currentUser(c)); err != nil {
		return err
	}
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	s.counts.Invalidate()
	s.flash(c, "flash.feedback_linked", map[string]any{"Count": len(ids), "Title": imp.Title})
	next := safeNext(c.FormValue("next"))
	if next == "/" {
		next = "/improvements/" + strconv.FormatInt(id, 10)
	}
	return redirect(c, next)
}

// improvementMerge folds two improvements into one: either the other one into this
// one, or this one into the other.
func (s *Server) improvementMerge(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	otherStr, direction := strings.TrimSpace(c.FormValue("merge_id")), c.FormValue("direction")
	version, verr := strconv.Atoi(c.FormValue("version"))
	other, oerr := strconv.ParseInt(strings.TrimPrefix(otherStr, "#"), 10, 64)
	st := showState{mergeID: otherStr, mergeInto: direction, mergeOpen: true}
	if oerr != nil || other <= 0 {
		st.mergeErrs = components.Errors{"merge_id": "required"}
	} else if verr != nil {
		st.mergeErrs = components.Errors{"merge_id": "invalid"}
	}
	if st.mergeErrs == nil {
		in := models.MergeInput{SurvivorID: id, MergedID: other, SeenID: id, SeenVersion: version}
		if direction == "into_other" {
			in.SurvivorID, in.MergedID = other, id
		}
		survivor, err := s.store.MergeImprovements(ctx, in, currentUser(c))
		if err == nil {
			s.counts.Invalidate()
			s.flash(c, "flash.merged", map[string]any{"Merged": in.MergedID, "Title": survivor.Title})
			return redirect(c, "/improvements/"+strconv.FormatInt(survivor.ID, 10))
		}
		var ok bool
		if st.mergeErrs, ok = merge(nil, err); !ok {
			return s.refuseOnPage(c, id, err, st)
		}
	}
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	return s.renderImprovement(c, http.StatusBadRequest, imp, st)
}

// editForm is the improvement's edit form as posted.
type editForm struct {
	Title       string `form:"title" validate:"required,max=200"`
	Description string `form:"description" validate:"max=5000"`
	Category    string `form:"category"`
	Impact      string `form:"impact" validate:"required,oneof=1 2 3 4 5"`
	Effort      string `form:"effort" validate:"required,oneof=XS S M L XL"`
	Version     string `form:"version" validate:"required,number"`
}

// improvementEdit saves title, description, category, impact and effort; the priority
// follows. A stale version is refused like any other change.
func (s *Server) improvementEdit(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := editForm{Title: strings.TrimSpace(c.FormValue("title")), Description: c.FormValue("description"),
		Category: c.FormValue("category"), Impact: c.FormValue("impact"),
		Effort: strings.ToUpper(strings.TrimSpace(c.FormValue("effort"))), Version: c.FormValue("version")}
	view := improvements.EditForm{Title: f.Title, Description: f.Description, Category: f.Category, Impact: f.Impact, Effort: f.Effort}
	errs := checkForm(f)
	var catID *int64
	if f.Category != "" {
		if catID = s.refID(ctx, models.RefCategories, f.Category); catID == nil {
			errs = addErr(errs, "category", "invalid_choice")
		}
	}
	if errs == nil {
		impact, _ := strconv.Atoi(f.Impact)
		version, _ := strconv.Atoi(f.Version)
		imp, err := s.store.EditImprovement(ctx, id, models.ImprovementEdit{Version: version, Title: f.Title,
			Description: f.Description, CategoryID: catID, Impact: impact, Effort: models.Effort(f.Effort)}, currentUser(c))
		if err == nil {
			s.flash(c, "flash.improvement_saved", map[string]any{"Title": imp.Title})
			return redirect(c, "/improvements/"+strconv.FormatInt(id, 10))
		}
		var ok bool
		if errs, ok = merge(errs, err); !ok {
			return s.refuseOnPage(c, id, err, showState{})
		}
	}
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	return s.renderImprovement(c, http.StatusBadRequest, imp, showState{edit: &view, editErrs: errs})
}
