// Package models holds the domain rules and the storage of Improvement Tracker.
// It imports neither app nor views: handlers call into it, never the reverse.
package models

import "errors"

// ErrNotFound reports that a requested record does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict reports a stale version or a uniqueness clash: the caller's view of the
// record is out of date, so the change was not applied.
var ErrConflict = errors.New("conflict")

// ErrNotAllowed reports a change the domain rules refuse, such as a status transition
// that is not in the table.
var ErrNotAllowed = errors.New("not allowed")

// ValidationError carries field-level problems (field name -> message key) so that
// handlers can show each beside its field.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string { return "validation failed" }

// Invalid builds a ValidationError for a single field.
func Invalid(field, message string) *ValidationError {
	return &ValidationError{Fields: map[string]string{field: message}}
}

// ErrForbidden reports that the user's roles do not allow a change, for rules that
// depend on the record (a quick-win member may move quick-win items, not steering ones).
var ErrForbidden = errors.New("forbidden")
