package app

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/followups"
)

// followUpForm is the follow-up form as posted.
type followUpForm struct {
	Note      string `form:"note" validate:"required,max=10000"`
	Goodwill  string `form:"goodwill_amount"`
	RootCause string `form:"root_cause"`
}

func readFollowUpForm(c echo.Context) followUpForm {
	return followUpForm{Note: strings.TrimSpace(c.FormValue("note")), Goodwill: strings.TrimSpace(c.FormValue("goodwill_amount")),
		RootCause: strings.TrimSpace(c.FormValue("root_cause"))}
}

func (f followUpForm) view() followups.Form {
	return followups.Form{Note: f.Note, Goodwill: f.Goodwill, RootCause: f.RootCause}
}

// followUpsIndex is the queue of open follow-ups: overdue first, then by due time.
func (s *Server) followUpsIndex(c echo.Context) error {
	return s.renderFollowUps(c, http.StatusOK, nil)
}

func (s *Server) followUpContext(c echo.Context) (followups.Context, error) {
	cats, err := s.store.ActiveRefs(c.Request().Context(), models.RefCategories)
	p := s.followUpCSRF(c)
	return followups.Context{CSRF: p, Now: s.store.Now(), Loc: s.store.Location, Categories: cats}, err
}

func (s *Server) followUpCSRF(c echo.Context) string {
	tok, _ := c.Get("csrf").(string)
	return tok
}

// renderFollowUps draws the queue; failed carries a post that was refused, shown open
// in its row.
func (s *Server) renderFollowUps(c echo.Context, status int, failed *followups.Item) error {
	ctx := c.Request().Context()
	queue, err := s.store.FollowUpQueue(ctx, 500)
	if err != nil {
		return err
	}
	fc, err := s.followUpContext(c)
	if err != nil {
		return err
	}
	m := followups.IndexPage{Page: s.page(c, "followups.title", "followups"), Ctx: fc}
	for _, fb := range queue {
		it := followups.Item{Feedback: fb}
		if failed != nil && failed.Feedback.ID == fb.ID {
			it = *failed
			it.Feedback = fb
		}
		m.Items = append(m.Items, it)
	}
	return render(c, status, followups.Index(m))
}

// followUpRecord records a follow-up. With htmx it answers with the row alone, in
// place; as a plain post it redirects back to where the form was, or shows that page
// again with the problems.
func (s *Server) followUpRecord(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if !currentUser(c).Has(models.RoleAmbassador) {
		fb, err := s.store.FeedbackByID(ctx, id)
		if err != nil {
			return err
		}
		if ok, err := s.mayWorkFollowUp(ctx, currentUser(c), fb); err != nil {
			return err
		} else if !ok {
			return models.ErrForbidden
		}
	}
	f := readFollowUpForm(c)
	errs := checkForm(f)
	fromMine := c.FormValue("from") == "mine"

	if errs == nil {
		errs = components.Errors{}
	}
	fu := models.FollowUp{By: currentUser(c), Note: f.Note}
	if f.Goodwill != "" {
		// Read as typed in the user's language: "1.250" is 1250 in Danish, not 1.25, and
		// "250,50" is 250 kroner 50 øre, not 25050; text read differently in the other
		// language is refused with the expected form rather than guessed.
		if ore, perr := i18n.FromContext(ctx).ParseMoney(f.Goodwill); perr != nil {
			errs["goodwill_amount"] = "not_an_amount"
		} else {
			fu.Goodwill = models.Money(ore)
		}
	}
	if f.RootCause != "" {
		if it, err := s.store.ResolveRef(ctx, models.RefCategories, f.RootCause); err == nil {
			fu.RootCauseID = &it.ID
		} else {
			errs["root_cause"] = "unknown_reference"
		}
	}
	fromFeedbackPage := c.FormValue("from") == "feedback"
	item := followups.Item{Form: f.view(), Open: true}
	if fromFeedbackPage {
		item.From = "feedback"
	}
	var fb *models.Feedback
	if len(errs) == 0 {
		fb, err = s.store.RecordFollowUp(ctx, id, fu)
		if errors.Is(err, models.ErrConflict) && !isHTMX(c) {
			// Someone recorded it first: say who and when instead of a bare 409.
			if done, ferr := s.store.FeedbackByID(ctx, id); ferr == nil && done.FollowedUpAt != nil {
				by := "?"
				if done.FollowUpBy != nil {
					by = done.FollowUpBy.Name
				}
				s.flashError(c, "loop.conflict", map[string]any{"By": by, "Action": i18n.T(ctx, "loop_did.done"),
					"At": components.FormatDateTime(ctx, done.FollowedUpAt.In(s.store.Location))})
				switch {
				case fromMine:
					return redirect(c, "/my/follow-ups")
				case fromFeedbackPage:
					return redirect(c, "/feedback/"+strconv.FormatInt(id, 10))
				}
				return redirect(c, "/follow-ups")
			}
		}
		var gl *models.GoodwillLimitError
		if errors.As(err, &gl) {
			item.Remaining = gl.Remaining
		}
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		item.Errors = errs
		current, err := s.store.FeedbackByID(ctx, id)
		if err != nil {
			return err
		}
		item.Feedback = *current
		if isHTMX(c) {
			return s.renderFollowUpRow(c, http.StatusBadRequest, item)
		}
		if fromFeedbackPage {
			return s.renderFeedback(c, http.StatusBadRequest, id, &item)
		}
		if fromMine {
			return s.renderMyFollowUps(c, http.StatusBadRequest, id, f.Note, errs)
		}
		return s.renderFollowUps(c, http.StatusBadRequest, &item)
	}
	if isHTMX(c) {
		c.Response().Header().Set("Vary", "HX-Request")
		fc, err := s.followUpContext(c)
		if err != nil {
			return err
		}
		n := s.navCounts(ctx)
		return render(c, http.StatusOK, followups.RowAndCount(followups.Item{Feedback: *fb}, fc,
			n.FollowUpsDue+n.FollowUpsOverdue, n.FollowUpsOverdue > 0))
	}
	s.flash(c, "flash.followed_up")
	if fromMine {
		return redirect(c, "/my/follow-ups")
	}
	if fromFeedbackPage {
		return redirect(c, "/feedback/"+strconv.FormatInt(id, 10))
	}
	return redirect(c, "/follow-ups")
}

func (s *Server) renderFollowUpRow(c echo.Context, status int, it followups.Item) error {
	fc, err := s.followUpContext(c)
	if err != nil {
		return err
	}
	return render(c, status, followups.Row(it, fc))
}
