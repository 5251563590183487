package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// NameField is the placeholder in a customer message that becomes each customer's name.
const NameField = "{name}"

// Limits of a customer message.
const (
	MaxNotifySubject = 200
	MaxNotifyBody    = 5000
)

// NotifyKey is the outbox dedupe key of telling one customer about one improvement: the
// unique key makes sure no customer is told twice, however often the form is sent.
func NotifyKey(improvementID, feedbackID int64) string {
	return fmt.Sprintf("notify:%d:%d", improvementID, feedbackID)
}

// NotifyRecipient is a customer who gave consent to be contacted about their feedback.
type NotifyRecipient struct {
	FeedbackID int64
	Name       string
	Email      string
	Comment    string
	// Status is the outbox status of this customer's message ("" = not told yet).
	Status string `gorm:"-"`
}

// NotifyAudience is who can be told about an improvement.
type NotifyAudience struct {
	Recipients []NotifyRecipient
	// WithoutConsent counts linked feedback that may not be contacted (no consent, no
	// address, or erased).
	WithoutConsent int
}

// Pending counts the recipients not told yet.
func (a NotifyAudience) Pending() int {
	n := 0
	for _, r := range a.Recipients {
		if r.Status == "" {
			n++
		}
	}
	return n
}

// recipients reads the consenting customers of an improvement's linked feedback.
func recipients(db *gorm.DB, improvementID int64) ([]NotifyRecipient, int, error) {
	var rs []NotifyRecipient
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
func implementedImprovement(db *gorm.DB, id int64) (*Improvement, error) {
	var imp Improvement
	if err := db.Take(&imp, id).Error; err != nil {
		return nil, notFound(err)
	}
	if imp.Status != StatusImplemented {
		return nil, fmt.Errorf("models: improvement %d is %s, not implemented: %w", id, imp.Status, ErrNotAllowed)
	}
	return &imp, nil
}

// NotifyAudience lists the customers who can be told about an implemented improvement,
// with the state of any message sent to them.
func (s *Store) NotifyAudience(ctx context.Context, improvementID int64) (*NotifyAudience, error) {
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
		keys[i] = NotifyKey(improvementID, r.FeedbackID)
	}
	sent, err := s.OutboxByKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		rs[i].Status = sent[keys[i]].Status
	}
	return &NotifyAudience{Recipients: rs, WithoutConsent: without}, nil
}

// NotifyMessage is the message a steering member edits before it is sent.
type NotifyMessage struct {
	Subject, Body string
	// NameFallback replaces NameField for a customer who left no name.
	NameFallback string
}

// Validate names each problem by field.
func (m NotifyMessage) Validate() *ValidationError {
	f := map[string]string{}
	switch subject := strings.TrimSpace(m.Subject); {
	case subject == "":
		f["subject"] = "required"
	case len(subject) > MaxNotifySubject:
		f["subject"] = "too_long"
	case strings.ContainsAny(subject, "\r\n"):
		f["subject"] = "invalid"
	}
	switch body := strings.TrimSpace(m.Body); {
	case body == "":
		f["body"] = "required"
	case len(body) > MaxNotifyBody:
		f["body"] = "too_long"
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// personalise fills in a customer's name.
func (m NotifyMessage) personalise(name string) string {
	if strings.TrimSpace(name) == "" {
		name = m.NameFallback
	}
	return strings.ReplaceAll(strings.TrimSpace(m.Body), NameField, strings.TrimSpace(name))
}

// NotifyCustomers queues the message for every consenting customer of an implemented
// improvement who was not told yet, and records it. It returns how many messages were
// queued now and how many customers had been told before (and were skipped).
func (s *Store) NotifyCustomers(ctx context.Context, improvementID int64, m NotifyMessage, by *User) (queued, before int, err error) {
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
			ok, err := enqueue(tx, now, NotifyKey(improvementID, r.FeedbackID), r.Email, subject, m.personalise(r.Name))
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
