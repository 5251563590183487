package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// ListImprovements lists improvements that were not merged away, highest priority first
// (ties by id), keyset-paginated on (priority DESC, id) as the improvements_status index
// is ordered. cursor is the previous page's Next.
func (s *Store) ListImprovements(ctx context.Context, f models.ImprovementFilter, cursor string, limit int) (*models.ImprovementPage, error) {
	limit = clampLimit(limit, 50)
	db := preloadImprovement(s.r.WithContext(ctx)).Where("merged_into_id IS NULL")
	db = s.applyImprovementFilter(db, f)
	if cursor != "" {
		p, id, err := decodePairCursor(cursor)
		if err != nil {
			return nil, models.Invalid("cursor", "invalid")
		}
		db = db.Where("(priority < ? OR (priority = ? AND id > ?))", p, p, id)
	}
	var items []models.Improvement
	if err := db.Order("priority DESC, id").Limit(limit + 1).Find(&items).Error; err != nil {
		return nil, fmt.Errorf("models: list improvements: %w", err)
	}
	if err := s.fillImprovementRefs(ctx, pointersTo(items)); err != nil {
		return nil, err
	}
	page := &models.ImprovementPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.Next = encodePairCursor(int64(last.Priority), last.ID)
	}
	return page, nil
}

func (s *Store) applyImprovementFilter(db *gorm.DB, f models.ImprovementFilter) *gorm.DB {
	if f.Track != "" {
		db = db.Where("track = ?", f.Track)
	}
	if f.Status != "" {
		db = db.Where("status = ?", f.Status)
	}
	if f.CategoryID != nil {
		db = db.Where("category_id = ?", *f.CategoryID)
	}
	if f.FunctionalAreaID != nil {
		db = db.Where("functional_area_id = ?", *f.FunctionalAreaID)
	}
	if f.OwnerID != nil {
		db = db.Where("owner_id = ?", *f.OwnerID)
	}
	if f.Open {
		db = db.Where("status NOT IN ?", []models.Status{models.StatusImplemented, models.StatusRejected})
	}
	if f.Year > 0 {
		start := time.Date(f.Year, 1, 1, 0, 0, 0, 0, s.Location).UTC()
		end := time.Date(f.Year+1, 1, 1, 0, 0, 0, 0, s.Location).UTC()
		db = db.Where("((created_at >= ? AND created_at < ?) OR (implemented_at >= ? AND implemented_at < ?))",
			start, end, start, end)
	}
	return db
}

// FeedbackTallies counts the linked feedback of several improvements in one query.
func (s *Store) FeedbackTallies(ctx context.Context, ids []int64) (map[int64]models.FeedbackTally, error) {
	out := map[int64]models.FeedbackTally{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ImprovementID                    int64
		Customers, Detractors, Promoters int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT l.improvement_id, COUNT(*) AS customers,
		COALESCE(SUM(CASE WHEN f.nps_group = ? THEN 1 ELSE 0 END), 0) AS detractors,
		COALESCE(SUM(CASE WHEN f.nps_group = ? THEN 1 ELSE 0 END), 0) AS promoters
		FROM improvement_feedback l JOIN feedback f ON f.id = l.feedback_id
		WHERE l.improvement_id IN ? GROUP BY l.improvement_id`, models.GroupDetractor, models.GroupPromoter, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: feedback tallies: %w", err)
	}
	for _, r := range rows {
		out[r.ImprovementID] = models.FeedbackTally{Customers: r.Customers, Detractors: r.Detractors, Promoters: r.Promoters}
	}
	return out, nil
}

// FeedbackIDsOf returns the linked feedback ids of several improvements in one query.
func (s *Store) FeedbackIDsOf(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct{ ImprovementID, FeedbackID int64 }
	err := s.r.WithContext(ctx).Table("improvement_feedback").Select("improvement_id, feedback_id").
		Where("improvement_id IN ?", ids).Order("improvement_id, feedback_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: linked feedback ids: %w", err)
	}
	for _, r := range rows {
		out[r.ImprovementID] = append(out[r.ImprovementID], r.FeedbackID)
	}
	return out, nil
}

// LinkedFeedbackOf lists the feedback linked to an improvement, oldest first.
func (s *Store) LinkedFeedbackOf(ctx context.Context, improvementID int64) ([]models.LinkedFeedback, error) {
	out := []models.LinkedFeedback{}
	err := s.r.WithContext(ctx).Raw(`SELECT f.id, f.received_at, f.comment, f.nps,
		COALESCE(f.nps_group, '') AS nps_group, COALESCE(b.name, '') AS branch_name,
		COALESCE(c.name, '') AS channel_name, f.consent AS customer_consent, f.logged_by_id
		FROM improvement_feedback l
		JOIN feedback f ON f.id = l.feedback_id
		LEFT JOIN branches b ON b.id = f.branch_id
		LEFT JOIN channels c ON c.id = f.channel_id
		WHERE l.improvement_id = ? ORDER BY f.received_at, f.id`, improvementID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: linked feedback of %d: %w", improvementID, err)
	}
	return out, nil
}

// Timeline lists the history of an improvement together with the history of every
// improvement merged into it, oldest first, so a merge loses nothing from view.
func (s *Store) Timeline(ctx context.Context, id int64) ([]models.HistoryEntry, error) {
	ids, err := s.mergedChain(ctx, id)
	if err != nil {
		return nil, err
	}
	out, err := s.historyEntries(ctx, "h.entity = ? AND h.entity_id IN ? ORDER BY h.created_at, h.id", "improvement", ids)
	if err != nil {
		return nil, fmt.Errorf("models: timeline of %d: %w", id, err)
	}
	return out, nil
}

// mergedChain returns id and the ids of all improvements merged into it, directly or
// through an improvement that was itself merged later.
func (s *Store) mergedChain(ctx context.Context, id int64) ([]int64, error) {
	all := []int64{id}
	frontier := []int64{id}
	for depth := 0; depth < 10 && len(frontier) > 0; depth++ {
		var next []int64
		if err := s.r.WithContext(ctx).Model(&models.Improvement{}).Where("merged_into_id IN ?", frontier).
			Pluck("id", &next).Error; err != nil {
			return nil, fmt.Errorf("models: merged chain of %d: %w", id, err)
		}
		all = append(all, next...)
		frontier = next
	}
	return all, nil
}

// EditImprovement saves title, description, category, impact and effort, recomputes
// the priority and records every changed field. The track stays: moving an item
// between teams is a transition (escalate) or a decision, not an edit.
func (s *Store) EditImprovement(ctx context.Context, id int64, e models.ImprovementEdit, by *models.User) (*models.Improvement, error) {
	if v := (models.NewImprovement{Title: e.Title, Impact: e.Impact, Effort: e.Effort}).Validate(); v != nil {
		return nil, v
	}
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		var imp models.Improvement
		if err := preloadImprovement(tx).Take(&imp, id).Error; err != nil {
			return notFound(err)
		}
		if err := s.fillImprovementRefs(ctx, []*models.Improvement{&imp}); err != nil {
			return err
		}
		if imp.MergedIntoID != nil {
			return fmt.Errorf("models: improvement %d was merged into %d: %w", id, *imp.MergedIntoID, models.ErrNotAllowed)
		}
		if e.Version != imp.Version {
			return fmt.Errorf("models: improvement %d changed since you loaded it (version %d, now %d): %w",
				id, e.Version, imp.Version, models.ErrConflict)
		}
		now := s.now()
		title, desc := strings.TrimSpace(e.Title), strings.TrimSpace(e.Description)
		u := map[string]any{"title": title, "description": desc, "category_id": e.CategoryID,
			"impact": e.Impact, "effort": e.Effort, "priority": models.Priority(e.Impact, e.Effort),
			"version": imp.Version + 1, "updated_at": now}
		type change struct{ field, from, to string }
		var changes []change
		add := func(field, from, to string) {
			if from != to {
				changes = append(changes, change{field, from, to})
			}
		}
		add("title", imp.Title, title)
		add("description", imp.Description, desc)
		oldCat, newCat := "", ""
		if imp.Category != nil {
			oldCat = imp.Category.Code
		}
		if e.CategoryID != nil {
			var code string
			if err := tx.Table("categories").Where("id = ?", *e.CategoryID).Pluck("code", &code).Error; err != nil || code == "" {
				return models.Invalid("category", "invalid_choice")
			}
			newCat = code
		}
		add("category", oldCat, newCat)
		add("impact", strconv.Itoa(imp.Impact), strconv.Itoa(e.Impact))
		add("effort", string(imp.Effort), string(e.Effort))
		add("priority", strconv.Itoa(imp.Priority), strconv.Itoa(models.Priority(e.Impact, e.Effort)))
		if len(changes) == 0 {
			return nil
		}
		res := tx.Model(&models.Improvement{}).Where("id = ? AND version = ?", id, imp.Version).Updates(u)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("models: improvement %d changed meanwhile: %w", id, models.ErrConflict)
		}
		for _, c := range changes {
			if err := record(tx, now, "improvement", id, by, "edited", c.field, c.from, c.to, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ImprovementByID(ctx, id)
}

// OpenImprovements lists every improvement not yet implemented, rejected or merged,
// highest priority first, for the matrix. The set is bounded by what a steering group
// can have open at once; it is capped to keep the page fast.
func (s *Store) OpenImprovements(ctx context.Context) ([]models.Improvement, error) {
	var out []models.Improvement
	err := s.r.WithContext(ctx).Select("id, title, impact, effort, priority, track, status").
		Where("merged_into_id IS NULL AND status NOT IN ?", []models.Status{models.StatusImplemented, models.StatusRejected}).
		Order("priority DESC, id").Limit(2000).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: open improvements: %w", err)
	}
	return out, nil
}

// MissingNeeds names what a move of imp to in.To still lacks, so that a form whose
// other input was already faulty can name every problem at once. It is nil when the
// move is not in the table; the transition itself reports that.
func (s *Store) MissingNeeds(imp *models.Improvement, in models.TransitionInput) *models.ValidationError {
	t, err := models.FindTransition(imp.Track, imp.Status, in.To)
	if err != nil {
		return nil
	}
	return checkNeeds(t, in, s.now().In(s.Location))
}
