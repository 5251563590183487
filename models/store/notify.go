package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// recipients reads the consenting customers of an improvement's linked feedback.
func recipients(db *gorm.DB, improvementID int64) ([]models.NotifyRecipient, int, error) {
	var rs []models.NotifyRecipient
	err := db.Raw(`SELECT f.id AS feedback_id, COALESCE(f.customer_name, '') AS name, f.customer_email AS email, f.comment
		FROM improvement_feedback imf JOIN feedback f ON f.id = imf.feedback_id
		WHERE imf.improvement_id = ? AND f.consent AND f.customer_email IS NOT NULL AND f.customer_email <> ''
		AND f.personal_data_erased_at IS NULL ORDER BY f.id`, improvementID).Scan(&rs).Error
	if err != nil {
		return nil, 0, fmt.Errorf("models: recipients of %d: %w", improvementID, err)
	}
	var linked int64
	if err := db.Table("improvement_feedback").Where("improvement_id = ?", improvementID).Count(&linked).Error; err != nil {
		return nil, 0, err
	}
	return rs, int(linked) - len(rs), nil
}

// implementedImprovement loads an improvement and refuses one that is not implemented:
// customers are told only about what was done.
func implementedImprovement(db *gorm.DB, id int64) (*models.Improvement, error) {
	var imp models.Improvement
	if err := db.Take(&imp, id).Error; err != nil {
		return nil, notFound(err)
	}
	if imp.Status != models.StatusImplemented {
		return nil, fmt.Errorf("models: improvement %d is %s, not implemented: %w", id, imp.Status, models.ErrNotAllowed)
	}
	return &imp, nil
}

// NotifyAudience lists the customers who can be told about an implemented improvement,
// with the state of any message sent to them.
func (s *Store) NotifyAudience(ctx context.Context, improvementID int64) (*models.NotifyAudience, error) {
	db := s.r.WithContext(ctx)
	if _, err := implementedImprovement(db, improvementID); err != nil {
		return nil, err
	}
	rs, without, err := recipients(db, improvementID)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(rs))
	for i, r := range rs {
		keys[i] = models.NotifyKey(improvementID, r.FeedbackID)
	}
	sent, err := s.OutboxByKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		rs[i].Status = sent[keys[i]].Status
	}
	return &models.NotifyAudience{Recipients: rs, WithoutConsent: without}, nil
}

// NotifyCustomers queues the message for every consenting customer of an implemented
// improvement who was not told yet, and records it. It returns how many messages were
// queued now and how many customers had been told before (and were skipped).
func (s *Store) NotifyCustomers(ctx context.Context, improvementID int64, m models.NotifyMessage, by *models.User) (queued, before int, err error) {
	if v := m.Validate(); v != nil {
		return 0, 0, v
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := implementedImprovement(tx, improvementID); err != nil {
			return err
		}
		rs, _, err := recipients(tx, improvementID)
		if err != nil {
			return err
		}
		now := s.now()
		subject := strings.TrimSpace(m.Subject)
		for _, r := range rs {
			ok, err := enqueue(tx, now, models.NotifyKey(improvementID, r.FeedbackID), r.Email, subject, m.Personalise(r.Name))
			if err != nil {
				return err
			}
			if !ok {
				before++
				continue
			}
			queued++
			if err := record(tx, now, "feedback", r.FeedbackID, by, "notified", "improvement", "", fmt.Sprint(improvementID), subject); err != nil {
				return err
			}
		}
		if queued == 0 {
			return nil
		}
		return record(tx, now, "improvement", improvementID, by, "notified", "customers", "", fmt.Sprint(queued), subject)
	})
	if err != nil {
		return 0, 0, err
	}
	return queued, before, nil
}
