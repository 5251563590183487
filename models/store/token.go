package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new token for a user that does not expire and returns it in
// clear, the only time it is ever seen.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	token, _, err := s.CreateTokenExpiring(ctx, userID, name, nil)
	return token, err
}

// CreateTokenExpiring makes a new token that stops working at expires (nil: never,
// until revoked) and returns it in clear with its stored row.
func (s *Store) CreateTokenExpiring(ctx context.Context, userID int64, name string, expires *time.Time) (string, *models.APIToken, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token := "itk_" + hex.EncodeToString(b)
	row := models.APIToken{UserID: userID, Name: strings.TrimSpace(name), TokenHash: hashToken(token), CreatedAt: s.now()}
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
//
// Every API call asks, so the token and its user are read in one statement, scanned by
// hand (as UserByID is): two statements, one through GORM's reflection, were a fifth of
// serving a page of the API's feedback list.
func (s *Store) UserByToken(ctx context.Context, token string) (*models.User, error) {
	var t models.APIToken
	var u models.User
	err := s.r.WithContext(ctx).Raw("SELECT t.id, t.user_id, t.last_used_at, t.expires_at, t.revoked_at, "+userColumnsOfU+
		" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?", hashToken(token)).Row().Scan(
		append([]any{&t.ID, &t.UserID, &t.LastUsedAt, &t.ExpiresAt, &t.RevokedAt}, userFields(&u)...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, models.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("models: user by token: %w", err)
	}
	now := s.now()
	if !t.Active(now) || !u.Active {
		return nil, models.ErrNotFound
	}
	last, ok := s.tokenUses.Load(t.ID)
	if !ok && t.LastUsedAt != nil {
		last, ok = *t.LastUsedAt, true
	}
	if !ok || now.Sub(last.(time.Time)) >= models.TokenUseInterval {
		s.tokenUses.Store(t.ID, now)
		if err := s.w.WithContext(ctx).Model(&models.APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error; err != nil {
			return nil, fmt.Errorf("models: note token use: %w", err)
		}
	}
	return &u, nil
}

// userColumnsOfU is userColumns of the users table named u.
var userColumnsOfU = "u." + strings.ReplaceAll(userColumns, ", ", ", u.")

// Tokens lists the tokens of a user (userID 0: of everyone), newest first, with their
// users.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]models.APIToken, error) {
	q := s.r.WithContext(ctx).Preload("User").Order("id DESC")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	var out []models.APIToken
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list tokens: %w", err)
	}
	return out, nil
}

// TokenByID loads one token.
func (s *Store) TokenByID(ctx context.Context, id int64) (*models.APIToken, error) {
	var t models.APIToken
	if err := s.r.WithContext(ctx).Preload("User").Take(&t, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// RevokeToken ends a token at once and records who did it. Revoking a revoked token
// changes nothing.
func (s *Store) RevokeToken(ctx context.Context, id int64, by *models.User) error {
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var t models.APIToken
		if err := tx.Take(&t, id).Error; err != nil {
			return notFound(err)
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.now()
		if err := tx.Model(&models.APIToken{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
			return fmt.Errorf("models: revoke token %d: %w", id, err)
		}
		return record(tx, now, "user", t.UserID, by, "token_revoked", "token", "", strconv.FormatInt(id, 10), t.Name)
	})
}

// revokeUserTokens ends every working token of a user, inside the transaction that
// resets the password or deactivates the user.
func revokeUserTokens(tx *gorm.DB, userID int64, now time.Time) error {
	err := tx.Model(&models.APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error
	if err != nil {
		return fmt.Errorf("models: revoke tokens of user %d: %w", userID, err)
	}
	return nil
}
