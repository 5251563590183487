package app

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/feedback"
)

// feedbackForm is the feedback form as posted; it is filled field by field, never
// bound into the model.
type feedbackForm struct {
	ReceivedAt    string `form:"received_at"`
	Channel       string `form:"channel" validate:"max=200"`
	Touchpoint    string `form:"touchpoint" validate:"max=200"`
	Branch        string `form:"branch" validate:"max=200"`
	Segment       string `form:"segment"`
	NPS           string `form:"nps"`
	Comment       string `form:"comment"`
	CustomerName  string `form:"customer_name"`
	CustomerEmail string `form:"customer_email"`
	Consent       bool   `form:"consent"`
	EmployeeEmail string `form:"employee_email"`
	CustomerPhone string `form:"customer_phone"`
	// Resolved is "", "true" or "false"; CSAT is "" or 1-5.
	Resolved string `form:"resolved_first_contact"`
	CSAT     string `form:"csat"`
}

// datetimeLocal is the value format of <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

func readFeedbackForm(c echo.Context) feedbackForm {
	return feedbackForm{ReceivedAt: strings.TrimSpace(c.FormValue("received_at")), Channel: c.FormValue("channel"),
		Touchpoint: c.FormValue("touchpoint"), Branch: c.FormValue("branch"), Segment: c.FormValue("segment"),
		NPS: strings.TrimSpace(c.FormValue("nps")), Comment: c.FormValue("comment"),
		CustomerName: c.FormValue("customer_name"), CustomerEmail: c.FormValue("customer_email"),
		Consent: c.FormValue("consent") == "true", EmployeeEmail: c.FormValue("employee_email"),
		CustomerPhone: c.FormValue("customer_phone"),
		Resolved:      strings.TrimSpace(c.FormValue("resolved_first_contact")),
		CSAT:          strings.TrimSpace(c.FormValue("csat"))}
}

// input turns the form into the model's input; values that do not parse are named
// in errs and left out.
func (f feedbackForm) input(loc *time.Location) (models.NewFeedback, components.Errors) {
	errs := components.Errors{}
	n := models.NewFeedback{Channel: f.Channel, Touchpoint: f.Touchpoint, Branch: f.Branch, Segment: f.Segment,
		Comment: f.Comment, CustomerName: f.CustomerName, CustomerEmail: f.CustomerEmail, Consent: f.Consent,
		EmployeeEmail: f.EmployeeEmail, CustomerPhone: f.CustomerPhone}
	if f.NPS != "" {
		v, err := strconv.Atoi(f.NPS)
		if err != nil {
			errs["nps"] = "out_of_range"
		} else {
			n.NPS = &v
		}
	}
	if v, ok := models.ParseYesNo(f.Resolved); ok {
		n.ResolvedFirstContact = v
	} else {
		errs["resolved_first_contact"] = "invalid_yes_no"
	}
	if f.CSAT != "" {
		v, err := strconv.Atoi(f.CSAT)
		if err != nil {
			errs["csat"] = "csat_out_of_range"
		} else {
			n.CSAT = &v
		}
	}
	if f.ReceivedAt != "" {
		t, err := time.ParseInLocation(datetimeLocal, f.ReceivedAt, loc)
		if err != nil {
			errs["received_at"] = "invalid_date"
		} else {
			n.ReceivedAt = t
		}
	}
	return n, errs
}

func (f feedbackForm) view() feedback.Form {
	return feedback.Form{ReceivedAt: f.ReceivedAt, Channel: f.Channel, Touchpoint: f.Touchpoint, Branch: f.Branch,
		Segment: f.Segment, NPS: f.NPS, Comment: f.Comment, CustomerName: f.CustomerName,
		CustomerEmail: f.CustomerEmail, Consent: f.Consent, EmployeeEmail: f.EmployeeEmail, CustomerPhone: f.CustomerPhone, Resolved: f.Resolved, CSAT: f.CSAT}
}

// feedbackNew shows an empty form with the ambassador's last channel and branch.
func (s *Server) feedbackNew(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	f := feedbackForm{ReceivedAt: s.store.Now().In(s.store.Location).Format(datetimeLocal)}
	if u.LastChannelID != nil {
		if it, err := s.store.RefByID(ctx, models.RefChannels, *u.LastChannelID); err == nil && it.Active {
			f.Channel = it.Code
		}
	}
	if u.LastBranchID != nil {
		if it, err := s.store.RefByID(ctx, models.RefBranches, *u.LastBranchID); err == nil && it.Active {
			f.Branch = it.Code
		}
	}
	return s.renderFeedbackForm(c, http.StatusOK, f, nil)
}

func (s *Server) renderFeedbackForm(c echo.Context, status int, f feedbackForm, errs components.Errors) error {
	ctx := c.Request().Context()
	m := feedback.NewPage{Page: s.page(c, "feedback.new_title", "log"), Form: f.view(), Errors: errs}
	var err error
	if m.Channels, err = s.store.ActiveRefs(ctx, models.RefChannels); err != nil {
		return err
	}
	if m.Touchpoints, err = s.store.ActiveRefs(ctx, models.RefTouchpoints); err != nil {
		return err
	}
	if m.Branches, err = s.store.ActiveRefs(ctx, models.RefBranches); err != nil {
		return err
	}
	return render(c, status, feedback.New(m))
}

// feedbackCreate saves the form. On a problem it shows the form again with every
// value kept and each problem beside its field; on success it says when a detractor's
// follow-up is due and goes to the feedback, or back to an empty form.
func (s *Server) feedbackCreate(c echo.Context) error {
	ctx := c.Request().Context()
	f := readFeedbackForm(c)
	n, errs := f.input(s.store.Location)
	for k, v := range checkForm(f) {
		errs[k] = v
	}
	var fb *models.Feedback
	if len(errs) == 0 {
		var err error
		fb, err = s.store.CreateFeedback(ctx, n, currentUser(c))
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
	} else if verr := n.Validate(s.store.Now()); verr != nil {
		// Name every problem at once, not the parse errors first and the rest later.
		for k, v := range verr.Fields {
			if _, seen := errs[k]; !seen {
				errs[k] = v
			}
		}
	}
	if len(errs) > 0 {
		return s.renderFeedbackForm(c, http.StatusBadRequest, f, errs)
	}
	if fb.FollowUpDueAt != nil {
		due := fb.FollowUpDueAt.In(s.store.Location)
		if now := s.store.Now(); due.Before(now) {
			// Logged late (received days ago): the follow-up is overdue already, and the
			// flash says so rather than name a deadline in the past as if it were ahead.
			s.flash(c, "flash.feedback_saved_overdue", map[string]any{"Due": components.FormatDateTime(ctx, due),
				"Overdue": components.Relative(ctx, due, now)})
		} else {
			s.flash(c, "flash.feedback_saved_due", map[string]any{"Due": components.FormatDateTime(ctx, due)})
		}
		s.flashLink(c, "/feedback/"+strconv.FormatInt(fb.ID, 10)+"#follow-up", "flash.record_follow_up")
	} else {
		s.flash(c, "flash.feedback_saved")
	}
	if c.FormValue("then") == "another" {
		return redirect(c, "/feedback/new")
	}
	return redirect(c, "/feedback/"+strconv.FormatInt(fb.ID, 10))
}
