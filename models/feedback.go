package models

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Customer segments a feedback can belong to.
const (
	SegmentPrivate  = "private"
	SegmentBusiness = "business"
)

// Segments lists the customer segments in display order.
var Segments = []string{SegmentPrivate, SegmentBusiness}

// FutureTolerance is how far in the future a received time may lie: clocks of survey
// tools and phones drift, but feedback from tomorrow is a typo.
const FutureTolerance = time.Hour

// MinReceivedAt is the earliest time feedback may have been received: the bank's
// survey data starts well after it, and older dates are typos (year 0000, 1970).
var MinReceivedAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxEmailLength is the longest e-mail address (RFC 5321: a path of 256 octets, less
// the angle brackets).
const MaxEmailLength = 254

// ReceivedAtProblem returns the message id of what is wrong with a received time, or
// "": before MinReceivedAt or further ahead of now than FutureTolerance.
func ReceivedAtProblem(t, now time.Time) string {
	switch {
	case t.Before(MinReceivedAt):
		return "date_out_of_range"
	case t.After(now.Add(FutureTolerance)):
		return "in_future"
	}
	return ""
}

// HasNUL reports whether text holds a NUL character: PostgreSQL refuses it in text,
// SQLite would store it and cut the text short in C code that reads it.
func HasNUL(s string) bool { return strings.ContainsRune(s, 0) }

// MaxCommentLength caps a comment so that one paste cannot fill the database.
const MaxCommentLength = 10000

// Feedback is what one customer said, once. It maps the feedback table column by
// column; the reference items and improvement ids are filled in by the loaders.
type Feedback struct {
	ID                   int64
	ExternalID           *string
	ReceivedAt           time.Time
	ReceivedOn           time.Time
	ChannelID            int64
	TouchpointID         *int64
	BranchID             *int64
	CategoryID           *int64
	Segment              *string
	NPS                  *int    `gorm:"column:nps"`
	NPSGroup             *string `gorm:"column:nps_group"`
	Comment              string
	CustomerName         *string
	CustomerEmail        *string
	Consent              bool
	PraisedColleague     *string
	LoggedByID           *int64
	FollowUpDueAt        *time.Time
	FollowedUpAt         *time.Time
	FollowUpByID         *int64
	FollowUpNote         *string
	FollowUpRootCauseID  *int64
	GoodwillAmount       int64
	TriageStatus         string
	TriageReason         *string
	PersonalDataErasedAt *time.Time
	// ResolvedFirstContact says whether the customer's matter was settled at the first
	// contact (nil: not asked); CSAT is their satisfaction from 1 to 5 (nil: not asked).
	ResolvedFirstContact *bool
	CSAT                 *int `gorm:"column:csat"`
	Version              int
	CreatedAt            time.Time
	UpdatedAt            time.Time
	// EmployeeEmail is the employee the customer dealt with, as given; EmployeeID is
	// the user it names, nil when the address is nobody's (issue 17).
	EmployeeEmail *string
	EmployeeID    *int64
	// CustomerPhone is a customer contact like name and e-mail (consent, erasure).
	CustomerPhone *string

	// Channel, Touchpoint, Branch and RootCause are the reference items the ids point at.
	Channel    *RefItem `gorm:"-"`
	Touchpoint *RefItem `gorm:"-"`
	Branch     *RefItem `gorm:"-"`
	RootCause  *RefItem `gorm:"-"`
	// LoggedBy and FollowUpBy are the users behind the ids (detail page only).
	LoggedBy   *User `gorm:"-"`
	FollowUpBy *User `gorm:"-"`
	// ImprovementIDs are the improvements this feedback is linked to (detail only).
	ImprovementIDs []int64 `gorm:"-"`
}

// TableName maps Feedback onto the feedback table.
func (Feedback) TableName() string { return "feedback" }

// Group returns the NPS group, "" when there is no score.
func (f *Feedback) Group() NPSGroup {
	if f.NPSGroup == nil {
		return ""
	}
	return NPSGroup(*f.NPSGroup)
}

// Overdue reports whether the follow-up is due and not done by now.
func (f *Feedback) Overdue(now time.Time) bool {
	return f.FollowUpDueAt != nil && f.FollowedUpAt == nil && f.FollowUpDueAt.Before(now)
}

// NewFeedback is the input of CreateFeedback, from the form, the API or an import row.
// Channel, Touchpoint and Branch take a code or a name.
type NewFeedback struct {
	ReceivedAt    time.Time // zero: now
	Channel       string
	Touchpoint    string
	Branch        string
	Segment       string
	NPS           *int
	Comment       string
	ExternalID    string
	CustomerName  string
	CustomerEmail string
	Consent       bool
	// EmployeeEmail names the employee the customer dealt with; CustomerPhone is the
	// number to call the customer back on.
	EmployeeEmail string
	CustomerPhone string
	// ResolvedFirstContact and CSAT are optional answers of a service survey.
	ResolvedFirstContact *bool
	CSAT                 *int
}

// normalize trims every text so that blank means absent.
func (n *NewFeedback) normalize() {
	for _, p := range []*string{&n.Channel, &n.Touchpoint, &n.Branch, &n.ExternalID, &n.CustomerName} {
		*p = strings.TrimSpace(*p)
	}
	n.Segment = strings.ToLower(strings.TrimSpace(n.Segment))
	n.CustomerEmail = NormalizeEmail(n.CustomerEmail)
	n.EmployeeEmail = NormalizeEmail(n.EmployeeEmail)
	n.CustomerPhone = NormalizePhone(n.CustomerPhone)
	n.Comment = strings.TrimSpace(strings.ReplaceAll(n.Comment, "\r\n", "\n"))
}

// Validate names each problem by field (field -> message id), checked without the
// database; unknown channels and the like are found by CreateFeedback.
func (n NewFeedback) Validate(now time.Time) *ValidationError {
	n.normalize()
	f := map[string]string{}
	if n.Channel == "" {
		f["channel"] = "required"
	}
	if n.NPS != nil && !ValidScore(*n.NPS) {
		f["nps"] = "out_of_range"
	}
	if n.CSAT != nil && !ValidCSAT(*n.CSAT) {
		f["csat"] = "csat_out_of_range"
	}
	if n.NPS == nil && n.Comment == "" {
		f["comment"] = "comment_or_nps"
	}
	if len(n.Comment) > MaxCommentLength {
		f["comment"] = "too_long"
	}
	if n.Segment != "" && n.Segment != SegmentPrivate && n.Segment != SegmentBusiness {
		f["segment"] = "invalid_choice"
	}
	if !n.ReceivedAt.IsZero() {
		if p := ReceivedAtProblem(n.ReceivedAt, now); p != "" {
			f["received_at"] = p
		}
	}
	if n.CustomerEmail != "" {
		if len(n.CustomerEmail) > MaxEmailLength {
			f["customer_email"] = "too_long"
		} else if a, err := mail.ParseAddress(n.CustomerEmail); err != nil || a.Address != n.CustomerEmail {
			f["customer_email"] = "invalid_email"
		}
	}
	if n.EmployeeEmail != "" {
		if a, err := mail.ParseAddress(n.EmployeeEmail); err != nil || a.Address != n.EmployeeEmail {
			f["employee_email"] = "invalid_email"
		}
	}
	if n.CustomerPhone != "" && !ValidPhone(n.CustomerPhone) {
		f["customer_phone"] = "invalid_phone"
	}
	if n.hasContact() && !n.Consent {
		f["consent"] = "consent_required"
	}
	if len(n.ExternalID) > 200 || len(n.CustomerName) > 200 {
		if len(n.ExternalID) > 200 {
			f["external_id"] = "too_long"
		} else {
			f["customer_name"] = "too_long"
		}
	}
	for field, v := range map[string]string{"channel": n.Channel, "touchpoint": n.Touchpoint, "branch": n.Branch,
		"segment": n.Segment, "comment": n.Comment, "external_id": n.ExternalID, "customer_name": n.CustomerName,
		"customer_email": n.CustomerEmail} {
		if HasNUL(v) {
			f[field] = "no_nul"
		}
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// localDate returns midnight UTC of t's calendar date in loc: how received_on is
// stored, so that a day means the same on SQLite and PostgreSQL.
func localDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// optString returns nil for "" so that absent values are stored as NULL.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// buildFeedback turns validated input with resolved references into a row; the
// derived fields (group, day, due time) are computed here and only here.
func (s *Store) buildFeedback(n NewFeedback, channelID int64, touchpointID, branchID *int64, by *User, now time.Time) Feedback {
	at := n.ReceivedAt
	if at.IsZero() {
		at = now
	}
	at = at.UTC().Truncate(time.Second)
	fb := Feedback{
		ExternalID: optString(n.ExternalID), ReceivedAt: at, ReceivedOn: localDate(at, s.Location),
		ChannelID: channelID, TouchpointID: touchpointID, BranchID: branchID,
		Segment: optString(n.Segment), NPS: n.NPS, Comment: n.Comment,
		CustomerName: optString(n.CustomerName), CustomerEmail: optString(n.CustomerEmail),
		Consent:       n.Consent && n.hasContact(),
		EmployeeEmail: optString(n.EmployeeEmail), CustomerPhone: optString(n.CustomerPhone),
		FollowUpDueAt: FollowUpDue(at, n.NPS), TriageStatus: TriageNew, Version: 1,
		ResolvedFirstContact: n.ResolvedFirstContact, CSAT: n.CSAT,
		CreatedAt: now, UpdatedAt: now,
	}
	if g := GroupOf(n.NPS); g != "" {
		gs := string(g)
		fb.NPSGroup = &gs
	}
	if by != nil {
		fb.LoggedByID = &by.ID
	}
	return fb
}

// resolveOptional resolves an optional reference; "" gives nil.
func (s *Store) resolveOptional(ctx context.Context, kind RefKind, v string) (*int64, bool) {
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
func (s *Store) CreateFeedback(ctx context.Context, n NewFeedback, by *User) (*Feedback, error) {
	n.normalize()
	now := s.now()
	verr := n.Validate(now)
	if verr == nil {
		verr = &ValidationError{Fields: map[string]string{}}
	}
	var channelID int64
	if n.Channel != "" {
		if ch, err := s.ResolveRef(ctx, RefChannels, n.Channel); err == nil && ch.Active {
			channelID = ch.ID
		} else {
			verr.Fields["channel"] = "unknown_reference"
		}
	}
	touchpointID, ok := s.resolveOptional(ctx, RefTouchpoints, n.Touchpoint)
	if !ok {
		verr.Fields["touchpoint"] = "unknown_reference"
	}
	branchID, ok := s.resolveOptional(ctx, RefBranches, n.Branch)
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
		return nil, Invalid("external_id", "already_imported")
	}
	if err != nil {
		return nil, fmt.Errorf("models: create feedback: %w", err)
	}
	if err := s.fillRefs(ctx, []*Feedback{&fb}); err != nil {
		return nil, err
	}
	return &fb, nil
}

// refIndex holds the small reference lists by id, so lists of feedback get their
// names in three queries whatever their length.
type refIndex map[RefKind]map[int64]*RefItem

func (s *Store) loadRefIndex(ctx context.Context, kinds ...RefKind) (refIndex, error) {
	idx := refIndex{}
	for _, k := range kinds {
		items, err := s.RefList(ctx, k)
		if err != nil {
			return nil, err
		}
		m := make(map[int64]*RefItem, len(items))
		for i := range items {
			m[items[i].ID] = &items[i]
		}
		idx[k] = m
	}
	return idx, nil
}

func (idx refIndex) get(k RefKind, id *int64) *RefItem {
	if id == nil {
		return nil
	}
	return idx[k][*id]
}

// fillRefs sets the reference items of each feedback.
func (s *Store) fillRefs(ctx context.Context, list []*Feedback) error {
	if len(list) == 0 {
		return nil
	}
	idx, err := s.loadRefIndex(ctx, RefChannels, RefTouchpoints, RefBranches, RefCategories)
	if err != nil {
		return fmt.Errorf("models: load reference: %w", err)
	}
	for _, f := range list {
		f.Channel = idx.get(RefChannels, &f.ChannelID)
		f.Touchpoint = idx.get(RefTouchpoints, f.TouchpointID)
		f.Branch = idx.get(RefBranches, f.BranchID)
		f.RootCause = idx.get(RefCategories, f.FollowUpRootCauseID)
	}
	return nil
}

// FeedbackByID loads one feedback with its reference items, the users behind it and
// the ids of the improvements it is linked to.
func (s *Store) FeedbackByID(ctx context.Context, id int64) (*Feedback, error) {
	var fb Feedback
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
		var users []User
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
	if err := s.fillRefs(ctx, []*Feedback{&fb}); err != nil {
		return nil, err
	}
	return &fb, nil
}

// LinkedImprovement is the title and status of an improvement a feedback led to.
type LinkedImprovement struct {
	ID     int64
	Title  string
	Status string
}

// FeedbackImprovements lists the improvements a feedback is linked to, for its page.
func (s *Store) FeedbackImprovements(ctx context.Context, id int64) ([]LinkedImprovement, error) {
	var out []LinkedImprovement
	err := s.r.WithContext(ctx).Raw(`SELECT i.id, i.title, i.status FROM improvement_feedback l
		JOIN improvements i ON i.id = l.improvement_id WHERE l.feedback_id = ? ORDER BY i.id`, id).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: feedback %d improvements: %w", id, err)
	}
	return out, nil
}

// ImprovementIDsFor returns the improvements each feedback is linked to, in one query
// for a whole page.
func (s *Store) ImprovementIDsFor(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var links []struct{ FeedbackID, ImprovementID int64 }
	err := s.r.WithContext(ctx).Table("improvement_feedback").Select("feedback_id, improvement_id").
		Where("feedback_id IN ?", ids).Order("feedback_id, improvement_id").Scan(&links).Error
	if err != nil {
		return nil, fmt.Errorf("models: improvements of feedback: %w", err)
	}
	for _, l := range links {
		out[l.FeedbackID] = append(out[l.FeedbackID], l.ImprovementID)
	}
	return out, nil
}

// hasContact reports whether the input carries any way to reach the customer.
func (n NewFeedback) hasContact() bool {
	return n.CustomerName != "" || n.CustomerEmail != "" || n.CustomerPhone != ""
}

// NormalizePhone trims a phone number and folds its inner spaces to one, keeping the
// way it was written ("+45 12 34 56 78"): people read it back over the phone.
func NormalizePhone(s string) string { return strings.Join(strings.Fields(s), " ") }

// ValidPhone accepts a number of 6 to 15 digits, written with an optional leading +,
// spaces, hyphens, dots or parentheses.
func ValidPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15
}
