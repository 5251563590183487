package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// A kept list page, count or report outlives the reader's own writes that cannot change
// it (a feedback the filter does not keep, a follow-up of a row it does not show, a
// feedback received after the report's period), and is computed again after one that
// can. Another user's write through the other instance, hidden within the TTL, tells
// which: it shows only on a page computed afresh.
func TestKeptPagesOutliveOwnWritesThatCannotChangeThem(t *testing.T) {
	ctx := context.Background()
	s, elsewhere := twoInstances(t)
	me := modeltest.User(t, s, "me@example.com", models.RoleAmbassador)
	other := modeltest.User(t, s, "other@example.com", models.RoleAmbassador)
	as := func(u *models.User) context.Context { return store.ForUser(ctx, u.ID) }
	createIn := func(s *store.Store, by *models.User, channel string, nps int, comment string, at time.Time) *models.Feedback {
		t.Helper()
		fb, err := s.CreateFeedback(as(by), models.NewFeedback{ReceivedAt: at, Channel: channel, NPS: score(nps), Comment: comment}, by)
		if err != nil {
			t.Fatal(err)
		}
		return fb
	}
	create := func(by *models.User, channel string, nps int, comment string, at time.Time) *models.Feedback {
		t.Helper()
		return createIn(s, by, channel, nps, comment, at)
	}
	phone, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(f models.FeedbackFilter) []int64 { return firstPageIDs(t, s, as(me), f) }
	count := func(f models.FeedbackFilter) int {
		t.Helper()
		n, _, err := s.CountFeedback(as(me), f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	soon := time.Now().Add(-time.Minute)

	t.Run("filter", func(t *testing.T) {
		f := models.FeedbackFilter{ChannelID: phone.ID, Group: models.GroupDetractor}
		shown := create(me, "phone", 2, "Ventede en time i telefonen", soon)
		byWeb := create(me, "web", 2, "Siden svarede ikke", soon)
		ids(f)
		count(f)
		hidden := createIn(elsewhere, other, "phone", 1, "Ingen ringede tilbage", soon)

		create(me, "web", 1, "Kunne ikke logge ind", soon)
		create(me, "phone", 10, "Venlig rådgiver", soon)
		if _, err := s.RecordFollowUp(as(me), byWeb.ID, models.FollowUp{By: me, Note: "Ringede op"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateImprovement(as(me), models.NewImprovement{Title: "Kortere kø", Impact: 3, Effort: models.EffortXS}, me); err != nil {
			t.Fatal(err) // writes no feedback
		}
		if got := ids(f); slices.Contains(got, hidden.ID) {
			t.Fatal("the page was computed again after own writes the filter does not keep")
		}
		if got := count(f); got != 1 {
			t.Fatalf("count %d after own writes the filter does not keep, want the kept 1", got)
		}

		// A follow-up of a row the page shows changes it.
		if _, err := s.RecordFollowUp(as(me), shown.ID, models.FollowUp{By: me, Note: "Ringede op"}); err != nil {
			t.Fatal(err)
		}
		if got := ids(f); !slices.Contains(got, hidden.ID) {
			t.Fatal("a follow-up of a shown row did not bring a fresh page")
		}
		// So does a new feedback the filter keeps, and the count counts it.
		mine := create(me, "phone", 0, "Lukket filial", soon)
		if got := ids(f); !slices.Contains(got, mine.ID) {
			t.Fatal("the reader's own detractor by phone is missing from their next page")
		}
		if got := count(f); got != 3 {
			t.Fatalf("count %d after the reader's own detractor by phone, want 3", got)
		}
	})

	t.Run("search", func(t *testing.T) {
		f := models.FeedbackFilter{Q: "gebyr"}
		create(me, "web", 5, "Gebyret for kortet er for højt", soon)
		before := ids(f)
		hidden := createIn(elsewhere, other, "web", 4, "Endnu et gebyr", soon)
		create(me, "web", 3, "Lang ventetid i filialen", soon)
		if got := ids(f); !slices.Equal(got, before) {
			t.Fatalf("the search was computed again after an own feedback without the word: %v, kept %v", got, before)
		}
		// The reader's own feedback with a form of the word is merged into the kept page
		// where a computation would list it (newest first); the other instance's still waits.
		mine := create(me, "web", 3, "Gebyrerne stiger igen", soon)
		if got, want := ids(f), append([]int64{mine.ID}, before...); !slices.Equal(got, want) {
			t.Fatalf("after the reader's own feedback with a form of the word: %v, want %v (%d hidden)", got, want, hidden.ID)
		}
	})

	t.Run("report", func(t *testing.T) {
		p := models.PeriodOf(models.PeriodMonth, time.Now().AddDate(0, -3, 0), modeltest.Copenhagen)
		inPeriod := p.Start.Add(36 * time.Hour)
		report := func() models.NPSCounts {
			t.Helper()
			r, err := s.Report(as(me), p)
			if err != nil {
				t.Fatal(err)
			}
			return r.Current
		}
		create(me, "phone", 9, "Fin service", inPeriod)
		kept := report()
		createIn(elsewhere, other, "phone", 2, "Dårlig service", inPeriod)
		create(me, "phone", 2, "Stadig dårlig", soon)                    // received after the period
		create(me, "phone", 2, "Dårlig igen", p.End.Add(30*time.Minute)) // the next period's first half hour, still the period's last day in UTC
		if got := report(); got != kept {
			t.Fatalf("the report of %s was computed again after an own feedback received later: %+v, kept %+v", p, got, kept)
		}
		create(me, "phone", 10, "Meget fin service", p.End.Add(-5*time.Minute))
		if got := report(); got.Promoters != kept.Promoters+1 || got.Detractors != kept.Detractors+1 {
			t.Fatalf("report %+v after the reader's own feedback in the period, want one promoter and one detractor more than %+v", got, kept)
		}
	})
}

// The dashboard's figures of improvements outlive a user's own feedback, which cannot
// change them, while its figures of feedback count it at once; an own write to an
// improvement brings them afresh.
func TestDashboardImprovementsOutliveOwnFeedback(t *testing.T) {
	ctx := context.Background()
	here, there := twoInstances(t)
	me := modeltest.User(t, here, "me@example.com", models.RoleSteering, models.RoleAmbassador)
	as := store.ForUser(ctx, me.ID)
	// The dashboard's figures are kept per minute: held at one, the reads share them.
	now := time.Now()
	here.Now = func() time.Time { return now }
	dashboard := func() *models.Dashboard {
		t.Helper()
		d, err := here.Dashboard(as)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	before := dashboard()
	implement(t, there, me, "Shorter phone queue", models.EffortXS, "", time.Now()) // unseen here until the figures expire
	if _, err := here.CreateFeedback(as, models.NewFeedback{Channel: "phone", NPS: score(9), Comment: "Fint"}, me); err != nil {
		t.Fatal(err)
	}
	wantImprovementsKeptPromoterCounted(t, before, dashboard(), "an own feedback")
	if _, err := here.CreateImprovement(as, models.NewImprovement{Title: "Call back sooner", Impact: 3, Effort: models.EffortXS}, me); err != nil {
		t.Fatal(err)
	}
	if got := dashboard(); got.Goal.QuickWin != before.Goal.QuickWin+1 {
		t.Fatalf("%d quick wins after the reader's own improvement, want the one implemented elsewhere counted: %d",
			got.Goal.QuickWin, before.Goal.QuickWin+1)
	}
}

// wantImprovementsKeptPromoterCounted checks a dashboard read after one promoter's
// feedback (what): its figures of improvements as kept before, its promoters one more.
func wantImprovementsKeptPromoterCounted(t *testing.T, before, after *models.Dashboard, what string) {
	t.Helper()
	if after.Goal.QuickWin != before.Goal.QuickWin {
		t.Fatalf("the improvements' figures were computed again after %s: %d quick wins, kept %d",
			what, after.Goal.QuickWin, before.Goal.QuickWin)
	}
	if after.NPS30.Promoters != before.NPS30.Promoters+1 {
		t.Fatalf("promoters %d after %s, want %d", after.NPS30.Promoters, what, before.NPS30.Promoters+1)
	}
}

// A page kept by one instance is not judged by its own writes alone when the reader
// wrote through another instance since: their feedback through the other instance,
// then one here that the page does not keep, and their next page here shows the first.
func TestKeptPagesAreNotJudgedPastAWriteElsewhere(t *testing.T) {
	ctx := context.Background()
	here, there := twoInstances(t)
	me := modeltest.User(t, here, "me@example.com", models.RoleAmbassador)
	// as reads the user's row as a request does, with their latest writes.
	as := func() context.Context {
		u, err := here.UserByID(ctx, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		return store.WithLastWrite(store.ForUser(ctx, u.ID), u.LastWriteAt, u.LastWriteBy, u.ElsewhereWriteAt)
	}
	write := func(through *store.Store, comment string) int64 {
		t.Helper()
		fb, err := through.CreateFeedback(as(), models.NewFeedback{ReceivedAt: time.Now().Add(-time.Minute), Channel: "web",
			NPS: score(3), Comment: comment}, me)
		if err != nil {
			t.Fatal(err)
		}
		return fb.ID
	}
	f := models.FeedbackFilter{Q: "gebyr"}
	ids := func() []int64 { return firstPageIDs(t, here, as(), f) }
	write(here, "Gebyret er for højt")
	ids()
	elsewhere := write(there, "Gebyrerne stiger")
	write(here, "Lang ventetid")
	if got := ids(); !slices.Contains(got, elsewhere) {
		t.Fatalf("the reader's feedback through the other instance is missing from their next page here: %v", got)
	}
}

// firstPageIDs lists the ids on the first page of f, as ctx's reader gets it.
func firstPageIDs(t *testing.T, s *store.Store, ctx context.Context, f models.FeedbackFilter) []int64 {
	t.Helper()
	page, err := s.ListFeedback(ctx, f, models.Cursor{}, 50)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, it := range page.Items {
		out = append(out, it.ID)
	}
	return out
}

// A kept first page amended with the reader's own new feedback is the page a computation
// would give, rows and cursor, whether the feedback goes first, in the middle or past
// the page's end (compared with the other instance's computation made at the same point).
func TestOwnFeedbackMergesAsAComputationListsIt(t *testing.T) {
	ctx := context.Background()
	here, there := twoInstances(t)
	me := modeltest.User(t, here, "me@example.com", models.RoleAmbassador)
	as := store.ForUser(ctx, me.ID)
	base := time.Now().Add(-time.Hour)
	create := func(comment string, at time.Time) {
		t.Helper()
		if _, err := here.CreateFeedback(as, models.NewFeedback{ReceivedAt: at, Channel: "web", NPS: score(2), Comment: comment}, me); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		create("Gebyr nummer "+string(rune('a'+i)), base.Add(time.Duration(i)*time.Minute))
	}
	for _, f := range []models.FeedbackFilter{{}, {Q: "gebyr"}, {Group: models.GroupDetractor}} {
		page := func(s *store.Store) *models.FeedbackPage {
			t.Helper()
			p, err := s.ListFeedback(as, f, models.Cursor{}, 3)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		kept := page(here)
		drawnAt := strconv.FormatInt(time.Now().Unix(), 10)
		kept.Drawn.Draw("en", drawnAt, func() ([]byte, error) { return []byte("the kept rows"), nil })
		create("Gebyret igen, nyeste", time.Now().Add(-time.Minute))
		create("Gebyret i midten", base.Add(150*time.Second))
		create("Gebyret, ældst", base.Add(-time.Hour))
		want := page(there)
		// Unseen here until the page expires: a page computed here would list it first.
		hidden, err := there.CreateFeedback(as, models.NewFeedback{ReceivedAt: time.Now(), Channel: "web", NPS: score(1),
			Comment: "Gebyr, skrevet andetsteds"}, me)
		if err != nil {
			t.Fatal(err)
		}
		got := page(here)
		ids := func(p *models.FeedbackPage) []int64 {
			var out []int64
			for _, it := range p.Items {
				out = append(out, it.ID)
			}
			return out
		}
		if slices.Contains(ids(got), hidden.ID) {
			t.Fatalf("%+v: the page was computed again, not amended", f)
		}
		if !slices.Equal(ids(got), ids(want)) || got.Next != want.Next || got.PartsFrom != want.PartsFrom {
			t.Errorf("%+v: amended page %v next %+v, a computation gives %v next %+v", f, ids(got), got.Next, ids(want), want.Next)
		}
		for _, it := range got.Items {
			if it.Channel == nil || it.Channel.Code != "web" {
				t.Errorf("%+v: row %d without its channel: %+v", f, it.ID, it.Channel)
			}
		}
		// Its rows are not those a view drew of the kept page in the same second.
		drawn, _ := got.Drawn.Draw("en", drawnAt, func() ([]byte, error) { return []byte("the amended rows"), nil })
		if string(drawn) != "the amended rows" {
			t.Errorf("%+v: the amended page is shown with the kept page's drawing %q", f, drawn)
		}
	}
}

// The NPS trend's months before this one outlive the reader's own feedback received
// this month, which still counts in this month's at once; their own feedback received in
// an earlier month brings the earlier months afresh. So do the thirteen months of this
// month's report, which is computed again after each write. Both outlive the reader's
// writes of other things (an improvement), while the dashboard's trend shows a new NPS
// target at once. On a month's first day "this month" begins at midnight in TIME_ZONE,
// while UTC still has the day before.
func TestNPSTrendPastMonthsOutliveOwnFeedbackOfThisMonth(t *testing.T) {
	cph := func(month time.Month, day, hour, minute int) time.Time {
		return time.Date(2026, month, day, hour, minute, 0, 0, modeltest.Copenhagen)
	}
	trends := []struct {
		name string
		read func(s *store.Store, ctx context.Context) ([]models.NPSMonth, error)
	}{
		{"the dashboard's trend", func(s *store.Store, ctx context.Context) ([]models.NPSMonth, error) {
			h, err := s.NPSTrend(ctx, 2026, 2026)
			return h.Months, err
		}},
		{"the month's report", func(s *store.Store, ctx context.Context) ([]models.NPSMonth, error) {
			r, err := s.Report(ctx, models.PeriodOf(models.PeriodMonth, s.Now(), s.Location))
			if err != nil {
				return nil, err
			}
			return r.Trend, nil
		}},
	}
	clocks := []struct {
		name string
		// now is the clock; thisMonth and lastMonth are when the reader's own feedback of
		// June and of May was received.
		now, thisMonth, lastMonth time.Time
	}{
		{"mid-month", cph(time.June, 15, 12, 0), cph(time.June, 15, 12, 0), cph(time.May, 15, 12, 0)},
		{"a month's first hours", cph(time.June, 1, 1, 30), cph(time.June, 1, 0, 5), cph(time.May, 31, 23, 55)},
	}
	for _, trend := range trends {
		for _, tt := range clocks {
			t.Run(trend.name+", "+tt.name, func(t *testing.T) {
				ctx := context.Background()
				here, there := twoInstances(t)
				here.Now, there.Now = func() time.Time { return tt.now }, func() time.Time { return tt.now }
				me := modeltest.User(t, here, "me@example.com", models.RoleAmbassador)
				as := store.ForUser(ctx, me.ID)
				counts := func() (may, june models.NPSCounts) {
					t.Helper()
					months, err := trend.read(here, as)
					if err != nil {
						t.Fatal(err)
					}
					for _, m := range months {
						switch {
						case m.Year == 2026 && m.Month == time.May:
							may = m.NPSCounts
						case m.Year == 2026 && m.Month == time.June:
							june = m.NPSCounts
						}
					}
					return may, june
				}
				write := func(s *store.Store, nps int, at time.Time) {
					t.Helper()
					if _, err := s.CreateFeedback(as, models.NewFeedback{Channel: "web", NPS: score(nps), Comment: "Trend", ReceivedAt: at}, me); err != nil {
						t.Fatal(err)
					}
				}
				earlyMay := cph(time.May, 10, 12, 0)
				write(here, 9, earlyMay)
				may, june := counts()
				if may.Promoters != 1 {
					t.Fatalf("May %+v after one promoter of May", may)
				}
				write(there, 1, earlyMay) // unseen here until the figures expire
				write(here, 10, tt.thisMonth)
				if _, err := here.CreateImprovement(as, models.NewImprovement{Title: "Call back sooner", Impact: 3, Effort: models.EffortXS}, me); err != nil {
					t.Fatal(err)
				}
				gotMay, gotJune := counts()
				if gotMay != may {
					t.Fatalf("May's figures were computed again after an own feedback of %v: %+v, kept %+v", tt.thisMonth, gotMay, may)
				}
				if gotJune.Promoters != june.Promoters+1 {
					t.Fatalf("June's promoters %d after the reader's own of %v, want %d", gotJune.Promoters, tt.thisMonth, june.Promoters+1)
				}
				write(here, 9, tt.lastMonth)
				if gotMay, _ = counts(); gotMay.Promoters != may.Promoters+1 || gotMay.Detractors != may.Detractors+1 {
					t.Fatalf("May %+v after the reader's own feedback of %v, want one promoter and one detractor more than %+v",
						gotMay, tt.lastMonth, may)
				}
			})
		}
	}
	t.Run("a new target", func(t *testing.T) {
		here, _ := twoInstances(t)
		now := cph(time.June, 15, 12, 0)
		here.Now = func() time.Time { return now }
		admin := modeltest.User(t, here, "admin@example.com", models.RoleAdmin)
		as := store.ForUser(context.Background(), admin.ID)
		if _, err := here.NPSTrend(as, 2026, 2026); err != nil {
			t.Fatal(err)
		}
		if err := here.SetNPSTarget(as, 2026, 70, admin); err != nil {
			t.Fatal(err)
		}
		h, err := here.NPSTrend(as, 2026, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if h.Targets[2026] != 70 {
			t.Fatalf("targets %v after 2026's was set to 70", h.Targets)
		}
	})
}

// The follow-ups overdue outlive the reader's own feedback received now and its
// follow-up, not yet due (a write through the other instance, unseen here, shows they
// were not counted again), on the badges and the dashboard; the reader's own feedback
// received two days ago, overdue at once, and the follow-up of an overdue one count
// again at once.
func TestOverdueFollowUpsOutliveFeedbackNotYetDue(t *testing.T) {
	ctx := context.Background()
	here, there := twoInstances(t)
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, modeltest.Copenhagen)
	here.Now, there.Now = func() time.Time { return now }, func() time.Time { return now }
	me := modeltest.User(t, here, "me@example.com", models.RoleAmbassador)
	as := store.ForUser(ctx, me.ID)
	write := func(s *store.Store, at time.Time) *models.Feedback {
		t.Helper()
		fb, err := s.CreateFeedback(as, models.NewFeedback{Channel: "web", NPS: score(2), Comment: "Lang ventetid", ReceivedAt: at}, me)
		if err != nil {
			t.Fatal(err)
		}
		return fb
	}
	followUp := func(fb *models.Feedback) {
		t.Helper()
		if _, err := here.RecordFollowUp(as, fb.ID, models.FollowUp{By: me, Note: "Ringede op"}); err != nil {
			t.Fatal(err)
		}
	}
	overdue := func(want int, after string) {
		t.Helper()
		nav, err := here.NavCounts(as)
		if err != nil {
			t.Fatal(err)
		}
		d, err := here.Dashboard(as)
		if err != nil {
			t.Fatal(err)
		}
		if nav.FollowUpsOverdue != want || d.FollowUpsOverdue != want {
			t.Fatalf("after %s: %d overdue on the badges, %d on the dashboard, want %d", after, nav.FollowUpsOverdue, d.FollowUpsOverdue, want)
		}
	}
	twoDaysAgo := now.Add(-48 * time.Hour)
	first := write(here, twoDaysAgo)
	overdue(1, "one feedback of two days ago")
	write(there, twoDaysAgo) // unseen here until the counts are counted again
	followUp(write(here, now))
	overdue(1, "the reader's feedback of now, followed up")
	write(here, twoDaysAgo.Add(time.Hour))
	overdue(3, "the reader's feedback of two days ago")
	followUp(first)
	overdue(2, "the follow-up of an overdue feedback")
}

// An improvement's impact outlives the reader's own feedback received after the last day
// it compares, and counts at once their feedback received within it; whether the
// comparison is still partial follows the clock, not the kept figures.
func TestImpactOutlivesOwnFeedbackReceivedAfterItsDays(t *testing.T) {
	ctx := context.Background()
	here, there := twoInstances(t)
	now := time.Date(2026, time.June, 15, 12, 0, 0, 0, modeltest.Copenhagen)
	here.Now, there.Now = func() time.Time { return now }, func() time.Time { return now }
	me := modeltest.User(t, here, "me@example.com", models.RoleSteering, models.RoleAmbassador)
	as := store.ForUser(ctx, me.ID)
	write := func(s *store.Store, nps int, at time.Time) *models.Feedback {
		t.Helper()
		f, err := s.CreateFeedback(as, models.NewFeedback{Channel: "web", Touchpoint: "mobile_app", NPS: score(nps),
			Comment: "Appen", ReceivedAt: at}, me)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	linked := write(here, 2, time.Date(2026, time.April, 10, 12, 0, 0, 0, modeltest.Copenhagen))
	// Implemented on 1 May: 30 days compared on each side, the last on 30 May.
	imp := implement(t, here, me, "Stay signed in", models.EffortXS, "", time.Date(2026, time.May, 1, 12, 0, 0, 0, modeltest.Copenhagen), linked.ID)
	impact := func() *models.Impact {
		t.Helper()
		got, err := here.ImprovementImpact(as, imp, 30)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	kept := impact()
	write(there, 10, time.Date(2026, time.May, 10, 12, 0, 0, 0, modeltest.Copenhagen)) // unseen here until the figures expire
	write(here, 10, time.Date(2026, time.May, 31, 0, 5, 0, 0, modeltest.Copenhagen))   // 30 May 22:05 UTC, after the last day
	if got := impact(); got.Total != kept.Total {
		t.Fatalf("the impact was computed again after an own feedback received after its days: %+v, kept %+v", got.Total, kept.Total)
	}
	write(here, 9, time.Date(2026, time.May, 30, 23, 55, 0, 0, modeltest.Copenhagen))
	if got := impact(); got.Total.After.Promoters != kept.Total.After.Promoters+2 || got.Total.Before != kept.Total.Before {
		t.Fatalf("after the reader's own feedback of 30 May 23:55: %+v, want two promoters more after than %+v", got.Total, kept.Total)
	}
	if impact().Partial {
		t.Fatal("a comparison whose days have all passed is partial")
	}
	now = time.Date(2026, time.May, 20, 12, 0, 0, 0, modeltest.Copenhagen)
	if !impact().Partial {
		t.Fatal("on 20 May the comparison up to 30 May is not partial")
	}
}

// A kept page catches up with everyone's writes through this instance instead of being
// computed again after them, even with no lag allowed: another user's feedback the
// filter keeps is merged in, one it does not keep or a write to an improvement leaves
// it, and a follow-up of a row it shows brings it afresh. A write through the other
// instance, unseen here until a computation, tells which.
func TestKeptPagesCatchUpWithOthersWrites(t *testing.T) {
	ctx := context.Background()
	url := modeltest.URL(t)
	here := openWithLag(t, url, 0)
	if err := here.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	there := openLagging(t, url)
	reader := modeltest.User(t, here, "reader@example.com", models.RoleAmbassador)
	writer := modeltest.User(t, here, "writer@example.com", models.RoleAmbassador)
	create := func(s *store.Store, channel string, nps int, comment string) *models.Feedback {
		t.Helper()
		fb, err := s.CreateFeedback(store.ForUser(ctx, writer.ID), models.NewFeedback{ReceivedAt: time.Now().Add(-time.Minute),
			Channel: channel, NPS: score(nps), Comment: comment}, writer)
		if err != nil {
			t.Fatal(err)
		}
		return fb
	}
	phone, err := here.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	f := models.FeedbackFilter{ChannelID: phone.ID, Group: models.GroupDetractor}
	ids := func() []int64 { return firstPageIDs(t, here, store.ForUser(ctx, reader.ID), f) }

	shown := create(here, "phone", 2, "Ventede en time")
	if got := ids(); !slices.Equal(got, []int64{shown.ID}) {
		t.Fatalf("first page %v, want [%d]", got, shown.ID)
	}
	hidden := create(there, "phone", 1, "Ingen ringede tilbage")
	create(here, "web", 1, "Siden svarede ikke")
	if _, err := here.CreateImprovement(store.ForUser(ctx, writer.ID), models.NewImprovement{Title: "Kortere kø", Impact: 3,
		Effort: models.EffortXS}, writer); err != nil {
		t.Fatal(err)
	}
	if got := ids(); !slices.Equal(got, []int64{shown.ID}) {
		t.Fatalf("after others' writes the filter does not keep: %v, want the kept [%d] (%d only on a computation)", got, shown.ID, hidden.ID)
	}
	merged := create(here, "phone", 0, "Lukket filial")
	if got := ids(); !slices.Equal(got, []int64{merged.ID, shown.ID}) {
		t.Fatalf("after another's detractor by phone: %v, want it merged into the kept page: [%d %d]", got, merged.ID, shown.ID)
	}
	if _, err := here.RecordFollowUp(store.ForUser(ctx, writer.ID), shown.ID, models.FollowUp{By: writer, Note: "Ringede op"}); err != nil {
		t.Fatal(err)
	}
	if got := ids(); !slices.Contains(got, hidden.ID) {
		t.Fatalf("a follow-up of a shown row did not bring a fresh page: %v", got)
	}
}

// A kept count outlives the reader's own feedback it does not keep (a write through the
// other instance, unseen until a computation, tells that it was not computed again), is
// computed again after their feedback it keeps, and, once past the cap, stays capped
// through their new feedback, which it then need not read.
func TestKeptCountsOutliveOwnWritesAndStayCapped(t *testing.T) {
	ctx := context.Background()
	here, there := twoInstances(t)
	me := modeltest.User(t, here, "me@example.com", models.RoleAmbassador)
	other := modeltest.User(t, here, "other@example.com", models.RoleAmbassador)
	as := store.ForUser(ctx, me.ID)
	create := func(s *store.Store, channel string, nps int) {
		t.Helper()
		if _, err := s.CreateFeedback(as, models.NewFeedback{ReceivedAt: time.Now().Add(-time.Minute),
			Channel: channel, NPS: score(nps), Comment: "Ventetid"}, me); err != nil {
			t.Fatal(err)
		}
	}
	phone, err := here.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	f := models.FeedbackFilter{ChannelID: phone.ID, Group: models.GroupDetractor}
	count := func() (int, bool) {
		t.Helper()
		n, capped, err := here.CountFeedback(as, f)
		if err != nil {
			t.Fatal(err)
		}
		return n, capped
	}

	create(here, "phone", 2)
	if n, _ := count(); n != 1 {
		t.Fatalf("count %d, want 1", n)
	}
	if _, err := there.CreateFeedback(store.ForUser(ctx, other.ID), models.NewFeedback{ReceivedAt: time.Now().Add(-time.Minute),
		Channel: "phone", NPS: score(1), Comment: "Ventetid"}, other); err != nil {
		t.Fatal(err) // unseen here until a computation
	}
	create(here, "web", 1)
	if n, _ := count(); n != 1 {
		t.Fatalf("after the reader's feedback the filter does not keep: %d, want the kept 1", n)
	}
	create(here, "phone", 0)
	if n, _ := count(); n != 3 {
		t.Fatalf("after the reader's detractor by phone: %d, want a computation's 3", n)
	}

	bulk, err := here.NewFeedbackBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range models.CountCap {
		nps := i % 7
		if err := bulk.Add(&models.Feedback{ID: int64(100 + i), ReceivedAt: time.Now().Add(-time.Duration(i+2) * time.Minute),
			ChannelID: phone.ID, NPS: &nps}); err != nil {
			t.Fatal(err)
		}
	}
	if err := bulk.Close(); err != nil {
		t.Fatal(err)
	}
	create(here, "phone", 3) // a row the count keeps: computed again, past the cap
	if n, capped := count(); n != models.CountCap || !capped {
		t.Fatalf("count %d (capped %v) past the cap, want %d capped", n, capped, models.CountCap)
	}
	create(here, "phone", 4)
	if n, capped := count(); n != models.CountCap || !capped {
		t.Fatalf("count %d (capped %v) after the reader's detractor past the cap, want %d capped", n, capped, models.CountCap)
	}
}
