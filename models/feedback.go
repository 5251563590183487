package models

import (
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
	ID                  int64
	ExternalID          *string
	ReceivedAt          time.Time
	ReceivedOn          time.Time
	ChannelID           int64
	TouchpointID        *int64
	BranchID            *int64
	CategoryID          *int64
	Segment             *string
	NPS                 *int    `gorm:"column:nps"`
	NPSGroup            *string `gorm:"column:nps_group"`
	Comment             string
	CustomerName        *string
	CustomerEmail       *string
	Consent             bool
	PraisedColleague    *string
	LoggedByID          *int64
	FollowUpDueAt       *time.Time
	FollowedUpAt        *time.Time
	FollowUpByID        *int64
	FollowUpNote        *string
	FollowUpRootCauseID *int64
	// GoodwillAmount is the goodwill spent at the follow-up, exact in øre.
	GoodwillAmount       Money
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

// Normalize trims every text so that blank means absent.
func (n *NewFeedback) Normalize() {
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
	n.Normalize()
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
	if n.HasContact() && !n.Consent {
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

// LocalDate returns midnight UTC of t's calendar date in loc: how received_on is
// stored, so that a day means the same on SQLite and PostgreSQL.
func LocalDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// LinkedImprovement is the title and status of an improvement a feedback led to.
type LinkedImprovement struct {
	ID     int64
	Title  string
	Status string
}

// HasContact reports whether the input carries any way to reach the customer.
func (n NewFeedback) HasContact() bool {
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
