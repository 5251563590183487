package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// triageColumns selects a TriageItem from feedback f with its reference names.
const triageColumns = `SELECT f.id, f.received_at, f.comment, f.nps, COALESCE(f.nps_group, '') AS nps_group,
	f.triage_status, COALESCE(c.name, '') AS channel_name, COALESCE(b.name, '') AS branch_name,
	COALESCE(t.name, '') AS touchpoint_name
	FROM feedback f
	LEFT JOIN channels c ON c.id = f.channel_id
	LEFT JOIN branches b ON b.id = f.branch_id
	LEFT JOIN touchpoints t ON t.id = f.touchpoint_id`

// maxListPage is the largest page the triage and improvement lists return.
const maxListPage = 500

// clampLimit keeps a requested page size within 1..maxListPage, defaulting to def.
func clampLimit(limit, def int) int {
	if limit <= 0 {
		return def
	}
	return min(limit, maxListPage)
}

// UntriagedFeedback lists feedback nobody has triaged yet, oldest first, so that no
// customer waits longer than the next. It is keyset-paginated on (received_at, id), the
// order of the feedback_triage index; cursor is the previous page's next cursor.
func (s *Store) UntriagedFeedback(ctx context.Context, cursor string, limit int) ([]models.TriageItem, string, error) {
	limit = clampLimit(limit, 50)
	q := triageColumns + ` WHERE f.triage_status = ?`
	args := []any{models.TriageNew}
	if cursor != "" {
		at, id, err := decodeTimeCursor(cursor)
		if err != nil {
			return nil, "", models.Invalid("cursor", "invalid")
		}
		// The first term bounds the index range; the second, on each row, breaks ties.
		q += ` AND f.received_at >= ? AND (` + s.perRow("f.received_at") + ` > ? OR f.id > ?)`
		args = append(args, at, at, id)
	}
	q += ` ORDER BY f.received_at, f.id LIMIT ?`
	args = append(args, limit+1)
	var out []models.TriageItem
	if err := s.r.WithContext(ctx).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, "", fmt.Errorf("models: untriaged feedback: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[len(out)-1]
		next = encodeTimeCursor(last.ReceivedAt, last.ID)
	}
	return out, next, nil
}

// FeedbackForTriage loads the selected feedback, whatever its triage status, in the
// order it was received, for the forms that act on a selection.
func (s *Store) FeedbackForTriage(ctx context.Context, ids []int64) ([]models.TriageItem, error) {
	ids = models.UniqueIDs(ids)
	out := []models.TriageItem{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.r.WithContext(ctx).Raw(triageColumns+` WHERE f.id IN ? ORDER BY f.received_at, f.id`, ids).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: selected feedback: %w", err)
	}
	return out, nil
}

// CloseNoAction closes untriaged feedback as needing no improvement, with the reason
// recorded on each item. Feedback someone triaged meanwhile is left as it is; the count
// of closed items is returned.
func (s *Store) CloseNoAction(ctx context.Context, ids []int64, reason string, by *models.User) (int, error) {
	ids = models.UniqueIDs(ids)
	reason = strings.TrimSpace(reason)
	f := map[string]string{}
	if len(ids) == 0 {
		f["feedback"] = "select_feedback"
	}
	if reason == "" {
		f["reason"] = "required"
	} else if len(reason) > 1000 {
		f["reason"] = "too_long"
	}
	if len(f) > 0 {
		return 0, &models.ValidationError{Fields: f}
	}
	closed := 0
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		var open []int64
		if err := tx.Table("feedback").Where("id IN ? AND triage_status = ?", ids, models.TriageNew).
			Order("id").Pluck("id", &open).Error; err != nil {
			return err
		}
		if len(open) == 0 {
			return nil
		}
		now := s.now()
		err := tx.Table("feedback").Where("id IN ? AND triage_status = ?", open, models.TriageNew).
			Updates(map[string]any{"triage_status": models.TriageNoAction, "triage_reason": reason, "updated_at": now}).Error
		if err != nil {
			return err
		}
		for _, id := range open {
			if err := record(tx, now, "feedback", id, by, "no_action", "triage_status", models.TriageNew, models.TriageNoAction, reason); err != nil {
				return err
			}
		}
		closed = len(open)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("models: close feedback without action: %w", err)
	}
	return closed, nil
}

// SearchImprovements finds improvements still open for linking (not merged, not
// rejected) whose title contains q, highest priority first. An empty q lists the
// highest-priority open ones, so the search box is useful before typing.
func (s *Store) SearchImprovements(ctx context.Context, q string, limit int) ([]models.ImprovementHit, error) {
	limit = clampLimit(limit, 20)
	db := s.r.WithContext(ctx).Model(&models.Improvement{}).
		Select("id, title, track, status, priority").
		Where("merged_into_id IS NULL AND status <> ?", models.StatusRejected)
	if q = strings.TrimSpace(q); q != "" {
		db = db.Where("LOWER(title) LIKE ? ESCAPE '\\'", "%"+models.EscapeLike(strings.ToLower(q))+"%")
	}
	var out []models.ImprovementHit
	if err := db.Order("priority DESC, id").Limit(limit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("models: search improvements: %w", err)
	}
	return out, nil
}

// encodeTimeCursor makes an opaque cursor from a sort time and an id.
func encodeTimeCursor(at time.Time, id int64) string {
	raw := strconv.FormatInt(at.UTC().UnixNano(), 10) + "." + strconv.FormatInt(id, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeTimeCursor(c string) (time.Time, int64, error) {
	a, b, err := decodePairCursor(c)
	if err != nil {
		return time.Time{}, 0, err
	}
	return time.Unix(0, a).UTC(), b, nil
}

// encodePairCursor makes an opaque cursor from a sort key and an id.
func encodePairCursor(key, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(key, 10) + "." + strconv.FormatInt(id, 10)))
}

func decodePairCursor(c string) (int64, int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, err
	}
	x, y, ok := strings.Cut(string(raw), ".")
	if !ok {
		return 0, 0, fmt.Errorf("models: bad cursor")
	}
	a, err := strconv.ParseInt(x, 10, 64)
	if err != nil {
		return 0, 0, err
	}
	b, err := strconv.ParseInt(y, 10, 64)
	if err != nil {
		return 0, 0, err
	}
	return a, b, nil
}
