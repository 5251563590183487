package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// preloadImprovement loads the owner and assignee with improvements; their category
// and functional area come from the kept reference lists (fillImprovementRefs), which
// saves two statements per improvement read.
func preloadImprovement(db *gorm.DB) *gorm.DB {
	return db.Preload("Owner").Preload("Assignee")
}

// fillImprovementRefs sets each improvement's category and functional area.
func (s *Store) fillImprovementRefs(ctx context.Context, imps []*models.Improvement) error {
	if len(imps) == 0 {
		return nil
	}
	idx, err := s.loadRefIndex(ctx, models.RefCategories, models.RefFunctionalAreas)
	if err != nil {
		return fmt.Errorf("models: load reference: %w", err)
	}
	for _, imp := range imps {
		imp.Category = idx.get(models.RefCategories, imp.CategoryID)
		imp.FunctionalArea = idx.get(models.RefFunctionalAreas, imp.FunctionalAreaID)
	}
	return nil
}

// CreateImprovement stores an improvement, routes it, and links its feedback (which
// thereby counts as triaged).
func (s *Store) CreateImprovement(ctx context.Context, n models.NewImprovement, by *models.User) (*models.Improvement, error) {
	if v := n.Validate(); v != nil {
		return nil, v
	}
	threshold, err := s.RoutingThreshold(ctx)
	if err != nil {
		return nil, err
	}
	track, suggested, verr := models.Route(n.Effort, threshold, n.Track, n.TrackReason)
	if verr != nil {
		return nil, verr
	}
	now := s.now()
	imp := &models.Improvement{Title: strings.TrimSpace(n.Title), Description: strings.TrimSpace(n.Description),
		CategoryID: n.CategoryID, Impact: n.Impact, Effort: n.Effort, Priority: models.Priority(n.Impact, n.Effort),
		Track: track, SuggestedTrack: suggested, Status: models.InitialStatus(track), StatusChangedAt: now,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if track != suggested {
		reason := strings.TrimSpace(n.TrackReason)
		imp.TrackReason = &reason
	}
	if by != nil {
		imp.CreatedByID = &by.ID
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("Category", "FunctionalArea", "Owner", "Assignee").Create(imp).Error; err != nil {
			return err
		}
		note := ""
		if imp.TrackReason != nil {
			note = *imp.TrackReason
		}
		if err := record(tx, now, "improvement", imp.ID, by, "created", "track", string(suggested), string(track), note); err != nil {
			return err
		}
		return linkFeedback(tx, now, imp, n.FeedbackIDs, by)
	})
	if err != nil {
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			return nil, ve
		}
		return nil, fmt.Errorf("models: create improvement: %w", err)
	}
	return imp, nil
}

// linkFeedback links feedback to an improvement, marks it triaged and, where the
// feedback has no category yet, gives it the improvement's, so reports can name it.
func linkFeedback(tx *gorm.DB, now time.Time, imp *models.Improvement, ids []int64, by *models.User) error {
	ids = models.UniqueIDs(ids)
	if len(ids) == 0 {
		return nil
	}
	var found int64
	if err := tx.Table("feedback").Where("id IN ?", ids).Count(&found).Error; err != nil {
		return err
	}
	if int(found) != len(ids) {
		return models.Invalid("feedback_ids", "unknown_feedback")
	}
	for _, fid := range ids {
		res := tx.Exec(`INSERT INTO improvement_feedback (improvement_id, feedback_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, imp.ID, fid, now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			continue
		}
		if err := record(tx, now, "improvement", imp.ID, by, "linked", "feedback", "", fmt.Sprint(fid), ""); err != nil {
			return err
		}
		if err := record(tx, now, "feedback", fid, by, "linked", "improvement", "", fmt.Sprint(imp.ID), ""); err != nil {
			return err
		}
	}
	updates := map[string]any{"triage_status": models.TriageLinked, "updated_at": now}
	if err := tx.Table("feedback").Where("id IN ?", ids).Updates(updates).Error; err != nil {
		return err
	}
	if imp.CategoryID != nil {
		return tx.Table("feedback").Where("id IN ? AND category_id IS NULL", ids).
			Update("category_id", *imp.CategoryID).Error
	}
	return nil
}

// LinkFeedback links more feedback to an existing improvement.
func (s *Store) LinkFeedback(ctx context.Context, improvementID int64, feedbackIDs []int64, by *models.User) error {
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var imp models.Improvement
		if err := tx.Take(&imp, improvementID).Error; err != nil {
			return notFound(err)
		}
		if imp.MergedIntoID != nil {
			return fmt.Errorf("models: improvement %d was merged into %d: %w", imp.ID, *imp.MergedIntoID, models.ErrNotAllowed)
		}
		return linkFeedback(tx, s.now(), &imp, feedbackIDs, by)
	})
}

// ImprovementByID loads an improvement with its category, area, owner and holder.
// A merged improvement is returned as it is; callers follow MergedIntoID.
func (s *Store) ImprovementByID(ctx context.Context, id int64) (*models.Improvement, error) {
	var imp models.Improvement
	if err := preloadImprovement(s.r.WithContext(ctx)).Take(&imp, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &imp, s.fillImprovementRefs(ctx, []*models.Improvement{&imp})
}

// LinkedFeedbackIDs returns the ids of the feedback linked to an improvement.
func (s *Store) LinkedFeedbackIDs(ctx context.Context, id int64) ([]int64, error) {
	ids := []int64{}
	err := s.r.WithContext(ctx).Table("improvement_feedback").Where("improvement_id = ?", id).
		Order("feedback_id").Pluck("feedback_id", &ids).Error
	return ids, err
}

// checkNeeds names each missing piece a transition requires.
func checkNeeds(t models.Transition, in models.TransitionInput, today time.Time) *models.ValidationError {
	f := map[string]string{}
	if t.Needs.Reason && strings.TrimSpace(in.Reason) == "" {
		f["reason"] = "required"
	}
	if t.Needs.Note && strings.TrimSpace(in.Note) == "" {
		f["note"] = "required"
	}
	if t.Needs.Approval {
		if in.OwnerID == nil {
			f["owner"] = "required"
		}
		if in.FunctionalAreaID == nil {
			f["functional_area"] = "required"
		}
		if in.TargetDate == nil {
			f["target_date"] = "required"
		}
	}
	if in.To == models.StatusImplemented && in.ImplementedOn != nil && in.ImplementedOn.After(today) {
		f["implemented_on"] = "in_future"
	}
	if t.Needs.DeferDate {
		if in.DeferUntil == nil {
			f["defer_until"] = "required"
		} else if !in.DeferUntil.After(today) {
			f["defer_until"] = "must_be_future"
		}
	}
	if len(f) > 0 {
		return &models.ValidationError{Fields: f}
	}
	return nil
}

// TransitionImprovement applies one move of the transition table. It is refused with
// ErrConflict when the improvement changed since the user's version, ErrNotAllowed
// when the move is not in the table, ErrForbidden when the user's roles may not make
// it, and a ValidationError when the move lacks what it needs.
func (s *Store) TransitionImprovement(ctx context.Context, id int64, in models.TransitionInput, by *models.User) (*models.Improvement, error) {
	var out *models.Improvement
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		imp, err := s.applyTransition(tx, id, in, by)
		out = imp
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.ImprovementByID(ctx, out.ID)
}

// applyTransition is TransitionImprovement inside a caller's transaction, so a meeting
// can record its decision and the move together.
func (s *Store) applyTransition(tx *gorm.DB, id int64, in models.TransitionInput, by *models.User) (*models.Improvement, error) {
	var imp models.Improvement
	if err := tx.Take(&imp, id).Error; err != nil {
		return nil, notFound(err)
	}
	if imp.MergedIntoID != nil {
		return nil, fmt.Errorf("models: improvement %d was merged into %d: %w", id, *imp.MergedIntoID, models.ErrNotAllowed)
	}
	if in.Version != imp.Version {
		return nil, fmt.Errorf("models: improvement %d changed since you loaded it (version %d, now %d): %w",
			id, in.Version, imp.Version, models.ErrConflict)
	}
	t, err := models.FindTransition(imp.Track, imp.Status, in.To)
	if err != nil {
		return nil, err
	}
	if by == nil || !models.MayPerform(by.RoleList(), t) {
		return nil, fmt.Errorf("models: your roles may not %s a %s item: %w", t.Action, imp.Track, models.ErrForbidden)
	}
	if models.HolderOnly(imp.Track, imp.Status, in.To) && imp.AssigneeID != nil && *imp.AssigneeID != by.ID && !by.Has(models.RoleSteering) {
		holder := "someone else"
		var h models.User
		if tx.Select("name").Take(&h, *imp.AssigneeID).Error == nil {
			holder = h.Name
		}
		return nil, &models.ClaimedError{ID: id, Holder: holder}
	}
	now := s.now()
	if v := checkNeeds(t, in, now.In(s.Location)); v != nil {
		return nil, v
	}
	updates := transitionUpdates(t, imp, in, now)
	if in.To == models.StatusImplemented {
		updates["implemented_on"] = implementedOn(in.ImplementedOn, now, s.Location)
	}
	res := tx.Model(&models.Improvement{}).Where("id = ? AND version = ?", id, imp.Version).Updates(updates)
	if res.Error != nil {
		return nil, fmt.Errorf("models: transition improvement %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, fmt.Errorf("models: improvement %d changed meanwhile: %w", id, models.ErrConflict)
	}
	note := strings.TrimSpace(in.Reason + " " + in.Note)
	if err := record(tx, now, "improvement", id, by, t.Action, "status", string(imp.Status), string(in.To), note); err != nil {
		return nil, err
	}
	if nt := t.TargetTrack(imp.Track); nt != imp.Track {
		if err := record(tx, now, "improvement", id, by, t.Action, "track", string(imp.Track), string(nt), in.Reason); err != nil {
			return nil, err
		}
	}
	from := imp.Status
	imp.Status, imp.Track, imp.Version = in.To, t.TargetTrack(imp.Track), imp.Version+1
	if err := s.afterStatusChange(tx, now, &imp, from, by); err != nil {
		return nil, err
	}
	return &imp, nil
}

// afterStatusChange tells the proposer of an improvement (unless they moved it
// themselves) and the webhooks that its status changed, in the move's transaction.
func (s *Store) afterStatusChange(tx *gorm.DB, now time.Time, imp *models.Improvement, from models.Status, by *models.User) error {
	if imp.CreatedByID != nil && (by == nil || by.ID != *imp.CreatedByID) {
		id := imp.ID
		if err := s.notify(tx, now, models.NotifyIdea, []int64{*imp.CreatedByID}, nil, &id,
			fmt.Sprintf("%s: %s → %s", imp.Title, from, imp.Status)); err != nil {
			return err
		}
	}
	if len(s.targetsFor(models.EventImprovementStatus)) == 0 {
		return nil
	}
	return s.emitEvent(tx, now, models.EventImprovementStatus, map[string]any{"improvement": map[string]any{
		"id": imp.ID, "title": imp.Title, "track": imp.Track, "status": imp.Status, "priority": imp.Priority,
		"version": imp.Version}, "from": from, "to": imp.Status})
}

// transitionUpdates lists the columns a move changes.
func transitionUpdates(t models.Transition, imp models.Improvement, in models.TransitionInput, now time.Time) map[string]any {
	u := map[string]any{"status": in.To, "track": t.TargetTrack(imp.Track), "version": imp.Version + 1,
		"status_changed_at": now, "updated_at": now}
	switch {
	case in.To == models.StatusImplemented:
		u["implemented_at"] = now
		u["resolution_note"] = strings.TrimSpace(in.Note)
	case in.To == models.StatusRejected:
		u["reject_reason"] = strings.TrimSpace(in.Reason)
	case in.To == models.StatusApproved:
		u["owner_id"], u["functional_area_id"], u["target_date"] = *in.OwnerID, *in.FunctionalAreaID, *in.TargetDate
	case in.To == models.StatusDeferred:
		u["defer_until"] = *in.DeferUntil
	case t.Action == "hand_back":
		u["assignee_id"] = nil
	case t.Action == "escalate":
		u["assignee_id"] = nil
		u["track_reason"] = strings.TrimSpace(in.Reason)
	}
	if imp.Status == models.StatusDeferred {
		u["defer_until"] = nil
	}
	return u
}

// AddComment stores a comment or progress note and records it in the history.
func (s *Store) AddComment(ctx context.Context, improvementID int64, kind, body string, by *models.User) (*models.Comment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, models.Invalid("body", "required")
	}
	if kind != models.CommentProgress {
		kind = models.CommentRemark
	}
	c := &models.Comment{ImprovementID: improvementID, UserID: by.ID, Kind: kind, Body: body, CreatedAt: s.now()}
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Improvement{}).Where("id = ?", improvementID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.ErrNotFound
		}
		if err := tx.Omit("User").Create(c).Error; err != nil {
			return err
		}
		return record(tx, c.CreatedAt, "improvement", improvementID, by, kind, "", "", "", "")
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Comments lists an improvement's comments, oldest first, with their authors.
func (s *Store) Comments(ctx context.Context, improvementID int64) ([]models.Comment, error) {
	var out []models.Comment
	err := s.r.WithContext(ctx).Preload("User").Where("improvement_id = ?", improvementID).Order("id").Find(&out).Error
	return out, err
}
