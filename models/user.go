package models

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
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
	// LastWriteAt is when the user's latest write committed (the store keeps it), so
	// that every instance shows a user their own writes.
	LastWriteAt *time.Time `json:"-"`
	// LastWriteBy names the instance that made that write (a random id per process).
	LastWriteBy string `json:"-"`
	// ElsewhereWriteAt is when the user's latest write through another instance than
	// LastWriteBy committed.
	ElsewhereWriteAt *time.Time `json:"-"`
	CreatedAt        time.Time
	UpdatedAt        time.Time
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

// UserChange is an admin's edit of a user.
type UserChange struct {
	Name   string
	Roles  []string
	Lang   string
	Active bool
	// BranchIDs are the branches managed with RoleBranch (cleared without it).
	BranchIDs []int64
}

// Remembers reports whether the user's last channel and branch, with which their next
// feedback form starts, are these already.
func (u *User) Remembers(channelID int64, branchID *int64) bool {
	sameBranch := (u.LastBranchID == nil && branchID == nil) ||
		(u.LastBranchID != nil && branchID != nil && *u.LastBranchID == *branchID)
	return u.LastChannelID != nil && *u.LastChannelID == channelID && sameBranch
}
