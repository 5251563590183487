package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// dayKey returns the received_on value of t's calendar date in loc: that date at
// midnight UTC, the way feedback rows store it.
func dayKey(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// periodDays returns the first day of p and the first day after it, as received_on keys.
func (s *Store) periodDays(p models.Period) (time.Time, time.Time) {
	return dayKey(p.Start, s.Location), dayKey(p.End, s.Location)
}

// eachDay lists the received_on keys from the day from up to the day to.
func eachDay(from, to time.Time) []time.Time {
	var days []time.Time
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	return days
}

// npsBetweenDays sums the rollups over [from, to): never the feedback table.
func (s *Store) npsBetweenDays(ctx context.Context, from, to time.Time) (models.NPSCounts, error) {
	sums, err := s.rollupSums(ctx, "", from, to)
	if err != nil {
		return models.NPSCounts{}, fmt.Errorf("models: nps: %w", err)
	}
	return sums[0], nil
}

// rollupSums sums the NPS rollups over the days [from, to), by the rollup column by
// (touchpoint_id or category_id; 0 = none), or in total under key 0 when by is "".
// Whole months come from feedback_monthly, the days before the first and after the last
// whole month from feedback_daily: a year's report reads about 300 rows, not 9,000.
func (s *Store) rollupSums(ctx context.Context, by string, from, to time.Time) (map[int64]models.NPSCounts, error) {
	key, group := "0", ""
	if by != "" {
		key, group = by, " GROUP BY "+by
	}
	out := map[int64]models.NPSCounts{}
	add := func(table, column string, from, to any) error {
		var rows []struct {
			Key                             int64
			Promoters, Passives, Detractors int
		}
		err := s.r.WithContext(ctx).Raw(`SELECT `+key+` AS key, COALESCE(SUM(promoters), 0) AS promoters,
			COALESCE(SUM(passives), 0) AS passives, COALESCE(SUM(detractors), 0) AS detractors
			FROM `+table+` WHERE `+column+` >= ? AND `+column+` < ?`+group, from, to).Scan(&rows).Error
		for _, r := range rows {
			out[r.Key] = out[r.Key].Add(models.NPSCounts{Promoters: r.Promoters, Passives: r.Passives, Detractors: r.Detractors})
		}
		return err
	}
	days := func(from, to time.Time) error {
		if !from.Before(to) {
			return nil
		}
		return add("feedback_daily", "day", from, to)
	}
	first, end, ok := wholeMonths(from, to)
	if !ok {
		return out, days(from, to)
	}
	if err := add("feedback_monthly", "month", monthKey(first), monthKey(end)); err != nil {
		return nil, err
	}
	if err := days(from, first); err != nil {
		return nil, err
	}
	return out, days(end, to)
}

// wholeMonths returns the first whole calendar month in the days [from, to) and the
// first day after the last one, or ok false when the range holds no whole month. Days
// are midnight UTC of a local calendar date, as feedback_daily keeps them.
func wholeMonths(from, to time.Time) (first, end time.Time, ok bool) {
	first = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	if first.Before(from) {
		first = first.AddDate(0, 1, 0)
	}
	end = time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first, end, first.Before(end)
}

// monthKey is a month as feedback_monthly keys it.
func monthKey(t time.Time) string { return t.Format("2006-01") }

// NPSForDates returns the NPS responses received from the date of from to the date of to,
// both included; the dates are read as written, and days are counted in the store's
// location (feedback's received_on).
func (s *Store) NPSForDates(ctx context.Context, from, to time.Time) (models.NPSCounts, error) {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	return s.npsBetweenDays(ctx, time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC), time.Date(ty, tm, td+1, 0, 0, 0, 0, time.UTC))
}

// NPSInPeriod returns the NPS responses of a period.
func (s *Store) NPSInPeriod(ctx context.Context, p models.Period) (models.NPSCounts, error) {
	from, to := s.periodDays(p)
	return s.npsBetweenDays(ctx, from, to)
}

// segmentColumns are the rollup's dimensions reports split by.
var segmentColumns = map[models.RefKind]string{models.RefCategories: "category_id", models.RefTouchpoints: "touchpoint_id"}

// segmentCounts sums the rollups over [from, to) by category or touchpoint (0 = none).
func (s *Store) segmentCounts(ctx context.Context, kind models.RefKind, from, to time.Time) (map[int64]models.NPSCounts, error) {
	out, err := s.rollupSums(ctx, segmentColumns[kind], from, to)
	if err != nil {
		return nil, fmt.Errorf("models: nps by %s: %w", kind, err)
	}
	return out, nil
}

// refNames maps the ids of a reference list to names.
func (s *Store) refNames(ctx context.Context, kind models.RefKind) (map[int64]string, error) {
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
func (s *Store) reasons(ctx context.Context, kind models.RefKind, cur, prev models.Period) (models.Reasons, error) {
	cf, ct := s.periodDays(cur)
	pf, pt := s.periodDays(prev)
	now, err := s.segmentCounts(ctx, kind, cf, ct)
	if err != nil {
		return models.Reasons{}, err
	}
	before, err := s.segmentCounts(ctx, kind, pf, pt)
	if err != nil {
		return models.Reasons{}, err
	}
	names, err := s.refNames(ctx, kind)
	if err != nil {
		return models.Reasons{}, err
	}
	segs := map[int64]*models.SegmentCounts{}
	seg := func(id int64) *models.SegmentCounts {
		if sc, ok := segs[id]; ok {
			return sc
		}
		sc := &models.SegmentCounts{Key: names[id]}
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
	list := make([]models.SegmentCounts, 0, len(segs))
	for _, sc := range segs {
		list = append(list, *sc)
	}
	return models.NPSReasons(list, models.ReasonsShown), nil
}

// followUpStats works out the follow-up figures of the period's detractors from the
// (received_on, nps_group, received_at, followed_up_at) index alone. The database
// works out each wait, to the millisecond: a year of a bank's detractors is tens of
// thousands of rows, and reading both times of each (the driver parses every time
// value from text) took half of the yearly report.
func (s *Store) followUpStats(ctx context.Context, p models.Period) (models.FollowUpStats, error) {
	query, args := s.followUpWaits(p)
	rows, err := s.r.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return models.FollowUpStats{}, fmt.Errorf("models: follow-up figures: %w", err)
	}
	defer rows.Close()
	detractors, took := 0, []time.Duration{}
	for rows.Next() {
		var ms *int64
		if err := rows.Scan(&ms); err != nil {
			return models.FollowUpStats{}, fmt.Errorf("models: follow-up figures: %w", err)
		}
		detractors++
		if ms != nil {
			took = append(took, time.Duration(*ms)*time.Millisecond)
		}
	}
	if err := rows.Err(); err != nil {
		return models.FollowUpStats{}, fmt.Errorf("models: follow-up figures: %w", err)
	}
	return models.FollowUpFigures(detractors, took), nil
}

// followUpWaits is the statement that reads the wait of each detractor received in p
// (NULL for one not followed up), and its arguments. SQLite is given the period's days
// one by one, so that it searches the index day by day for the detractors alone instead
// of reading through every promoter and passive of the period (a year's took 26 ms
// instead of 60); PostgreSQL skips them within the range itself, and planning a list of
// days took it longer than the range's whole scan.
func (s *Store) followUpWaits(p models.Period) (string, []any) {
	from, to := s.periodDays(p)
	query := `SELECT ` + s.waitMillis("received_at", "followed_up_at") + ` FROM feedback WHERE `
	if s.dialect == SQLite {
		return query + `received_on IN ? AND nps_group = ?`, []any{eachDay(from, to), models.GroupDetractor}
	}
	return query + `received_on >= ? AND received_on < ? AND nps_group = ?`, []any{from, to, models.GroupDetractor}
}

// waitMillis is the SQL for the milliseconds from one time column to another, NULL when
// either is.
func (s *Store) waitMillis(from, to string) string {
	if s.dialect == SQLite {
		return "CAST(ROUND((unixepoch(" + to + ", 'subsec') - unixepoch(" + from + ", 'subsec')) * 1000) AS INTEGER)"
	}
	return "ROUND(EXTRACT(EPOCH FROM " + to + " - " + from + ") * 1000)::bigint"
}

// implementedStats counts improvements implemented within [from, to) by track and category.
func (s *Store) implementedStats(ctx context.Context, from, to time.Time) (models.ImplementedStats, error) {
	var rows []struct {
		Track models.Track
		Name  *string
		N     int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT i.track AS track, c.name AS name, COUNT(*) AS n
		FROM improvements i LEFT JOIN categories c ON c.id = i.category_id
		WHERE i.implemented_at >= ? AND i.implemented_at < ? AND i.status = ? AND i.merged_into_id IS NULL
		GROUP BY i.track, c.name`, from.UTC(), to.UTC(), models.StatusImplemented).Scan(&rows).Error
	if err != nil {
		return models.ImplementedStats{}, fmt.Errorf("models: implemented figures: %w", err)
	}
	var st models.ImplementedStats
	byCat := map[string]int{}
	for _, r := range rows {
		if r.Track == models.TrackQuickWin {
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
func sortedCounts(m map[string]int) []models.NameCount {
	out := make([]models.NameCount, 0, len(m))
	for k, v := range m {
		out = append(out, models.NameCount{Name: k, Count: v})
	}
	slices.SortFunc(out, func(a, b models.NameCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// goodwillByBranchSQL sums the goodwill of the follow-ups made from ? until ?, by branch.
const goodwillByBranchSQL = `SELECT b.name AS name, SUM(f.goodwill_amount) AS amount, COUNT(*) AS n
	FROM feedback f LEFT JOIN branches b ON b.id = f.branch_id
	WHERE f.followed_up_at >= ? AND f.followed_up_at < ? AND f.goodwill_amount > 0
	GROUP BY b.name`

// goodwill sums the goodwill of follow-ups made within [from, to), per branch, from the
// follow-ups' partial index alone (migration 00030 holds the amount and branch in it).
func (s *Store) goodwill(ctx context.Context, from, to time.Time) ([]models.GoodwillSpent, models.Money, error) {
	var rows []struct {
		Name   *string
		Amount models.Money
		N      int
	}
	err := s.r.WithContext(ctx).Raw(goodwillByBranchSQL, from.UTC(), to.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("models: goodwill: %w", err)
	}
	out := make([]models.GoodwillSpent, 0, len(rows))
	var total models.Money
	for _, r := range rows {
		g := models.GoodwillSpent{Amount: r.Amount, FollowUps: r.N}
		if r.Name != nil {
			g.Branch = *r.Name
		}
		total += r.Amount
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b models.GoodwillSpent) int {
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
func (s *Store) Report(ctx context.Context, p models.Period) (*models.Report, error) {
	key := fmt.Sprintf("report %v %s", p, s.now().Truncate(time.Minute).Format(time.RFC3339))
	return cachedJudged(ctx, s, &s.aggs, key, aggregateTTL, func(ctx context.Context) (*models.Report, error) { return s.report(ctx, p) },
		unchanged(func(_ context.Context, _ *models.Report, since []loggedWrite) bool {
			// Every figure of a report counts feedback received before the period's end
			// (and their follow-ups), midnight in s.Location like the rollups' days.
			return allFrom(since, p.End)
		}))
}

func (s *Store) report(ctx context.Context, p models.Period) (*models.Report, error) {
	r := &models.Report{Period: p, Drawn: new(models.Drawings)}
	var err error
	for _, x := range []struct {
		period models.Period
		dst    *models.NPSCounts
	}{{p, &r.Current}, {p.Previous(), &r.Previous}, {p.YearBefore(), &r.YearBefore}} {
		if *x.dst, err = s.NPSInPeriod(ctx, x.period); err != nil {
			return nil, err
		}
	}
	if r.Categories, err = s.reasons(ctx, models.RefCategories, p, p.Previous()); err != nil {
		return nil, err
	}
	if r.Touchpoints, err = s.reasons(ctx, models.RefTouchpoints, p, p.Previous()); err != nil {
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
