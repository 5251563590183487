package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// CreateMeeting stores a planned meeting with its attendees, and builds its agenda from
// the review queue, highest priority first, in the same transaction.
func (s *Store) CreateMeeting(ctx context.Context, n models.NewMeeting, by *models.User) (*models.Meeting, error) {
	if v := n.Validate(); v != nil {
		return nil, v
	}
	members, err := s.UsersWithRole(ctx, models.RoleSteering)
	if err != nil {
		return nil, err
	}
	attendees := models.UniqueIDs(n.AttendeeIDs)
	for _, id := range attendees {
		if !slices.ContainsFunc(members, func(u models.User) bool { return u.ID == id }) {
			return nil, models.Invalid("attendees", "invalid_choice")
		}
	}
	now := s.now()
	m := &models.Meeting{HeldOn: *n.HeldOn, Title: strings.TrimSpace(n.Title), Status: models.MeetingPlanned,
		CreatedAt: now, UpdatedAt: now}
	if by != nil {
		m.CreatedByID = &by.ID
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("Attendees", "Items").Create(m).Error; err != nil {
			return err
		}
		for _, uid := range attendees {
			if err := tx.Exec(`INSERT INTO meeting_attendees (meeting_id, user_id) VALUES (?, ?)`, m.ID, uid).Error; err != nil {
				return err
			}
		}
		items, err := addReviewItems(tx, m.ID)
		if err != nil {
			return err
		}
		m.Items = items
		return record(tx, now, "meeting", m.ID, by, "created", "held_on", "", m.HeldOn.Format(time.DateOnly), m.Title)
	})
	if err != nil {
		return nil, fmt.Errorf("models: create meeting: %w", err)
	}
	return m, nil
}

// addReviewItems appends every item in review that is not yet on the meeting's agenda,
// highest priority first, after the items already there. It returns the items added.
func addReviewItems(tx *gorm.DB, meetingID int64) ([]models.AgendaItem, error) {
	var ids []int64
	err := tx.Model(&models.Improvement{}).
		Where("status = ? AND merged_into_id IS NULL", models.StatusReview).
		Where("id NOT IN (SELECT improvement_id FROM agenda_items WHERE meeting_id = ?)", meetingID).
		Order("priority DESC, id").Pluck("id", &ids).Error
	if err != nil {
		return nil, err
	}
	var last struct{ Max int }
	if err := tx.Raw(`SELECT COALESCE(MAX(position), 0) AS max FROM agenda_items WHERE meeting_id = ?`, meetingID).
		Scan(&last).Error; err != nil {
		return nil, err
	}
	items := make([]models.AgendaItem, 0, len(ids))
	for i, id := range ids {
		item := models.AgendaItem{MeetingID: meetingID, ImprovementID: id, Position: last.Max + i + 1}
		if err := tx.Omit("Improvement", "DecidedBy").Create(&item).Error; err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	return items, nil
}

// preloadMeeting loads a meeting's attendees and its agenda in position order, each
// item with its improvement's names and who decided it: a fixed number of queries.
func preloadMeeting(db *gorm.DB) *gorm.DB {
	return db.Preload("Attendees", func(db *gorm.DB) *gorm.DB { return db.Order("name, id") }).
		Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Preload("Items.Improvement").
		Preload("Items.Improvement.Owner").
		Preload("Items.Improvement.Category", func(db *gorm.DB) *gorm.DB { return db.Table("categories") }).
		Preload("Items.Improvement.FunctionalArea", func(db *gorm.DB) *gorm.DB { return db.Table("functional_areas") }).
		Preload("Items.DecidedBy")
}

// MeetingByID loads a meeting with its attendees and agenda.
func (s *Store) MeetingByID(ctx context.Context, id int64) (*models.Meeting, error) {
	var m models.Meeting
	if err := preloadMeeting(s.r.WithContext(ctx)).Take(&m, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}

// Meetings lists the most recent meetings, newest first, with how many of their agenda
// items were decided. A steering group meets a few times a year, so limit bounds a
// list that stays short.
func (s *Store) Meetings(ctx context.Context, limit int) ([]models.MeetingSummary, error) {
	var out []models.MeetingSummary
	err := s.r.WithContext(ctx).Raw(`SELECT m.id, m.held_on, m.title, m.status,
		COUNT(a.id) AS items, COUNT(a.decision) AS decided
		FROM meetings m LEFT JOIN agenda_items a ON a.meeting_id = m.id
		GROUP BY m.id, m.held_on, m.title, m.status
		ORDER BY m.held_on DESC, m.id DESC LIMIT ?`, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list meetings: %w", err)
	}
	return out, nil
}

// plannedMeeting loads a meeting inside a transaction and refuses a closed one.
func plannedMeeting(tx *gorm.DB, id int64) (*models.Meeting, error) {
	var m models.Meeting
	if err := tx.Take(&m, id).Error; err != nil {
		return nil, notFound(err)
	}
	if m.Status != models.MeetingPlanned {
		return nil, fmt.Errorf("models: meeting %d is closed: %w", id, models.ErrNotAllowed)
	}
	return &m, nil
}

// RefreshAgenda adds to a planned meeting the items that entered review since its
// agenda was built (new ones, and deferred ones that came back). It returns how many.
func (s *Store) RefreshAgenda(ctx context.Context, meetingID int64, by *models.User) (int, error) {
	added := 0
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := plannedMeeting(tx, meetingID); err != nil {
			return err
		}
		items, err := addReviewItems(tx, meetingID)
		if added = len(items); err != nil || added == 0 {
			return err
		}
		return record(tx, s.now(), "meeting", meetingID, by, "agenda_refreshed", "items", "", fmt.Sprint(added), "")
	})
	if err != nil {
		return 0, fmt.Errorf("models: refresh agenda %d: %w", meetingID, err)
	}
	return added, nil
}

// agendaOf loads a meeting's items in order inside a transaction.
func agendaOf(tx *gorm.DB, meetingID int64) ([]models.AgendaItem, error) {
	var items []models.AgendaItem
	err := tx.Where("meeting_id = ?", meetingID).Order("position, id").Find(&items).Error
	return items, err
}

// MoveAgendaItem moves an item one place up (delta -1) or down (+1) on a planned
// meeting's agenda. Moving past either end changes nothing.
func (s *Store) MoveAgendaItem(ctx context.Context, meetingID, itemID int64, delta int, by *models.User) error {
	if delta != -1 && delta != 1 {
		return models.Invalid("direction", "invalid_choice")
	}
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := plannedMeeting(tx, meetingID); err != nil {
			return err
		}
		items, err := agendaOf(tx, meetingID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(items, func(a models.AgendaItem) bool { return a.ID == itemID })
		if i < 0 {
			return models.ErrNotFound
		}
		j := i + delta
		if j < 0 || j >= len(items) {
			return nil
		}
		items[i], items[j] = items[j], items[i]
		// Renumber the whole agenda, so positions stay 1..n whatever happened before.
		for k, it := range items {
			if it.Position == k+1 {
				continue
			}
			if err := tx.Model(&models.AgendaItem{}).Where("id = ?", it.ID).Update("position", k+1).Error; err != nil {
				return err
			}
		}
		return record(tx, s.now(), "meeting", meetingID, by, "agenda_moved", "position",
			fmt.Sprint(i+1), fmt.Sprint(j+1), fmt.Sprint(items[j].ImprovementID))
	})
	if err != nil {
		return fmt.Errorf("models: move agenda item %d: %w", itemID, err)
	}
	return nil
}

// RemoveAgendaItem takes an undecided item off a planned meeting's agenda; the
// improvement stays in review for a later meeting.
func (s *Store) RemoveAgendaItem(ctx context.Context, meetingID, itemID int64, by *models.User) error {
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := plannedMeeting(tx, meetingID); err != nil {
			return err
		}
		var it models.AgendaItem
		if err := tx.Where("id = ? AND meeting_id = ?", itemID, meetingID).Take(&it).Error; err != nil {
			return notFound(err)
		}
		if it.Decision != nil {
			return fmt.Errorf("models: agenda item %d is decided: %w", itemID, models.ErrNotAllowed)
		}
		if err := tx.Delete(&models.AgendaItem{}, it.ID).Error; err != nil {
			return err
		}
		return record(tx, s.now(), "meeting", meetingID, by, "agenda_removed", "improvement",
			fmt.Sprint(it.ImprovementID), "", "")
	})
	if err != nil {
		return fmt.Errorf("models: remove agenda item %d: %w", itemID, err)
	}
	return nil
}

// CloseMeeting ends a meeting: its agenda and decisions are final, and the items it
// did not reach stay in review for the next one.
func (s *Store) CloseMeeting(ctx context.Context, meetingID int64, by *models.User) error {
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := plannedMeeting(tx, meetingID); err != nil {
			return err
		}
		now := s.now()
		if err := tx.Model(&models.Meeting{}).Where("id = ?", meetingID).
			Updates(map[string]any{"status": models.MeetingClosed, "updated_at": now}).Error; err != nil {
			return err
		}
		return record(tx, now, "meeting", meetingID, by, "closed", "status", string(models.MeetingPlanned), string(models.MeetingClosed), "")
	})
	if err != nil {
		return fmt.Errorf("models: close meeting %d: %w", meetingID, err)
	}
	return nil
}

// DecideItem applies one decision: the improvement's transition (with its version
// check and history) and the decision on the agenda item, in one transaction, so a
// decision is never recorded without its move or the reverse. Problems with the input
// come back as a ValidationError naming each field (owner, functional_area,
// target_date, reason, defer_until, decision).
func (s *Store) DecideItem(ctx context.Context, meetingID int64, d models.Decision, by *models.User) error {
	if !slices.Contains(models.DecisionStatuses(), d.To) {
		return models.Invalid("decision", "invalid_choice")
	}
	refs := s.checkDecisionRefs(ctx, d)
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := plannedMeeting(tx, meetingID); err != nil {
			return err
		}
		var it models.AgendaItem
		if err := tx.Where("id = ? AND meeting_id = ?", d.ItemID, meetingID).Take(&it).Error; err != nil {
			return notFound(err)
		}
		if it.Decision != nil {
			return fmt.Errorf("models: agenda item %d is already decided: %w", it.ID, models.ErrNotAllowed)
		}
		in := models.TransitionInput{To: d.To, Version: d.Version, Reason: d.Reason, OwnerID: d.OwnerID,
			FunctionalAreaID: d.FunctionalAreaID, TargetDate: d.TargetDate, DeferUntil: d.DeferUntil}
		// An unknown owner or area is left out, so the transition names it as missing
		// (and any other gap with it) instead of failing on the foreign key.
		if refs["owner"] != "" {
			in.OwnerID = nil
		}
		if refs["functional_area"] != "" {
			in.FunctionalAreaID = nil
		}
		_, err := s.applyTransition(tx, it.ImprovementID, in, by)
		var ve *models.ValidationError
		switch {
		case errors.As(err, &ve):
			for k, v := range refs {
				ve.Fields[k] = v
			}
			return ve
		case err != nil:
			return err
		case len(refs) > 0:
			return &models.ValidationError{Fields: refs}
		}
		now := s.now()
		updates := map[string]any{"decision": d.To, "rationale": strings.TrimSpace(d.Rationale), "decided_at": now}
		if by != nil {
			updates["decided_by_id"] = by.ID
		}
		res := tx.Model(&models.AgendaItem{}).Where("id = ? AND decision IS NULL", it.ID).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrConflict
		}
		if err := record(tx, now, "improvement", it.ImprovementID, by, "meeting_decision", "meeting", "",
			fmt.Sprint(meetingID), strings.TrimSpace(d.Rationale)); err != nil {
			return err
		}
		return record(tx, now, "meeting", meetingID, by, "decided", "improvement", fmt.Sprint(it.ImprovementID),
			string(d.To), strings.TrimSpace(d.Rationale))
	})
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return ve
	}
	if err != nil {
		return fmt.Errorf("models: decide agenda item %d: %w", d.ItemID, err)
	}
	return nil
}

// checkDecisionRefs names an owner who is not an active user and a functional area
// that is not active: the transition only checks that they are given.
func (s *Store) checkDecisionRefs(ctx context.Context, d models.Decision) map[string]string {
	f := map[string]string{}
	if d.To != models.StatusApproved {
		return f
	}
	db := s.r.WithContext(ctx)
	if d.OwnerID != nil {
		var n int64
		if db.Model(&models.User{}).Where("id = ? AND active", *d.OwnerID).Count(&n); n == 0 {
			f["owner"] = "invalid_choice"
		}
	}
	if d.FunctionalAreaID != nil {
		var n int64
		if db.Table(string(models.RefFunctionalAreas)).Where("id = ? AND active", *d.FunctionalAreaID).Count(&n); n == 0 {
			f["functional_area"] = "invalid_choice"
		}
	}
	return f
}

// DecideItems applies several decisions of one meeting, each in its own transaction,
// so one item's problem never loses the others. It returns the error of each item that
// was refused; the items not in the result were applied.
func (s *Store) DecideItems(ctx context.Context, meetingID int64, ds []models.Decision, by *models.User) map[int64]error {
	failed := map[int64]error{}
	for _, d := range ds {
		if err := s.DecideItem(ctx, meetingID, d, by); err != nil {
			failed[d.ItemID] = err
		}
	}
	return failed
}
