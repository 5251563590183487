package app

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/pages/admin"
)

// adminSections lists the admin's tasks; other parts of the app add theirs here.
var adminSections = []admin.Section{
	{Href: "/admin/users", Label: "admin.users", Hint: "admin.users_hint"},
	{Href: "/admin/reference/channels", Label: "admin.reference", Hint: "admin.reference_hint"},
	{Href: "/admin/settings", Label: "admin.settings", Hint: "admin.settings_hint"},
	// Goals: the yearly target of implemented improvements.
	{Href: "/admin/goals", Label: "goals.title", Hint: "goals.admin_hint"},
	// Feedback: goodwill limits and ledger; privacy.
	{Href: "/admin/goodwill", Label: "admin.goodwill", Hint: "admin.goodwill_hint"},
	{Href: "/admin/privacy", Label: "admin.privacy", Hint: "admin.privacy_hint"},
	// Security: API tokens and their last use.
	{Href: "/admin/tokens", Label: "tokens.title", Hint: "tokens.hint"},
	// Webhooks to a CRM or chat (issue 17).
	{Href: "/admin/webhooks", Label: "loop.webhooks", Hint: "loop.webhooks_hint"},
}

// adminIndex shows the admin's tasks.
func (s *Server) adminIndex(c echo.Context) error {
	return render(c, http.StatusOK, admin.Index(admin.IndexPage{Page: s.page(c, "admin.title", "admin"), Sections: adminSections}))
}

// userForm is the create/edit form of a user.
type userForm struct {
	Email    string   `form:"email" validate:"omitempty,email"`
	Name     string   `form:"name" validate:"required,max=200"`
	Password string   `form:"password"`
	Roles    []string `form:"roles" validate:"required,min=1,dive,oneof=ambassador quickwin steering admin branch staff"`
	Lang     string   `form:"lang" validate:"oneof=en da nb"`
	Active   bool     `form:"active"`
	// BranchIDs are the branches of a branch manager (issue 17).
	BranchIDs []int64 `form:"branches"`
}

func readUserForm(c echo.Context) userForm {
	params, _ := c.FormParams()
	return userForm{Email: c.FormValue("email"), Name: c.FormValue("name"), Password: c.FormValue("password"),
		Roles: params["roles"], Lang: c.FormValue("lang"), Active: c.FormValue("active") == "true",
		BranchIDs: formIDs(params["branches"])}
}

// formIDs reads the ids of ticked boxes, skipping what is not one.
func formIDs(values []string) []int64 {
	var out []int64
	for _, v := range values {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// withBranches adds the branch choices and the user's branches to a user form.
func (s *Server) withBranches(ctx context.Context, f admin.UserForm, userID int64) admin.UserForm {
	f.AllBranches, _ = s.store.ActiveRefs(ctx, models.RefBranches)
	if userID != 0 && f.BranchIDs == nil {
		f.BranchIDs, _ = s.store.UserBranches(ctx, userID)
	}
	return f
}

func (f userForm) view() admin.UserForm {
	return admin.UserForm{Email: f.Email, Name: f.Name, Lang: f.Lang, Roles: f.Roles, Active: f.Active, BranchIDs: f.BranchIDs}
}

// adminUsers lists users.
func (s *Server) adminUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, userForm{Lang: "en", Roles: []string{models.RoleAmbassador}}, nil)
}

func (s *Server) renderUsers(c echo.Context, status int, f userForm, errs components.Errors) error {
	users, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, status, admin.Users(admin.UsersPage{Page: s.page(c, "admin.users", "admin"),
		Users: users, Form: s.withBranches(c.Request().Context(), f.view(), 0), Errors: errs}))
}

// adminCreateUser creates a user.
func (s *Server) adminCreateUser(c echo.Context) error {
	f := readUserForm(c)
	errs := checkForm(f)
	if errs == nil {
		_, err := s.store.CreateUser(c.Request().Context(), models.NewUser{Email: f.Email, Name: f.Name,
			Password: f.Password, Lang: f.Lang, Roles: f.Roles, BranchIDs: f.BranchIDs}, currentUser(c))
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderUsers(c, http.StatusBadRequest, f, errs)
	}
	s.flash(c, "flash.user_created", map[string]any{"Name": f.Name})
	return redirect(c, "/admin/users")
}

func paramID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// adminUser shows one user's edit page.
func (s *Server) adminUser(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.store.UserByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	f := userForm{Name: u.Name, Roles: u.RoleList(), Lang: u.Lang, Active: u.Active}
	return render(c, http.StatusOK, admin.User(admin.UserPage{Page: s.page(c, "admin.users", "admin"), User: *u,
		Form: s.withBranches(c.Request().Context(), f.view(), u.ID)}))
}

// adminUpdateUser saves roles, language and the active flag.
func (s *Server) adminUpdateUser(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	f := readUserForm(c)
	f.Email = ""
	errs := checkForm(f)
	if errs == nil {
		err = s.store.UpdateUser(ctx, id, models.UserChange{Name: f.Name, Roles: f.Roles, Lang: f.Lang, Active: f.Active,
			BranchIDs: f.BranchIDs}, currentUser(c))
		var ok bool
		if errs, ok = merge(errs, err); !ok && err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return render(c, http.StatusBadRequest, admin.User(admin.UserPage{Page: s.page(c, "admin.users", "admin"),
			User: *u, Form: s.withBranches(ctx, f.view(), 0), Errors: errs}))
	}
	s.flash(c, "flash.user_saved", map[string]any{"Name": f.Name})
	return redirect(c, "/admin/users")
}

// adminResetPassword sets a new password and signs the user out everywhere.
func (s *Server) adminResetPassword(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = s.store.ResetPassword(ctx, id, c.FormValue("password"), currentUser(c))
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		u, uerr := s.store.UserByID(ctx, id)
		if uerr != nil {
			return uerr
		}
		f := userForm{Name: u.Name, Roles: u.RoleList(), Lang: u.Lang, Active: u.Active}
		return render(c, http.StatusBadRequest, admin.User(admin.UserPage{Page: s.page(c, "admin.users", "admin"),
			User: *u, Form: s.withBranches(ctx, f.view(), u.ID), PasswordError: ve.Fields["password"]}))
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.password_reset")
	return redirect(c, "/admin/users")
}

func refKind(c echo.Context) (models.RefKind, error) {
	k, ok := models.ParseRefKind(c.Param("kind"))
	if !ok {
		return "", models.ErrNotFound
	}
	return k, nil
}

// adminReference lists one reference list.
func (s *Server) adminReference(c echo.Context) error {
	kind, err := refKind(c)
	if err != nil {
		return err
	}
	return s.renderReference(c, http.StatusOK, kind, "", "", nil)
}

func (s *Server) renderReference(c echo.Context, status int, kind models.RefKind, code, name string, errs components.Errors) error {
	items, err := s.store.RefList(c.Request().Context(), kind)
	if err != nil {
		return err
	}
	return render(c, status, admin.Reference(admin.RefPage{Page: s.page(c, "ref."+string(kind), "admin"),
		Kind: kind, Kinds: models.RefKinds, Items: items, Code: code, Name: name, Errors: errs}))
}

// adminCreateReference adds an item to a list.
func (s *Server) adminCreateReference(c echo.Context) error {
	kind, err := refKind(c)
	if err != nil {
		return err
	}
	code, name := c.FormValue("code"), c.FormValue("name")
	_, err = s.store.CreateRef(c.Request().Context(), kind, code, name, currentUser(c))
	if errs, ok := merge(nil, err); ok {
		return s.renderReference(c, http.StatusBadRequest, kind, code, name, errs)
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.ref_added", map[string]any{"Name": name})
	return redirect(c, "/admin/reference/"+string(kind))
}

// adminUpdateReference renames or (de)activates an item.
func (s *Server) adminUpdateReference(c echo.Context) error {
	kind, err := refKind(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	name := c.FormValue("name")
	err = s.store.UpdateRef(c.Request().Context(), kind, id, name, c.FormValue("active") == "true", currentUser(c))
	if errs, ok := merge(nil, err); ok {
		return s.renderReference(c, http.StatusBadRequest, kind, "", "", errs)
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.ref_saved", map[string]any{"Name": name})
	return redirect(c, "/admin/reference/"+string(kind))
}

// adminSettings shows the routing rule.
func (s *Server) adminSettings(c echo.Context) error {
	th, err := s.store.RoutingThreshold(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, admin.Settings(s.settingsPage(c, th, nil)))
}

// settingsPage is the routing rule and, when configured, the single sign-on switch.
func (s *Server) settingsPage(c echo.Context, th models.Effort, errs components.Errors) admin.SettingsPage {
	p := admin.SettingsPage{Page: s.page(c, "admin.settings", "admin"), Threshold: th, Errors: errs}
	if s.oidc != nil {
		p.SSOConfigured, p.SSOEnabled, p.SSOName = true, s.ssoOn(c.Request().Context()), s.ssoName()
	}
	return p
}

// adminSaveSSO switches single sign-on on or off: its button on the sign-in page and
// its routes. Password sign-in stays either way, so an admin cannot lock themselves out.
func (s *Server) adminSaveSSO(c echo.Context) error {
	if err := s.store.SetSSOEnabled(c.Request().Context(), c.FormValue("enabled") == "on", currentUser(c)); err != nil {
		return err
	}
	s.flash(c, "flash.settings_saved")
	return redirect(c, "/admin/settings")
}

// adminSaveSettings changes the routing rule.
func (s *Server) adminSaveSettings(c echo.Context) error {
	e, _ := models.ParseEffort(c.FormValue("threshold"))
	err := s.store.SetRoutingThreshold(c.Request().Context(), e, currentUser(c))
	if errs, ok := merge(nil, err); ok {
		return render(c, http.StatusBadRequest, admin.Settings(s.settingsPage(c, e, errs)))
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.settings_saved")
	return redirect(c, "/admin/settings")
}
