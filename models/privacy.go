package models

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CustomerContactColumns are the feedback columns that identify a customer: erasure
// and retention clear them, only roles that contact customers see them. This list is
// the one place that names them; a new contact column is added here (and to the
// Feedback struct) and every rule follows.
var CustomerContactColumns = []string{"customer_name", "customer_email", "customer_phone"}

// ContactRoles are the roles that call customers back or tell them "you said, we did":
// only they see and export a customer's contact. The quick-win team works on what was
// said, not on who said it.
var ContactRoles = []string{RoleAmbassador, RoleSteering, RoleAdmin}

// MaySeeContact reports whether a user may see and export customers' contacts.
func MaySeeContact(u *User) bool { return u.Has(ContactRoles...) }

// HideContact clears the contact fields (those of CustomerContactColumns) of a feedback
// for a reader who may not see them, and reports whether it held any.
func (f *Feedback) HideContact() bool {
	had := f.CustomerName != nil || f.CustomerEmail != nil || f.CustomerPhone != nil
	f.CustomerName, f.CustomerEmail, f.CustomerPhone = nil, nil, nil
	return had
}

// ErasedMark replaces an erased customer's name or address inside free text.
const ErasedMark = "[erased]"

// RedactContact replaces each of values (a name, an address) in text with ErasedMark,
// ignoring case, where it stands as a whole word: "Jens Hansen" goes, "Jensen" stays.
func RedactContact(text string, values []string) string {
	vs := slices.Clone(values)
	// Longer values first, so an address goes whole before a name inside it.
	slices.SortFunc(vs, func(a, b string) int { return len(b) - len(a) })
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if len([]rune(v)) < 2 {
			continue
		}
		text = replaceWord(text, v)
	}
	return text
}

func replaceWord(text, word string) string {
	lower, lw := strings.ToLower(text), strings.ToLower(word)
	if len(lower) != len(text) {
		// Case folding changed the length (rare scripts): fall back to exact matches.
		lower, lw = text, word
	}
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(lower[i:], lw)
		if j < 0 {
			b.WriteString(text[i:])
			return b.String()
		}
		start, end := i+j, i+j+len(lw)
		if wordEdge(text, start, true) && wordEdge(text, end, false) {
			b.WriteString(text[i:start])
			b.WriteString(ErasedMark)
		} else {
			b.WriteString(text[i:end])
		}
		i = end
	}
}

// wordEdge reports whether position i of s is not inside a word: the rune before it
// (before) or at it (after) is not a letter or digit.
func wordEdge(s string, i int, before bool) bool {
	var r rune
	if before {
		if i == 0 {
			return true
		}
		r, _ = utf8.DecodeLastRuneInString(s[:i])
	} else {
		if i >= len(s) {
			return true
		}
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// PrivacyLogEntry is one recorded erasure, for the admin's privacy page.
type PrivacyLogEntry = HistoryEntry
