package store

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// boardLimit caps each column; a team with more queued items than this has a
// different problem than scrolling.
const boardLimit = 300

// boardImplementedShown is how many of the year's implemented quick wins the board
// shows, latest first; the full list is one link away. With all of them (300 cards on
// the benchmark's data) the page weighed 400 kB and was drawn 70 times a second.
const boardImplementedShown = 30

// QuickWinBoard loads the quick-win board: queued and in-progress quick wins and the
// quick wins implemented this calendar year (in the store's time zone).
//
// The board is kept like the dashboard's figures, until the next write or
// aggregateTTL: the quick-win team keeps it open and reloads it all day, and every
// claim or move is a write that drops it at once.
func (s *Store) QuickWinBoard(ctx context.Context, f models.BoardFilter) (*models.Board, error) {
	return cachedAggregate(ctx, s, "board "+f.Key(), func(ctx context.Context) (*models.Board, error) { return s.quickWinBoard(ctx, f) })
}

func (s *Store) quickWinBoard(ctx context.Context, f models.BoardFilter) (*models.Board, error) {
	now := s.now().In(s.Location)
	yearStart := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, s.Location).UTC()
	q := `SELECT i.id, i.title, i.status, i.priority, i.version, i.created_at,
		COALESCE(c.name, '') AS category_name, i.assignee_id, COALESCE(u.name, '') AS holder_name,
		(SELECT COUNT(*) FROM improvement_feedback l WHERE l.improvement_id = i.id) AS customers
		FROM improvements i
		LEFT JOIN categories c ON c.id = i.category_id
		LEFT JOIN users u ON u.id = i.assignee_id
		WHERE i.merged_into_id IS NULL AND i.track = ? AND i.status = ?`
	base := []any{models.TrackQuickWin}
	var extra string
	var extraArgs []any
	if f.HolderID != nil {
		extra += ` AND i.assignee_id = ?`
		extraArgs = append(extraArgs, *f.HolderID)
	}
	if f.Unassigned {
		extra += ` AND i.assignee_id IS NULL`
	}
	if f.CategoryID != nil {
		extra += ` AND i.category_id = ?`
		extraArgs = append(extraArgs, *f.CategoryID)
	}
	if f.BranchID != nil {
		extra += ` AND EXISTS (SELECT 1 FROM improvement_feedback l JOIN feedback fb ON fb.id = l.feedback_id
			WHERE l.improvement_id = i.id AND fb.branch_id = ?)`
		extraArgs = append(extraArgs, *f.BranchID)
	}
	column := func(st models.Status, cond, order string, limit int, condArgs ...any) ([]models.BoardCard, error) {
		args := append(append(append([]any{}, base...), st), condArgs...)
		args = append(append(args, extraArgs...), limit)
		out := []models.BoardCard{}
		err := s.r.WithContext(ctx).Raw(q+cond+extra+` ORDER BY `+order+` LIMIT ?`, args...).Scan(&out).Error
		return out, err
	}
	b := models.Board{Drawn: new(models.Drawings)}
	var err error
	byPriority := "i.priority DESC, i.id"
	if b.Queued, err = column(models.StatusQueued, "", byPriority, boardLimit); err != nil {
		return nil, fmt.Errorf("models: board: %w", err)
	}
	if b.InProgress, err = column(models.StatusInProgress, "", byPriority, boardLimit); err != nil {
		return nil, fmt.Errorf("models: board: %w", err)
	}
	thisYear := ` AND i.implemented_at >= ?`
	if b.Implemented, err = column(models.StatusImplemented, thisYear, "i.implemented_at DESC, i.id DESC", boardImplementedShown, yearStart); err != nil {
		return nil, fmt.Errorf("models: board: %w", err)
	}
	var n int64
	countArgs := append(append([]any{}, base...), models.StatusImplemented, yearStart)
	err = s.r.WithContext(ctx).Raw(`SELECT COUNT(*) FROM improvements i WHERE i.merged_into_id IS NULL AND i.track = ? AND i.status = ?`+
		thisYear+extra, append(countArgs, extraArgs...)...).Scan(&n).Error
	if err != nil {
		return nil, fmt.Errorf("models: board: %w", err)
	}
	b.ImplementedThisYear = int(n)
	return &b, nil
}

// mayWorkQuickWins reports whether a user may claim and move quick wins.
func mayWorkQuickWins(u *models.User) bool {
	return u != nil && u.Has(models.RoleQuickWin, models.RoleSteering)
}

// ClaimQuickWin makes the user the holder of a queued or in-progress quick win. The
// update only applies while nobody holds the item, so of two simultaneous claims
// exactly one wins; the other gets a *ClaimedError naming the holder. Claiming an item
// one already holds is a no-op.
func (s *Store) ClaimQuickWin(ctx context.Context, id int64, by *models.User) error {
	if !mayWorkQuickWins(by) {
		return fmt.Errorf("models: only the quick-win team claims quick wins: %w", models.ErrForbidden)
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		res := tx.Model(&models.Improvement{}).
			Where("id = ? AND assignee_id IS NULL AND merged_into_id IS NULL AND track = ? AND status IN ?",
				id, models.TrackQuickWin, []models.Status{models.StatusQueued, models.StatusInProgress}).
			Updates(map[string]any{"assignee_id": by.ID, "version": gorm.Expr("version + 1"), "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("models: claim improvement %d: %w", id, res.Error)
		}
		if res.RowsAffected == 1 {
			return record(tx, now, "improvement", id, by, "claimed", "assignee", "", by.Name, "")
		}
		return whyNotClaimable(tx, id, by)
	})
}

// whyNotClaimable explains a claim that changed nothing.
func whyNotClaimable(tx *gorm.DB, id int64, by *models.User) error {
	var imp models.Improvement
	if err := tx.Preload("Assignee").Take(&imp, id).Error; err != nil {
		return notFound(err)
	}
	switch {
	case imp.AssigneeID != nil && *imp.AssigneeID == by.ID:
		return nil
	case imp.AssigneeID != nil:
		holder := "someone else"
		if imp.Assignee != nil {
			holder = imp.Assignee.Name
		}
		return &models.ClaimedError{ID: id, Holder: holder}
	case imp.MergedIntoID != nil:
		return fmt.Errorf("models: improvement %d was merged into %d: %w", id, *imp.MergedIntoID, models.ErrNotAllowed)
	default:
		return fmt.Errorf("models: a %s item in %s cannot be claimed; only queued or in-progress quick wins: %w",
			imp.Track, imp.Status, models.ErrNotAllowed)
	}
}

// StartQuickWin moves a queued quick win to in progress and makes the starter its
// holder when nobody holds it yet. An item someone else holds is not taken from them.
func (s *Store) StartQuickWin(ctx context.Context, id int64, version int, by *models.User) (*models.Improvement, error) {
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		var cur models.Improvement
		if err := tx.Preload("Assignee").Take(&cur, id).Error; err != nil {
			return notFound(err)
		}
		if cur.AssigneeID != nil && (by == nil || *cur.AssigneeID != by.ID) {
			holder := "someone else"
			if cur.Assignee != nil {
				holder = cur.Assignee.Name
			}
			return &models.ClaimedError{ID: id, Holder: holder}
		}
		if _, err := s.applyTransition(tx, id, models.TransitionInput{To: models.StatusInProgress, Version: version}, by); err != nil {
			return err
		}
		if cur.AssigneeID == nil {
			if err := tx.Model(&models.Improvement{}).Where("id = ?", id).Update("assignee_id", by.ID).Error; err != nil {
				return err
			}
			return record(tx, s.now(), "improvement", id, by, "claimed", "assignee", "", by.Name, "")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ImprovementByID(ctx, id)
}

// ImplementedForAmbassador lists the implemented improvements linked to feedback the
// user logged, most recently implemented first: "your customers' feedback led to this".
// It is on every ambassador's home page and walks all the feedback they ever logged,
// so it is kept until an improvement or a link to one is written (cachedByTables): of
// the feedback it reads only who logged it, which no write changes, and new feedback
// has no link until one is written.
func (s *Store) ImplementedForAmbassador(ctx context.Context, userID int64, limit int) ([]models.LedTo, error) {
	limit = clampLimit(limit, 5)
	key := fmt.Sprintf("led to %d %d", userID, limit)
	return cachedByTables(ctx, s, key, ledToTables, func(ctx context.Context) ([]models.LedTo, error) {
		return s.implementedForAmbassador(ctx, userID, limit)
	})
}

// ledToTables are the tables whose writes change what an ambassador's feedback led to.
var ledToTables = []string{"improvements", "improvement_feedback"}

func (s *Store) implementedForAmbassador(ctx context.Context, userID int64, limit int) ([]models.LedTo, error) {
	out := []models.LedTo{}
	// Start from the ambassador's own feedback (an index range) and its few links. SQLite
	// otherwise started from every implemented improvement and read a feedback row per
	// link: 0.2 s on a million rows instead of 6 ms. CROSS JOIN is how SQLite is told
	// the order; PostgreSQL plans it from its statistics.
	join := "JOIN"
	if s.dialect == SQLite {
		join = "CROSS JOIN"
	}
	err := s.r.WithContext(ctx).Raw(`SELECT i.id, i.title, i.implemented_at,
		COALESCE(i.resolution_note, '') AS resolution_note, COUNT(*) AS customers
		FROM feedback f
		`+join+` improvement_feedback l ON l.feedback_id = f.id
		`+join+` improvements i ON i.id = l.improvement_id
		WHERE i.status = ? AND i.merged_into_id IS NULL AND i.implemented_at IS NOT NULL AND f.logged_by_id = ?
		GROUP BY i.id, i.title, i.implemented_at, i.resolution_note
		ORDER BY i.implemented_at DESC, i.id DESC LIMIT ?`, models.StatusImplemented, userID, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: implemented for ambassador %d: %w", userID, err)
	}
	return out, nil
}
