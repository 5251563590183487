package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// SignInOIDC finds or creates the user of a single sign-on. The user is found by the
// provider's subject, else by e-mail address (a user an admin created beforehand is
// linked to the provider on their first sign-in). The provider is the company's
// source of truth for roles: they are taken from the claim at every sign-in, and a
// person to whom no role maps is refused (ErrNoRole). A deactivated user is refused
// (ErrDeactivated) whatever the provider says.
func (s *Store) SignInOIDC(ctx context.Context, id models.OIDCIdentity) (*models.User, error) {
	id.Email = models.NormalizeEmail(id.Email)
	if id.Subject == "" || !strings.Contains(id.Email, "@") {
		return nil, models.Invalid("email", "invalid_email")
	}
	roles := strings.Join(models.MapRoles(id.Roles), ",")
	var u models.User
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		err := tx.Where("oidc_subject = ?", id.Subject).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			err = tx.Where("email = ?", id.Email).Take(&u).Error
		}
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			if roles == "" {
				return models.ErrNoRole
			}
			name := strings.TrimSpace(id.Name)
			if name == "" {
				name = id.Email
			}
			lang := id.Lang
			if !slices.Contains(models.Languages, lang) {
				lang = "en"
			}
			u = models.User{Email: id.Email, Name: name, Roles: roles, Lang: lang, Active: true,
				AuthVersion: 1, OIDCSubject: &id.Subject}
			if err := tx.Create(&u).Error; err != nil {
				return fmt.Errorf("models: create user from sign-on: %w", err)
			}
			return record(tx, s.now(), "user", u.ID, nil, "created", "", "", "", "single sign-on")
		case err != nil:
			return err
		}
		if !u.Active {
			return models.ErrDeactivated
		}
		if roles == "" {
			return models.ErrNoRole
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
		return tx.Model(&models.User{}).Where("id = ?", u.ID).Updates(updates).Error
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// SSOEnabled reports whether an admin left single sign-on switched on.
func (s *Store) SSOEnabled(ctx context.Context) (bool, error) {
	v, ok, err := s.getSetting(ctx, models.SettingSSOButton)
	if err != nil || !ok {
		return true, err
	}
	return v != "off", nil
}

// SetSSOEnabled switches single sign-on (its button and its sign-in route) on or off.
func (s *Store) SetSSOEnabled(ctx context.Context, on bool, by *models.User) error {
	v := "off"
	if on {
		v = "on"
	}
	return s.putSetting(ctx, models.SettingSSOButton, v, by)
}
