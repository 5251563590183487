package app

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/improvements"
)

// transitionForm is one of the improvement page's action forms as posted; the owner
// is picked by id, the functional area by code.
type transitionForm struct {
	To, Version, Reason, Note, Owner, Area, TargetDate, DeferUntil string
	// ImplementedOn is the day a finished change took effect, when recorded later.
	ImplementedOn string
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

// request is the form as the domain's one transition request (see models.TransitionRequest).
func (f transitionForm) request() models.TransitionRequest {
	return models.TransitionRequest{To: f.To, Version: f.Version, Reason: f.Reason, Note: f.Note,
		OwnerID: f.Owner, Area: f.Area, TargetDate: f.TargetDate, DeferUntil: f.DeferUntil,
		ImplementedOn: f.ImplementedOn}
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
	in, err := s.store.TransitionInput(ctx, f.request())
	if err == nil {
		var imp *models.Improvement
		if imp, err = s.store.TransitionImprovement(ctx, id, in, currentUser(c)); err == nil {
			s.flash(c, "flash.transitioned", map[string]any{"Title": imp.Title,
				"Status": i18n.T(ctx, "status."+string(imp.Status))})
			return redirect(c, "/improvements/"+strconv.FormatInt(id, 10))
		}
	}
	errs, ok := merge(nil, err)
	if !ok {
		return s.refuseOnPage(c, id, err, showState{})
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
