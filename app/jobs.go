package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Job is background work that must run in one instance at a time: the outbox, the
// return of deferred items, the retention of personal data.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// jobs lists the background work; each part of the app adds its own.
func (s *Server) jobs() []Job {
	return []Job{
		{Name: "expired-sessions", Every: time.Hour, Run: func(ctx context.Context) error {
			if _, err := s.store.DeleteExpiredSessions(ctx); err != nil {
				return err
			}
			_, err := s.store.DeleteStaleLoginFailures(ctx)
			return err
		}},
		// Outbox: deliver queued mail (customer messages), with retries and backoff.
		{Name: "outbox", Every: 20 * time.Second, Run: func(ctx context.Context) error {
			_, err := s.RunOutboxOnce(ctx)
			return err
		}},
		// Privacy: remove personal data older than the admin's retention period.
		{Name: "privacy-retention", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
			n, err := s.store.EraseExpiredPersonalData(ctx, nil)
			if n > 0 {
				s.log.Info("retention erased personal data", "feedback", n)
			}
			return err
		}},
		// Issue 17: warn owners and branch managers of follow-ups running late.
		{Name: "follow-up-warnings", Every: time.Minute, Run: func(ctx context.Context) error {
			_, err := s.store.WarnFollowUps(ctx)
			return err
		}},
		// Benchmarks (issue 9): keep SQLite's planner statistics fresh as the data grows.
		{Name: "db-optimize", Every: time.Hour, Run: s.store.Optimize},
		// Steering group: deferred items come back to review on their date.
		{Name: returnDeferredJob, Every: 15 * time.Minute, Run: func(ctx context.Context) error {
			n, err := s.store.ReturnDeferred(ctx)
			if n > 0 {
				s.log.Info("deferred improvements back in review", "improvements", n)
			}
			return err
		}},
	}
}

// RunJobs runs every job on its interval until ctx ends. A job runs only while this
// instance holds its lease in the database, so several instances never run it twice.
func (s *Server) RunJobs(ctx context.Context) {
	holder := instanceID()
	for _, j := range s.jobs() {
		go s.runJob(ctx, holder, j)
	}
	go s.runWebhooks(ctx, holder)
}

func (s *Server) runJob(ctx context.Context, holder string, j Job) {
	tick := time.NewTicker(j.Every)
	defer tick.Stop()
	for {
		s.RunJobOnce(ctx, holder, j)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// RunJobOnce runs a job if holder can take its lease; it reports whether it ran.
func (s *Server) RunJobOnce(ctx context.Context, holder string, j Job) bool {
	ok, err := s.store.TryLease(ctx, j.Name, holder, j.Every+time.Minute)
	if err != nil || !ok {
		if err != nil && ctx.Err() == nil {
			s.log.Warn("job lease", "job", j.Name, "err", err)
		}
		return false
	}
	if err := j.Run(ctx); err != nil && ctx.Err() == nil {
		s.log.Error("job failed", "job", j.Name, "err", err)
	}
	return true
}

func instanceID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
