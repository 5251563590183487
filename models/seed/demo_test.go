package seed_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/seed"

	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestFillDemo(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	// Speed is not asserted here: under -race the fill takes ten times as long as the
	// few seconds `tracker demo` needs.
	res, err := seed.FillDemo(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if res.Feedback < 300 || res.Meetings != 2 || res.Implemented < 15 || res.FollowUps == 0 || res.Praise == 0 || len(res.Users) < 5 {
		t.Errorf("demo result: %+v", res)
	}
	var rows []struct {
		Track  string
		Status string
		N      int
	}
	if err := s.Reader(ctx).Raw(`SELECT track, status, COUNT(*) AS n FROM improvements GROUP BY track, status`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, r := range rows {
		have[r.Track+"/"+r.Status] = true
	}
	for _, want := range []string{"quick_win/queued", "quick_win/in_progress", "quick_win/implemented", "steering/review",
		"steering/approved", "steering/deferred", "steering/rejected", "steering/in_progress", "steering/implemented"} {
		if !have[want] {
			t.Errorf("no improvement in %s; have %v", want, have)
		}
	}
	var decided int64
	s.Reader(ctx).Table("agenda_items").Where("decision IS NOT NULL").Count(&decided)
	if decided < 5 {
		t.Errorf("decided agenda items: %d", decided)
	}
	// The year's story spans this calendar year and the last one.
	year := time.Now().In(s.Location).Year()
	implemented, quick, steer, months := 0, 0, 0, 0
	for _, y := range []int{year - 1, year} {
		p, err := s.YearProgress(ctx, y)
		if err != nil {
			t.Fatal(err)
		}
		implemented, quick, steer = implemented+p.Implemented, quick+p.QuickWin, steer+p.Steering
		for _, n := range p.ByMonth {
			if n > 0 {
				months++
			}
		}
	}
	if implemented != res.Implemented || quick == 0 || steer == 0 || months < 6 {
		t.Errorf("implemented %d (%d quick, %d steering) over %d months, want %d spread over the year",
			implemented, quick, steer, months, res.Implemented)
	}
	if _, err := seed.FillDemo(ctx, s); !errors.Is(err, seed.ErrDemoNotEmpty) {
		t.Errorf("second fill: %v, want ErrDemoNotEmpty", err)
	}
}
