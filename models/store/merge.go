package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// MergeImprovements folds one improvement into another: its feedback links move to the
// survivor (a customer linked to both counts once), both keep their history and each
// gets an entry naming the other, and the merged one is closed as rejected with
// merged_into_id set, so its address can lead to the survivor. An implemented item is
// not merged away, since that would silently take it off the yearly goal.
func (s *Store) MergeImprovements(ctx context.Context, in models.MergeInput, by *models.User) (*models.Improvement, error) {
	if in.SurvivorID == in.MergedID || in.SurvivorID <= 0 || in.MergedID <= 0 {
		return nil, models.Invalid("merge_id", "merge_same")
	}
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		var pair []models.Improvement
		if err := tx.Where("id IN ?", []int64{in.SurvivorID, in.MergedID}).Find(&pair).Error; err != nil {
			return err
		}
		if len(pair) != 2 {
			return models.Invalid("merge_id", "unknown_improvement")
		}
		survivor, merged := pair[0], pair[1]
		if survivor.ID != in.SurvivorID {
			survivor, merged = merged, survivor
		}
		for _, imp := range pair {
			if imp.ID == in.SeenID && imp.Version != in.SeenVersion {
				return fmt.Errorf("models: improvement %d changed since you loaded it (version %d, now %d): %w",
					imp.ID, in.SeenVersion, imp.Version, models.ErrConflict)
			}
			if imp.MergedIntoID != nil {
				return fmt.Errorf("models: improvement %d was already merged into %d: %w", imp.ID, *imp.MergedIntoID, models.ErrNotAllowed)
			}
		}
		if merged.Status == models.StatusImplemented {
			return fmt.Errorf("models: improvement %d is implemented and counts toward the goal; merge the other one into it instead: %w",
				merged.ID, models.ErrNotAllowed)
		}
		now := s.now()
		var moved []int64
		if err := tx.Table("improvement_feedback").Where("improvement_id = ?", merged.ID).
			Order("feedback_id").Pluck("feedback_id", &moved).Error; err != nil {
			return err
		}
		for _, fid := range moved {
			if err := tx.Exec(`INSERT INTO improvement_feedback (improvement_id, feedback_id, created_at) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, survivor.ID, fid, now).Error; err != nil {
				return err
			}
			if err := record(tx, now, "feedback", fid, by, "relinked", "improvement",
				strconv.FormatInt(merged.ID, 10), strconv.FormatInt(survivor.ID, 10), ""); err != nil {
				return err
			}
		}
		if err := tx.Exec(`DELETE FROM improvement_feedback WHERE improvement_id = ?`, merged.ID).Error; err != nil {
			return err
		}
		reason := fmt.Sprintf("merged into #%d %s", survivor.ID, survivor.Title)
		res := tx.Model(&models.Improvement{}).Where("id = ? AND version = ?", merged.ID, merged.Version).Updates(map[string]any{
			"merged_into_id": survivor.ID, "status": models.StatusRejected, "reject_reason": reason,
			"assignee_id": nil, "status_changed_at": now, "version": merged.Version + 1, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		res2 := tx.Model(&models.Improvement{}).Where("id = ? AND version = ?", survivor.ID, survivor.Version).
			Updates(map[string]any{"version": survivor.Version + 1, "updated_at": now})
		if res2.Error != nil {
			return res2.Error
		}
		if res.RowsAffected == 0 || res2.RowsAffected == 0 {
			return fmt.Errorf("models: improvements %d and %d changed meanwhile: %w", survivor.ID, merged.ID, models.ErrConflict)
		}
		ids := make([]string, len(moved))
		for i, id := range moved {
			ids[i] = strconv.FormatInt(id, 10)
		}
		note := ""
		if len(ids) > 0 {
			note = "feedback " + strings.Join(ids, ", ")
		}
		if err := record(tx, now, "improvement", survivor.ID, by, "merged", "improvement",
			strconv.FormatInt(merged.ID, 10), strconv.FormatInt(survivor.ID, 10), note); err != nil {
			return err
		}
		return record(tx, now, "improvement", merged.ID, by, "merged_into", "status",
			string(merged.Status), string(models.StatusRejected), reason)
	})
	if err != nil {
		return nil, err
	}
	return s.ImprovementByID(ctx, in.SurvivorID)
}

// Survivor follows merged_into_id from an improvement to the one it ended up in.
func (s *Store) Survivor(ctx context.Context, imp *models.Improvement) (int64, error) {
	id, next := imp.ID, imp.MergedIntoID
	for hops := 0; next != nil && hops < 10; hops++ {
		id = *next
		var row models.Improvement
		if err := s.r.WithContext(ctx).Select("id, merged_into_id").Take(&row, id).Error; err != nil {
			return 0, notFound(err)
		}
		next = row.MergedIntoID
	}
	return id, nil
}
