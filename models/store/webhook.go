package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// webhookTargets knows where events go: the URLs from WEBHOOK_URL (every event) and
// the admin's endpoints, read again at most every two seconds so that a change made
// in another instance arrives soon.
type webhookTargets struct {
	mu        sync.Mutex
	env       []string
	endpoints []models.WebhookEndpoint
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
		var eps []models.WebhookEndpoint
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
	ev := models.WebhookEvent{WebhookID: newWebhookID(), Type: typ, Payload: string(body), CreatedAt: now}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("models: store event %s: %w", typ, err)
	}
	ds := make([]models.WebhookDelivery, len(urls))
	for i, u := range urls {
		ds[i] = models.WebhookDelivery{EventID: ev.ID, URL: u, Status: models.DeliveryPending, NextAttemptAt: now, CreatedAt: now}
	}
	if err := tx.Create(&ds).Error; err != nil {
		return fmt.Errorf("models: store deliveries of %s: %w", typ, err)
	}
	s.hooks.pending.Store(true)
	return nil
}

// SetFeedbackData sets how feedback appears in events.
func (s *Store) SetFeedbackData(f models.FeedbackData) { s.feedbackData = f }

func (s *Store) feedbackEventData(f *models.Feedback) any {
	if s.feedbackData != nil {
		return s.feedbackData(f)
	}
	return map[string]any{"id": f.ID}
}

// ClaimDeliveries takes up to limit due deliveries, each by a conditional update so
// two workers never take the same one. Deliveries whose worker died are released first.
func (s *Store) ClaimDeliveries(ctx context.Context, limit int) ([]models.WebhookDelivery, error) {
	now := s.now()
	db := s.w.WithContext(ctx)
	if err := db.Model(&models.WebhookDelivery{}).Where("status = ? AND locked_until < ?", models.DeliverySending, now).
		Updates(map[string]any{"status": models.DeliveryPending, "locked_until": nil}).Error; err != nil {
		return nil, fmt.Errorf("models: release deliveries: %w", err)
	}
	var due []models.WebhookDelivery
	if err := db.Where("status = ? AND next_attempt_at <= ?", models.DeliveryPending, now).
		Order("next_attempt_at, id").Limit(limit).Find(&due).Error; err != nil {
		return nil, fmt.Errorf("models: due deliveries: %w", err)
	}
	out := due[:0]
	lease := now.Add(models.WebhookLease)
	for _, d := range due {
		res := db.Model(&models.WebhookDelivery{}).Where("id = ? AND status = ?", d.ID, models.DeliveryPending).
			Updates(map[string]any{"status": models.DeliverySending, "locked_until": lease, "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil {
			return out, fmt.Errorf("models: claim delivery %d: %w", d.ID, res.Error)
		}
		if res.RowsAffected == 1 {
			d.Status, d.Attempts = models.DeliverySending, d.Attempts+1
			out = append(out, d)
		}
	}
	if err := s.loadEvents(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) loadEvents(ctx context.Context, ds []models.WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.EventID
	}
	var evs []models.WebhookEvent
	if err := s.w.WithContext(ctx).Where("id IN ?", ids).Find(&evs).Error; err != nil {
		return fmt.Errorf("models: events of deliveries: %w", err)
	}
	byID := map[int64]*models.WebhookEvent{}
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
func (s *Store) FinishDelivery(ctx context.Context, d models.WebhookDelivery, status int, errText string) error {
	now := s.now()
	if len(errText) > 500 {
		errText = errText[:500]
	}
	u := map[string]any{"locked_until": nil, "last_status": status, "last_error": errText, "last_attempt_at": now}
	switch next := now.Add(models.WebhookBackoff(d.Attempts)); {
	case status >= 200 && status < 300:
		u["status"], u["delivered_at"], u["last_error"] = models.DeliveryDelivered, now, ""
	case next.After(d.CreatedAt.Add(models.WebhookRetryWindow)):
		u["status"] = models.DeliveryFailed
	default:
		u["status"], u["next_attempt_at"] = models.DeliveryPending, next
	}
	err := s.w.WithContext(ctx).Model(&models.WebhookDelivery{}).Where("id = ? AND status = ?", d.ID, models.DeliverySending).Updates(u).Error
	if err != nil {
		return fmt.Errorf("models: finish delivery %d: %w", d.ID, err)
	}
	return nil
}

// RecentDeliveries lists the latest deliveries with their events, newest first.
func (s *Store) RecentDeliveries(ctx context.Context, limit int) ([]models.WebhookDelivery, error) {
	var ds []models.WebhookDelivery
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
	var evs []models.WebhookEvent
	if err := s.r.WithContext(ctx).Select("id, webhook_id, type, created_at").Where("id IN ?", ids).Find(&evs).Error; err != nil {
		return nil, err
	}
	byID := map[int64]*models.WebhookEvent{}
	for i := range evs {
		byID[evs[i].ID] = &evs[i]
	}
	for i := range ds {
		ds[i].Event = byID[ds[i].EventID]
	}
	return ds, nil
}

// WebhookEndpoints lists the admin's endpoints.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]models.WebhookEndpoint, error) {
	var eps []models.WebhookEndpoint
	err := s.r.WithContext(ctx).Order("id").Find(&eps).Error
	return eps, err
}

// SaveWebhookEndpoint adds an endpoint (id 0) or changes one: its URL, its events
// (none = all) and whether it is active.
func (s *Store) SaveWebhookEndpoint(ctx context.Context, id int64, rawURL string, events []string, active bool) error {
	rawURL = strings.TrimSpace(rawURL)
	if !models.ValidWebhookURL(rawURL) {
		return models.Invalid("url", "invalid_url")
	}
	for _, e := range events {
		if !slices.Contains(models.EventTypes, e) {
			return models.Invalid("events", "invalid_choice")
		}
	}
	now := s.now()
	ev := strings.Join(events, ",")
	var err error
	if id == 0 {
		err = s.w.WithContext(ctx).Create(&models.WebhookEndpoint{URL: rawURL, Events: ev, Active: true, CreatedAt: now, UpdatedAt: now}).Error
	} else {
		res := s.w.WithContext(ctx).Model(&models.WebhookEndpoint{}).Where("id = ?", id).
			Updates(map[string]any{"url": rawURL, "events": ev, "active": active, "updated_at": now})
		err = res.Error
		if err == nil && res.RowsAffected == 0 {
			err = models.ErrNotFound
		}
	}
	s.forgetEndpoints()
	return err
}
