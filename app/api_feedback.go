package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
)

// apiFeedback is a feedback as the API returns it (contracts.md). Reference items are
// given by code; absent values are null.
type apiFeedback struct {
	ID            int64      `json:"id"`
	ExternalID    *string    `json:"external_id"`
	ReceivedAt    time.Time  `json:"received_at"`
	Channel       string     `json:"channel"`
	Touchpoint    *string    `json:"touchpoint"`
	Branch        *string    `json:"branch"`
	Segment       *string    `json:"segment"`
	NPS           *int       `json:"nps"`
	NPSGroup      *string    `json:"nps_group"`
	Comment       string     `json:"comment"`
	CustomerName  *string    `json:"customer_name"`
	CustomerEmail *string    `json:"customer_email"`
	FollowUpDueAt *time.Time `json:"follow_up_due_at"`
	FollowedUpAt  *time.Time `json:"followed_up_at"`
	FollowUpNote  *string    `json:"follow_up_note"`
	RootCause     *string    `json:"root_cause"`
	// GoodwillAmount is in kroner as a JSON number, with øre as decimals (250.5).
	GoodwillAmount models.Money `json:"goodwill_amount"`
	TriageStatus   string       `json:"triage_status"`
	ImprovementIDs []int64      `json:"improvement_ids"`
	Version        int          `json:"version"`
	// Issue 17: the employee the customer dealt with and the customer's phone.
	EmployeeEmail *string `json:"employee_email"`
	CustomerPhone *string `json:"customer_phone"`
	// ResolvedFirstContact and CSAT are null when the customer was not asked.
	ResolvedFirstContact *bool `json:"resolved_first_contact"`
	CSAT                 *int  `json:"csat"`
}

func codeOf(it *models.RefItem) *string {
	if it == nil {
		return nil
	}
	return &it.Code
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toAPIFeedback(f *models.Feedback, improvements []int64) apiFeedback {
	if improvements == nil {
		improvements = []int64{}
	}
	out := apiFeedback{ID: f.ID, ExternalID: f.ExternalID, ReceivedAt: f.ReceivedAt.UTC(), Touchpoint: codeOf(f.Touchpoint),
		Branch: codeOf(f.Branch), Segment: f.Segment, NPS: f.NPS, NPSGroup: f.NPSGroup, Comment: f.Comment,
		CustomerName: f.CustomerName, CustomerEmail: f.CustomerEmail, FollowUpDueAt: utc(f.FollowUpDueAt),
		FollowedUpAt: utc(f.FollowedUpAt), FollowUpNote: f.FollowUpNote, RootCause: codeOf(f.RootCause),
		GoodwillAmount: f.GoodwillAmount, TriageStatus: f.TriageStatus, ImprovementIDs: improvements, Version: f.Version,
		ResolvedFirstContact: f.ResolvedFirstContact, CSAT: f.CSAT}
	if f.Channel != nil {
		out.Channel = f.Channel.Code
	}
	out.EmployeeEmail, out.CustomerPhone = f.EmployeeEmail, f.CustomerPhone
	return out
}

// apiFeedbackRequest is the body of POST /api/v1/feedback, read into its own struct
// so a client can set nothing else. Numbers stay raw so that a wrong type is named
// as a field problem instead of failing the whole body.
type apiFeedbackRequest struct {
	ReceivedAt    string          `json:"received_at"`
	Channel       string          `json:"channel"`
	Touchpoint    string          `json:"touchpoint"`
	Branch        string          `json:"branch"`
	Segment       string          `json:"segment"`
	NPS           json.RawMessage `json:"nps"`
	Comment       string          `json:"comment"`
	ExternalID    string          `json:"external_id"`
	CustomerName  string          `json:"customer_name"`
	CustomerEmail string          `json:"customer_email"`
	Consent       *bool           `json:"consent"`
	EmployeeEmail string          `json:"employee_email"`
	CustomerPhone string          `json:"customer_phone"`
	// ResolvedFirstContact takes true/false, or the CSV's strings ("ja", "1", ...).
	ResolvedFirstContact json.RawMessage `json:"resolved_first_contact"`
	CSAT                 json.RawMessage `json:"csat"`
}

// decodeJSON reads a JSON body into dst; a body that is not JSON, or has a value of
// the wrong type, is a 400 naming the field where possible.
func decodeJSON(c echo.Context, dst any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "could not read the body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	err = json.Unmarshal(body, dst)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return models.Invalid(te.Field, "invalid")
	}
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "the body is not valid JSON")
	}
	return nil
}

// rawInt reads an optional whole number: absent or null is nil.
func rawInt(raw json.RawMessage) (*int64, bool) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return nil, true
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f != math.Trunc(f) || math.Abs(f) > 1e12 {
		return nil, false
	}
	n := int64(f)
	return &n, true
}

// rawMoney reads an optional amount of kroner: a JSON number with at most two
// decimals (250, 250.5), or null or absent for none. A string or a third decimal is
// refused rather than rounded.
func rawMoney(raw json.RawMessage) (models.Money, bool) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, true
	}
	var m models.Money
	if err := m.UnmarshalJSON([]byte(s)); err != nil {
		return 0, false
	}
	return m, true
}

// rawYesNo reads an optional yes/no answer: a JSON boolean, null, or one of the
// strings models.ParseYesNo takes.
func rawYesNo(raw json.RawMessage) (*bool, bool) {
	v := strings.TrimSpace(string(raw))
	if v == "" || v == "null" {
		return nil, true
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return models.ParseYesNo(str)
	}
	return models.ParseYesNo(v)
}

// parseAPITime reads an RFC 3339 time or a date (midnight in loc).
func parseAPITime(v string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// apiCreateFeedback stores one feedback: 201 with it, or 400 naming each bad field.
func (s *Server) apiCreateFeedback(c echo.Context) error {
	ctx := c.Request().Context()
	var req apiFeedbackRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	problems := map[string]string{}
	n := models.NewFeedback{Channel: req.Channel, Touchpoint: req.Touchpoint, Branch: req.Branch, Segment: req.Segment,
		Comment: req.Comment, ExternalID: req.ExternalID, CustomerName: req.CustomerName, CustomerEmail: req.CustomerEmail,
		EmployeeEmail: req.EmployeeEmail, CustomerPhone: req.CustomerPhone}
	// A contact sent through the API was collected with consent by the sending system,
	// as with the import, unless it says otherwise.
	n.Consent = req.CustomerName != "" || req.CustomerEmail != "" || req.CustomerPhone != ""
	if req.Consent != nil {
		n.Consent = *req.Consent
	}
	if v, ok := rawInt(req.NPS); !ok {
		problems["nps"] = "out_of_range"
	} else if v != nil {
		score := int(max(min(*v, 1000), -1000))
		n.NPS = &score
	}
	if v, ok := rawYesNo(req.ResolvedFirstContact); ok {
		n.ResolvedFirstContact = v
	} else {
		problems["resolved_first_contact"] = "invalid_yes_no"
	}
	if v, ok := rawInt(req.CSAT); !ok {
		problems["csat"] = "csat_out_of_range"
	} else if v != nil {
		score := int(max(min(*v, 1000), -1000))
		n.CSAT = &score
	}
	if req.ReceivedAt != "" {
		t, ok := parseAPITime(req.ReceivedAt, s.store.Location)
		if !ok {
			problems["received_at"] = "invalid_date"
		} else if p := models.ReceivedAtProblem(t, s.store.Now()); p != "" {
			// Also the zero time (0001-01-01), which would otherwise mean "now".
			problems["received_at"] = p
		}
		n.ReceivedAt = t
	}
	if len(problems) > 0 {
		if verr := n.Validate(s.store.Now()); verr != nil {
			for k, v := range verr.Fields {
				if _, seen := problems[k]; !seen {
					problems[k] = v
				}
			}
		}
		return &models.ValidationError{Fields: problems}
	}
	fb, err := s.store.CreateFeedback(ctx, n, currentUser(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toAPIFeedback(fb, nil))
}

// apiListFeedback returns a page of feedback, newest first, with the cursor of the next.
func (s *Server) apiListFeedback(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	f, _, problems := s.parseFeedbackFilter(ctx, q)
	if err := s.scopeFilter(c, &f); err != nil {
		return err
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			problems["limit"] = "out_of_range"
		}
		limit = min(n, models.MaxPageSize)
	}
	cursor, err := models.ParseCursor(q.Get("cursor"))
	if err != nil {
		problems["cursor"] = "invalid"
	}
	if len(problems) > 0 {
		return &models.ValidationError{Fields: problems}
	}
	page, err := s.store.ListFeedback(ctx, f, cursor, limit)
	if err != nil {
		return err
	}
	ids := make([]int64, len(page.Items))
	for i, it := range page.Items {
		ids[i] = it.ID
	}
	contact := models.MaySeeContact(currentUser(c))
	links, err := s.store.ImprovementIDsFor(ctx, ids)
	if err != nil {
		return err
	}
	out := struct {
		Items      []apiFeedback `json:"items"`
		NextCursor *string       `json:"next_cursor"`
	}{Items: make([]apiFeedback, len(page.Items))}
	for i := range page.Items {
		if !contact {
			page.Items[i].HideContact()
		}
		out.Items[i] = toAPIFeedback(&page.Items[i], links[page.Items[i].ID])
	}
	if page.Next.ID != 0 {
		next := page.Next.String()
		out.NextCursor = &next
	}
	return c.JSON(http.StatusOK, out)
}

// apiGetFeedback returns one feedback with the improvements it is linked to.
func (s *Server) apiGetFeedback(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	fb, err := s.store.FeedbackByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if err := s.mayRead(c, fb); err != nil {
		return err
	}
	if !models.MaySeeContact(currentUser(c)) {
		fb.HideContact()
	}
	return c.JSON(http.StatusOK, toAPIFeedback(fb, fb.ImprovementIDs))
}

// apiFollowUpRequest is the body of POST /api/v1/feedback/{id}/follow-up.
type apiFollowUpRequest struct {
	Note           string          `json:"note"`
	GoodwillAmount json.RawMessage `json:"goodwill_amount"`
	RootCause      string          `json:"root_cause"`
	FollowedUpAt   string          `json:"followed_up_at"`
	Version        int             `json:"version"`
}

// apiFollowUp records a follow-up: 200 with the feedback, 400 naming each bad field
// (a goodwill amount over the branch's limit says how much is left), 409 when it was
// followed up already or the version is stale.
func (s *Server) apiFollowUp(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req apiFollowUpRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	fu := models.FollowUp{By: currentUser(c), Note: req.Note, Version: req.Version}
	problems := map[string]string{}
	if v, ok := rawMoney(req.GoodwillAmount); !ok {
		problems["goodwill_amount"] = "invalid"
	} else {
		fu.Goodwill = v
	}
	if req.RootCause != "" {
		it, err := s.store.ResolveRef(ctx, models.RefCategories, req.RootCause)
		if err != nil {
			problems["root_cause"] = "unknown_reference"
		} else {
			fu.RootCauseID = &it.ID
		}
	}
	if req.FollowedUpAt != "" {
		t, ok := parseAPITime(req.FollowedUpAt, s.store.Location)
		if !ok {
			problems["followed_up_at"] = "invalid_date"
		}
		fu.At = t
	}
	if strings.TrimSpace(req.Note) == "" {
		problems["note"] = "required"
	}
	if len(problems) > 0 {
		return &models.ValidationError{Fields: problems}
	}
	fb, err := s.store.RecordFollowUp(ctx, id, fu)
	var gl *models.GoodwillLimitError
	if errors.As(err, &gl) {
		return c.JSON(http.StatusBadRequest, apiError{
			Error:  fmt.Sprintf("goodwill amount over the branch's monthly limit of %s kroner: %s left this month", gl.Limit, gl.Remaining),
			Fields: map[string]string{"goodwill_amount": "goodwill_over_limit"}})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIFeedback(fb, fb.ImprovementIDs))
}
