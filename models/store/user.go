package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// CreateUser stores a new user; a taken e-mail address is a field error.
func (s *Store) CreateUser(ctx context.Context, n models.NewUser, by *models.User) (*models.User, error) {
	n.Email = models.NormalizeEmail(n.Email)
	if n.Lang == "" {
		n.Lang = "en"
	}
	if v := n.Validate(); v != nil {
		return nil, v
	}
	hash, err := models.HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	u := &models.User{Email: n.Email, Name: strings.TrimSpace(n.Name), PasswordHash: hash,
		Roles: strings.Join(n.Roles, ","), Lang: n.Lang, Active: true, AuthVersion: 1}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		if err := record(tx, s.now(), "user", u.ID, by, "created", "", "", "", ""); err != nil {
			return err
		}
		if slices.Contains(n.Roles, models.RoleBranch) {
			return setUserBranches(tx, s.now(), u.ID, n.BranchIDs, by)
		}
		return nil
	})
	if isUniqueViolation(err) {
		return nil, models.Invalid("email", "email_taken")
	}
	if err != nil {
		return nil, fmt.Errorf("models: create user: %w", err)
	}
	return u, nil
}

// EnsureFirstAdmin creates admin@example.com with a random password when no user
// exists, and returns the password (empty when users already existed).
func (s *Store) EnsureFirstAdmin(ctx context.Context) (string, error) {
	var n int64
	if err := s.r.WithContext(ctx).Model(&models.User{}).Count(&n).Error; err != nil {
		return "", fmt.Errorf("models: count users: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	password := models.RandomPassword()
	_, err := s.CreateUser(ctx, models.NewUser{Email: "admin@example.com", Name: "Administrator",
		Password: password, Roles: []string{models.RoleAmbassador, models.RoleQuickWin, models.RoleSteering, models.RoleAdmin}, Lang: "en"}, nil)
	if err != nil {
		return "", err
	}
	return password, nil
}

// UserByID loads a user. Every signed-in request does, so it is read with one prepared
// statement and scanned by hand: GORM's reflection and statement building were half
// of its cost. userColumns names every column of models.User
// (TestUserByIDReadsEveryColumn).
func (s *Store) UserByID(ctx context.Context, id int64) (*models.User, error) {
	var u models.User
	err := s.r.WithContext(ctx).Raw("SELECT "+userColumns+" FROM users WHERE id = ?", id).Row().Scan(userFields(&u)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("models: user %d: %w", id, err)
	}
	return &u, nil
}

const userColumns = "id, email, name, password_hash, roles, lang, active, auth_version, last_channel_id, " +
	"last_branch_id, oidc_subject, mail_opt_out, last_write_at, last_write_by, elsewhere_write_at, created_at, updated_at"

// userFields are u's fields in the order of userColumns, for Scan.
func userFields(u *models.User) []any {
	return []any{&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Roles, &u.Lang, &u.Active, &u.AuthVersion,
		&u.LastChannelID, &u.LastBranchID, &u.OIDCSubject, &u.MailOptOut, &u.LastWriteAt, &u.LastWriteBy, &u.ElsewhereWriteAt,
		&u.CreatedAt, &u.UpdatedAt}
}

// UserByEmail loads a user by address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*models.User, error) {
	var u models.User
	if err := s.r.WithContext(ctx).Where("email = ?", models.NormalizeEmail(email)).Take(&u).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// Users lists every user, active first, by name.
//
// The list is on every feedback page (the "logged by" filter); it is kept like the
// dashboard's figures, until the next write or aggregateTTL, and each caller gets its
// own copy.
func (s *Store) Users(ctx context.Context) ([]models.User, error) {
	us, err := cachedAggregate(ctx, s, "users", func(ctx context.Context) ([]models.User, error) {
		var us []models.User
		err := s.r.WithContext(ctx).Order("active DESC, name, id").Find(&us).Error
		return us, err
	})
	return slices.Clone(us), err
}

// UsersWithRole lists active users holding a role (for owner and attendee pickers).
func (s *Store) UsersWithRole(ctx context.Context, role string) ([]models.User, error) {
	all, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []models.User
	for _, u := range all {
		if u.Active && u.Has(role) {
			out = append(out, u)
		}
	}
	return out, nil
}

// UpdateUser applies an admin's edit. Deactivating bumps the auth version, which ends
// every session of that user at their next request.
func (s *Store) UpdateUser(ctx context.Context, id int64, c models.UserChange, by *models.User) error {
	f := map[string]string{}
	if strings.TrimSpace(c.Name) == "" {
		f["name"] = "required"
	}
	if !models.ValidRoles(c.Roles) {
		f["roles"] = "invalid_roles"
	}
	if !slices.Contains(models.Languages, c.Lang) {
		f["lang"] = "invalid_choice"
	}
	if slices.Contains(c.Roles, models.RoleBranch) && len(c.BranchIDs) == 0 {
		f["branches"] = "branch_required"
	}
	if len(f) > 0 {
		return &models.ValidationError{Fields: f}
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		branches := c.BranchIDs
		if !slices.Contains(c.Roles, models.RoleBranch) {
			branches = nil
		}
		if err := setUserBranches(tx, s.now(), id, branches, by); err != nil {
			return err
		}
		var u models.User
		if err := tx.Take(&u, id).Error; err != nil {
			return notFound(err)
		}
		roles := strings.Join(c.Roles, ",")
		if u.Active && u.Has(models.RoleAdmin) && (!c.Active || !slices.Contains(c.Roles, models.RoleAdmin)) {
			var others int64
			if err := tx.Model(&models.User{}).Where("id <> ? AND active AND (',' || roles || ',') LIKE ?", id, "%,"+models.RoleAdmin+",%").
				Count(&others).Error; err != nil {
				return err
			}
			if others == 0 {
				field := "roles"
				if !c.Active {
					field = "active"
				}
				return models.Invalid(field, "last_admin")
			}
		}
		updates := map[string]any{"name": strings.TrimSpace(c.Name), "roles": roles, "lang": c.Lang,
			"active": c.Active, "updated_at": s.now()}
		if u.Active && !c.Active {
			updates["auth_version"] = u.AuthVersion + 1
			if err := revokeUserTokens(tx, id, s.now()); err != nil {
				return err
			}
		}
		if err := tx.Model(&models.User{}).Where("id = ?", id).Updates(updates).Error; err != nil {
			return fmt.Errorf("models: update user %d: %w", id, err)
		}
		now := s.now()
		changes := [][3]string{{"name", u.Name, c.Name}, {"roles", u.Roles, roles}, {"lang", u.Lang, c.Lang},
			{"active", fmt.Sprint(u.Active), fmt.Sprint(c.Active)}}
		for _, ch := range changes {
			if ch[1] != ch[2] {
				if err := record(tx, now, "user", id, by, "updated", ch[0], ch[1], ch[2], ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SetLanguage stores a user's own choice of language.
func (s *Store) SetLanguage(ctx context.Context, id int64, lang string) error {
	if !slices.Contains(models.Languages, lang) {
		return models.Invalid("lang", "invalid_choice")
	}
	return s.w.WithContext(ctx).Model(&models.User{}).Where("id = ?", id).
		Updates(map[string]any{"lang": lang, "updated_at": s.now()}).Error
}

// ResetPassword sets a new password and ends the user's sessions.
func (s *Store) ResetPassword(ctx context.Context, id int64, password string, by *models.User) error {
	if problem := models.CheckPassword(password); problem != "" {
		return models.Invalid("password", problem)
	}
	hash, err := models.HashPassword(password)
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&models.User{}).Where("id = ?", id).Updates(map[string]any{
			"password_hash": hash, "auth_version": gorm.Expr("auth_version + 1"), "updated_at": s.now()})
		if res.Error != nil {
			return fmt.Errorf("models: reset password %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		if err := revokeUserTokens(tx, id, s.now()); err != nil {
			return err
		}
		return record(tx, s.now(), "user", id, by, "password_reset", "", "", "", "")
	})
}
