package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/improvements"
)

// newImprovementForm is the create form as posted.
type newImprovementForm struct {
	Title       string `form:"title" validate:"required,max=200"`
	Description string `form:"description" validate:"max=5000"`
	Category    string `form:"category"`
	Impact      string `form:"impact" validate:"required,oneof=1 2 3 4 5"`
	Effort      string `form:"effort" validate:"required,oneof=XS S M L XL"`
	Track       string `form:"track" validate:"omitempty,oneof=quick_win steering"`
	TrackReason string `form:"track_reason" validate:"max=1000"`
	FeedbackIDs []int64
}

func readNewImprovementForm(c echo.Context) newImprovementForm {
	params, _ := c.FormParams()
	return newImprovementForm{Title: strings.TrimSpace(c.FormValue("title")), Description: c.FormValue("description"),
		Category: c.FormValue("category"), Impact: c.FormValue("impact"),
		Effort: strings.ToUpper(strings.TrimSpace(c.FormValue("effort"))), Track: c.FormValue("track"),
		TrackReason: c.FormValue("track_reason"), FeedbackIDs: parseIDs(params["feedback"])}
}

func (f newImprovementForm) view() improvements.NewForm {
	return improvements.NewForm{Title: f.Title, Description: f.Description, Category: f.Category,
		Impact: f.Impact, Effort: f.Effort, Track: f.Track, TrackReason: f.TrackReason, FeedbackIDs: f.FeedbackIDs}
}

// parseIDs reads positive ids from repeated form or query values, skipping junk.
func parseIDs(values []string) []int64 {
	var out []int64
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64); err == nil && id > 0 {
				out = append(out, id)
			}
		}
	}
	return out
}

// improvementNew shows the create form for the feedback selected in triage.
func (s *Server) improvementNew(c echo.Context) error {
	f := newImprovementForm{FeedbackIDs: parseIDs(c.QueryParams()["feedback"]), Impact: "3"}
	return s.renderNewImprovement(c, http.StatusOK, f, nil)
}

func (s *Server) renderNewImprovement(c echo.Context, status int, f newImprovementForm, errs components.Errors) error {
	ctx := c.Request().Context()
	fb, err := s.store.FeedbackForTriage(ctx, f.FeedbackIDs)
	if err != nil {
		return err
	}
	cats, err := s.store.ActiveRefs(ctx, models.RefCategories)
	if err != nil {
		return err
	}
	suggestion, err := s.suggestTrack(c, f.Effort)
	if err != nil {
		return err
	}
	text := f.Title + " " + f.Description
	for _, it := range fb {
		text += " " + it.Comment
	}
	similar, err := s.store.SimilarOpenImprovements(ctx, text, 5)
	if err != nil {
		return err
	}
	return render(c, status, improvements.New(improvements.NewPage{Page: s.page(c, "improvement.new_title", "triage"),
		Form: f.view(), Feedback: fb, Categories: cats, Suggestion: suggestion, Errors: errs, Similar: similar}))
}

// suggestTrack applies the routing rule to an effort from a form; "" when none chosen.
func (s *Server) suggestTrack(c echo.Context, effort string) (models.Track, error) {
	e, ok := models.ParseEffort(effort)
	if !ok {
		return "", nil
	}
	threshold, err := s.store.RoutingThreshold(c.Request().Context())
	if err != nil {
		return "", err
	}
	return models.SuggestTrack(e, threshold), nil
}

// improvementRouteSuggestion answers the create form's live "→ quick-win team" hint.
func (s *Server) improvementRouteSuggestion(c echo.Context) error {
	track, err := s.suggestTrack(c, c.QueryParam("effort"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, improvements.Suggestion(track))
}

// improvementCreate creates an improvement, routed by the rule unless overridden with
// a reason. From triage it returns to the inbox for the next item.
func (s *Server) improvementCreate(c echo.Context) error {
	ctx := c.Request().Context()
	f := readNewImprovementForm(c)
	errs := checkForm(f)
	var catID *int64
	if f.Category != "" {
		if catID = s.refID(ctx, models.RefCategories, f.Category); catID == nil {
			errs = addErr(errs, "category", "invalid_choice")
		}
	}
	if errs == nil {
		impact, _ := strconv.Atoi(f.Impact)
		imp, err := s.store.CreateImprovement(ctx, models.NewImprovement{Title: f.Title, Description: f.Description,
			CategoryID: catID, Impact: impact, Effort: models.Effort(f.Effort), FeedbackIDs: f.FeedbackIDs,
			Track: models.Track(f.Track), TrackReason: f.TrackReason}, currentUser(c))
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
		if err == nil {
			s.flash(c, createdMessage(imp.Track), map[string]any{"Title": imp.Title})
			if len(f.FeedbackIDs) > 0 {
				return redirect(c, "/triage")
			}
			return redirect(c, "/improvements/"+strconv.FormatInt(imp.ID, 10))
		}
	}
	return s.renderNewImprovement(c, http.StatusBadRequest, f, errs)
}

// addErr adds one field problem to a form's errors.
func addErr(errs components.Errors, field, msg string) components.Errors {
	if errs == nil {
		errs = components.Errors{}
	}
	if _, seen := errs[field]; !seen {
		errs[field] = msg
	}
	return errs
}

// createdMessage names the team a new improvement went to.
func createdMessage(t models.Track) string {
	if t == models.TrackQuickWin {
		return "flash.improvement_created_quick_win"
	}
	return "flash.improvement_created_steering"
}
