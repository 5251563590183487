package app

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	steeringpage "github.com/improvementtracker/tracker/views/pages/steering"
)

// meetingsShown bounds the meetings list on the steering page; a steering group meets
// a few times a year, so this covers several years.
const meetingsShown = 50

// meetingForm is the new-meeting form.
type meetingForm struct {
	HeldOn    string `form:"held_on" validate:"required,datetime=2006-01-02"`
	Title     string `form:"title" validate:"max=200"`
	Attendees []int64
}

func readMeetingForm(c echo.Context) meetingForm {
	params, _ := c.FormParams()
	f := meetingForm{HeldOn: strings.TrimSpace(c.FormValue("held_on")), Title: strings.TrimSpace(c.FormValue("title"))}
	for _, v := range params["attendees"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			f.Attendees = append(f.Attendees, id)
		}
	}
	return f
}

// steeringIndex shows the review queue, the meetings and the new-meeting form, which
// starts on today with every steering member ticked.
func (s *Server) steeringIndex(c echo.Context) error {
	ctx := c.Request().Context()
	members, err := s.store.UsersWithRole(ctx, models.RoleSteering)
	if err != nil {
		return err
	}
	f := meetingForm{HeldOn: s.store.Today().Format(time.DateOnly)}
	for _, u := range members {
		f.Attendees = append(f.Attendees, u.ID)
	}
	return s.renderSteering(c, http.StatusOK, f, members, nil)
}

func (s *Server) renderSteering(c echo.Context, status int, f meetingForm, members []models.User, errs components.Errors) error {
	ctx := c.Request().Context()
	queue, err := s.store.ReviewQueue(ctx)
	if err != nil {
		return err
	}
	meetings, err := s.store.Meetings(ctx, meetingsShown)
	if err != nil {
		return err
	}
	return render(c, status, steeringpage.Index(steeringpage.IndexPage{Page: s.page(c, "steering.title", "steering"),
		Queue: queue, Meetings: meetings, Members: members, Errors: errs,
		Form: steeringpage.MeetingForm{HeldOn: f.HeldOn, Title: f.Title, Attendees: f.Attendees}}))
}

// meetingCreate starts a meeting; its agenda is built from the review queue.
func (s *Server) meetingCreate(c echo.Context) error {
	ctx := c.Request().Context()
	f := readMeetingForm(c)
	errs := checkForm(f)
	if errs == nil {
		heldOn, _ := models.ParseDay(f.HeldOn)
		m, err := s.store.CreateMeeting(ctx, models.NewMeeting{HeldOn: heldOn, Title: f.Title, AttendeeIDs: f.Attendees}, currentUser(c))
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
		if m != nil {
			s.flash(c, "flash.meeting_created", map[string]any{"Count": len(m.Items)})
			return redirect(c, meetingPath(m.ID))
		}
	}
	members, err := s.store.UsersWithRole(ctx, models.RoleSteering)
	if err != nil {
		return err
	}
	return s.renderSteering(c, http.StatusBadRequest, f, members, errs)
}

// returnDeferredJob is the name (and lease) of the job that returns deferred items to
// review when their date comes.
const returnDeferredJob = "return-deferred"
