package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/pages/initiatives"
)

// initiativesIndex lists approved and started steering items by functional area and
// owner, with overdue target dates marked. Steering members and admins may see it;
// only steering members get the start, finish and progress forms.
func (s *Server) initiativesIndex(c echo.Context) error {
	return s.renderInitiatives(c, http.StatusOK, initiatives.ActionForm{})
}

func (s *Server) renderInitiatives(c echo.Context, status int, f initiatives.ActionForm) error {
	list, err := s.store.Initiatives(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, status, initiatives.Index(initiatives.IndexPage{Page: s.page(c, "initiative.title", "steering"),
		Groups: models.GroupInitiatives(list), Today: s.store.Today(),
		CanAct: currentUser(c).Has(models.RoleSteering), Form: f}))
}

// initiativeForm is the start or finish form of an initiative.
type initiativeForm struct {
	To      string `form:"to" validate:"oneof=in_progress implemented"`
	Version int    `form:"version" validate:"min=1"`
	Note    string `form:"note" validate:"max=5000"`
}

// initiativeTransition starts an approved initiative or marks a started one
// implemented with what changed (required), based on the version the user saw.
func (s *Server) initiativeTransition(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(c.FormValue("version"))
	f := initiativeForm{To: c.FormValue("to"), Version: version, Note: strings.TrimSpace(c.FormValue("note"))}
	errs := checkForm(f)
	if errs == nil {
		_, err = s.store.TransitionImprovement(c.Request().Context(), id,
			models.TransitionInput{To: models.Status(f.To), Version: f.Version, Note: f.Note}, currentUser(c))
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		if errs["to"] != "" || errs["version"] != "" {
			return &models.ValidationError{Fields: errs}
		}
		return s.renderInitiatives(c, http.StatusBadRequest, initiatives.ActionForm{ImprovementID: id, Note: f.Note, Errors: errs})
	}
	if f.To == string(models.StatusImplemented) {
		s.flash(c, "flash.initiative_implemented")
	} else {
		s.flash(c, "flash.initiative_started")
	}
	return redirect(c, "/initiatives")
}
