package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// webhookJob names the lease of the webhook worker: one instance delivers at a time.
const webhookJob = "webhooks"

// webhookPoll is how often the worker looks for due deliveries when nothing woke it:
// events stored by another instance, and retries, wait at most this long.
const webhookPoll = 2 * time.Second

// webhookTimeout is how long a receiver may take to answer (contracts.md).
const webhookTimeout = 10 * time.Second

// runWebhooks delivers webhook events until ctx ends: at once when a commit in this
// instance stored one, else every webhookPoll.
func (s *Server) runWebhooks(ctx context.Context, holder string) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	client := &http.Client{Timeout: webhookTimeout}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.store.WebhookWake():
		case <-timer.C:
		}
		if ok, err := s.store.TryLease(ctx, webhookJob, holder, time.Minute); err == nil && ok {
			if _, err := s.DeliverWebhooksOnce(ctx, client); err != nil && ctx.Err() == nil {
				s.log.Error("webhooks", "err", err)
			}
		}
		timer.Reset(webhookPoll)
	}
}

// DeliverWebhooksOnce sends every due delivery, several at a time so one slow
// receiver does not hold back the others, and returns how many were tried.
func (s *Server) DeliverWebhooksOnce(ctx context.Context, client *http.Client) (int, error) {
	tried := 0
	for {
		ds, err := s.store.ClaimDeliveries(ctx, 32)
		if err != nil || len(ds) == 0 {
			return tried, err
		}
		var wg sync.WaitGroup
		sem := make(chan struct{}, 8)
		for _, d := range ds {
			wg.Add(1)
			sem <- struct{}{}
			go func(d models.WebhookDelivery) {
				defer func() { <-sem; wg.Done() }()
				status, errText := s.sendWebhook(ctx, client, d)
				if err := s.store.FinishDelivery(context.WithoutCancel(ctx), d, status, errText); err != nil {
					s.log.Error("webhook delivery", "id", d.ID, "err", err)
				}
			}(d)
		}
		wg.Wait()
		tried += len(ds)
		if ctx.Err() != nil {
			return tried, nil
		}
	}
}

// sendWebhook posts one delivery, signed as Standard Webhooks asks, and returns the
// answer's status (0 when none came) and what went wrong.
func (s *Server) sendWebhook(ctx context.Context, client *http.Client, d models.WebhookDelivery) (int, string) {
	if d.Event == nil {
		return 0, "event missing"
	}
	body := []byte(d.Event.Payload)
	ts := time.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ImprovementTracker-Webhooks/1")
	req.Header.Set("webhook-id", d.Event.WebhookID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	if s.cfg.WebhookSecret != "" {
		sig, err := models.SignWebhook(s.cfg.WebhookSecret, d.Event.WebhookID, ts, body)
		if err != nil {
			return 0, err.Error()
		}
		req.Header.Set("webhook-signature", sig)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(res.Body, 200))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Sprintf("%s: %s", res.Status, bytes.TrimSpace(snippet))
	}
	return res.StatusCode, ""
}
