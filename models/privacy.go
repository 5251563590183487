package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// eraseBatch is how many feedback rows one erasure transaction touches, so that the
// retention job never holds the write lock for long.
const eraseBatch = 500

// personalDataColumns are cleared when a customer is erased. The feedback itself, its
// score and its day stay, so statistics do not change.
var personalDataColumns = []string{"customer_name", "customer_email", "customer_phone"}

// EraseCustomer removes a customer's name and e-mail from every feedback they gave,
// found by e-mail address, and returns how many were changed. The history records
// that personal data was erased and how much, never whose: the address is not stored.
func (s *Store) EraseCustomer(ctx context.Context, email string, by *User) (int, error) {
	email = NormalizeEmail(email)
	if !strings.Contains(email, "@") {
		return 0, Invalid("email", "invalid_email")
	}
	total, err := s.erase(ctx, by, "erasure_request", func(db *gorm.DB) *gorm.DB {
		return db.Where("customer_email = ?", email)
	})
	if err != nil {
		return total, err
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		return record(tx, s.now(), "privacy", 0, by, "customer_erased", "feedback", "", fmt.Sprint(total), "")
	})
	return total, err
}

// EraseExpiredPersonalData removes the personal data of feedback received more than
// the retention period ago, when one is set, and returns how many rows it changed.
func (s *Store) EraseExpiredPersonalData(ctx context.Context, by *User) (int, error) {
	days, err := s.RetentionDays(ctx)
	if err != nil || days <= 0 {
		return 0, err
	}
	cutoff := s.now().AddDate(0, 0, -days)
	total, err := s.erase(ctx, by, "retention", func(db *gorm.DB) *gorm.DB {
		return db.Where("received_at < ? AND (customer_name IS NOT NULL OR customer_email IS NOT NULL OR customer_phone IS NOT NULL)", cutoff)
	})
	if err != nil || total == 0 {
		return total, err
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		return record(tx, s.now(), "privacy", 0, by, "retention_erased", "feedback", "", fmt.Sprint(total),
			fmt.Sprintf("retention %d days", days))
	})
	return total, err
}

// erase clears personal data on the rows where selects, a batch per transaction, and
// records each row's erasure in its history.
func (s *Store) erase(ctx context.Context, by *User, reason string, where func(*gorm.DB) *gorm.DB) (int, error) {
	total := 0
	for {
		n := 0
		err := s.Tx(ctx, func(tx *gorm.DB) error {
			var ids []int64
			q := where(tx.Model(&Feedback{})).
				Where("(customer_name IS NOT NULL OR customer_email IS NOT NULL OR customer_phone IS NOT NULL OR consent)")
			if err := q.Order("id").Limit(eraseBatch).Pluck("id", &ids).Error; err != nil {
				return err
			}
			if len(ids) == 0 {
				return nil
			}
			now := s.now()
			updates := map[string]any{"consent": false, "personal_data_erased_at": now,
				"version": gorm.Expr("version + 1"), "updated_at": now}
			for _, c := range personalDataColumns {
				updates[c] = nil
			}
			if err := tx.Model(&Feedback{}).Where("id IN ?", ids).Updates(updates).Error; err != nil {
				return err
			}
			entries := make([]HistoryEntry, len(ids))
			for i, id := range ids {
				entries[i] = HistoryEntry{Entity: "feedback", EntityID: id, Action: "personal_data_erased",
					Note: reason, CreatedAt: now}
				if by != nil {
					entries[i].UserID = &by.ID
				}
			}
			if err := tx.CreateInBatches(entries, 200).Error; err != nil {
				return err
			}
			n = len(ids)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("models: erase personal data: %w", err)
		}
		total += n
		if n < eraseBatch {
			return total, nil
		}
	}
}

// PrivacyLogEntry is one recorded erasure, for the admin's privacy page.
type PrivacyLogEntry = HistoryEntry

// PrivacyLog lists the latest erasures and retention runs, newest first.
func (s *Store) PrivacyLog(ctx context.Context, limit int) ([]PrivacyLogEntry, error) {
	var out []HistoryEntry
	err := s.r.WithContext(ctx).Preload("User").Where("entity = ? AND entity_id = 0", "privacy").
		Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// PersonalDataStats counts the feedback that still holds personal data and the oldest
// such feedback, so the admin sees what retention would remove.
func (s *Store) PersonalDataStats(ctx context.Context) (count int64, oldest *time.Time, err error) {
	db := s.r.WithContext(ctx).Model(&Feedback{}).Where("customer_name IS NOT NULL OR customer_email IS NOT NULL")
	if err = db.Count(&count).Error; err != nil || count == 0 {
		return count, nil, err
	}
	var fb Feedback
	err = s.r.WithContext(ctx).Where("customer_name IS NOT NULL OR customer_email IS NOT NULL").
		Order("received_at").Limit(1).Take(&fb).Error
	if err != nil {
		return count, nil, err
	}
	return count, &fb.ReceivedAt, nil
}

// CountCustomer counts the feedback that still holds a customer's e-mail address, so
// the admin can confirm an erasure knowing what it will touch.
func (s *Store) CountCustomer(ctx context.Context, email string) (int64, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&Feedback{}).Where("customer_email = ?", NormalizeEmail(email)).Count(&n).Error
	return n, err
}
