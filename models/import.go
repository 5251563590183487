package models

import (
	"errors"
)

// ImportBatch is how many rows one import transaction inserts. Each commit rewrites
// every index page its rows touched; on a million-row table 1,000-row batches wrote the
// same pages a hundred times per 100,000 rows (39 s), 10,000-row batches ten times
// (20 s then, 6.4 s once the per-row triggers were replaced by per-batch statements),
// 25,000-row batches four times (5.4 s). A batch holds the write lock for about 1.3 s
// on SQLite, the longest another writer waits during an import. The batch's external
// ids are looked up with one parameter each, which keeps it under SQLite's 32,766.
const ImportBatch = 25000

// ImportOptions tunes an import.
type ImportOptions struct {
	// CreateMissing adds unknown channels, touchpoints and branches instead of
	// rejecting their rows.
	CreateMissing bool
	// By is who imports; stored as who logged the feedback.
	By *User
}

// RowError is why one row of an import was rejected.
type RowError struct {
	// Line is the line of the file the row starts on (the header is line 1).
	Line int
	// Field and Message name the problem for translation, Detail quotes the value at
	// fault; Reason says it all in English.
	Field, Message, Detail, Reason string
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Skipped int
	Rejected         []RowError
}

// ErrBadFile reports a file that cannot be imported at all (no header, a required
// column missing, not CSV).
var ErrBadFile = errors.New("the file cannot be imported")
