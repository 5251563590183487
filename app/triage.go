package app

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/triage"
)

// triageIndex is the inbox of untriaged feedback, oldest first.
func (s *Server) triageIndex(c echo.Context) error {
	cursor := c.QueryParam("after")
	items, next, err := s.store.UntriagedFeedback(c.Request().Context(), cursor, 50)
	if err != nil {
		return err
	}
	m := triage.IndexPage{Page: s.page(c, "triage.title", "triage"), Items: items}
	if cursor != "" {
		m.FirstHref = "/triage"
	}
	if next != "" {
		m.NextHref = "/triage?after=" + url.QueryEscape(next)
	}
	return render(c, http.StatusOK, triage.Index(m))
}

// selection loads the feedback chosen in the inbox; no choice is a field problem.
func (s *Server) selection(c echo.Context, ids []int64) ([]models.TriageItem, components.Errors, error) {
	items, err := s.store.FeedbackForTriage(c.Request().Context(), ids)
	if err != nil {
		return nil, nil, err
	}
	if len(items) == 0 {
		return items, components.Errors{"feedback": "select_feedback"}, nil
	}
	return items, nil, nil
}

// triageNoActionForm asks for the reason before closing the selected feedback.
func (s *Server) triageNoActionForm(c echo.Context) error {
	items, errs, err := s.selection(c, parseIDs(c.QueryParams()["feedback"]))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, triage.NoAction(triage.SelectionPage{Page: s.page(c, "triage.no_action_title", "triage"),
		Items: items, Errors: errs}))
}

// triageNoAction closes the selected feedback as needing no improvement.
func (s *Server) triageNoAction(c echo.Context) error {
	params, _ := c.FormParams()
	ids := parseIDs(params["feedback"])
	reason := c.FormValue("reason")
	n, err := s.store.CloseNoAction(c.Request().Context(), ids, reason, currentUser(c))
	errs, invalid := merge(nil, err)
	if err != nil && !invalid {
		return err
	}
	if invalid {
		items, _, lerr := s.selection(c, ids)
		if lerr != nil {
			return lerr
		}
		return render(c, http.StatusBadRequest, triage.NoAction(triage.SelectionPage{
			Page: s.page(c, "triage.no_action_title", "triage"), Items: items, Reason: reason, Errors: errs}))
	}
	s.flash(c, "flash.no_action", map[string]any{"Count": n})
	return redirect(c, "/triage")
}

// triageLink searches improvements by title to link the selection to one. With htmx
// only the results are returned, as the user types.
func (s *Server) triageLink(c echo.Context) error {
	items, errs, err := s.selection(c, parseIDs(c.QueryParams()["feedback"]))
	if err != nil {
		return err
	}
	q := c.QueryParam("q")
	byEvidence := c.QueryParam("sort") == "evidence"
	limit := 20
	if byEvidence {
		// The strongest evidence is looked for among more than one page of priorities.
		limit = 200
	}
	ctx := c.Request().Context()
	hits, err := s.store.SearchImprovements(ctx, q, limit)
	if err != nil {
		return err
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	ev, err := s.store.EvidenceOf(ctx, ids)
	if err != nil {
		return err
	}
	if byEvidence {
		slices.SortStableFunc(hits, func(a, b models.ImprovementHit) int { return models.CompareEvidence(ev[a.ID], ev[b.ID]) })
		hits = hits[:min(len(hits), 20)]
	}
	m := triage.SelectionPage{Page: s.page(c, "triage.link_title", "triage"), Items: items, Q: q, Hits: hits, Errors: errs,
		Evidence: ev, ByEvidence: byEvidence}
	if isHTMX(c) {
		return render(c, http.StatusOK, triage.LinkResults(m))
	}
	return render(c, http.StatusOK, triage.Link(m))
}
