package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Refusals of a single sign-on: the identity provider vouched for the person, but the
// app will not let them in. Each gets its own explanation page.
var (
	// ErrNoRole: none of the person's role claim values maps to a role of the app.
	ErrNoRole = errors.New("models: no role of the app maps from the identity provider's claims")
	// ErrDeactivated: the person has a user here that an admin deactivated.
	ErrDeactivated = errors.New("models: user is deactivated")
)

// OIDCIdentity is what the identity provider vouches for at a sign-in.
type OIDCIdentity struct {
	Subject string
	Email   string
	Name    string
	Lang    string
	// Roles are the app roles mapped from the provider's role claim (see MapRoles).
	Roles []string
}

// MapRoles turns the values of an identity provider's role (or group) claim into the
// app's roles. A value maps when, ignoring case, it is a role's name ("steering"),
// optionally after a "tracker" prefix and one of - _ . : / ("Tracker.Admin",
// "tracker-ambassador"), which lets a company name its groups for this app alone;
// "quick-win" and "quick_win" mean quickwin. Other values are ignored, so a token
// carrying many unrelated groups is fine.
func MapRoles(values []string) []string {
	var out []string
	for _, v := range values {
		v = strings.ToLower(strings.TrimSpace(v))
		for _, sep := range []string{"-", "_", ".", ":", "/"} {
			if rest, ok := strings.CutPrefix(v, "tracker"+sep); ok {
				v = rest
				break
			}
		}
		v = strings.NewReplacer("-", "", "_", "").Replace(v)
		if slices.Contains(Roles, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	// Display order, so a stored role list does not change with the claim's order.
	slices.SortFunc(out, func(a, b string) int { return slices.Index(Roles, a) - slices.Index(Roles, b) })
	return out
}

// SignInOIDC finds or creates the user of a single sign-on. The user is found by the
// provider's subject, else by e-mail address (a user an admin created beforehand is
// linked to the provider on their first sign-in). The provider is the company's
// source of truth for roles: they are taken from the claim at every sign-in, and a
// person to whom no role maps is refused (ErrNoRole). A deactivated user is refused
// (ErrDeactivated) whatever the provider says.
func (s *Store) SignInOIDC(ctx context.Context, id OIDCIdentity) (*User, error) {
	id.Email = NormalizeEmail(id.Email)
	if id.Subject == "" || !strings.Contains(id.Email, "@") {
		return nil, Invalid("email", "invalid_email")
	}
	roles := strings.Join(MapRoles(id.Roles), ",")
	var u User
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		err := tx.Where("oidc_subject = ?", id.Subject).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			err = tx.Where("email = ?", id.Email).Take(&u).Error
		}
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			if roles == "" {
				return ErrNoRole
			}
			name := strings.TrimSpace(id.Name)
			if name == "" {
				name = id.Email
			}
			lang := id.Lang
			if !slices.Contains(Languages, lang) {
				lang = "en"
			}
			u = User{Email: id.Email, Name: name, Roles: roles, Lang: lang, Active: true,
				AuthVersion: 1, OIDCSubject: &id.Subject}
			if err := tx.Create(&u).Error; err != nil {
				return fmt.Errorf("models: create user from sign-on: %w", err)
			}
			return record(tx, s.now(), "user", u.ID, nil, "created", "", "", "", "single sign-on")
		case err != nil:
			return err
		}
		if !u.Active {
			return ErrDeactivated
		}
		if roles == "" {
			return ErrNoRole
		}
		updates := map[string]any{}
		if u.OIDCSubject == nil || *u.OIDCSubject != id.Subject {
			updates["oidc_subject"] = id.Subject
			u.OIDCSubject = &id.Subject
		}
		if u.Roles != roles {
			if err := record(tx, s.now(), "user", u.ID, nil, "updated", "roles", u.Roles, roles, "single sign-on"); err != nil {
				return err
			}
			updates["roles"] = roles
			u.Roles = roles
		}
		if len(updates) == 0 {
			return nil
		}
		updates["updated_at"] = s.now()
		return tx.Model(&User{}).Where("id = ?", u.ID).Updates(updates).Error
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// SettingSSOButton says whether the sign-in page offers single sign-on ("on", the
// default when OIDC is configured, or "off").
const SettingSSOButton = "sso_button"

// SSOEnabled reports whether an admin left single sign-on switched on.
func (s *Store) SSOEnabled(ctx context.Context) (bool, error) {
	v, ok, err := s.getSetting(ctx, SettingSSOButton)
	if err != nil || !ok {
		return true, err
	}
	return v != "off", nil
}

// SetSSOEnabled switches single sign-on (its button and its sign-in route) on or off.
func (s *Store) SetSSOEnabled(ctx context.Context, on bool, by *User) error {
	v := "off"
	if on {
		v = "on"
	}
	return s.putSetting(ctx, SettingSSOButton, v, by)
}
