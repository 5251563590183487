package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/improvementtracker/tracker/models"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// loginThrottleRow is one account's failed sign-ins.
type loginThrottleRow struct {
	KeyHash      string `gorm:"primaryKey"`
	Failures     int
	BlockedUntil *time.Time
	UpdatedAt    time.Time
}

func (loginThrottleRow) TableName() string { return "login_throttle" }

// dummyHashes holds, per bcrypt cost, a hash that unknown addresses are checked
// against, so that signing in with one costs the same time as with a real address.
var dummyHashes sync.Map

func dummyHash() []byte {
	if h, ok := dummyHashes.Load(models.PasswordCost); ok {
		return h.([]byte)
	}
	h, _ := bcrypt.GenerateFromPassword([]byte("not-a-real-password"), models.PasswordCost)
	dummyHashes.Store(models.PasswordCost, h)
	return h
}

// Authenticate returns the active user with that e-mail and password, ErrNotFound, or
// a *ThrottledError while the account waits after failures. It does the same work
// whether or not the address exists: one lookup, one bcrypt comparison (against a
// dummy hash of today's cost for an unknown address), one write for a failure.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*models.User, error) {
	email = models.NormalizeEmail(email)
	key := hashToken("login:" + email)
	now := s.now()
	var row loginThrottleRow
	err := s.r.WithContext(ctx).Where("key_hash = ?", key).Take(&row).Error
	known := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	if known && row.BlockedUntil != nil && row.BlockedUntil.After(now) {
		return nil, &models.ThrottledError{Until: *row.BlockedUntil}
	}
	var u models.User
	err = s.r.WithContext(ctx).Where("email = ?", email).Take(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	hash := []byte(u.PasswordHash)
	if err != nil {
		hash = dummyHash()
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && err == nil && u.Active
	if !ok {
		if err := s.recordLoginFailure(ctx, key, now); err != nil {
			return nil, err
		}
		return nil, models.ErrNotFound
	}
	if known {
		if err := s.w.WithContext(ctx).Where("key_hash = ?", key).Delete(&loginThrottleRow{}).Error; err != nil {
			return nil, fmt.Errorf("models: clear sign-in failures: %w", err)
		}
	}
	return &u, nil
}

// recordLoginFailure counts a failure and, past the free ones, makes the account wait.
func (s *Store) recordLoginFailure(ctx context.Context, key string, now time.Time) error {
	p := s.Login
	var failures int
	err := s.w.WithContext(ctx).Raw(`INSERT INTO login_throttle (key_hash, failures, updated_at) VALUES (?, 1, ?)
		ON CONFLICT (key_hash) DO UPDATE SET
			failures = CASE WHEN login_throttle.updated_at < ? THEN 1 ELSE login_throttle.failures + 1 END,
			updated_at = excluded.updated_at
		RETURNING failures`, key, now, now.Add(-p.Memory)).Scan(&failures).Error
	if err != nil {
		return fmt.Errorf("models: count sign-in failure: %w", err)
	}
	if d := p.Delay(failures); d > 0 {
		err = s.w.WithContext(ctx).Model(&loginThrottleRow{}).Where("key_hash = ?", key).
			Update("blocked_until", now.Add(d)).Error
		if err != nil {
			return fmt.Errorf("models: delay sign-in: %w", err)
		}
	}
	return nil
}

// DeleteStaleLoginFailures forgets failures older than the policy's memory.
func (s *Store) DeleteStaleLoginFailures(ctx context.Context) (int64, error) {
	res := s.w.WithContext(ctx).Where("updated_at < ? AND (blocked_until IS NULL OR blocked_until < ?)",
		s.now().Add(-s.Login.Memory), s.now()).Delete(&loginThrottleRow{})
	return res.RowsAffected, res.Error
}
