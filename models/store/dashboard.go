package store

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// Dashboard gathers the home page's figures for the current year. Every query reads
// an index range or the daily rollup, and the figures are kept until the next write or
// for aggregateTTL, so the busiest page does not recompute them for every visit.
func (s *Store) Dashboard(ctx context.Context) (*models.Dashboard, error) {
	minute := s.now().Truncate(time.Minute).Format(time.RFC3339)
	// The improvements' figures are most of the cost, and a new feedback or a
	// follow-up, most of a team's writes, leaves them as they are.
	d, err := cachedJudged(ctx, s, &s.aggs, "dashboard improvements "+minute, aggregateTTL, s.dashboardImprovements,
		unchanged(func(_ context.Context, _ *models.Dashboard, since []loggedWrite) bool {
			_, _, onlyFeedback := createdAndFollowedUp(since)
			return onlyFeedback
		}))
	if err != nil {
		return nil, err
	}
	fb, err := cachedAggregate(ctx, s, "dashboard feedback "+minute, s.dashboardFeedback)
	if err != nil {
		return nil, err
	}
	out := *d // both are shared: the answer is a copy of each
	out.NPS30, out.NPSFrom, out.NPSTo, out.FollowUpsDue, out.FollowUpsOverdue = fb.NPS30, fb.NPSFrom, fb.NPSTo, fb.FollowUpsDue, fb.FollowUpsOverdue
	return &out, nil
}

// dashboardImprovements computes the dashboard's figures of improvements: the year's
// goal, what was implemented by category and area, the savings and the latest ones.
func (s *Store) dashboardImprovements(ctx context.Context) (*models.Dashboard, error) {
	now := s.now().In(s.Location)
	d := &models.Dashboard{Drawn: new(models.Drawings)}
	var err error
	if d.Goal, err = s.YearProgress(ctx, now.Year()); err != nil {
		return nil, err
	}
	start, end := yearBounds(now.Year(), s.Location)
	if d.ByCategory, err = s.implementedBy(ctx, "categories", "category_id", start, end); err != nil {
		return nil, err
	}
	if d.ByArea, err = s.implementedBy(ctx, "functional_areas", "functional_area_id", start, end); err != nil {
		return nil, err
	}
	if d.Savings, err = s.SavingsImplemented(ctx, start, end); err != nil {
		return nil, err
	}
	if d.Latest, _, err = s.ImplementedPage(ctx, nil, 5, 1); err != nil {
		return nil, err
	}
	return d, nil
}

// dashboardFeedback computes the dashboard's figures of feedback: the NPS of the last
// 30 days and the follow-ups due and overdue.
func (s *Store) dashboardFeedback(ctx context.Context) (*models.Dashboard, error) {
	d := &models.Dashboard{}
	today := dayKey(s.now().In(s.Location), s.Location)
	d.NPSFrom, d.NPSTo = today.AddDate(0, 0, -(models.NPSWindowDays-1)), today
	var err error
	if d.NPS30, err = s.npsBetweenDays(ctx, d.NPSFrom, today.AddDate(0, 0, 1)); err != nil {
		return nil, err
	}
	// Only the follow-ups: the navigation's other counts are not on the dashboard.
	if d.FollowUpsOverdue, d.FollowUpsDue, err = s.followUpCounts(ctx, 0); err != nil {
		return nil, err
	}
	return d, nil
}

// implementedBy counts the improvements implemented in [from, to) by the name in a
// reference table (table and column are constants of this package, never input).
func (s *Store) implementedBy(ctx context.Context, table, column string, from, to time.Time) ([]models.NameCount, error) {
	var rows []struct {
		Name *string
		N    int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT r.name AS name, COUNT(*) AS n FROM improvements i
		LEFT JOIN `+table+` r ON r.id = i.`+column+`
		WHERE i.implemented_at >= ? AND i.implemented_at < ? AND i.status = ? AND i.merged_into_id IS NULL
		GROUP BY r.name`, from.UTC(), to.UTC(), models.StatusImplemented).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: implemented by %s: %w", table, err)
	}
	m := map[string]int{}
	for _, r := range rows {
		name := ""
		if r.Name != nil {
			name = *r.Name
		}
		m[name] += r.N
	}
	return sortedCounts(m), nil
}

// ImplementedPage lists implemented improvements, newest first, after the cursor (nil:
// from the start), each with up to quotes customer quotes. The quotes of the whole page
// come from one query. next is nil on the last page.
func (s *Store) ImplementedPage(ctx context.Context, after *models.ImplementedCursor, limit, quotes int) (items []models.ImplementedItem, next *models.ImplementedCursor, err error) {
	db := s.r.WithContext(ctx)
	q := db.Table("improvements i").
		Select("i.id, i.title, i.track, COALESCE(c.name, '') AS category, COALESCE(i.resolution_note, '') AS resolution_note, i.implemented_at").
		Joins("LEFT JOIN categories c ON c.id = i.category_id").
		Where("i.implemented_at IS NOT NULL AND i.status = ? AND i.merged_into_id IS NULL", models.StatusImplemented)
	if after != nil {
		q = q.Where("(i.implemented_at < ? OR (i.implemented_at = ? AND i.id < ?))", after.At, after.At, after.ID)
	}
	if err := q.Order("i.implemented_at DESC, i.id DESC").Limit(limit + 1).Scan(&items).Error; err != nil {
		return nil, nil, fmt.Errorf("models: implemented improvements: %w", err)
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[len(items)-1]
		next = &models.ImplementedCursor{At: last.ImplementedAt, ID: last.ID}
	}
	if len(items) == 0 {
		return items, nil, nil
	}
	ids := make([]int64, len(items))
	at := map[int64]int{}
	for i, it := range items {
		ids[i], at[it.ID] = it.ID, i
	}
	var counts []struct {
		ImprovementID int64
		N             int
	}
	if err := db.Raw(`SELECT improvement_id, COUNT(*) AS n FROM improvement_feedback
		WHERE improvement_id IN ? GROUP BY improvement_id`, ids).Scan(&counts).Error; err != nil {
		return nil, nil, fmt.Errorf("models: linked feedback counts: %w", err)
	}
	for _, c := range counts {
		items[at[c.ImprovementID]].Customers = c.N
	}
	if quotes <= 0 {
		return items, next, nil
	}
	var qs []models.Quote
	// Erased customers' words are left out: the erasure covers what they said, too.
	err = db.Raw(`SELECT imf.improvement_id, f.id AS feedback_id, f.comment, f.nps, f.received_at
		FROM improvement_feedback imf JOIN feedback f ON f.id = imf.feedback_id
		WHERE imf.improvement_id IN ? AND f.comment <> '' AND f.personal_data_erased_at IS NULL
		ORDER BY imf.improvement_id, f.received_at DESC, f.id DESC`, ids).Scan(&qs).Error
	if err != nil {
		return nil, nil, fmt.Errorf("models: quotes: %w", err)
	}
	for _, q := range qs {
		it := &items[at[q.ImprovementID]]
		if len(it.Quotes) < quotes {
			it.Quotes = append(it.Quotes, q)
		}
	}
	return items, next, nil
}

// MyWork lists the quick wins u holds, the initiatives u owns and, for ambassadors, the
// follow-ups due first.
func (s *Store) MyWork(ctx context.Context, u *models.User) (models.MyWork, error) {
	key := fmt.Sprintf("my work %d %t", u.ID, u.Has(models.RoleAmbassador))
	return cachedAggregate(ctx, s, key, func(ctx context.Context) (models.MyWork, error) { return s.myWork(ctx, u) })
}

func (s *Store) myWork(ctx context.Context, u *models.User) (models.MyWork, error) {
	var w models.MyWork
	db := s.r.WithContext(ctx)
	err := db.Table("improvements").Select("id, title, track, status, target_date").
		Where("assignee_id = ? AND status IN ? AND merged_into_id IS NULL", u.ID, []models.Status{models.StatusQueued, models.StatusInProgress}).
		Order("priority DESC, id").Limit(models.MyWorkLimit).Scan(&w.QuickWins).Error
	if err != nil {
		return w, fmt.Errorf("models: my quick wins: %w", err)
	}
	err = db.Table("improvements").Select("id, title, track, status, target_date").
		Where("owner_id = ? AND status IN ? AND merged_into_id IS NULL", u.ID, []models.Status{models.StatusApproved, models.StatusInProgress}).
		Order("target_date, id").Limit(models.MyWorkLimit).Scan(&w.Initiatives).Error
	if err != nil {
		return w, fmt.Errorf("models: my initiatives: %w", err)
	}
	if u.Has(models.RoleAmbassador) {
		err = db.Table("feedback").Select("id, comment, nps, follow_up_due_at AS due_at, received_at").
			Where("follow_up_due_at IS NOT NULL AND followed_up_at IS NULL").
			Order("follow_up_due_at").Limit(models.MyWorkLimit).Scan(&w.FollowUps).Error
		if err != nil {
			return w, fmt.Errorf("models: follow-ups due: %w", err)
		}
	}
	return w, nil
}
