package store

import (
	"context"
	"fmt"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

func fmtOpt[T int | models.Money](v *T) string {
	if v == nil {
		return ""
	}
	// Money prints as plain kroner ("250.50"), the form history keeps amounts in.
	return fmt.Sprint(*v)
}

// SetSavings stores an improvement's savings, recording each changed value, based on
// the version the user saw.
func (s *Store) SetSavings(ctx context.Context, id int64, version int, sv models.Savings, by *models.User) error {
	if v := sv.Validate(); v != nil {
		return v
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var imp models.Improvement
		if err := tx.Take(&imp, id).Error; err != nil {
			return notFound(err)
		}
		if imp.Version != version {
			return fmt.Errorf("models: improvement %d changed since you loaded it: %w", id, models.ErrConflict)
		}
		now := s.now()
		res := tx.Model(&models.Improvement{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"savings_estimated_kr": sv.EstimatedKr, "savings_realised_kr": sv.RealisedKr,
			"hours_estimated": sv.EstimatedHours, "hours_realised": sv.RealisedHours,
			"version": version + 1, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("models: savings of %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("models: improvement %d changed meanwhile: %w", id, models.ErrConflict)
		}
		for _, c := range []struct{ field, from, to string }{
			{"savings_estimated_kr", fmtOpt(imp.SavingsEstimatedKr), fmtOpt(sv.EstimatedKr)},
			{"savings_realised_kr", fmtOpt(imp.SavingsRealisedKr), fmtOpt(sv.RealisedKr)},
			{"hours_estimated", fmtOpt(imp.HoursEstimated), fmtOpt(sv.EstimatedHours)},
			{"hours_realised", fmtOpt(imp.HoursRealised), fmtOpt(sv.RealisedHours)},
		} {
			if c.from != c.to {
				if err := record(tx, now, "improvement", id, by, "updated", c.field, c.from, c.to, ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SavingsImplemented sums the savings of the improvements implemented in [from, to),
// from the partial index on implemented_at.
func (s *Store) SavingsImplemented(ctx context.Context, from, to time.Time) (models.SavingsTotals, error) {
	var t models.SavingsTotals
	err := s.r.WithContext(ctx).Raw(`SELECT COALESCE(SUM(savings_estimated_kr), 0) AS estimated_kr,
		COALESCE(SUM(savings_realised_kr), 0) AS realised_kr, COALESCE(SUM(hours_estimated), 0) AS estimated_hours,
		COALESCE(SUM(hours_realised), 0) AS realised_hours,
		COUNT(CASE WHEN savings_estimated_kr IS NOT NULL OR savings_realised_kr IS NOT NULL
			OR hours_estimated IS NOT NULL OR hours_realised IS NOT NULL THEN 1 END) AS improvements
		FROM improvements WHERE implemented_at >= ? AND implemented_at < ? AND status = ? AND merged_into_id IS NULL`,
		from.UTC(), to.UTC(), models.StatusImplemented).Scan(&t).Error
	if err != nil {
		return t, fmt.Errorf("models: savings: %w", err)
	}
	return t, nil
}
