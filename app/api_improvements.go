package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
)

// improvementJSON is an improvement as the API returns it (contracts.md).
type improvementJSON struct {
	ID             int64              `json:"id"`
	Title          string             `json:"title"`
	Description    string             `json:"description"`
	Category       *string            `json:"category"`
	Impact         int                `json:"impact"`
	Effort         models.Effort      `json:"effort"`
	Priority       int                `json:"priority"`
	Track          models.Track       `json:"track"`
	SuggestedTrack models.Track       `json:"suggested_track"`
	TrackReason    *string            `json:"track_reason"`
	Status         models.Status      `json:"status"`
	OwnerEmail     *string            `json:"owner_email"`
	AssigneeEmail  *string            `json:"assignee_email"`
	FunctionalArea *string            `json:"functional_area"`
	TargetDate     *string            `json:"target_date"`
	DeferUntil     *string            `json:"defer_until"`
	ResolutionNote *string            `json:"resolution_note"`
	RejectReason   *string            `json:"reject_reason"`
	MergedIntoID   *int64             `json:"merged_into_id"`
	ImplementedAt  *time.Time         `json:"implemented_at"`
	ImplementedOn  *string            `json:"implemented_on"` // the day the change took effect
	CreatedAt      time.Time          `json:"created_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
	Version        int                `json:"version"`
	FeedbackIDs    []int64            `json:"feedback_ids"`
	Detractors     int                `json:"detractors"`
	Promoters      int                `json:"promoters"`
	History        []historyEntryJSON `json:"history,omitempty"`
}

// historyEntryJSON is one recorded change; user is the e-mail of who made it.
type historyEntryJSON struct {
	At     time.Time `json:"at"`
	User   *string   `json:"user"`
	Action string    `json:"action"`
	Field  string    `json:"field"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Note   string    `json:"note"`
}

// improvementListJSON is one page of the improvement list.
type improvementListJSON struct {
	Items      []improvementJSON `json:"items"`
	NextCursor *string           `json:"next_cursor"` // null on the last page, as in the feedback list
}

func improvementDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// toImprovementJSON builds the representation; ids and tally come from batch queries.
func toImprovementJSON(imp *models.Improvement, feedbackIDs []int64, tally models.FeedbackTally) improvementJSON {
	if feedbackIDs == nil {
		feedbackIDs = []int64{}
	}
	j := improvementJSON{ID: imp.ID, Title: imp.Title, Description: imp.Description, Impact: imp.Impact,
		Effort: imp.Effort, Priority: imp.Priority, Track: imp.Track, SuggestedTrack: imp.SuggestedTrack,
		TrackReason: imp.TrackReason, Status: imp.Status, TargetDate: improvementDate(imp.TargetDate),
		ImplementedOn: improvementDate(imp.ImplementedOn),
		DeferUntil:    improvementDate(imp.DeferUntil), ResolutionNote: imp.ResolutionNote, RejectReason: imp.RejectReason,
		MergedIntoID: imp.MergedIntoID, ImplementedAt: imp.ImplementedAt, CreatedAt: imp.CreatedAt,
		UpdatedAt: imp.UpdatedAt, Version: imp.Version, FeedbackIDs: feedbackIDs,
		Detractors: tally.Detractors, Promoters: tally.Promoters}
	if imp.Category != nil {
		j.Category = &imp.Category.Code
	}
	if imp.FunctionalArea != nil {
		j.FunctionalArea = &imp.FunctionalArea.Code
	}
	if imp.Owner != nil {
		j.OwnerEmail = &imp.Owner.Email
	}
	if imp.Assignee != nil {
		j.AssigneeEmail = &imp.Assignee.Email
	}
	return j
}

// improvementJSONFor loads what the representation of one improvement needs.
func (s *Server) improvementJSONFor(ctx context.Context, imp *models.Improvement, withHistory bool) (improvementJSON, error) {
	ids, err := s.store.FeedbackIDsOf(ctx, []int64{imp.ID})
	if err != nil {
		return improvementJSON{}, err
	}
	tallies, err := s.store.FeedbackTallies(ctx, []int64{imp.ID})
	if err != nil {
		return improvementJSON{}, err
	}
	j := toImprovementJSON(imp, ids[imp.ID], tallies[imp.ID])
	if withHistory {
		hist, err := s.store.History(ctx, "improvement", imp.ID)
		if err != nil {
			return j, err
		}
		j.History = make([]historyEntryJSON, len(hist))
		for i, h := range hist {
			e := historyEntryJSON{At: h.CreatedAt, Action: h.Action, Field: h.Field, From: h.FromValue, To: h.ToValue, Note: h.Note}
			if h.User != nil {
				e.User = &h.User.Email
			}
			j.History[i] = e
		}
	}
	return j, nil
}

// decodeImprovementBody reads a request body strictly enough to catch typos in field types.
func decodeImprovementBody(c echo.Context, v any) error {
	if err := json.NewDecoder(c.Request().Body).Decode(v); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "invalid JSON body")
	}
	return nil
}

// apiCreateImprovementBody is the body of POST /api/v1/improvements.
type apiCreateImprovementBody struct {
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Category    string  `json:"category"`
	Impact      int     `json:"impact"`
	Effort      string  `json:"effort"`
	FeedbackIDs []int64 `json:"feedback_ids"`
	Track       string  `json:"track"`
	TrackReason string  `json:"track_reason"`
}

// apiCreateImprovement creates an improvement, routed like the web form.
func (s *Server) apiCreateImprovement(c echo.Context) error {
	ctx := c.Request().Context()
	var b apiCreateImprovementBody
	if err := decodeImprovementBody(c, &b); err != nil {
		return err
	}
	fields := map[string]string{}
	var catID *int64
	if strings.TrimSpace(b.Category) != "" {
		if catID = s.refID(ctx, models.RefCategories, b.Category); catID == nil {
			fields["category"] = "unknown_category"
		}
	}
	effort, ok := models.ParseEffort(b.Effort)
	if !ok {
		fields["effort"] = "invalid_choice"
	}
	var track models.Track
	if strings.TrimSpace(b.Track) != "" {
		if track, ok = models.ParseTrack(b.Track); !ok {
			fields["track"] = "invalid_choice"
		}
	}
	if len(fields) > 0 {
		return &models.ValidationError{Fields: fields}
	}
	imp, err := s.store.CreateImprovement(ctx, models.NewImprovement{Title: b.Title, Description: b.Description,
		CategoryID: catID, Impact: b.Impact, Effort: effort, FeedbackIDs: b.FeedbackIDs, Track: track,
		TrackReason: b.TrackReason}, currentUser(c))
	if err != nil {
		return err
	}
	if imp, err = s.store.ImprovementByID(ctx, imp.ID); err != nil {
		return err
	}
	j, err := s.improvementJSONFor(ctx, imp, false)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, j)
}

// improvementLimit reads the limit parameter: default 50, at most 500.
func improvementLimit(c echo.Context) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, models.Invalid("limit", "out_of_range")
	}
	return min(n, 500), nil
}

// apiListImprovements lists improvements highest priority first. year keeps those
// created or implemented in that calendar year (see models.ImprovementFilter.Year).
func (s *Server) apiListImprovements(c echo.Context) error {
	ctx := c.Request().Context()
	fields := map[string]string{}
	var f models.ImprovementFilter
	if v := c.QueryParam("track"); v != "" {
		t, ok := models.ParseTrack(v)
		if !ok {
			fields["track"] = "invalid_choice"
		}
		f.Track = t
	}
	if v := c.QueryParam("status"); v != "" {
		st, ok := models.ParseStatus(v)
		if !ok {
			fields["status"] = "invalid_choice"
		}
		f.Status = st
	}
	if v := c.QueryParam("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > 9999 {
			fields["year"] = "out_of_range"
		}
		f.Year = y
	}
	limit, err := improvementLimit(c)
	if err != nil {
		return err
	}
	if len(fields) > 0 {
		return &models.ValidationError{Fields: fields}
	}
	page, err := s.store.ListImprovements(ctx, f, c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	ids := make([]int64, len(page.Items))
	for i, it := range page.Items {
		ids[i] = it.ID
	}
	links, err := s.store.FeedbackIDsOf(ctx, ids)
	if err != nil {
		return err
	}
	tallies, err := s.store.FeedbackTallies(ctx, ids)
	if err != nil {
		return err
	}
	out := improvementListJSON{Items: make([]improvementJSON, len(page.Items))}
	if page.Next != "" {
		out.NextCursor = &page.Next
	}
	for i := range page.Items {
		out.Items[i] = toImprovementJSON(&page.Items[i], links[ids[i]], tallies[ids[i]])
	}
	return c.JSON(http.StatusOK, out)
}

// apiGetImprovement returns one improvement with its feedback ids, version and history.
func (s *Server) apiGetImprovement(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	j, err := s.improvementJSONFor(ctx, imp, true)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, j)
}

// apiTransitionBody is the body of POST /api/v1/improvements/{id}/transition.
type apiTransitionBody struct {
	To             string `json:"to"`
	Version        *int   `json:"version"`
	Reason         string `json:"reason"`
	Note           string `json:"note"`
	OwnerEmail     string `json:"owner_email"`
	FunctionalArea string `json:"functional_area"`
	TargetDate     string `json:"target_date"`
	DeferUntil     string `json:"defer_until"`
	ImplementedOn  string `json:"implemented_on"`
}

// apiTransitionImprovement applies one move of the transition table. The route lets
// the quick-win team and the steering group in; the model then refuses (403) a
// quick-win member moving a steering item.
func (s *Server) apiTransitionImprovement(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var b apiTransitionBody
	if err := decodeImprovementBody(c, &b); err != nil {
		return err
	}
	req := models.TransitionRequest{To: b.To, Reason: b.Reason, Note: b.Note, OwnerEmail: b.OwnerEmail,
		Area: b.FunctionalArea, TargetDate: b.TargetDate, DeferUntil: b.DeferUntil, ImplementedOn: b.ImplementedOn}
	if b.Version != nil {
		req.Version = strconv.Itoa(*b.Version)
	}
	in, err := s.store.TransitionInput(ctx, req)
	if err == nil {
		var imp *models.Improvement
		if imp, err = s.store.TransitionImprovement(ctx, id, in, currentUser(c)); err == nil {
			j, err := s.improvementJSONFor(ctx, imp, false)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, j)
		}
	}
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		// The domain names the owner "owner"; the API calls it owner_email.
		if msg, ok := ve.Fields["owner"]; ok {
			delete(ve.Fields, "owner")
			ve.Fields["owner_email"] = msg
		}
	}
	return err
}
