package models

import (
	"time"
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
