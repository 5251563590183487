package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/loop"
)

// Issue 17: the user's own follow-ups, taking and trying them, the bell, mail
// preferences and the admin's webhooks. The branch page is in branch.go.

// myFollowUps lists the follow-ups the user owns that are not done.
func (s *Server) myFollowUps(c echo.Context) error {
	return s.renderMyFollowUps(c, http.StatusOK, 0, "", nil)
}

func (s *Server) renderMyFollowUps(c echo.Context, status int, failed int64, note string, errs components.Errors) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	items, err := s.store.MyFollowUps(ctx, u.ID)
	if err != nil {
		return err
	}
	users, err := s.activeUsers(ctx)
	if err != nil {
		return err
	}
	cats, err := s.store.ActiveRefs(ctx, models.RefCategories)
	if err != nil {
		return err
	}
	m := loop.MyPage{Page: s.page(c, "loop.my_title", "mine"), Items: items, Users: users, Categories: cats,
		Now: s.store.Now(), Loc: s.store.Location, Failed: failed, Note: note, Errors: errs}
	return render(c, status, loop.My(m))
}

// mayWorkFollowUp checks that the user may act on a feedback's follow-up: an
// ambassador, its owner, the employee it names, or a manager of its branch.
func (s *Server) mayWorkFollowUp(ctx context.Context, u *models.User, fb *models.Feedback) (bool, error) {
	if u.Has(models.RoleAmbassador) {
		return true, nil
	}
	st, _, err := s.store.FollowUpStateOf(ctx, fb.ID)
	if err != nil {
		return false, err
	}
	manages := false
	if fb.BranchID != nil && u.Has(models.RoleBranch) {
		ids, err := s.store.UserBranches(ctx, u.ID)
		if err != nil {
			return false, err
		}
		manages = slices.Contains(ids, *fb.BranchID)
	}
	return models.MayWorkFollowUp(u, st.OwnerID, fb.EmployeeID, manages), nil
}

// followUpChange handles take, tried and reassign: a flash and back to where the form
// was; a change someone else made first is named with who, what and when.
func (s *Server) followUpChange(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		fb, err := s.store.FeedbackByID(ctx, id)
		if err != nil {
			return err
		}
		u := currentUser(c)
		if ok, err := s.mayWorkFollowUp(ctx, u, fb); err != nil {
			return err
		} else if !ok {
			return models.ErrForbidden
		}
		ch := models.FollowUpChange{Action: action, Reason: c.FormValue("reason")}
		ch.Version, _ = strconv.Atoi(c.FormValue("version"))
		if action == "reassign" {
			if to, err := strconv.ParseInt(c.FormValue("owner"), 10, 64); err == nil {
				ch.To = &to
			}
		}
		back := "/feedback/" + strconv.FormatInt(id, 10)
		if c.FormValue("from") == "mine" {
			back = "/my/follow-ups"
		}
		_, err = s.store.ChangeFollowUp(ctx, id, ch, u)
		var conflict *models.FollowUpConflictError
		var ve *models.ValidationError
		switch {
		case errors.As(err, &conflict):
			s.flashError(c, "loop.conflict", map[string]any{"By": conflict.By,
				"Action": i18n.T(ctx, "loop_did."+conflict.Action), "At": components.FormatDateTime(ctx, conflict.At.In(s.store.Location))})
			return redirect(c, back)
		case errors.As(err, &ve):
			field := ""
			for f := range ve.Fields {
				field = f
			}
			s.flashError(c, "loop_invalid."+field)
			return redirect(c, back)
		case err != nil:
			return err
		}
		s.flash(c, "loop_flash."+action)
		return redirect(c, back)
	}
}

// flashError stores a problem for the next page, shown as an alert.
func (s *Server) flashError(c echo.Context, id string, data ...map[string]any) {
	s.sessions.Put(c.Request().Context(), "flash_error", i18n.FromContext(c.Request().Context()).T(id, data...))
}

// notificationsPage lists the user's alerts.
func (s *Server) notificationsPage(c echo.Context) error {
	ctx := c.Request().Context()
	items, err := s.store.Notifications(ctx, currentUser(c).ID, 100)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, loop.Notifications(loop.NotificationsPage{Page: s.page(c, "loop.notifications", ""),
		Items: items, Loc: s.store.Location}))
}

// notificationsRead marks every alert of the user read.
func (s *Server) notificationsRead(c echo.Context) error {
	if err := s.store.MarkNotificationsRead(c.Request().Context(), currentUser(c).ID, 0); err != nil {
		return err
	}
	s.flash(c, "loop.flash_read")
	return redirect(c, "/notifications")
}

// preferencesPage shows which mails the user gets.
func (s *Server) preferencesPage(c echo.Context) error {
	return render(c, http.StatusOK, loop.Preferences(loop.PreferencesPage{Page: s.page(c, "loop.preferences", ""), Kinds: models.NotifyKinds}))
}

// preferencesSave stores the user's choice of mails.
func (s *Server) preferencesSave(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	if err := s.store.SetMailPreferences(c.Request().Context(), currentUser(c).ID, form["mail"]); err != nil {
		return err
	}
	s.flash(c, "loop.flash_preferences")
	return redirect(c, "/preferences")
}

// adminWebhooks lists the webhook endpoints and the latest deliveries.
func (s *Server) adminWebhooks(c echo.Context) error {
	return s.renderWebhooks(c, http.StatusOK, loop.EndpointForm{}, nil)
}

func (s *Server) renderWebhooks(c echo.Context, status int, f loop.EndpointForm, errs components.Errors) error {
	ctx := c.Request().Context()
	eps, err := s.store.WebhookEndpoints(ctx)
	if err != nil {
		return err
	}
	ds, err := s.store.RecentDeliveries(ctx, 100)
	if err != nil {
		return err
	}
	return render(c, status, loop.Webhooks(loop.WebhooksPage{Page: s.page(c, "loop.webhooks", "admin"), EnvURLs: s.cfg.WebhookURLs,
		Endpoints: eps, Deliveries: ds, Loc: s.store.Location, Form: f, Errors: errs}))
}

// adminCreateWebhook adds an endpoint with its events.
func (s *Server) adminCreateWebhook(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	f := loop.EndpointForm{URL: strings.TrimSpace(form.Get("url")), Events: form["events"]}
	err = s.store.SaveWebhookEndpoint(c.Request().Context(), 0, f.URL, f.Events, true)
	if errs, ok := merge(components.Errors{}, err); ok {
		return s.renderWebhooks(c, http.StatusBadRequest, f, errs)
	} else if err != nil {
		return err
	}
	s.flash(c, "loop.flash_webhook")
	return redirect(c, "/admin/webhooks")
}

// adminUpdateWebhook changes an endpoint's URL, events or whether it is active.
func (s *Server) adminUpdateWebhook(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	f := loop.EndpointForm{URL: strings.TrimSpace(form.Get("url")), Events: form["events"]}
	err = s.store.SaveWebhookEndpoint(c.Request().Context(), id, f.URL, f.Events, form.Get("active") == "true")
	if errs, ok := merge(components.Errors{}, err); ok {
		return s.renderWebhooks(c, http.StatusBadRequest, f, errs)
	} else if err != nil {
		return err
	}
	s.flash(c, "loop.flash_webhook")
	return redirect(c, "/admin/webhooks")
}

// monthParam reads ?month=YYYY-MM, defaulting to now.
func (s *Server) monthParam(c echo.Context) time.Time {
	if t, err := time.ParseInLocation("2006-01", c.QueryParam("month"), s.store.Location); err == nil {
		return t
	}
	return s.store.Now().In(s.store.Location)
}

// ideasPage shows the user's ideas and the form to propose one.
func (s *Server) ideasPage(c echo.Context) error {
	return s.renderIdeas(c, http.StatusOK, "", "", nil)
}

func (s *Server) renderIdeas(c echo.Context, status int, title, reason string, errs components.Errors) error {
	ideas, err := s.store.MyIdeas(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return render(c, status, loop.Ideas(loop.IdeasPage{Page: s.page(c, "loop.ideas", "ideas"), Ideas: ideas,
		Title: title, Reason: reason, Errors: errs}))
}

// ideaCreate stores an idea; the steering group reviews it.
func (s *Server) ideaCreate(c echo.Context) error {
	title, reason := strings.TrimSpace(c.FormValue("title")), strings.TrimSpace(c.FormValue("reason"))
	_, err := s.store.ProposeIdea(c.Request().Context(), title, reason, currentUser(c))
	if errs, ok := merge(components.Errors{}, err); ok {
		return s.renderIdeas(c, http.StatusBadRequest, title, reason, errs)
	} else if err != nil {
		return err
	}
	s.flash(c, "loop.flash_idea")
	return redirect(c, "/ideas")
}
