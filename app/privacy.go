package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/admin"
)

// adminPrivacy shows the erasure form, the retention period and the erasure log.
func (s *Server) adminPrivacy(c echo.Context) error {
	return s.renderPrivacy(c, http.StatusOK, admin.PrivacyPage{}, nil)
}

func (s *Server) renderPrivacy(c echo.Context, status int, m admin.PrivacyPage, errs components.Errors) error {
	ctx := c.Request().Context()
	m.Page = s.page(c, "privacy.title", "admin")
	m.Errors, m.Loc = errs, s.store.Location
	var err error
	if m.RetentionDays == "" {
		days, err := s.store.RetentionDays(ctx)
		if err != nil {
			return err
		}
		m.RetentionDays = strconv.Itoa(days)
	}
	if m.WithData, m.Oldest, err = s.store.PersonalDataStats(ctx); err != nil {
		return err
	}
	if m.Log, err = s.store.PrivacyLog(ctx, 20); err != nil {
		return err
	}
	return render(c, status, admin.Privacy(m))
}

// adminErase erases a customer's personal data, after a confirmation page that says
// how many feedback hold the address. The address is not kept anywhere afterwards:
// not in the history, not in the flash message.
func (s *Server) adminErase(c echo.Context) error {
	ctx := c.Request().Context()
	email := models.NormalizeEmail(c.FormValue("email"))
	if !strings.Contains(email, "@") || len(email) > models.MaxEmailLength {
		return s.renderPrivacy(c, http.StatusBadRequest, admin.PrivacyPage{Email: email}, components.Errors{"email": "invalid_email"})
	}
	if c.FormValue("confirm") != "yes" {
		n, err := s.store.CountCustomer(ctx, email)
		if err != nil {
			return err
		}
		return s.renderPrivacy(c, http.StatusOK, admin.PrivacyPage{Email: email, Confirm: true, ConfirmCount: n}, nil)
	}
	n, err := s.store.EraseCustomer(ctx, email, currentUser(c))
	if errs, ok := merge(nil, err); ok {
		return s.renderPrivacy(c, http.StatusBadRequest, admin.PrivacyPage{Email: email}, errs)
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.customer_erased", map[string]any{"Count": n})
	return redirect(c, "/admin/privacy")
}

// adminSetRetention sets how many days personal data is kept (0: until erased).
func (s *Server) adminSetRetention(c echo.Context) error {
	v := strings.TrimSpace(c.FormValue("retention_days"))
	days, err := strconv.Atoi(v)
	if err != nil {
		return s.renderPrivacy(c, http.StatusBadRequest, admin.PrivacyPage{RetentionDays: v}, components.Errors{"retention_days": "out_of_range"})
	}
	err = s.store.SetRetentionDays(c.Request().Context(), days, currentUser(c))
	if errs, ok := merge(nil, err); ok {
		return s.renderPrivacy(c, http.StatusBadRequest, admin.PrivacyPage{RetentionDays: v}, errs)
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.retention_saved", map[string]any{"Count": days})
	return redirect(c, "/admin/privacy")
}
