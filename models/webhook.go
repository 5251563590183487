package models

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Webhook event types (contracts.md, "Additions").
const (
	EventFeedbackCreated   = "feedback.created"
	EventFollowUpOverdue   = "followup.overdue"
	EventFollowUpRecorded  = "followup.recorded"
	EventImprovementStatus = "improvement.status_changed"
)

// EventTypes lists every webhook event, in display order.
var EventTypes = []string{EventFeedbackCreated, EventFollowUpOverdue, EventFollowUpRecorded, EventImprovementStatus}

// Webhook delivery statuses: pending (waiting for its next attempt), sending (taken
// by a worker), delivered, failed (given up after WebhookRetryWindow).
const (
	DeliveryPending   = "pending"
	DeliverySending   = "sending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookRetryWindow is how long a failing delivery is retried before it is given up:
// the contract asks for at least 24 hours, so a receiver down for a day loses nothing.
const WebhookRetryWindow = 25 * time.Hour

// WebhookLease is how long a worker may take over one delivery (the 10 s timeout and
// some slack) before another may take it again. Unlike mail, an interrupted delivery
// is sent again: receivers deduplicate on webhook-id.
const WebhookLease = time.Minute

// WebhookBackoff is the wait before attempt attempts+1: 15 s, doubling, at most an
// hour. The first retry comes well within the minute the contract asks for.
func WebhookBackoff(attempts int) time.Duration {
	d := 15 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// WebhookEvent is one thing that happened, as sent to every receiver of its type.
type WebhookEvent struct {
	ID        int64
	WebhookID string
	Type      string
	Payload   string
	CreatedAt time.Time
}

// TableName maps WebhookEvent onto webhook_events.
func (WebhookEvent) TableName() string { return "webhook_events" }

// WebhookDelivery is one event on its way to one URL.
type WebhookDelivery struct {
	ID            int64
	EventID       int64
	URL           string `gorm:"column:url"`
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	LastStatus    int
	LastError     string
	LastAttemptAt *time.Time
	DeliveredAt   *time.Time
	CreatedAt     time.Time
	// Event is filled by the loaders.
	Event *WebhookEvent `gorm:"-"`
}

// TableName maps WebhookDelivery onto webhook_deliveries.
func (WebhookDelivery) TableName() string { return "webhook_deliveries" }

// WebhookEndpoint is a receiver an admin configured, with the events it wants.
type WebhookEndpoint struct {
	ID        int64
	URL       string `gorm:"column:url"`
	Events    string
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName maps WebhookEndpoint onto webhook_endpoints.
func (WebhookEndpoint) TableName() string { return "webhook_endpoints" }

// EventList returns the endpoint's events; empty means every event.
func (e WebhookEndpoint) EventList() []string { return splitList(e.Events) }

// Wants reports whether the endpoint receives events of type t.
func (e WebhookEndpoint) Wants(t string) bool {
	l := e.EventList()
	return len(l) == 0 || slices.Contains(l, t)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// ValidWebhookURL reports whether u is an absolute http(s) URL.
func ValidWebhookURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// FeedbackData turns a feedback into the event's data; the app sets it to the API's
// representation, so that feedback.created carries "the feedback as the API returns it".
type FeedbackData func(*Feedback) any

// SignWebhook returns the webhook-signature header of a body: "v1," + base64 of the
// HMAC-SHA256 of "id.timestamp.body" under the key of secret ("whsec_" + base64).
func SignWebhook(secret, id string, ts int64, body []byte) (string, error) {
	key, err := WebhookKey(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, ts)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// WebhookKey decodes a WEBHOOK_SECRET.
func WebhookKey(secret string) ([]byte, error) {
	k, ok := strings.CutPrefix(secret, "whsec_")
	if !ok {
		return nil, fmt.Errorf("models: webhook secret must start with whsec_")
	}
	key, err := base64.StdEncoding.DecodeString(k)
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("models: webhook secret is not base64 after whsec_")
	}
	return key, nil
}
