package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// The dashboard's figures are kept between visits, yet feedback logged through the
// store is counted on the very next one, and so is a reference rename in its list.
func TestDashboardSeesWritesAtOnce(t *testing.T) {
	s, elsewhere := twoInstances(t)
	by := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	ctx := store.ForUser(context.Background(), by.ID)
	before, err := s.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A write through another instance is not seen until the figures expire.
	nine := 9
	if _, err := elsewhere.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: &nine, Comment: "Elsewhere"}, by); err != nil {
		t.Fatal(err)
	}
	again, err := s.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.NPS30 != before.NPS30 {
		t.Fatal("a second visit with no write through this instance in between recomputed the figures")
	}
	if _, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: &nine, Comment: "Quick"}, by); err != nil {
		t.Fatal(err)
	}
	after, err := s.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := after.NPS30.Promoters, before.NPS30.Promoters+2; got != want {
		t.Fatalf("promoters in the last 30 days = %d after logging one here and one elsewhere, want %d", got, want)
	}

	phone, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateRef(ctx, models.RefChannels, phone.ID, "Telephone", true, by); err != nil {
		t.Fatal(err)
	}
	renamed, err := s.ResolveRef(ctx, models.RefChannels, "telephone")
	if err != nil || renamed.ID != phone.ID {
		t.Fatalf("after the rename, resolving the new name gave %+v, %v", renamed, err)
	}
}

// Writes that bypass the store's methods reach the caches too, once committed: a raw
// SQL statement through the writer and a bulk load.
func TestRawAndBulkWritesReachTheCaches(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	before, err := s.NavCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := s.Writer(ctx).Exec(`INSERT INTO feedback (received_at, received_on, channel_id, comment, triage_status,
		version, created_at, updated_at) VALUES (?, ?, ?, 'raw', 'new', 1, ?, ?)`,
		now, now.Truncate(24*time.Hour), ch.ID, now, now).Error; err != nil {
		t.Fatal(err)
	}
	raw, err := s.NavCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if raw.Untriaged != before.Untriaged+1 {
		t.Fatalf("untriaged after a raw INSERT = %d, want %d", raw.Untriaged, before.Untriaged+1)
	}
	fb, err := s.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := fb.Add(&models.Feedback{ID: 1_000_000, ReceivedAt: now, ChannelID: ch.ID, Comment: "bulk"}); err != nil {
		t.Fatal(err)
	}
	if err := fb.Close(); err != nil {
		t.Fatal(err)
	}
	bulk, err := s.NavCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if bulk.Untriaged != raw.Untriaged+1 {
		t.Fatalf("untriaged after a bulk load = %d, want %d", bulk.Untriaged, raw.Untriaged+1)
	}
}

// A statement that changes no row keeps the figures: background jobs run such
// statements every few seconds, and each dropped every cache.
func TestWritesOfNoRowKeepTheCaches(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	month := models.PeriodOf(models.PeriodMonth, time.Now(), modeltest.Copenhagen)
	report := func() (*models.Report, error) { return s.Report(ctx, month) }
	before, err := report()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Writer(ctx).Exec(`UPDATE feedback SET comment = 'x' WHERE id = -1`).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Writer(ctx).Model(&models.Feedback{}).Where("id = ?", -1).Update("comment", "y").Error; err != nil {
		t.Fatal(err)
	}
	again, err := report()
	if err != nil {
		t.Fatal(err)
	}
	if again != before {
		t.Error("updates of no row dropped the report's figures")
	}
	by := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	nine := 9
	if _, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: &nine, Comment: "Quick"}, by); err != nil {
		t.Fatal(err)
	}
	if after, err := report(); err != nil || after == before {
		t.Errorf("a write of a row kept the old figures (%v)", err)
	}
}
