package models

import (
	"fmt"
	"strings"
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

// Personalise fills in a customer's name.
func (m NotifyMessage) Personalise(name string) string {
	if strings.TrimSpace(name) == "" {
		name = m.NameFallback
	}
	return strings.ReplaceAll(strings.TrimSpace(m.Body), NameField, strings.TrimSpace(name))
}
