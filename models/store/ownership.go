package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// mailTexts are the alert mails' subject and first line, per language.
var mailTexts = map[string]map[string][2]string{
	"en": {
		models.NotifyDetractor: {"An unhappy customer to call back", "A customer gave a low score and you own the call-back (due within 24 hours)."},
		models.NotifyDueSoon:   {"A call-back is due in 4 hours", "20 of the 24 hours to call this customer back have passed."},
		models.NotifyPraised:   {"A customer praised you", "A customer named you in their feedback."},
		models.NotifyAssigned:  {"A call-back was given to you", "A colleague made you the owner of a call-back."},
		models.NotifyIdea:      {"Your idea moved on", "An improvement you proposed changed status."},
	},
	"da": {
		models.NotifyDetractor: {"En utilfreds kunde skal ringes op", "En kunde gav en lav score, og du ejer opringningen (senest inden for 24 timer)."},
		models.NotifyDueSoon:   {"En opringning forfalder om 4 timer", "20 af de 24 timer til at ringe kunden op er gået."},
		models.NotifyPraised:   {"En kunde roste dig", "En kunde nævnte dig i sin feedback."},
		models.NotifyAssigned:  {"Du har fået en opringning", "En kollega gjorde dig til ejer af en opringning."},
		models.NotifyIdea:      {"Din idé er rykket videre", "En forbedring, du foreslog, har skiftet status."},
	},
}

// SetBaseURL sets the public address used in alert mails' links.
func (s *Store) SetBaseURL(u string) { s.baseURL = strings.TrimRight(u, "/") }

// notify stores in-app alerts for users (duplicates and nil skipped) and queues a mail
// to each who wants mail of this kind, all in tx.
func (s *Store) notify(tx *gorm.DB, now time.Time, kind string, userIDs []int64, feedbackID, improvementID *int64, detail string) error {
	var ids []int64
	for _, id := range userIDs {
		if id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if r := []rune(detail); len(r) > models.MaxDetailLength {
		detail = string(r[:models.MaxDetailLength-1]) + "…"
	}
	rows := make([]models.Notification, len(ids))
	for i, id := range ids {
		rows[i] = models.Notification{UserID: id, Kind: kind, FeedbackID: feedbackID, ImprovementID: improvementID, Detail: detail, CreatedAt: now}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("models: notify %s: %w", kind, err)
	}
	var users []models.User
	if err := tx.Where("id IN ? AND active", ids).Find(&users).Error; err != nil {
		return err
	}
	link := s.baseURL + "/notifications"
	switch {
	case feedbackID != nil:
		link = fmt.Sprintf("%s/feedback/%d", s.baseURL, *feedbackID)
	case improvementID != nil:
		link = fmt.Sprintf("%s/improvements/%d", s.baseURL, *improvementID)
	}
	for _, u := range users {
		if !u.WantsMail(kind) {
			continue
		}
		texts, ok := mailTexts[u.Lang]
		if !ok {
			texts = mailTexts["en"]
		}
		t := texts[kind]
		body := t[1] + "\n\n"
		if detail != "" {
			body += "\u201c" + detail + "\u201d\n\n"
		}
		body += link + "\n"
		key := fmt.Sprintf("alert:%d:%d", rows[slices.Index(ids, u.ID)].ID, u.ID)
		if _, err := enqueue(tx, now, key, u.Email, t[0], body); err != nil {
			return err
		}
	}
	return nil
}

// branchManagers returns, per branch, its managers' user ids (active users holding
// the branch role), lowest id first.
func branchManagers(tx *gorm.DB, branchIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(branchIDs) == 0 {
		return out, nil
	}
	var rows []struct{ UserID, BranchID int64 }
	err := tx.Raw(`SELECT ub.user_id, ub.branch_id FROM user_branches ub JOIN users u ON u.id = ub.user_id
		WHERE ub.branch_id IN ? AND u.active ORDER BY ub.user_id`, branchIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: branch managers: %w", err)
	}
	for _, r := range rows {
		out[r.BranchID] = append(out[r.BranchID], r.UserID)
	}
	return out, nil
}

// linkEmployees sets EmployeeID on rows whose employee address is an active user's.
func linkEmployees(tx *gorm.DB, rows []models.Feedback) error {
	var emails []string
	for _, r := range rows {
		if r.EmployeeEmail != nil && !slices.Contains(emails, *r.EmployeeEmail) {
			emails = append(emails, *r.EmployeeEmail)
		}
	}
	if len(emails) == 0 {
		return nil
	}
	var users []models.User
	if err := tx.Select("id, email").Where("email IN ? AND active", emails).Find(&users).Error; err != nil {
		return fmt.Errorf("models: employees: %w", err)
	}
	byEmail := map[string]int64{}
	for _, u := range users {
		byEmail[u.Email] = u.ID
	}
	for i := range rows {
		if rows[i].EmployeeEmail == nil {
			continue
		}
		if id, ok := byEmail[*rows[i].EmployeeEmail]; ok {
			rows[i].EmployeeID = &id
		}
	}
	return nil
}

// afterFeedbackStored does, in the transaction that stored the rows (ids set), what
// follows a feedback: its feedback.created event, a detractor's owned follow-up and
// its owner's alert, and the praised employee's alert.
func (s *Store) afterFeedbackStored(tx *gorm.DB, now time.Time, rows []models.Feedback) error {
	var branches []int64
	for _, r := range rows {
		if r.Group() == models.GroupDetractor && r.EmployeeID == nil && r.BranchID != nil {
			branches = append(branches, *r.BranchID)
		}
	}
	managers, err := branchManagers(tx, branches)
	if err != nil {
		return err
	}
	var states []models.FollowUpState
	for i := range rows {
		r := &rows[i]
		id := r.ID
		switch r.Group() {
		case models.GroupDetractor:
			var mgr *int64
			if r.BranchID != nil && len(managers[*r.BranchID]) > 0 {
				mgr = &managers[*r.BranchID][0]
			}
			owner := models.FollowUpOwner(r.EmployeeID, mgr)
			states = append(states, models.FollowUpState{FeedbackID: id, OwnerID: owner, State: models.FollowUpOpen,
				ChangeAction: "created", Version: 1, UpdatedAt: now})
			if owner != nil {
				if err := s.notify(tx, now, models.NotifyDetractor, []int64{*owner}, &id, nil, r.Comment); err != nil {
					return err
				}
			}
		case models.GroupPromoter:
			if r.EmployeeID != nil {
				if err := s.notify(tx, now, models.NotifyPraised, []int64{*r.EmployeeID}, &id, nil, r.Comment); err != nil {
					return err
				}
			}
		}
	}
	if err := s.insertFollowUps(tx, states); err != nil {
		return fmt.Errorf("models: follow-up owners: %w", err)
	}
	if len(s.targetsFor(models.EventFeedbackCreated)) == 0 {
		return nil
	}
	if err := s.fillRefs(tx.Statement.Context, pointersTo(rows)); err != nil {
		return err
	}
	for i := range rows {
		if err := s.emitEvent(tx, now, models.EventFeedbackCreated, s.feedbackEventData(&rows[i])); err != nil {
			return err
		}
	}
	return nil
}

// insertFollowUps stores new follow-up states: one by one on SQLite (see execEach), in
// multi-row statements on PostgreSQL.
func (s *Store) insertFollowUps(tx *gorm.DB, states []models.FollowUpState) error {
	if len(states) == 0 {
		return nil
	}
	if s.dialect != SQLite {
		return tx.CreateInBatches(states, 500).Error
	}
	return execEach(tx, "follow_ups", `INSERT INTO follow_ups (feedback_id, owner_id, state, tries, last_tried_at, warned_at,
		overdue_at, changed_by_id, change_action, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		len(states), func(i int) []any {
			st := &states[i]
			return []any{st.FeedbackID, st.OwnerID, st.State, st.Tries, st.LastTriedAt, st.WarnedAt,
				st.OverdueAt, st.ChangedByID, st.ChangeAction, st.Version, st.UpdatedAt}
		}, nil)
}

// followUpState loads (or, for an older detractor, makes) the follow-up state of a
// feedback inside tx, refusing feedback that needs no follow-up.
func followUpState(tx *gorm.DB, feedbackID int64, now time.Time) (*models.FollowUpState, *models.Feedback, error) {
	var fb models.Feedback
	if err := tx.Take(&fb, feedbackID).Error; err != nil {
		return nil, nil, notFound(err)
	}
	if fb.FollowUpDueAt == nil {
		return nil, nil, fmt.Errorf("models: feedback %d needs no follow-up: %w", feedbackID, models.ErrNotAllowed)
	}
	var st models.FollowUpState
	err := tx.Take(&st, feedbackID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		st = models.FollowUpState{FeedbackID: feedbackID, State: models.FollowUpOpen, ChangeAction: "created", Version: 1, UpdatedAt: now}
		if fb.FollowedUpAt != nil {
			st.State = models.FollowUpDone
		}
		if err := tx.Create(&st).Error; err != nil {
			return nil, nil, err
		}
		return &st, &fb, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return &st, &fb, nil
}

// conflictOf describes the last change of a follow-up, for a refused one.
func conflictOf(tx *gorm.DB, st *models.FollowUpState) error {
	e := &models.FollowUpConflictError{By: "?", Action: st.ChangeAction, At: st.UpdatedAt}
	if st.ChangedByID != nil {
		var u models.User
		if tx.Select("name").Take(&u, *st.ChangedByID).Error == nil {
			e.By = u.Name
		}
	}
	return e
}

// ChangeFollowUp takes, reassigns or records an unanswered call on a follow-up. A
// version that is not the current one is refused with who did what when.
func (s *Store) ChangeFollowUp(ctx context.Context, feedbackID int64, ch models.FollowUpChange, by *models.User) (*models.FollowUpState, error) {
	now := s.now()
	ch.Reason = strings.TrimSpace(ch.Reason)
	var out models.FollowUpState
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		st, fb, err := followUpState(tx, feedbackID, now)
		if err != nil {
			return err
		}
		if ch.Version != 0 && ch.Version != st.Version {
			return conflictOf(tx, st)
		}
		if st.State == models.FollowUpDone {
			return conflictOf(tx, st)
		}
		u := map[string]any{"version": st.Version + 1, "updated_at": now, "changed_by_id": by.ID}
		from, to, note := "", "", ch.Reason
		if st.OwnerID != nil {
			from = fmt.Sprint(*st.OwnerID)
		}
		switch ch.Action {
		case "take":
			// The owner given a follow-up automatically takes it to say "I am on it".
			mine := st.OwnerID != nil && *st.OwnerID == by.ID
			if mine && st.ChangeAction != "created" {
				return tx.Take(&out, feedbackID).Error
			}
			if st.OwnerID != nil && !mine && ch.Reason == "" {
				return models.Invalid("reason", "required")
			}
			u["owner_id"], u["change_action"], to = by.ID, "took", fmt.Sprint(by.ID)
		case "reassign":
			if ch.To == nil {
				return models.Invalid("owner", "required")
			}
			if ch.Reason == "" {
				return models.Invalid("reason", "required")
			}
			var n int64
			if err := tx.Model(&models.User{}).Where("id = ? AND active", *ch.To).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return models.Invalid("owner", "unknown_reference")
			}
			u["owner_id"], u["change_action"], to = *ch.To, "reassigned", fmt.Sprint(*ch.To)
		case "tried":
			u["state"], u["tries"], u["last_tried_at"], u["change_action"] = models.FollowUpTried, st.Tries+1, now, "tried"
			from, to, note = st.State, models.FollowUpTried, ch.Reason
		default:
			return models.Invalid("action", "invalid_choice")
		}
		res := tx.Model(&models.FollowUpState{}).Where("feedback_id = ? AND version = ?", feedbackID, st.Version).Updates(u)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrConflict
		}
		field := "follow_up_owner"
		if ch.Action == "tried" {
			field = "follow_up_state"
		}
		if err := record(tx, now, "feedback", feedbackID, by, "follow_up_"+ch.Action, field, from, to, note); err != nil {
			return err
		}
		if ch.Action == "reassign" && *ch.To != by.ID {
			if err := s.notify(tx, now, models.NotifyAssigned, []int64{*ch.To}, &feedbackID, nil, fb.Comment); err != nil {
				return err
			}
		}
		return tx.Take(&out, feedbackID).Error
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// markFollowUpDone closes the follow-up state when the follow-up is recorded.
func markFollowUpDone(tx *gorm.DB, feedbackID int64, by *models.User, now time.Time) error {
	u := map[string]any{"state": models.FollowUpDone, "change_action": "done", "updated_at": now, "version": gorm.Expr("version + 1")}
	if by != nil {
		u["changed_by_id"] = by.ID
	}
	res := tx.Model(&models.FollowUpState{}).Where("feedback_id = ?", feedbackID).Updates(u)
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	st := models.FollowUpState{FeedbackID: feedbackID, State: models.FollowUpDone, ChangeAction: "done", Version: 1, UpdatedAt: now}
	if by != nil {
		st.ChangedByID = &by.ID
	}
	return tx.Create(&st).Error
}

// FollowUpStateOf returns the follow-up state of a feedback with its owner's name; a
// detractor stored before states existed comes back open and unassigned.
func (s *Store) FollowUpStateOf(ctx context.Context, feedbackID int64) (*models.FollowUpState, *models.User, error) {
	var st models.FollowUpState
	err := s.r.WithContext(ctx).Take(&st, feedbackID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &models.FollowUpState{FeedbackID: feedbackID, State: models.FollowUpOpen}, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if st.OwnerID == nil {
		return &st, nil, nil
	}
	var u models.User
	if err := s.r.WithContext(ctx).Take(&u, *st.OwnerID).Error; err != nil {
		return &st, nil, nil
	}
	return &st, &u, nil
}

// MyFollowUps lists the follow-ups a user owns that are not done, due first.
func (s *Store) MyFollowUps(ctx context.Context, userID int64) ([]models.OwnedFollowUp, error) {
	var states []models.FollowUpState
	db := s.r.WithContext(ctx)
	if err := db.Where("owner_id = ? AND state <> ?", userID, models.FollowUpDone).Find(&states).Error; err != nil {
		return nil, fmt.Errorf("models: my follow-ups: %w", err)
	}
	if len(states) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(states))
	byID := map[int64]models.FollowUpState{}
	for i, st := range states {
		ids[i] = st.FeedbackID
		byID[st.FeedbackID] = st
	}
	var fbs []models.Feedback
	if err := db.Where("id IN ?", ids).Order("follow_up_due_at, id").Find(&fbs).Error; err != nil {
		return nil, err
	}
	if err := s.fillRefs(ctx, pointersTo(fbs)); err != nil {
		return nil, err
	}
	out := make([]models.OwnedFollowUp, len(fbs))
	for i, f := range fbs {
		out[i] = models.OwnedFollowUp{Feedback: f, State: byID[f.ID]}
	}
	return out, nil
}

// WarnFollowUps sends the alerts of follow-ups running late: at 20 of 24 hours to the
// owner and the branch's managers, and the followup.overdue event when the 24 hours
// have passed. Each goes once (warned_at, overdue_at). It returns how many it sent.
func (s *Store) WarnFollowUps(ctx context.Context) (int, error) {
	now := s.now()
	type late struct {
		FeedbackID    int64
		OwnerID       *int64
		BranchID      *int64
		FollowUpDueAt time.Time
		WarnedAt      *time.Time
		Comment       string
	}
	var rows []late
	err := s.r.WithContext(ctx).Raw(`SELECT fu.feedback_id, fu.owner_id, f.branch_id, f.follow_up_due_at, fu.warned_at, f.comment
		FROM follow_ups fu JOIN feedback f ON f.id = fu.feedback_id
		WHERE fu.state <> ? AND f.followed_up_at IS NULL AND (fu.warned_at IS NULL OR fu.overdue_at IS NULL)
		AND f.follow_up_due_at <= ? ORDER BY f.follow_up_due_at LIMIT 500`,
		models.FollowUpDone, now.Add(models.FollowUpWindow-models.FollowUpWarnAfter)).Scan(&rows).Error
	if err != nil {
		return 0, fmt.Errorf("models: late follow-ups: %w", err)
	}
	sent := 0
	for _, r := range rows {
		err := s.Tx(ctx, func(tx *gorm.DB) error {
			id := r.FeedbackID
			if r.WarnedAt == nil {
				res := tx.Model(&models.FollowUpState{}).Where("feedback_id = ? AND warned_at IS NULL", id).Update("warned_at", now)
				if res.Error != nil || res.RowsAffected == 0 {
					return res.Error
				}
				var to []int64
				if r.OwnerID != nil {
					to = append(to, *r.OwnerID)
				}
				if r.BranchID != nil {
					m, err := branchManagers(tx, []int64{*r.BranchID})
					if err != nil {
						return err
					}
					to = append(to, m[*r.BranchID]...)
				}
				if err := s.notify(tx, now, models.NotifyDueSoon, to, &id, nil, r.Comment); err != nil {
					return err
				}
				sent++
			}
			if !r.FollowUpDueAt.After(now) {
				res := tx.Model(&models.FollowUpState{}).Where("feedback_id = ? AND overdue_at IS NULL", id).Update("overdue_at", now)
				if res.Error != nil || res.RowsAffected == 0 {
					return res.Error
				}
				return s.emitEvent(tx, now, models.EventFollowUpOverdue, map[string]any{"feedback_id": id,
					"follow_up_due_at": r.FollowUpDueAt.UTC(), "owner_id": r.OwnerID})
			}
			return nil
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// UnreadCount counts a user's unread notifications.
//
// The bell shows it on every page, so it is kept like the navigation's badges
// (navCountTTL): a notification for the user shows within the lag, and reading them
// is the user's own write, which shows on their next page.
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	return cachedFor(ctx, s, "unread "+strconv.FormatInt(userID, 10), navCountTTL, func(ctx context.Context) (int, error) {
		var n int64
		err := s.r.WithContext(ctx).Model(&models.Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
		return int(n), err
	})
}

// Notifications lists a user's latest notifications, newest first.
func (s *Store) Notifications(ctx context.Context, userID int64, limit int) ([]models.Notification, error) {
	var out []models.Notification
	err := s.r.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// MarkNotificationsRead marks a user's notifications read (all when id is 0).
func (s *Store) MarkNotificationsRead(ctx context.Context, userID, id int64) error {
	q := s.w.WithContext(ctx).Model(&models.Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	return q.Update("read_at", s.now()).Error
}

// SetMailPreferences stores which alert mails a user wants.
func (s *Store) SetMailPreferences(ctx context.Context, userID int64, wanted []string) error {
	var off []string
	for _, k := range models.NotifyKinds {
		if !slices.Contains(wanted, k) {
			off = append(off, k)
		}
	}
	return s.w.WithContext(ctx).Model(&models.User{}).Where("id = ?", userID).
		Updates(map[string]any{"mail_opt_out": strings.Join(off, ","), "updated_at": s.now()}).Error
}
