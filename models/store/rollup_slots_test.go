package store_test

import (
	"context"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"

	"gorm.io/gorm"
)

// Two instances' group commits store feedback of the same day at the same time: the
// second must not wait for the first's commit to count its rows into the day's rollup
// (migration 00032), and the day's figures must count both.
func TestTwoWritersCountTheSameDayWithoutWaiting(t *testing.T) {
	if !modeltest.Postgres() {
		t.Skip("PostgreSQL only: SQLite has one writer at a time (TEST_DIALECT=postgres)")
	}
	ctx := context.Background()
	s := modeltest.Open(t)
	if err := s.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	phone, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	insert := func(tx *gorm.DB, nps int, group models.NPSGroup) {
		t.Helper()
		err := tx.Exec(`INSERT INTO feedback (received_at, received_on, channel_id, nps, nps_group, comment, created_at, updated_at)
			VALUES ('2026-03-02 10:00:00+00', '2026-03-02', ?, ?, ?, '', now(), now())`, phone.ID, nps, string(group)).Error
		if err != nil {
			t.Fatalf("insert a %s: %v", group, err)
		}
	}
	db := s.Writer(ctx)
	first := db.Begin()
	defer first.Rollback()
	insert(first, 2, models.GroupDetractor)
	insert(first, 10, models.GroupPromoter)

	second := db.Begin()
	defer second.Rollback()
	if err := second.Exec(`SET LOCAL lock_timeout = '2s'`).Error; err != nil {
		t.Fatal(err)
	}
	insert(second, 3, models.GroupDetractor) // fails on lock_timeout if it waits for first
	if err := second.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := first.Commit().Error; err != nil {
		t.Fatal(err)
	}

	got := npsFor(t, s, "2026-03-02", "2026-03-03")
	if want := (models.NPSCounts{Promoters: 1, Detractors: 2}); got != want {
		t.Errorf("the day's rollup counts %+v, want %+v", got, want)
	}
	var slots int64
	if err := s.Reader(ctx).Raw(`SELECT COUNT(DISTINCT slot) FROM feedback_daily WHERE day = '2026-03-02'`).Scan(&slots).Error; err != nil {
		t.Fatal(err)
	}
	if slots != 2 {
		t.Errorf("the two writers counted into %d slots, want 2", slots)
	}
	var monthly models.NPSCounts
	if err := s.Reader(ctx).Raw(`SELECT SUM(promoters) AS promoters, SUM(passives) AS passives, SUM(detractors) AS detractors
		FROM feedback_monthly WHERE month = '2026-03'`).Scan(&monthly).Error; err != nil {
		t.Fatal(err)
	}
	if monthly != got {
		t.Errorf("the month's rollup counts %+v, the day's %+v", monthly, got)
	}
}
