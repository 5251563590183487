// Package migrations embeds the versioned SQL schema, one folder per dialect with the
// same version numbers, so the binary can migrate any database it is pointed at.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// For returns the migrations of one dialect ("sqlite" or "postgres").
func For(dialect string) (fs.FS, error) {
	return fs.Sub(files, dialect)
}
