package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// The roles a user may hold; a user may hold several.
const (
	RoleAmbassador = "ambassador"
	RoleQuickWin   = "quickwin"
	RoleSteering   = "steering"
	RoleAdmin      = "admin"
	// RoleBranch is a branch manager: sees its branches' feedback and follow-ups and
	// their branch page (issue 17).
	RoleBranch = "branch"
	// RoleStaff is an employee who proposes improvements and follows their ideas.
	RoleStaff = "staff"
)

// Roles lists every role in display order.
var Roles = []string{RoleAmbassador, RoleQuickWin, RoleSteering, RoleAdmin, RoleBranch, RoleStaff}

// Languages lists the user interface languages.
var Languages = []string{"en", "da", "nb"}

// PasswordCost is the bcrypt cost; tests lower it to keep the suite fast.
var PasswordCost = 12

// MinPasswordLength is the shortest password accepted; CheckPassword also refuses
// common ones.
const MinPasswordLength = 12

// User is a person who signs in.
type User struct {
	ID            int64
	Email         string
	Name          string
	PasswordHash  string `json:"-"`
	Roles         string
	Lang          string
	Active        bool
	AuthVersion   int
	LastChannelID *int64
	LastBranchID  *int64
	// OIDCSubject is the identity provider's "sub" of a user who signed in through
	// single sign-on; nil for password-only users.
	OIDCSubject *string `gorm:"column:oidc_subject" json:"-"`
	// MailOptOut lists the alert kinds the user wants no mail for (issue 17).
	MailOptOut string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// RoleList returns the user's roles.
func (u *User) RoleList() []string { return SplitRoles(u.Roles) }

// Has reports whether the user holds any of the roles.
func (u *User) Has(roles ...string) bool {
	if u == nil {
		return false
	}
	mine := u.RoleList()
	for _, r := range roles {
		if slices.Contains(mine, r) {
			return true
		}
	}
	return false
}

// Initials returns up to two letters for compact display on cards.
func (u *User) Initials() string {
	var out []rune
	for _, part := range strings.Fields(u.Name) {
		out = append(out, []rune(part)[0])
		if len(out) == 2 {
			break
		}
	}
	return strings.ToUpper(string(out))
}

// SplitRoles parses a comma-separated role list, dropping blanks and duplicates.
func SplitRoles(s string) []string {
	var out []string
	for _, r := range strings.Split(s, ",") {
		r = strings.TrimSpace(strings.ToLower(r))
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// ValidRoles reports whether every role is known and there is at least one.
func ValidRoles(roles []string) bool {
	if len(roles) == 0 {
		return false
	}
	for _, r := range roles {
		if !slices.Contains(Roles, r) {
			return false
		}
	}
	return true
}

// NormalizeEmail lower-cases and trims an address so lookups are case-insensitive.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// HashPassword hashes a password with bcrypt.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), PasswordCost)
	if err != nil {
		return "", fmt.Errorf("models: hash password: %w", err)
	}
	return string(h), nil
}

// RandomPassword returns a password fit for a first admin or a reset.
func RandomPassword() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewUser is the input to CreateUser.
type NewUser struct {
	Email, Name, Password, Lang string
	Roles                       []string
	// BranchIDs are the branches a branch manager manages (required with RoleBranch).
	BranchIDs []int64
}

// Validate names each problem by field.
func (n NewUser) Validate() *ValidationError {
	f := map[string]string{}
	if !strings.Contains(n.Email, "@") || len(n.Email) > MaxEmailLength || HasNUL(n.Email) {
		f["email"] = "invalid_email"
	}
	if strings.TrimSpace(n.Name) == "" {
		f["name"] = "required"
	} else if HasNUL(n.Name) {
		f["name"] = "no_nul"
	}
	if problem := CheckPassword(n.Password); problem != "" {
		f["password"] = problem
	}
	if !ValidRoles(n.Roles) {
		f["roles"] = "invalid_roles"
	}
	if slices.Contains(n.Roles, RoleBranch) && len(n.BranchIDs) == 0 {
		f["branches"] = "branch_required"
	}
	if n.Lang != "" && !slices.Contains(Languages, n.Lang) {
		f["lang"] = "invalid_choice"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// CreateUser stores a new user; a taken e-mail address is a field error.
func (s *Store) CreateUser(ctx context.Context, n NewUser, by *User) (*User, error) {
	n.Email = NormalizeEmail(n.Email)
	if n.Lang == "" {
		n.Lang = "en"
	}
	if v := n.Validate(); v != nil {
		return nil, v
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	u := &User{Email: n.Email, Name: strings.TrimSpace(n.Name), PasswordHash: hash,
		Roles: strings.Join(n.Roles, ","), Lang: n.Lang, Active: true, AuthVersion: 1}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		if err := record(tx, s.now(), "user", u.ID, by, "created", "", "", "", ""); err != nil {
			return err
		}
		if slices.Contains(n.Roles, RoleBranch) {
			return setUserBranches(tx, s.now(), u.ID, n.BranchIDs, by)
		}
		return nil
	})
	if isUniqueViolation(err) {
		return nil, Invalid("email", "email_taken")
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
	if err := s.r.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return "", fmt.Errorf("models: count users: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	password := RandomPassword()
	_, err := s.CreateUser(ctx, NewUser{Email: "admin@example.com", Name: "Administrator",
		Password: password, Roles: []string{RoleAmbassador, RoleQuickWin, RoleSteering, RoleAdmin}, Lang: "en"}, nil)
	if err != nil {
		return "", err
	}
	return password, nil
}

// UserByID loads a user.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := s.r.WithContext(ctx).Take(&u, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// UserByEmail loads a user by address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	if err := s.r.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&u).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// Users lists every user, active first, by name.
//
// The list is on every feedback page (the "logged by" filter); it is kept like the
// dashboard's figures, until the next write or aggregateTTL, and each caller gets its
// own copy.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	us, err := cachedAggregate(ctx, s, "users", func(ctx context.Context) ([]User, error) {
		var us []User
		err := s.r.WithContext(ctx).Order("active DESC, name, id").Find(&us).Error
		return us, err
	})
	return slices.Clone(us), err
}

// UsersWithRole lists active users holding a role (for owner and attendee pickers).
func (s *Store) UsersWithRole(ctx context.Context, role string) ([]User, error) {
	all, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []User
	for _, u := range all {
		if u.Active && u.Has(role) {
			out = append(out, u)
		}
	}
	return out, nil
}

// UserChange is an admin's edit of a user.
type UserChange struct {
	Name   string
	Roles  []string
	Lang   string
	Active bool
	// BranchIDs are the branches managed with RoleBranch (cleared without it).
	BranchIDs []int64
}

// UpdateUser applies an admin's edit. Deactivating bumps the auth version, which ends
// every session of that user at their next request.
func (s *Store) UpdateUser(ctx context.Context, id int64, c UserChange, by *User) error {
	f := map[string]string{}
	if strings.TrimSpace(c.Name) == "" {
		f["name"] = "required"
	}
	if !ValidRoles(c.Roles) {
		f["roles"] = "invalid_roles"
	}
	if !slices.Contains(Languages, c.Lang) {
		f["lang"] = "invalid_choice"
	}
	if slices.Contains(c.Roles, RoleBranch) && len(c.BranchIDs) == 0 {
		f["branches"] = "branch_required"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		branches := c.BranchIDs
		if !slices.Contains(c.Roles, RoleBranch) {
			branches = nil
		}
		if err := setUserBranches(tx, s.now(), id, branches, by); err != nil {
			return err
		}
		var u User
		if err := tx.Take(&u, id).Error; err != nil {
			return notFound(err)
		}
		roles := strings.Join(c.Roles, ",")
		if u.Active && u.Has(RoleAdmin) && (!c.Active || !slices.Contains(c.Roles, RoleAdmin)) {
			var others int64
			if err := tx.Model(&User{}).Where("id <> ? AND active AND (',' || roles || ',') LIKE ?", id, "%,"+RoleAdmin+",%").
				Count(&others).Error; err != nil {
				return err
			}
			if others == 0 {
				field := "roles"
				if !c.Active {
					field = "active"
				}
				return Invalid(field, "last_admin")
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
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(updates).Error; err != nil {
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
	if !slices.Contains(Languages, lang) {
		return Invalid("lang", "invalid_choice")
	}
	return s.w.WithContext(ctx).Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"lang": lang, "updated_at": s.now()}).Error
}

// ResetPassword sets a new password and ends the user's sessions.
func (s *Store) ResetPassword(ctx context.Context, id int64, password string, by *User) error {
	if problem := CheckPassword(password); problem != "" {
		return Invalid("password", problem)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{
			"password_hash": hash, "auth_version": gorm.Expr("auth_version + 1"), "updated_at": s.now()})
		if res.Error != nil {
			return fmt.Errorf("models: reset password %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := revokeUserTokens(tx, id, s.now()); err != nil {
			return err
		}
		return record(tx, s.now(), "user", id, by, "password_reset", "", "", "", "")
	})
}

// rememberLastEntry keeps the channel and branch of an ambassador's last feedback so
// the next form starts with them.
// remembers reports whether the user's last channel and branch are these already.
func (u *User) remembers(channelID int64, branchID *int64) bool {
	sameBranch := (u.LastBranchID == nil && branchID == nil) ||
		(u.LastBranchID != nil && branchID != nil && *u.LastBranchID == *branchID)
	return u.LastChannelID != nil && *u.LastChannelID == channelID && sameBranch
}

func rememberLastEntry(db *gorm.DB, userID int64, channelID int64, branchID *int64) error {
	return db.Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"last_channel_id": channelID, "last_branch_id": branchID}).Error
}
