package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// optString returns nil for "" so that absent values are stored as NULL.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// buildFeedback turns validated input with resolved references into a row; the
// derived fields (group, day, due time) are computed here and only here.
func (s *Store) buildFeedback(n models.NewFeedback, channelID int64, touchpointID, branchID *int64, by *models.User, now time.Time) models.Feedback {
	at := n.ReceivedAt
	if at.IsZero() {
		at = now
	}
	at = at.UTC().Truncate(time.Second)
	fb := models.Feedback{
		ExternalID: optString(n.ExternalID), ReceivedAt: at, ReceivedOn: models.LocalDate(at, s.Location),
		ChannelID: channelID, TouchpointID: touchpointID, BranchID: branchID,
		Segment: optString(n.Segment), NPS: n.NPS, Comment: n.Comment,
		CustomerName: optString(n.CustomerName), CustomerEmail: optString(n.CustomerEmail),
		Consent:       n.Consent && n.HasContact(),
		EmployeeEmail: optString(n.EmployeeEmail), CustomerPhone: optString(n.CustomerPhone),
		FollowUpDueAt: models.FollowUpDue(at, n.NPS), TriageStatus: models.TriageNew, Version: 1,
		ResolvedFirstContact: n.ResolvedFirstContact, CSAT: n.CSAT,
		CreatedAt: now, UpdatedAt: now,
	}
	if g := models.GroupOf(n.NPS); g != "" {
		gs := string(g)
		fb.NPSGroup = &gs
	}
	if by != nil {
		fb.LoggedByID = &by.ID
	}
	return fb
}

// resolveOptional resolves an optional reference; "" gives nil.
func (s *Store) resolveOptional(ctx context.Context, kind models.RefKind, v string) (*int64, bool) {
	if v == "" {
		return nil, true
	}
	it, err := s.ResolveRef(ctx, kind, v)
	if err != nil || !it.Active {
		return nil, false
	}
	return &it.ID, true
}

// CreateFeedback validates and stores one feedback, records its history and remembers
// the ambassador's channel and branch for the next form.
func (s *Store) CreateFeedback(ctx context.Context, n models.NewFeedback, by *models.User) (*models.Feedback, error) {
	n.Normalize()
	now := s.now()
	verr := n.Validate(now)
	if verr == nil {
		verr = &models.ValidationError{Fields: map[string]string{}}
	}
	var channelID int64
	if n.Channel != "" {
		if ch, err := s.ResolveRef(ctx, models.RefChannels, n.Channel); err == nil && ch.Active {
			channelID = ch.ID
		} else {
			verr.Fields["channel"] = "unknown_reference"
		}
	}
	touchpointID, ok := s.resolveOptional(ctx, models.RefTouchpoints, n.Touchpoint)
	if !ok {
		verr.Fields["touchpoint"] = "unknown_reference"
	}
	branchID, ok := s.resolveOptional(ctx, models.RefBranches, n.Branch)
	if !ok {
		verr.Fields["branch"] = "unknown_reference"
	}
	if len(verr.Fields) > 0 {
		return nil, verr
	}
	fb := s.buildFeedback(n, channelID, touchpointID, branchID, by, now)
	if fb.EmployeeEmail != nil {
		if u, err := s.UserByEmail(ctx, *fb.EmployeeEmail); err == nil && u.Active {
			fb.EmployeeID = &u.ID
		}
	}
	var err error
	fb.ID, err = s.insertFeedback(ctx, fb, by, channelID, branchID)
	if isUniqueViolation(err) {
		return nil, models.Invalid("external_id", "already_imported")
	}
	if err != nil {
		return nil, fmt.Errorf("models: create feedback: %w", err)
	}
	if err := s.fillRefs(ctx, []*models.Feedback{&fb}); err != nil {
		return nil, err
	}
	return &fb, nil
}

// refIndex holds the small reference lists by id, so lists of feedback get their
// names in three queries whatever their length.
type refIndex map[models.RefKind]map[int64]*models.RefItem

func (s *Store) loadRefIndex(ctx context.Context, kinds ...models.RefKind) (refIndex, error) {
	idx := refIndex{}
	for _, k := range kinds {
		items, err := s.RefList(ctx, k)
		if err != nil {
			return nil, err
		}
		m := make(map[int64]*models.RefItem, len(items))
		for i := range items {
			m[items[i].ID] = &items[i]
		}
		idx[k] = m
	}
	return idx, nil
}

func (idx refIndex) get(k models.RefKind, id *int64) *models.RefItem {
	if id == nil {
		return nil
	}
	return idx[k][*id]
}

// pointersTo returns a pointer to each element of items, for the fill functions that
// set fields in place (fillRefs, fillImprovementRefs).
func pointersTo[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// fillRefs sets the reference items of each feedback.
func (s *Store) fillRefs(ctx context.Context, list []*models.Feedback) error {
	if len(list) == 0 {
		return nil
	}
	idx, err := s.loadRefIndex(ctx, models.RefChannels, models.RefTouchpoints, models.RefBranches, models.RefCategories)
	if err != nil {
		return fmt.Errorf("models: load reference: %w", err)
	}
	for _, f := range list {
		f.Channel = idx.get(models.RefChannels, &f.ChannelID)
		f.Touchpoint = idx.get(models.RefTouchpoints, f.TouchpointID)
		f.Branch = idx.get(models.RefBranches, f.BranchID)
		f.RootCause = idx.get(models.RefCategories, f.FollowUpRootCauseID)
	}
	return nil
}

// FeedbackByID loads one feedback with its reference items, the users behind it and
// the ids of the improvements it is linked to.
func (s *Store) FeedbackByID(ctx context.Context, id int64) (*models.Feedback, error) {
	var fb models.Feedback
	db := s.r.WithContext(ctx)
	if err := db.Take(&fb, id).Error; err != nil {
		return nil, notFound(err)
	}
	if err := db.Table("improvement_feedback").Where("feedback_id = ?", id).Order("improvement_id").
		Pluck("improvement_id", &fb.ImprovementIDs).Error; err != nil {
		return nil, fmt.Errorf("models: feedback %d improvements: %w", id, err)
	}
	if fb.ImprovementIDs == nil {
		fb.ImprovementIDs = []int64{}
	}
	var ids []int64
	for _, p := range []*int64{fb.LoggedByID, fb.FollowUpByID} {
		if p != nil {
			ids = append(ids, *p)
		}
	}
	if len(ids) > 0 {
		var users []models.User
		if err := db.Where("id IN ?", ids).Find(&users).Error; err != nil {
			return nil, err
		}
		for i := range users {
			if fb.LoggedByID != nil && users[i].ID == *fb.LoggedByID {
				fb.LoggedBy = &users[i]
			}
			if fb.FollowUpByID != nil && users[i].ID == *fb.FollowUpByID {
				fb.FollowUpBy = &users[i]
			}
		}
	}
	if err := s.fillRefs(ctx, []*models.Feedback{&fb}); err != nil {
		return nil, err
	}
	return &fb, nil
}

// FeedbackImprovements lists the improvements a feedback is linked to, for its page.
func (s *Store) FeedbackImprovements(ctx context.Context, id int64) ([]models.LinkedImprovement, error) {
	var out []models.LinkedImprovement
	err := s.r.WithContext(ctx).Raw(`SELECT i.id, i.title, i.status FROM improvement_feedback l
		JOIN improvements i ON i.id = l.improvement_id WHERE l.feedback_id = ? ORDER BY i.id`, id).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: feedback %d improvements: %w", id, err)
	}
	return out, nil
}

// ImprovementIDsFor returns the improvements each feedback is linked to, in one query
// for a whole page. A page of the API's list is read by every client polling it, and
// its links change only when a link is written: they are kept until then
// (cachedByTables), a fifth of serving the page otherwise. Callers only read the map.
func (s *Store) ImprovementIDsFor(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	if len(ids) == 0 {
		return map[int64][]int64{}, nil
	}
	key := make([]byte, 0, len("links of")+8*len(ids))
	key = append(key, "links of"...)
	for _, id := range ids {
		key = strconv.AppendInt(append(key, ' '), id, 10)
	}
	return cachedByTables(ctx, s, string(key), linkTables, func(ctx context.Context) (map[int64][]int64, error) {
		return s.improvementIDsFor(ctx, ids)
	})
}

// linkTables holds the links of feedback to improvements.
var linkTables = []string{"improvement_feedback"}

func (s *Store) improvementIDsFor(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64, len(ids))
	var links []struct{ FeedbackID, ImprovementID int64 }
	err := s.r.WithContext(ctx).Table("improvement_feedback").Select("feedback_id, improvement_id").
		Where(s.inIDs("feedback_id", ids)).Order("feedback_id, improvement_id").Scan(&links).Error
	if err != nil {
		return nil, fmt.Errorf("models: improvements of feedback: %w", err)
	}
	for _, l := range links {
		out[l.FeedbackID] = append(out[l.FeedbackID], l.ImprovementID)
	}
	return out, nil
}
