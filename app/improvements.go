package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/improvements"
)

// improvementList shows improvements highest priority first, filtered by track,
// status, category, functional area and owner, one keyset page at a time.
func (s *Server) improvementList(c echo.Context) error {
	ctx := c.Request().Context()
	fv := improvements.Filter{Track: c.QueryParam("track"), Status: c.QueryParam("status"),
		Category: c.QueryParam("category"), Area: c.QueryParam("area"), Owner: c.QueryParam("owner")}
	f := models.ImprovementFilter{}
	if t, ok := models.ParseTrack(fv.Track); ok {
		f.Track = t
	}
	if st, ok := models.ParseStatus(fv.Status); ok {
		f.Status = st
	}
	f.CategoryID = s.refID(ctx, models.RefCategories, fv.Category)
	f.FunctionalAreaID = s.refID(ctx, models.RefFunctionalAreas, fv.Area)
	if id, err := strconv.ParseInt(fv.Owner, 10, 64); err == nil && id > 0 {
		f.OwnerID = &id
	}
	cursor := c.QueryParam("after")
	page, err := s.store.ListImprovements(ctx, f, cursor, 50)
	if err != nil {
		return err
	}
	ids := make([]int64, len(page.Items))
	for i, it := range page.Items {
		ids[i] = it.ID
	}
	tallies, err := s.store.FeedbackTallies(ctx, ids)
	if err != nil {
		return err
	}
	cats, err := s.store.RefList(ctx, models.RefCategories)
	if err != nil {
		return err
	}
	areas, err := s.store.RefList(ctx, models.RefFunctionalAreas)
	if err != nil {
		return err
	}
	owners, err := s.activeUsers(ctx)
	if err != nil {
		return err
	}
	m := improvements.ListPage{Page: s.page(c, "improvements.title", "improvements"), Items: page.Items,
		Tallies: tallies, Filter: fv, Categories: cats, Areas: areas, Owners: owners,
		CanCreate: currentUser(c).Has(models.RoleSteering, models.RoleAmbassador)}
	q := filterQuery(fv)
	if cursor != "" {
		m.FirstHref = improvementsHref(q)
	}
	if page.Next != "" {
		nq := copyQuery(q)
		nq.Set("after", page.Next)
		m.NextHref = "/improvements?" + nq.Encode()
	}
	m.Chips = filterChips(ctx, q, fv, cats, areas, owners)
	return render(c, http.StatusOK, improvements.List(m))
}

func filterQuery(fv improvements.Filter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"track": fv.Track, "status": fv.Status, "category": fv.Category,
		"area": fv.Area, "owner": fv.Owner} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// improvementsHref is the list's address with a query.
func improvementsHref(q url.Values) string {
	if len(q) == 0 {
		return "/improvements"
	}
	return "/improvements?" + q.Encode()
}

func copyQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// filterChips names each active filter with the address of the list without it.
func filterChips(ctx context.Context, q url.Values, fv improvements.Filter, cats, areas []models.RefItem, owners []models.User) []improvements.Chip {
	var out []improvements.Chip
	add := func(key, label string) {
		if q.Get(key) == "" {
			return
		}
		rest := copyQuery(q)
		rest.Del(key)
		out = append(out, improvements.Chip{Label: label, Href: improvementsHref(rest)})
	}
	add("track", i18n.T(ctx, "track."+fv.Track))
	add("status", i18n.T(ctx, "status."+fv.Status))
	add("category", refName(cats, fv.Category))
	add("area", refName(areas, fv.Area))
	owner := fv.Owner
	for _, u := range owners {
		if strconv.FormatInt(u.ID, 10) == fv.Owner {
			owner = u.Name
		}
	}
	add("owner", owner)
	return out
}

func refName(items []models.RefItem, code string) string {
	for _, it := range items {
		if it.Code == code {
			return it.Name
		}
	}
	return code
}

// refID resolves a code or name from a form or query to an id, or nil when empty or
// unknown (a stale filter link then shows everything rather than failing).
func (s *Server) refID(ctx context.Context, kind models.RefKind, v string) *int64 {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	it, err := s.store.ResolveRef(ctx, kind, v)
	if err != nil {
		return nil
	}
	return &it.ID
}

// activeUsers lists the users who can own or hold an improvement.
func (s *Server) activeUsers(ctx context.Context) ([]models.User, error) {
	all, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]models.User, 0, len(all))
	for _, u := range all {
		if u.Active {
			out = append(out, u)
		}
	}
	return out, nil
}

// improvementMatrix shows open improvements on the impact/effort grid.
func (s *Server) improvementMatrix(c echo.Context) error {
	ctx := c.Request().Context()
	items, err := s.store.OpenImprovements(ctx)
	if err != nil {
		return err
	}
	threshold, err := s.store.RoutingThreshold(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	ev, err := s.store.EvidenceOf(ctx, ids)
	if err != nil {
		return err
	}
	byEvidence := c.QueryParam("sort") == "evidence"
	return render(c, http.StatusOK, improvements.Matrix(improvements.MatrixPage{
		Page: s.page(c, "improvements.matrix", "improvements"), Grid: models.EvidenceMatrix(items, threshold, ev, byEvidence),
		Threshold: threshold, Evidence: ev, ByEvidence: byEvidence}))
}

// improvementShow shows one improvement. The address of a merged improvement leads
// to the one it was merged into, permanently.
func (s *Server) improvementShow(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	if imp.MergedIntoID != nil {
		to, err := s.store.Survivor(ctx, imp)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusMovedPermanently, fmt.Sprintf("/improvements/%d", to))
	}
	return s.renderImprovement(c, http.StatusOK, imp, showState{})
}

// showState is what a failed form on the improvement page brings back to it.
type showState struct {
	failed    string
	input     improvements.TransitionInput
	errs      components.Errors
	edit      *improvements.EditForm
	editErrs  components.Errors
	mergeID   string
	mergeInto string
	mergeErrs components.Errors
	mergeOpen bool
	message   string
	// savings is a savings form that failed, with its errors.
	savings     *improvements.SavingsForm
	savingsErrs components.Errors
}

// renderImprovement builds the improvement page. Only the moves this user's roles
// allow are offered, so nobody sees a button that would be refused.
func (s *Server) renderImprovement(c echo.Context, status int, imp *models.Improvement, st showState) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	m := improvements.ShowPage{Page: s.page(c, "improvements.title", "improvements"), Imp: imp,
		Failed: st.failed, Input: st.input, Errors: st.errs, EditErrors: st.editErrs,
		MergeID: st.mergeID, MergeInto: st.mergeInto, MergeErrs: st.mergeErrs, MergeOpen: st.mergeOpen}
	m.Title = imp.Title
	m.Error = st.message
	if imp.MergedIntoID == nil {
		for _, t := range models.AllowedTransitions(imp.Track, imp.Status) {
			if models.MayPerform(u.RoleList(), t) {
				m.Actions = append(m.Actions, t)
			}
		}
	}
	var err error
	if m.Feedback, err = s.store.LinkedFeedbackOf(ctx, imp.ID); err != nil {
		return err
	}
	m.Tally = models.Tally(m.Feedback)
	comments, err := s.commentsView(c, imp)
	if err != nil {
		return err
	}
	m.Comments = components.Comments(comments)
	if m.Timeline, err = s.store.Timeline(ctx, imp.ID); err != nil {
		return err
	}
	if len(m.Actions) > 0 {
		if m.Owners, err = s.activeUsers(ctx); err != nil {
			return err
		}
		if m.Areas, err = s.store.ActiveRefs(ctx, models.RefFunctionalAreas); err != nil {
			return err
		}
	}
	isSteering := u.Has(models.RoleSteering) && imp.MergedIntoID == nil
	m.CanEdit, m.CanMerge = isSteering, isSteering
	if isSteering {
		if m.Categories, err = s.store.ActiveRefs(ctx, models.RefCategories); err != nil {
			return err
		}
		m.Edit = improvements.EditForm{Title: imp.Title, Description: imp.Description,
			Impact: strconv.Itoa(imp.Impact), Effort: string(imp.Effort)}
		if imp.Category != nil {
			m.Edit.Category = imp.Category.Code
		}
		if st.edit != nil {
			m.Edit, m.EditOpen = *st.edit, true
		}
	}
	m.Today = s.store.Today()
	m.Savings = improvements.SavingsForm{EstimatedKr: optMoneyInput(c.Request().Context(), imp.SavingsEstimatedKr),
		RealisedKr:     optMoneyInput(c.Request().Context(), imp.SavingsRealisedKr),
		EstimatedHours: optNum(imp.HoursEstimated), RealisedHours: optNum(imp.HoursRealised)}
	if st.savings != nil {
		m.Savings, m.SavingsErrors = *st.savings, st.savingsErrs
	}
	if imp.Status == models.StatusImplemented && imp.MergedIntoID == nil {
		days, _ := impactDays(c.QueryParam("days"))
		if m.Impact, err = s.store.ImprovementImpact(ctx, imp, days); err != nil {
			return err
		}
	}
	return render(c, status, improvements.Show(m))
}
