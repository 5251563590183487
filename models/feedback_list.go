package models

import (
	"encoding/base64"
	"encoding/binary"
	"slices"
	"strings"
	"time"
	"unicode"
)

// GroupNone filters feedback that has no NPS score.
const GroupNone NPSGroup = "none"

// FeedbackFilter selects feedback for the list, the export and the API. Zero values
// mean "any".
type FeedbackFilter struct {
	// From and To are calendar dates, inclusive, counted in the store's location.
	From, To     time.Time
	ChannelID    int64
	TouchpointID int64
	BranchID     int64
	Segment      string
	Group        NPSGroup
	Triage       string
	LoggedByID   int64
	// Overdue keeps detractors whose follow-up is due and not done.
	Overdue bool
	// Q is free text, matched word by word against comments.
	Q string
	// BranchScope, when set, keeps only these branches' feedback (comma-separated ids;
	// NoBranches keeps none): what a branch manager may see. A string keeps the filter
	// comparable and printable as a cache key.
	BranchScope string
}

// NoBranches is the BranchScope of a user who may see no branch's feedback.
const NoBranches = "-"

// IsZero reports whether the filter selects everything.
func (f FeedbackFilter) IsZero() bool { return f == FeedbackFilter{} }

// Cursor marks where a page of feedback ended: the last row's received time and id.
// It is opaque to clients.
type Cursor struct {
	ReceivedAt time.Time
	ID         int64
	// Parts says the row was found inside a longer word (PartsQuery): a search lists
	// those after the feedback that holds the words themselves, each part newest first.
	Parts bool
}

// String encodes the cursor for a URL; the zero cursor is "". A cursor in the parts of
// a search has one more byte.
func (c Cursor) String() string {
	if c.ID == 0 {
		return ""
	}
	b := make([]byte, 16, 17)
	binary.BigEndian.PutUint64(b, uint64(c.ReceivedAt.Unix()))
	binary.BigEndian.PutUint64(b[8:], uint64(c.ID))
	if c.Parts {
		b = append(b, 1)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor reads a cursor written by String; "" is the first page.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || (len(b) != 16 && !(len(b) == 17 && b[16] == 1)) {
		return Cursor{}, Invalid("cursor", "invalid")
	}
	c := Cursor{ReceivedAt: time.Unix(int64(binary.BigEndian.Uint64(b)), 0).UTC(), ID: int64(binary.BigEndian.Uint64(b[8:])),
		Parts: len(b) == 17}
	if c.ID <= 0 {
		return Cursor{}, Invalid("cursor", "invalid")
	}
	return c, nil
}

// SearchWords splits text into words of letters and digits.
func SearchWords(q string) []string {
	return strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// FeedbackPage is one page of the list.
type FeedbackPage struct {
	Items []Feedback
	// Next is the cursor of the following page, zero when this is the last.
	Next Cursor
	// PartsFrom is the index in Items of the first feedback a search found only inside
	// longer words (listed after the whole words), -1 when there is none.
	PartsFrom int
	// Drawn keeps the views' drawings of a first page the store keeps; nil on others.
	Drawn *Drawings `json:"-"`
}

// Shows reports whether the feedback with id is on the page.
func (p *FeedbackPage) Shows(id int64) bool {
	return slices.ContainsFunc(p.Items, func(f Feedback) bool { return f.ID == id })
}

// MaxPageSize caps a page of feedback, as the API's limit does.
const MaxPageSize = 500

// CountCap is where CountFeedback stops counting: beyond it the list says "1,000+",
// which is as useful to someone narrowing a search and costs a thousandth of a count
// of a million rows. (At 10,000, counting "phone detractors" took 20 ms of every page.)
const CountCap = 1000
