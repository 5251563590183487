package app

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/initiatives"
)

// canPostProgress says who may post progress notes on an improvement: steering
// members and its owner. Anyone signed in may comment.
func canPostProgress(u *models.User, imp *models.Improvement) bool {
	return u.Has(models.RoleSteering) || imp.OwnerID != nil && *imp.OwnerID == u.ID
}

// commentsView builds the comments component of an improvement for the signed-in
// user (the improvement page includes it with @components.Comments(...)).
func (s *Server) commentsView(c echo.Context, imp *models.Improvement) (components.CommentsView, error) {
	list, err := s.store.Comments(c.Request().Context(), imp.ID)
	if err != nil {
		return components.CommentsView{}, err
	}
	v := components.CommentsView{ImprovementID: imp.ID, Comments: list, CanProgress: canPostProgress(currentUser(c), imp)}
	if tok, ok := c.Get("csrf").(string); ok {
		v.CSRF = tok
	}
	return v, nil
}

// commentCreate adds a comment or progress note to an improvement. With htmx the
// comments section comes back in place; otherwise the user returns to where they came
// from (next) or the improvement page. An empty comment is shown again with its error.
func (s *Server) commentCreate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	u := currentUser(c)
	kind := models.CommentRemark
	if c.FormValue("kind") == models.CommentProgress {
		if !canPostProgress(u, imp) {
			return models.ErrForbidden
		}
		kind = models.CommentProgress
	}
	body := c.FormValue("body")
	next := strings.TrimSpace(c.FormValue("next"))
	_, err = s.store.AddComment(ctx, id, kind, body, u)
	errs, invalid := merge(nil, err)
	if err != nil && !invalid {
		return err
	}
	v, verr := s.commentsView(c, imp)
	if verr != nil {
		return verr
	}
	if next != "" {
		v.Next = safeNext(next)
	}
	if invalid {
		v.Body, v.Kind, v.Errors = body, kind, errs
		if isHTMX(c) {
			return render(c, http.StatusBadRequest, components.Comments(v))
		}
		return render(c, http.StatusBadRequest, initiatives.Comment(initiatives.CommentPage{
			Page: s.page(c, "comment.title", "improvements"), Improvement: *imp, Comments: v}))
	}
	if isHTMX(c) {
		return render(c, http.StatusOK, components.Comments(v))
	}
	if kind == models.CommentProgress {
		s.flash(c, "flash.progress_added")
	} else {
		s.flash(c, "flash.comment_added")
	}
	if next != "" {
		return redirect(c, safeNext(next))
	}
	return redirect(c, fmt.Sprintf("/improvements/%d", id))
}
