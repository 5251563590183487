package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
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

// webhookTargets knows where events go: the URLs from WEBHOOK_URL (every event) and
// the admin's endpoints, read again at most every two seconds so that a change made
// in another instance arrives soon.
type webhookTargets struct {
	mu        sync.Mutex
	env       []string
	endpoints []WebhookEndpoint
	loadedAt  time.Time
	// pending is set when an event is stored, so the commit wakes the worker.
	pending atomic.Bool
	wake    chan struct{}
}

// SetWebhookURLs sets the URLs that receive every event (WEBHOOK_URL).
func (s *Store) SetWebhookURLs(urls []string) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.env = slices.Clone(urls)
}

// WebhookWake is signalled after a transaction that stored an event commits, so the
// worker delivers at once instead of at its next poll.
func (s *Store) WebhookWake() <-chan struct{} { return s.hooks.wake }

func (s *Store) afterCommit() {
	if s.hooks.pending.Swap(false) {
		select {
		case s.hooks.wake <- struct{}{}:
		default:
		}
	}
}

// targetsFor returns the URLs that receive events of type t.
func (s *Store) targetsFor(t string) []string {
	h := &s.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	if now.Sub(h.loadedAt) > 2*time.Second {
		var eps []WebhookEndpoint
		if err := s.r.Where("active").Order("id").Find(&eps).Error; err == nil {
			h.endpoints, h.loadedAt = eps, now
		}
	}
	out := slices.Clone(h.env)
	for _, e := range h.endpoints {
		if e.Wants(t) && !slices.Contains(out, e.URL) {
			out = append(out, e.URL)
		}
	}
	return out
}

func (s *Store) forgetEndpoints() {
	s.hooks.mu.Lock()
	s.hooks.loadedAt = time.Time{}
	s.hooks.mu.Unlock()
}

// newWebhookID returns a unique message id in the Standard Webhooks style.
func newWebhookID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "msg_" + hex.EncodeToString(b)
}

// webhookBody is what a receiver gets.
type webhookBody struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      any    `json:"data"`
}

// emitEvent stores an event and a delivery per receiving URL inside tx, the
// transaction of what it reports: either both are committed or neither. With no
// receiver configured nothing is stored.
func (s *Store) emitEvent(tx *gorm.DB, now time.Time, typ string, data any) error {
	urls := s.targetsFor(typ)
	if len(urls) == 0 {
		return nil
	}
	body, err := json.Marshal(webhookBody{Type: typ, Timestamp: now.UTC().Format(time.RFC3339), Data: data})
	if err != nil {
		return fmt.Errorf("models: event %s: %w", typ, err)
	}
	ev := WebhookEvent{WebhookID: newWebhookID(), Type: typ, Payload: string(body), CreatedAt: now}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("models: store event %s: %w", typ, err)
	}
	ds := make([]WebhookDelivery, len(urls))
	for i, u := range urls {
		ds[i] = WebhookDelivery{EventID: ev.ID, URL: u, Status: DeliveryPending, NextAttemptAt: now, CreatedAt: now}
	}
	if err := tx.Create(&ds).Error; err != nil {
		return fmt.Errorf("models: store deliveries of %s: %w", typ, err)
	}
	s.hooks.pending.Store(true)
	return nil
}

// FeedbackData turns a feedback into the event's data; the app sets it to the API's
// representation, so that feedback.created carries "the feedback as the API returns it".
type FeedbackData func(*Feedback) any

// SetFeedbackData sets how feedback appears in events.
func (s *Store) SetFeedbackData(f FeedbackData) { s.feedbackData = f }

func (s *Store) feedbackEventData(f *Feedback) any {
	if s.feedbackData != nil {
		return s.feedbackData(f)
	}
	return map[string]any{"id": f.ID}
}

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

// ClaimDeliveries takes up to limit due deliveries, each by a conditional update so
// two workers never take the same one. Deliveries whose worker died are released first.
func (s *Store) ClaimDeliveries(ctx context.Context, limit int) ([]WebhookDelivery, error) {
	now := s.now()
	db := s.w.WithContext(ctx)
	if err := db.Model(&WebhookDelivery{}).Where("status = ? AND locked_until < ?", DeliverySending, now).
		Updates(map[string]any{"status": DeliveryPending, "locked_until": nil}).Error; err != nil {
		return nil, fmt.Errorf("models: release deliveries: %w", err)
	}
	var due []WebhookDelivery
	if err := db.Where("status = ? AND next_attempt_at <= ?", DeliveryPending, now).
		Order("next_attempt_at, id").Limit(limit).Find(&due).Error; err != nil {
		return nil, fmt.Errorf("models: due deliveries: %w", err)
	}
	out := due[:0]
	lease := now.Add(WebhookLease)
	for _, d := range due {
		res := db.Model(&WebhookDelivery{}).Where("id = ? AND status = ?", d.ID, DeliveryPending).
			Updates(map[string]any{"status": DeliverySending, "locked_until": lease, "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil {
			return out, fmt.Errorf("models: claim delivery %d: %w", d.ID, res.Error)
		}
		if res.RowsAffected == 1 {
			d.Status, d.Attempts = DeliverySending, d.Attempts+1
			out = append(out, d)
		}
	}
	if err := s.loadEvents(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) loadEvents(ctx context.Context, ds []WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.EventID
	}
	var evs []WebhookEvent
	if err := s.w.WithContext(ctx).Where("id IN ?", ids).Find(&evs).Error; err != nil {
		return fmt.Errorf("models: events of deliveries: %w", err)
	}
	byID := map[int64]*WebhookEvent{}
	for i := range evs {
		byID[evs[i].ID] = &evs[i]
	}
	for i := range ds {
		ds[i].Event = byID[ds[i].EventID]
	}
	return nil
}

// FinishDelivery records one attempt's answer: status is the HTTP status (0 when none
// came) and errText what went wrong. A 2xx delivers; anything else is retried after
// WebhookBackoff until WebhookRetryWindow has passed since the event.
func (s *Store) FinishDelivery(ctx context.Context, d WebhookDelivery, status int, errText string) error {
	now := s.now()
	if len(errText) > 500 {
		errText = errText[:500]
	}
	u := map[string]any{"locked_until": nil, "last_status": status, "last_error": errText, "last_attempt_at": now}
	switch next := now.Add(WebhookBackoff(d.Attempts)); {
	case status >= 200 && status < 300:
		u["status"], u["delivered_at"], u["last_error"] = DeliveryDelivered, now, ""
	case next.After(d.CreatedAt.Add(WebhookRetryWindow)):
		u["status"] = DeliveryFailed
	default:
		u["status"], u["next_attempt_at"] = DeliveryPending, next
	}
	err := s.w.WithContext(ctx).Model(&WebhookDelivery{}).Where("id = ? AND status = ?", d.ID, DeliverySending).Updates(u).Error
	if err != nil {
		return fmt.Errorf("models: finish delivery %d: %w", d.ID, err)
	}
	return nil
}

// RecentDeliveries lists the latest deliveries with their events, newest first.
func (s *Store) RecentDeliveries(ctx context.Context, limit int) ([]WebhookDelivery, error) {
	var ds []WebhookDelivery
	if err := s.r.WithContext(ctx).Order("id DESC").Limit(limit).Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("models: recent deliveries: %w", err)
	}
	if len(ds) == 0 {
		return ds, nil
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.EventID
	}
	var evs []WebhookEvent
	if err := s.r.WithContext(ctx).Select("id, webhook_id, type, created_at").Where("id IN ?", ids).Find(&evs).Error; err != nil {
		return nil, err
	}
	byID := map[int64]*WebhookEvent{}
	for i := range evs {
		byID[evs[i].ID] = &evs[i]
	}
	for i := range ds {
		ds[i].Event = byID[ds[i].EventID]
	}
	return ds, nil
}

// WebhookEndpoints lists the admin's endpoints.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error) {
	var eps []WebhookEndpoint
	err := s.r.WithContext(ctx).Order("id").Find(&eps).Error
	return eps, err
}

// SaveWebhookEndpoint adds an endpoint (id 0) or changes one: its URL, its events
// (none = all) and whether it is active.
func (s *Store) SaveWebhookEndpoint(ctx context.Context, id int64, rawURL string, events []string, active bool) error {
	rawURL = strings.TrimSpace(rawURL)
	if !ValidWebhookURL(rawURL) {
		return Invalid("url", "invalid_url")
	}
	for _, e := range events {
		if !slices.Contains(EventTypes, e) {
			return Invalid("events", "invalid_choice")
		}
	}
	now := s.now()
	ev := strings.Join(events, ",")
	var err error
	if id == 0 {
		err = s.w.WithContext(ctx).Create(&WebhookEndpoint{URL: rawURL, Events: ev, Active: true, CreatedAt: now, UpdatedAt: now}).Error
	} else {
		res := s.w.WithContext(ctx).Model(&WebhookEndpoint{}).Where("id = ?", id).
			Updates(map[string]any{"url": rawURL, "events": ev, "active": active, "updated_at": now})
		err = res.Error
		if err == nil && res.RowsAffected == 0 {
			err = ErrNotFound
		}
	}
	s.forgetEndpoints()
	return err
}
