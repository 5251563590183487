package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// record appends one history entry inside the caller's transaction.
func record(tx *gorm.DB, at time.Time, entity string, id int64, by *models.User, action, field, from, to, note string) error {
	e := models.HistoryEntry{Entity: entity, EntityID: id, Action: action, Field: field,
		FromValue: from, ToValue: to, Note: note, CreatedAt: at}
	if by != nil {
		e.UserID = &by.ID
	}
	return tx.Create(&e).Error
}

// History lists the entries of one record, oldest first, with who made them: their
// id, name and e-mail address only (User is nil for the system's entries).
//
// The API's improvement reads it on every call (the soak's most frequent request), so
// it is one statement scanned by hand: GORM's preload took two, through reflection.
func (s *Store) History(ctx context.Context, entity string, id int64) ([]models.HistoryEntry, error) {
	out, err := s.historyEntries(ctx, "h.entity = ? AND h.entity_id = ? ORDER BY h.id", entity, id)
	if err != nil {
		return nil, fmt.Errorf("models: history of %s %d: %w", entity, id, err)
	}
	return out, nil
}

// historyEntries reads the history entries that cond (a condition on history h, with
// its order and limit, written in code) selects, each with its author's id, name and
// e-mail address, in one statement.
func (s *Store) historyEntries(ctx context.Context, cond string, args ...any) ([]models.HistoryEntry, error) {
	rows, err := s.r.WithContext(ctx).Raw(`SELECT h.id, h.entity, h.entity_id, h.user_id, h.action, h.field, h.from_value,
		h.to_value, h.note, h.created_at, u.name, u.email FROM history h LEFT JOIN users u ON u.id = h.user_id
		WHERE `+cond, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []models.HistoryEntry
	for rows.Next() {
		var e models.HistoryEntry
		var name, email sql.NullString
		if err := rows.Scan(&e.ID, &e.Entity, &e.EntityID, &e.UserID, &e.Action, &e.Field, &e.FromValue, &e.ToValue,
			&e.Note, &e.CreatedAt, &name, &email); err != nil {
			return nil, err
		}
		if e.UserID != nil && name.Valid {
			e.User = &models.User{ID: *e.UserID, Name: name.String, Email: email.String}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
