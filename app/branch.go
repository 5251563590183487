package app

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/pages/feedback"
	"github.com/improvementtracker/tracker/views/pages/loop"
)

// branchHome sends a branch manager to their first branch's page.
func (s *Server) branchHome(c echo.Context) error {
	ctx := c.Request().Context()
	ids, err := s.store.UserBranches(ctx, currentUser(c).ID)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return models.ErrNotFound
	}
	items, err := s.store.RefList(ctx, models.RefBranches)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.ID == ids[0] {
			return c.Redirect(http.StatusSeeOther, "/branches/"+it.Code)
		}
	}
	return models.ErrNotFound
}

// branchShow is a branch's month: NPS and trend, follow-ups, root causes, praise.
func (s *Server) branchShow(c echo.Context) error { return s.renderBranch(c, false) }

// branchPack is the same month as a one-page meeting pack to print.
func (s *Server) branchPack(c echo.Context) error { return s.renderBranch(c, true) }

func (s *Server) renderBranch(c echo.Context, pack bool) error {
	ctx := c.Request().Context()
	it, err := s.store.ResolveRef(ctx, models.RefBranches, c.Param("code"))
	if err != nil {
		return models.ErrNotFound
	}
	u := currentUser(c)
	// A branch manager sees their own branches only; steering and admins see all.
	var mine []models.RefItem
	if !u.Has(models.RoleSteering, models.RoleAdmin) {
		ids, err := s.store.UserBranches(ctx, u.ID)
		if err != nil {
			return err
		}
		if !slices.Contains(ids, it.ID) {
			return models.ErrNotFound
		}
		all, err := s.store.RefList(ctx, models.RefBranches)
		if err != nil {
			return err
		}
		for _, b := range all {
			if slices.Contains(ids, b.ID) {
				mine = append(mine, b)
			}
		}
	}
	at := s.monthParam(c)
	rep, err := s.store.BranchReport(ctx, it.ID, at)
	if err != nil {
		return err
	}
	base := "/branches/" + it.Code
	if pack {
		base += "/pack"
	}
	m := loop.BranchPage{Page: s.page(c, "loop.branch_title", "branch"), Report: rep, Branches: mine, Pack: pack,
		Month: periodLabel(ctx, rep.Period),
		Prev:  base + "?month=" + rep.Period.Start.AddDate(0, -1, 0).Format("2006-01"),
		Next:  base + "?month=" + rep.Period.Start.AddDate(0, 1, 0).Format("2006-01")}
	m.Title = it.Name
	return render(c, http.StatusOK, loop.Branch(m))
}

// scopeFilter keeps a branch manager's (or staff member's) lists to their branches.
func (s *Server) scopeFilter(c echo.Context, f *models.FeedbackFilter) error {
	scope, err := s.store.FeedbackScope(c.Request().Context(), currentUser(c))
	f.BranchScope = scope
	return err
}

// mayRead refuses (as not found, so nothing is revealed) a feedback outside the user's
// branches, unless its follow-up is theirs to work.
func (s *Server) mayRead(c echo.Context, fb *models.Feedback) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	scope, err := s.store.FeedbackScope(ctx, u)
	if err != nil {
		return err
	}
	if models.InScope(scope, fb.BranchID) {
		return nil
	}
	if fb.EmployeeID != nil && *fb.EmployeeID == u.ID {
		return nil
	}
	if fb.FollowUpDueAt != nil {
		if ok, err := s.mayWorkFollowUp(ctx, u, fb); err != nil || ok {
			return err
		}
	}
	return models.ErrNotFound
}

// feedbackLoop loads the employee and the follow-up panel of the feedback page.
func (s *Server) feedbackLoop(c echo.Context, fb *models.Feedback) (feedback.FeedbackLoop, error) {
	ctx := c.Request().Context()
	var out feedback.FeedbackLoop
	if fb.EmployeeID != nil {
		if u, err := s.store.UserByID(ctx, *fb.EmployeeID); err == nil {
			out.Employee = u
		}
	}
	if fb.FollowUpDueAt == nil {
		return out, nil
	}
	st, owner, err := s.store.FollowUpStateOf(ctx, fb.ID)
	if err != nil {
		return out, err
	}
	can, err := s.mayWorkFollowUp(ctx, currentUser(c), fb)
	if err != nil {
		return out, err
	}
	tok, _ := c.Get("csrf").(string)
	out.Panel = &loop.Panel{State: *st, Owner: owner, Employee: out.Employee, Feedback: *fb, CSRF: tok,
		Me: currentUser(c), CanWork: can, Loc: s.store.Location}
	return out, nil
}
