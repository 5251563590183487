package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// APIToken is a credential for the HTTP API. Only its SHA-256 is stored: tokens are
// long random strings, so a fast hash is enough and lookups stay a single index probe.
// A token works until it expires (when it has an expiry) or is revoked: by the admin,
// on the command line, or when its user's password is reset or the user deactivated.
// Reactivating a user does not bring the user's tokens back.
type APIToken struct {
	ID         int64
	UserID     int64
	User       *User `gorm:"foreignKey:UserID"`
	Name       string
	TokenHash  string `json:"-"`
	LastUsedAt *time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

// Active reports whether the token still works at now.
func (t APIToken) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || t.ExpiresAt.After(now))
}

// TokenUseInterval is how stale a token's last use may be: a token used all day is
// written at most once in this interval, so API calls are not writes.
const TokenUseInterval = time.Minute

// ParseTokenLifetime reads a lifetime like "90d", "12w", "6m" (months), "1y" or a Go
// duration ("36h"); it must be positive and at most 5 years.
func ParseTokenLifetime(now time.Time, s string) (time.Time, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	bad := fmt.Errorf("models: %q is not a lifetime like 90d, 12w, 6m or 1y", s)
	if len(s) < 2 {
		return time.Time{}, bad
	}
	var end time.Time
	if n, err := strconv.Atoi(s[:len(s)-1]); err == nil && strings.ContainsRune("dwmy", rune(s[len(s)-1])) {
		if n <= 0 {
			return time.Time{}, bad
		}
		switch s[len(s)-1] {
		case 'd':
			end = now.AddDate(0, 0, n)
		case 'w':
			end = now.AddDate(0, 0, 7*n)
		case 'm':
			end = now.AddDate(0, n, 0)
		case 'y':
			end = now.AddDate(n, 0, 0)
		}
	} else if d, err := time.ParseDuration(s); err == nil && d > 0 {
		end = now.Add(d)
	} else {
		return time.Time{}, bad
	}
	if end.After(now.AddDate(5, 0, 0)) {
		return time.Time{}, fmt.Errorf("models: a token may live at most 5 years")
	}
	return end, nil
}
