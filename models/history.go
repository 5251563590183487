package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// HistoryEntry is one recorded change: who changed what, from what, to what, when.
// Entries are only ever inserted.
type HistoryEntry struct {
	ID        int64
	Entity    string
	EntityID  int64
	UserID    *int64
	User      *User `gorm:"foreignKey:UserID"`
	Action    string
	Field     string
	FromValue string
	ToValue   string
	Note      string
	CreatedAt time.Time
}

// TableName maps HistoryEntry onto the history table.
func (HistoryEntry) TableName() string { return "history" }

// record appends one history entry inside the caller's transaction.
func record(tx *gorm.DB, at time.Time, entity string, id int64, by *User, action, field, from, to, note string) error {
	e := HistoryEntry{Entity: entity, EntityID: id, Action: action, Field: field,
		FromValue: from, ToValue: to, Note: note, CreatedAt: at}
	if by != nil {
		e.UserID = &by.ID
	}
	return tx.Create(&e).Error
}

// History lists the entries of one record, oldest first, with who made them.
func (s *Store) History(ctx context.Context, entity string, id int64) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := s.r.WithContext(ctx).Preload("User").Where("entity = ? AND entity_id = ?", entity, id).
		Order("id").Find(&out).Error
	return out, err
}
