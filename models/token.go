package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
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

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

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

// CreateToken makes a new token for a user that does not expire and returns it in
// clear, the only time it is ever seen.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	token, _, err := s.CreateTokenExpiring(ctx, userID, name, nil)
	return token, err
}

// CreateTokenExpiring makes a new token that stops working at expires (nil: never,
// until revoked) and returns it in clear with its stored row.
func (s *Store) CreateTokenExpiring(ctx context.Context, userID int64, name string, expires *time.Time) (string, *APIToken, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token := "itk_" + hex.EncodeToString(b)
	row := APIToken{UserID: userID, Name: strings.TrimSpace(name), TokenHash: hashToken(token), CreatedAt: s.now()}
	if expires != nil {
		e := expires.UTC()
		row.ExpiresAt = &e
	}
	if err := s.w.WithContext(ctx).Omit("User").Create(&row).Error; err != nil {
		return "", nil, fmt.Errorf("models: create token: %w", err)
	}
	return token, &row, nil
}

// UserByToken returns the active user a working token belongs to, or ErrNotFound, and
// notes the token's use (see TokenUseInterval).
func (s *Store) UserByToken(ctx context.Context, token string) (*User, error) {
	var t APIToken
	err := s.r.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Take(&t).Error
	if err != nil {
		return nil, notFound(err)
	}
	now := s.now()
	if !t.Active(now) {
		return nil, ErrNotFound
	}
	u, err := s.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, ErrNotFound
	}
	last, ok := s.tokenUses.Load(t.ID)
	if !ok && t.LastUsedAt != nil {
		last, ok = *t.LastUsedAt, true
	}
	if !ok || now.Sub(last.(time.Time)) >= TokenUseInterval {
		s.tokenUses.Store(t.ID, now)
		if err := s.w.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error; err != nil {
			return nil, fmt.Errorf("models: note token use: %w", err)
		}
	}
	return u, nil
}

// Tokens lists the tokens of a user (userID 0: of everyone), newest first, with their
// users.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]APIToken, error) {
	q := s.r.WithContext(ctx).Preload("User").Order("id DESC")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	var out []APIToken
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list tokens: %w", err)
	}
	return out, nil
}

// TokenByID loads one token.
func (s *Store) TokenByID(ctx context.Context, id int64) (*APIToken, error) {
	var t APIToken
	if err := s.r.WithContext(ctx).Preload("User").Take(&t, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// RevokeToken ends a token at once and records who did it. Revoking a revoked token
// changes nothing.
func (s *Store) RevokeToken(ctx context.Context, id int64, by *User) error {
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var t APIToken
		if err := tx.Take(&t, id).Error; err != nil {
			return notFound(err)
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.now()
		if err := tx.Model(&APIToken{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
			return fmt.Errorf("models: revoke token %d: %w", id, err)
		}
		return record(tx, now, "user", t.UserID, by, "token_revoked", "token", "", strconv.FormatInt(id, 10), t.Name)
	})
}

// revokeUserTokens ends every working token of a user, inside the transaction that
// resets the password or deactivates the user.
func revokeUserTokens(tx *gorm.DB, userID int64, now time.Time) error {
	err := tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error
	if err != nil {
		return fmt.Errorf("models: revoke tokens of user %d: %w", userID, err)
	}
	return nil
}
