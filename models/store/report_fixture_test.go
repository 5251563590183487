package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// fb describes one feedback row for report tests. Rows are inserted directly so the
// tests control every column the reports read; received_on is derived the way the app
// stores it (the local date, at midnight UTC).
type fb struct {
	at         time.Time
	nps        int // -1: no score
	category   string
	touchpoint string
	branch     string
	comment    string
	followedUp time.Duration // 0: not followed up
	goodwill   models.Money
	name       string
	email      string
	consent    bool
	praised    string
}

func refID(t *testing.T, s *store.Store, kind models.RefKind, code string) any {
	t.Helper()
	if code == "" {
		return nil
	}
	r, err := s.ResolveRef(context.Background(), kind, code)
	if err != nil {
		t.Fatalf("%s %s: %v", kind, code, err)
	}
	return r.ID
}

func nilIfEmpty(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// insertFeedback stores f and returns its id.
func insertFeedback(t *testing.T, s *store.Store, f fb) int64 {
	t.Helper()
	ctx := context.Background()
	local := f.at.In(s.Location)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	var nps, group, due, followed any
	if f.nps >= 0 {
		score := f.nps
		nps = score
		group = string(models.GroupOf(&score))
		if d := models.FollowUpDue(f.at, &score); d != nil {
			due = d.UTC()
		}
	}
	if f.followedUp > 0 {
		followed = f.at.Add(f.followedUp).UTC()
	}
	channel, err := s.ResolveRef(ctx, models.RefChannels, "survey")
	if err != nil {
		t.Fatal(err)
	}
	comment := f.comment
	if comment == "" {
		comment = "test"
	}
	now := f.at.UTC()
	err = s.Writer(ctx).Exec(`INSERT INTO feedback (received_at, received_on, channel_id, touchpoint_id, branch_id,
		category_id, nps, nps_group, comment, customer_name, customer_email, consent, praised_colleague,
		follow_up_due_at, followed_up_at, goodwill_amount, triage_status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?)`,
		f.at.UTC(), day, channel.ID, refID(t, s, models.RefTouchpoints, f.touchpoint), refID(t, s, models.RefBranches, f.branch),
		refID(t, s, models.RefCategories, f.category), nps, group, comment, nilIfEmpty(f.name), nilIfEmpty(f.email),
		f.consent, nilIfEmpty(f.praised), due, followed, f.goodwill, now, now).Error
	if err != nil {
		t.Fatalf("insert feedback: %v", err)
	}
	var id int64
	if err := s.Reader(ctx).Raw(`SELECT MAX(id) FROM feedback`).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// cph returns a local time in Copenhagen.
func cph(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, modeltest.Copenhagen)
}

// implement creates an improvement and walks it to implemented at the given time, on its
// track's path, with the store's clock set to that time.
func implement(t *testing.T, s *store.Store, by *models.User, title string, effort models.Effort, categoryCode string,
	at time.Time, feedbackIDs ...int64) *models.Improvement {
	t.Helper()
	ctx := context.Background()
	old := s.Now
	defer func() { s.Now = old }()
	s.Now = func() time.Time { return at.Add(-time.Hour) }
	var cat *int64
	if categoryCode != "" {
		id := refID(t, s, models.RefCategories, categoryCode).(int64)
		cat = &id
	}
	imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: title, Impact: 3, Effort: effort,
		CategoryID: cat, FeedbackIDs: feedbackIDs}, by)
	if err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	steps := []models.TransitionInput{{To: models.StatusInProgress}, {To: models.StatusImplemented, Note: "done"}}
	if imp.Track == models.TrackSteering {
		area := refID(t, s, models.RefFunctionalAreas, "it").(int64)
		target := at.AddDate(0, 1, 0)
		steps = append([]models.TransitionInput{{To: models.StatusApproved, OwnerID: &by.ID, FunctionalAreaID: &area,
			TargetDate: &target}}, steps...)
	}
	for i, st := range steps {
		if i == len(steps)-1 {
			s.Now = func() time.Time { return at }
		}
		st.Version = imp.Version
		if imp, err = s.TransitionImprovement(ctx, imp.ID, st, by); err != nil {
			t.Fatalf("%s to %s: %v", title, st.To, err)
		}
	}
	return imp
}
