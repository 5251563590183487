package app

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/notify"
)

// notifyForm is the message a steering member sends to the customers.
type notifyForm struct {
	Lang    string `form:"lang" validate:"oneof=en da nb"`
	Subject string `form:"subject" validate:"required,max=200"`
	Body    string `form:"body" validate:"required,max=5000"`
}

func readNotifyForm(c echo.Context) notifyForm {
	f := notifyForm{Lang: c.FormValue("lang"), Subject: strings.TrimSpace(c.FormValue("subject")), Body: c.FormValue("body")}
	if !i18n.Supported(f.Lang) {
		f.Lang = "en"
	}
	return f
}

// notifyTemplate prefills the message in the customers' language (chosen per message,
// not the user's own), from the catalog.
func notifyTemplate(lang string, imp *models.Improvement) notifyForm {
	t := i18n.For(lang)
	note := ""
	if imp.ResolutionNote != nil {
		note = *imp.ResolutionNote
	}
	data := map[string]any{"Title": imp.Title, "Note": note}
	return notifyForm{Lang: t.Lang, Subject: t.T("notify.template_subject", data), Body: t.T("notify.template_body", data)}
}

// notifyShow shows who can be told about an implemented improvement and the message.
func (s *Server) notifyShow(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	imp, err := s.store.ImprovementByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if imp.Status != models.StatusImplemented {
		return &pageError{status: http.StatusConflict, messageID: "notify.not_implemented"}
	}
	return s.renderNotify(c, http.StatusOK, imp, notifyTemplate(c.QueryParam("lang"), imp), nil)
}

func (s *Server) renderNotify(c echo.Context, status int, imp *models.Improvement, f notifyForm, errs components.Errors) error {
	aud, err := s.store.NotifyAudience(c.Request().Context(), imp.ID)
	if err != nil {
		return err
	}
	return render(c, status, notify.Show(notify.Page{Page: s.page(c, "notify.title", "yousaid"), Improvement: imp,
		Audience: aud, Form: notify.Form{Lang: f.Lang, Subject: f.Subject, Body: f.Body}, Errors: errs}))
}

// notifySend queues the message for every consenting customer not told yet; posting it
// again queues nothing new (each customer's message has a unique key).
func (s *Server) notifySend(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	imp, err := s.store.ImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	if imp.Status != models.StatusImplemented {
		return &pageError{status: http.StatusConflict, messageID: "notify.not_implemented"}
	}
	f := readNotifyForm(c)
	errs := checkForm(f)
	queued, before := 0, 0
	if errs == nil {
		fallback := i18n.For(f.Lang).T("notify.name_fallback")
		queued, before, err = s.store.NotifyCustomers(ctx, id, models.NotifyMessage{Subject: f.Subject, Body: f.Body,
			NameFallback: fallback}, currentUser(c))
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderNotify(c, http.StatusBadRequest, imp, f, errs)
	}
	if queued == 0 {
		// A second send queues nothing: say why, rather than "queued for 0 customers".
		s.flash(c, "flash.notify_all_told", map[string]any{"Count": before})
	} else {
		s.flash(c, "flash.notify_queued", map[string]any{"Count": queued, "Before": before})
	}
	return redirect(c, fmt.Sprintf("/improvements/%d/notify", id))
}
