package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"gorm.io/gorm"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// The navigation's badges stop counting at NavCountCap; the dashboard counts in full.
func TestWorkCountsStopAtTheCap(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock(s, now)
	phone, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	detractor := "detractor"
	rows := make([]models.Feedback, models.NavCountCap+500)
	for i := range rows {
		// Received a minute apart: the first is due in exactly 24 hours (not yet "due
		// soon"), the next 1,440 are due within 24 hours, the rest overdue.
		at := now.Add(-time.Duration(i) * time.Minute)
		due := at.Add(24 * time.Hour)
		rows[i] = models.Feedback{ReceivedAt: at, ReceivedOn: at.Truncate(24 * time.Hour), ChannelID: phone.ID,
			NPS: score(2), NPSGroup: &detractor, Comment: "Lang ventetid", FollowUpDueAt: &due,
			TriageStatus: models.TriageNew, Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	if err := s.Tx(ctx, func(tx *gorm.DB) error {
		_, err := store.InsertFeedbackRows(tx, rows, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	exact, err := s.WorkCountsUpTo(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	overdue := len(rows) - 1 - 24*60
	if exact.Untriaged != len(rows) || exact.FollowUpsDue != 24*60 || exact.FollowUpsOverdue != overdue {
		t.Errorf("exact counts = %+v, want %d untriaged, %d due and %d overdue", exact, len(rows), 24*60, overdue)
	}
	capped, err := s.WorkCountsUpTo(ctx, models.NavCountCap)
	if err != nil {
		t.Fatal(err)
	}
	want := models.WorkCounts{Untriaged: models.NavCountCap, FollowUpsDue: models.NavCountCap, FollowUpsOverdue: overdue}
	if capped != want {
		t.Errorf("capped counts = %+v, want %+v", capped, want)
	}
}
