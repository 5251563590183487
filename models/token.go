package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// APIToken is a credential for the HTTP API. Only its SHA-256 is stored: tokens are
// long random strings, so a fast hash is enough and lookups stay a single index probe.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	TokenHash  string
	LastUsedAt *time.Time
	CreatedAt  time.Time
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new token for a user and returns it in clear, the only time it
// is ever seen.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := "itk_" + hex.EncodeToString(b)
	row := APIToken{UserID: userID, Name: name, TokenHash: hashToken(token), CreatedAt: s.now()}
	if err := s.w.WithContext(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("models: create token: %w", err)
	}
	return token, nil
}

// UserByToken returns the active user a token belongs to, or ErrNotFound.
func (s *Store) UserByToken(ctx context.Context, token string) (*User, error) {
	var u User
	err := s.r.WithContext(ctx).Table("users").Select("users.*").
		Joins("JOIN api_tokens ON api_tokens.user_id = users.id").
		Where("api_tokens.token_hash = ? AND users.active", hashToken(token)).Take(&u).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}
