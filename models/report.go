package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ReasonsShown is how many reasons a report names each way (up and down) per dimension:
// with two dimensions that is at most eight lines a side on the printed page.
const ReasonsShown = 4

// RootCausesShown is how many root causes a report lists.
const RootCausesShown = 5

// Report is the one-page report of a month, quarter or year.
type Report struct {
	Period Period
	// Current, Previous and YearBefore are the NPS responses of the period, the period
	// just before it and the same period a year earlier.
	Current, Previous, YearBefore NPSCounts
	// Categories and Touchpoints explain the change of NPS against the previous period
	// (see NPSReasons).
	Categories, Touchpoints Reasons
	// RootCauses are the root causes recorded at follow-up of the period's feedback,
	// the ReasonsShown most frequent first.
	RootCauses []NameCount
	// Trend is the NPS of the 13 months up to the period's last month, oldest first.
	Trend []MonthNPS
	// Comment is the steering group's comment on the period (nil: none yet).
	Comment     *ReportComment
	FollowUp    FollowUpStats
	Implemented ImplementedStats
	// Goal is the goal of the period's year as it stood at the end of the period (or
	// today, for a period still running).
	Goal          *YearProgress
	Goodwill      []GoodwillSpent
	GoodwillTotal int64

	// Service and ServicePrevious are the first-contact resolution and CSAT of the
	// period and the one before; ServiceByTouchpoint splits the period's by touchpoint.
	Service, ServicePrevious ServiceCounts
	ServiceByTouchpoint      []TouchpointService
	// Savings add up the savings of the improvements implemented in the period.
	Savings SavingsTotals
}

// NPSChange returns the change in NPS from before to now, in points; ok is false when
// either side has no responses, since a change from or to "no NPS" means nothing.
func NPSChange(now, before NPSCounts) (float64, bool) {
	a, okA := now.Score()
	b, okB := before.Score()
	if !okA || !okB {
		return 0, false
	}
	return a - b, true
}

// FollowUpStats measures how quickly the period's detractors were contacted.
type FollowUpStats struct {
	// Detractors received in the period, how many of them were followed up at all and
	// how many within FollowUpWindow of being received.
	Detractors, FollowedUp, Within int
	// Median is the median time from receipt to follow-up of those followed up.
	Median time.Duration
}

// WithinShare returns the share (0-100) of detractors followed up within the window;
// ok is false when the period had no detractors.
func (f FollowUpStats) WithinShare() (float64, bool) {
	if f.Detractors == 0 {
		return 0, false
	}
	return float64(f.Within) * 100 / float64(f.Detractors), true
}

// FollowUpFigures computes the follow-up figures from each detractor's receipt and
// follow-up times (followedUp nil: not yet contacted).
func FollowUpFigures(received []time.Time, followedUp []*time.Time) FollowUpStats {
	st := FollowUpStats{Detractors: len(received)}
	var took []time.Duration
	for i, r := range received {
		f := followedUp[i]
		if f == nil {
			continue
		}
		d := max(f.Sub(r), 0)
		took = append(took, d)
		if d <= FollowUpWindow {
			st.Within++
		}
	}
	st.FollowedUp = len(took)
	st.Median = median(took)
	return st
}

// median returns the middle duration, or the mean of the two middle ones; 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[m]
	}
	return (ds[m-1] + ds[m]) / 2
}

// NameCount is a name with a count, for splits by category, area or branch.
type NameCount struct {
	Name  string
	Count int
}

// ImplementedStats counts the improvements implemented in a period.
type ImplementedStats struct {
	QuickWin, Steering int
	// ByCategory is sorted by count, largest first; Name "" means no category.
	ByCategory []NameCount
}

// Total returns the improvements implemented on both tracks.
func (i ImplementedStats) Total() int { return i.QuickWin + i.Steering }

// GoodwillSpent is the goodwill handed out by one branch in a period.
type GoodwillSpent struct {
	// Branch is the branch's name, "" for feedback without a branch.
	Branch string
	Amount int64
	// FollowUps is how many follow-ups spent goodwill.
	FollowUps int
}

// dayKey returns the received_on value of t's calendar date in loc: that date at
// midnight UTC, the way feedback rows store it.
func dayKey(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// periodDays returns the first day of p and the first day after it, as received_on keys.
func (s *Store) periodDays(p Period) (time.Time, time.Time) {
	return dayKey(p.Start, s.Location), dayKey(p.End, s.Location)
}

// npsBetweenDays sums the daily rollup over [from, to): never the feedback table.
func (s *Store) npsBetweenDays(ctx context.Context, from, to time.Time) (NPSCounts, error) {
	var c NPSCounts
	err := s.r.WithContext(ctx).Raw(`SELECT COALESCE(SUM(promoters), 0) AS promoters,
		COALESCE(SUM(passives), 0) AS passives, COALESCE(SUM(detractors), 0) AS detractors
		FROM feedback_daily WHERE day >= ? AND day < ?`, from, to).Scan(&c).Error
	if err != nil {
		return c, fmt.Errorf("models: nps: %w", err)
	}
	return c, nil
}

// NPSForDates returns the NPS responses received from the date of from to the date of to,
// both included; the dates are read as written, and days are counted in the store's
// location (feedback's received_on).
func (s *Store) NPSForDates(ctx context.Context, from, to time.Time) (NPSCounts, error) {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	return s.npsBetweenDays(ctx, time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC), time.Date(ty, tm, td+1, 0, 0, 0, 0, time.UTC))
}

// NPSInPeriod returns the NPS responses of a period.
func (s *Store) NPSInPeriod(ctx context.Context, p Period) (NPSCounts, error) {
	from, to := s.periodDays(p)
	return s.npsBetweenDays(ctx, from, to)
}

// segmentColumns are the rollup's dimensions reports split by.
var segmentColumns = map[RefKind]string{RefCategories: "category_id", RefTouchpoints: "touchpoint_id"}

// segmentCounts sums the rollup over [from, to) by category or touchpoint (0 = none).
func (s *Store) segmentCounts(ctx context.Context, kind RefKind, from, to time.Time) (map[int64]NPSCounts, error) {
	col := segmentColumns[kind]
	var rows []struct {
		SegID                           int64
		Promoters, Passives, Detractors int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT `+col+` AS seg_id, SUM(promoters) AS promoters, SUM(passives) AS passives,
		SUM(detractors) AS detractors FROM feedback_daily WHERE day >= ? AND day < ? GROUP BY `+col, from, to).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: nps by %s: %w", kind, err)
	}
	out := make(map[int64]NPSCounts, len(rows))
	for _, r := range rows {
		out[r.SegID] = NPSCounts{Promoters: r.Promoters, Passives: r.Passives, Detractors: r.Detractors}
	}
	return out, nil
}

// refNames maps the ids of a reference list to names.
func (s *Store) refNames(ctx context.Context, kind RefKind) (map[int64]string, error) {
	items, err := s.RefList(ctx, kind)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(items))
	for _, it := range items {
		out[it.ID] = it.Name
	}
	return out, nil
}

// reasons explains the change of NPS from prev to cur along kind. The segment without a
// value (id 0) is included as Key "", so the effects add up to the change.
func (s *Store) reasons(ctx context.Context, kind RefKind, cur, prev Period) (Reasons, error) {
	cf, ct := s.periodDays(cur)
	pf, pt := s.periodDays(prev)
	now, err := s.segmentCounts(ctx, kind, cf, ct)
	if err != nil {
		return Reasons{}, err
	}
	before, err := s.segmentCounts(ctx, kind, pf, pt)
	if err != nil {
		return Reasons{}, err
	}
	names, err := s.refNames(ctx, kind)
	if err != nil {
		return Reasons{}, err
	}
	segs := map[int64]*SegmentCounts{}
	seg := func(id int64) *SegmentCounts {
		if sc, ok := segs[id]; ok {
			return sc
		}
		sc := &SegmentCounts{Key: names[id]}
		if id != 0 && sc.Key == "" {
			sc.Key = fmt.Sprintf("#%d", id)
		}
		segs[id] = sc
		return sc
	}
	for id, c := range now {
		seg(id).Current = c
	}
	for id, c := range before {
		seg(id).Previous = c
	}
	list := make([]SegmentCounts, 0, len(segs))
	for _, sc := range segs {
		list = append(list, *sc)
	}
	return NPSReasons(list, ReasonsShown), nil
}

// followUpStats reads the receipt and follow-up times of the period's detractors: a
// range of the (received_on, nps_group) index, two columns, a few thousand rows at most.
func (s *Store) followUpStats(ctx context.Context, p Period) (FollowUpStats, error) {
	from, to := s.periodDays(p)
	var rows []struct {
		ReceivedAt   time.Time
		FollowedUpAt *time.Time
	}
	err := s.r.WithContext(ctx).Table("feedback").Select("received_at, followed_up_at").
		Where("received_on >= ? AND received_on < ? AND nps_group = ?", from, to, GroupDetractor).
		Scan(&rows).Error
	if err != nil {
		return FollowUpStats{}, fmt.Errorf("models: follow-up figures: %w", err)
	}
	received := make([]time.Time, len(rows))
	followed := make([]*time.Time, len(rows))
	for i, r := range rows {
		received[i], followed[i] = r.ReceivedAt, r.FollowedUpAt
	}
	return FollowUpFigures(received, followed), nil
}

// implementedStats counts improvements implemented within [from, to) by track and category.
func (s *Store) implementedStats(ctx context.Context, from, to time.Time) (ImplementedStats, error) {
	var rows []struct {
		Track Track
		Name  *string
		N     int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT i.track AS track, c.name AS name, COUNT(*) AS n
		FROM improvements i LEFT JOIN categories c ON c.id = i.category_id
		WHERE i.implemented_at >= ? AND i.implemented_at < ? AND i.status = ? AND i.merged_into_id IS NULL
		GROUP BY i.track, c.name`, from.UTC(), to.UTC(), StatusImplemented).Scan(&rows).Error
	if err != nil {
		return ImplementedStats{}, fmt.Errorf("models: implemented figures: %w", err)
	}
	var st ImplementedStats
	byCat := map[string]int{}
	for _, r := range rows {
		if r.Track == TrackQuickWin {
			st.QuickWin += r.N
		} else {
			st.Steering += r.N
		}
		name := ""
		if r.Name != nil {
			name = *r.Name
		}
		byCat[name] += r.N
	}
	st.ByCategory = sortedCounts(byCat)
	return st, nil
}

// sortedCounts orders counts largest first, then by name, so pages and CSV are stable.
func sortedCounts(m map[string]int) []NameCount {
	out := make([]NameCount, 0, len(m))
	for k, v := range m {
		out = append(out, NameCount{Name: k, Count: v})
	}
	slices.SortFunc(out, func(a, b NameCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// goodwill sums the goodwill of follow-ups made within [from, to), per branch, from the
// partial index on followed_up_at.
func (s *Store) goodwill(ctx context.Context, from, to time.Time) ([]GoodwillSpent, int64, error) {
	var rows []struct {
		Name   *string
		Amount int64
		N      int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT b.name AS name, SUM(f.goodwill_amount) AS amount, COUNT(*) AS n
		FROM feedback f LEFT JOIN branches b ON b.id = f.branch_id
		WHERE f.followed_up_at >= ? AND f.followed_up_at < ? AND f.goodwill_amount > 0
		GROUP BY b.name`, from.UTC(), to.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("models: goodwill: %w", err)
	}
	out := make([]GoodwillSpent, 0, len(rows))
	var total int64
	for _, r := range rows {
		g := GoodwillSpent{Amount: r.Amount, FollowUps: r.N}
		if r.Name != nil {
			g.Branch = *r.Name
		}
		total += r.Amount
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b GoodwillSpent) int {
		if a.Amount != b.Amount {
			if a.Amount > b.Amount {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Branch, b.Branch)
	})
	return out, total, nil
}

// Report builds the one-page report of a period, kept like the dashboard's figures
// until the next write or for aggregateTTL.
func (s *Store) Report(ctx context.Context, p Period) (*Report, error) {
	key := fmt.Sprintf("report %v %s", p, s.now().Truncate(time.Minute).Format(time.RFC3339))
	return cachedAggregate(ctx, s, key, func(ctx context.Context) (*Report, error) { return s.report(ctx, p) })
}

func (s *Store) report(ctx context.Context, p Period) (*Report, error) {
	r := &Report{Period: p}
	var err error
	for _, x := range []struct {
		period Period
		dst    *NPSCounts
	}{{p, &r.Current}, {p.Previous(), &r.Previous}, {p.YearBefore(), &r.YearBefore}} {
		if *x.dst, err = s.NPSInPeriod(ctx, x.period); err != nil {
			return nil, err
		}
	}
	if r.Categories, err = s.reasons(ctx, RefCategories, p, p.Previous()); err != nil {
		return nil, err
	}
	if r.Touchpoints, err = s.reasons(ctx, RefTouchpoints, p, p.Previous()); err != nil {
		return nil, err
	}
	if r.RootCauses, err = s.rootCauses(ctx, p); err != nil {
		return nil, err
	}
	if r.Trend, err = s.npsTrend(ctx, p); err != nil {
		return nil, err
	}
	if r.Comment, err = s.ReportComment(ctx, p); err != nil {
		return nil, err
	}
	if r.FollowUp, err = s.followUpStats(ctx, p); err != nil {
		return nil, err
	}
	if r.Implemented, err = s.implementedStats(ctx, p.Start, p.End); err != nil {
		return nil, err
	}
	if r.Goodwill, r.GoodwillTotal, err = s.goodwill(ctx, p.Start, p.End); err != nil {
		return nil, err
	}
	if err := s.reportService(ctx, r); err != nil {
		return nil, err
	}
	if r.Savings, err = s.SavingsImplemented(ctx, p.Start, p.End); err != nil {
		return nil, err
	}
	year := p.Start.In(s.Location).Year()
	yearStart, yearEnd := yearBounds(year, s.Location)
	until := p.End
	if until.After(yearEnd) {
		until = yearEnd
	}
	today := s.now().In(s.Location)
	if last := until.Add(-time.Nanosecond).In(s.Location); today.After(last) {
		today = last
	}
	if r.Goal, err = s.progressUntil(ctx, year, until, today, yearStart); err != nil {
		return nil, err
	}
	return r, nil
}
