package app

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/recognition"
)

// praiseCandidates is how many recent promoters' comments the recognition page offers
// to mark.
const praiseCandidates = 8

// recognitionPage lists the colleagues customers praised this month and this year.
func (s *Server) recognitionPage(c echo.Context) error {
	ctx := c.Request().Context()
	r, err := s.store.Recognition(ctx)
	if err != nil {
		return err
	}
	var cands []models.PraiseCandidate
	if currentUser(c).Has(models.RoleAmbassador, models.RoleSteering) {
		if cands, err = s.store.PraiseCandidates(ctx, praiseCandidates); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, recognition.Index(recognition.IndexPage{Page: s.page(c, "recognition.title", "yousaid"),
		R: r, Candidates: cands, Loc: s.store.Location}))
}

// praiseForm is the name of the colleague a customer praised.
type praiseForm struct {
	Colleague string `form:"colleague" validate:"required,max=120"`
}

// praiseShow shows the praise form of one feedback.
func (s *Server) praiseShow(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := s.store.PraiseTarget(c.Request().Context(), id)
	if err != nil {
		return err
	}
	name := ""
	if f.PraisedColleague != nil {
		name = *f.PraisedColleague
	}
	return s.renderPraise(c, http.StatusOK, f, name, nil)
}

func (s *Server) renderPraise(c echo.Context, status int, f *models.PraiseTarget, name string, errs components.Errors) error {
	return render(c, status, recognition.Form(recognition.FormPage{Page: s.page(c, "recognition.form_title", "yousaid"),
		F: f, Colleague: name, Errors: errs, Loc: s.store.Location}))
}

// praiseSave marks a promoter's feedback as praising a colleague.
func (s *Server) praiseSave(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, err := s.store.PraiseTarget(ctx, id)
	if err != nil {
		return err
	}
	form := praiseForm{Colleague: strings.TrimSpace(c.FormValue("colleague"))}
	errs := checkForm(form)
	if errs == nil {
		err = s.store.PraiseColleague(ctx, id, form.Colleague, currentUser(c))
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderPraise(c, http.StatusBadRequest, f, form.Colleague, errs)
	}
	s.flash(c, "flash.praise_saved", map[string]any{"Name": form.Colleague})
	return redirect(c, "/recognition")
}
