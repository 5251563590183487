package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// The monthly rollup is kept by triggers from the daily one, which triggers keep from
// feedback. Every kind of write (insert, a changed score, day or category, a delete, a
// rebuild after a bulk load) must leave both equal to counting the feedback table, and
// NPS over any days (whole months from one table, the edge days from the other) equal
// to counting those days.
func TestRollupsFollowEveryWrite(t *testing.T) {
	s := modeltest.Open(t)
	// One writer and reader throughout, so that the store's kept figures must show
	// each write on the next read.
	ctx := store.ForUser(context.Background(), 1)
	days := []time.Time{cph(2026, time.January, 31, 23, 30), cph(2026, time.February, 1, 0, 10),
		cph(2026, time.February, 14, 12, 0), cph(2026, time.February, 28, 23, 59), cph(2026, time.March, 1, 0, 0),
		cph(2026, time.April, 30, 22, 0), cph(2026, time.May, 2, 9, 0)}
	var ids []int64
	for i, at := range days {
		for j := range 3 {
			ids = append(ids, insertFeedback(t, s, fb{at: at, nps: (i*3 + j*4) % 11, category: "waiting_time", touchpoint: "mobile_app"}))
		}
	}
	check := func(step string) {
		t.Helper()
		want := countFeedbackByDay(t, s)
		if len(want) == 0 {
			t.Fatal("no feedback counted")
		}
		ranges := [][2]time.Time{
			{day(2026, 1, 1), day(2026, 6, 1)}, {day(2026, 1, 31), day(2026, 3, 2)}, {day(2026, 2, 1), day(2026, 3, 1)},
			{day(2026, 2, 2), day(2026, 2, 28)}, {day(2026, 2, 15), day(2026, 5, 3)}, {day(2025, 12, 1), day(2026, 2, 1)},
		}
		for _, r := range ranges {
			var w models.NPSCounts
			for d, c := range want {
				if !d.Before(r[0]) && d.Before(r[1]) {
					w = w.Add(c)
				}
			}
			got, err := s.NPSForDates(ctx, r[0], r[1].AddDate(0, 0, -1))
			if err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("%s: NPS %s..%s = %+v, feedback table says %+v", step, r[0].Format(time.DateOnly), r[1].Format(time.DateOnly), got, w)
			}
		}
		h, err := s.NPSTrend(ctx, 2026, 2026)
		months := h.Months
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range months {
			var w models.NPSCounts
			for d, c := range want {
				if d.Year() == m.Year && d.Month() == m.Month {
					w = w.Add(c)
				}
			}
			if m.NPSCounts != w {
				t.Errorf("%s: trend %d-%02d = %+v, feedback table says %+v", step, m.Year, m.Month, m.NPSCounts, w)
			}
		}
	}
	check("inserted")
	exec := func(q string, args ...any) {
		t.Helper()
		if err := s.Writer(ctx).Exec(q, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE feedback SET nps = 10, nps_group = 'promoter' WHERE id = ?`, ids[0])
	exec(`UPDATE feedback SET received_on = ?, received_at = ? WHERE id = ?`, day(2026, 3, 15), day(2026, 3, 15), ids[4])
	exec(`UPDATE feedback SET category_id = NULL WHERE id = ?`, ids[7])
	exec(`UPDATE feedback SET nps = NULL, nps_group = NULL WHERE id = ?`, ids[10])
	check("updated")
	exec(`DELETE FROM feedback WHERE id IN (?, ?)`, ids[1], ids[12])
	check("deleted")
	if err := s.RebuildDailyRollup(ctx); err != nil {
		t.Fatal(err)
	}
	check("rebuilt")
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// countFeedbackByDay counts the NPS groups per received_on straight from the feedback table.
func countFeedbackByDay(t *testing.T, s *store.Store) map[time.Time]models.NPSCounts {
	t.Helper()
	var rows []struct {
		ReceivedOn time.Time
		NPSGroup   *string `gorm:"column:nps_group"`
	}
	if err := s.Reader(context.Background()).Raw(`SELECT received_on, nps_group FROM feedback`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[time.Time]models.NPSCounts{}
	for _, r := range rows {
		if r.NPSGroup == nil {
			continue
		}
		d := r.ReceivedOn.UTC()
		c := out[d]
		c.Count(models.NPSGroup(*r.NPSGroup), 1)
		out[d] = c
	}
	return out
}
