package store

import (
	"context"
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

// History lists the entries of one record, oldest first, with who made them.
func (s *Store) History(ctx context.Context, entity string, id int64) ([]models.HistoryEntry, error) {
	var out []models.HistoryEntry
	err := s.r.WithContext(ctx).Preload("User").Where("entity = ? AND entity_id = ?", entity, id).
		Order("id").Find(&out).Error
	return out, err
}
