package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// setting is one key of the admin's configuration.
type setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (setting) TableName() string { return "settings" }

func (s *Store) getSetting(ctx context.Context, key string) (string, bool, error) {
	var row setting
	err := s.r.WithContext(ctx).Where("key = ?", key).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", false, nil
	}
	return row.Value, err == nil, err
}

func (s *Store) putSetting(ctx context.Context, key, value string, by *models.User) error {
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var old setting
		_ = tx.Where("key = ?", key).Take(&old).Error
		row := setting{Key: key, Value: value, UpdatedAt: s.now()}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}},
			DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).Create(&row).Error; err != nil {
			return fmt.Errorf("models: save setting %s: %w", key, err)
		}
		return record(tx, s.now(), "settings", 0, by, "updated", key, old.Value, value, "")
	})
}

// RoutingThreshold is the largest effort routed to the quick-win team by default.
func (s *Store) RoutingThreshold(ctx context.Context) (models.Effort, error) {
	v, ok, err := s.getSetting(ctx, models.SettingRoutingThreshold)
	if err != nil || !ok {
		return models.DefaultRoutingThreshold, err
	}
	if e, ok := models.ParseEffort(v); ok {
		return e, nil
	}
	return models.DefaultRoutingThreshold, nil
}

// SetRoutingThreshold changes the routing rule.
func (s *Store) SetRoutingThreshold(ctx context.Context, e models.Effort, by *models.User) error {
	if e.Rank() == 0 {
		return models.Invalid("threshold", "invalid_choice")
	}
	return s.putSetting(ctx, models.SettingRoutingThreshold, string(e), by)
}

// RetentionDays is how long customers' personal data is kept (0 = kept until erased).
func (s *Store) RetentionDays(ctx context.Context) (int, error) {
	v, ok, err := s.getSetting(ctx, models.SettingRetentionDays)
	if err != nil || !ok {
		return 0, err
	}
	n, _ := strconv.Atoi(v)
	return n, nil
}

// SetRetentionDays changes the retention period.
func (s *Store) SetRetentionDays(ctx context.Context, days int, by *models.User) error {
	if days < 0 || days > 36500 {
		return models.Invalid("retention_days", "out_of_range")
	}
	return s.putSetting(ctx, models.SettingRetentionDays, strconv.Itoa(days), by)
}
