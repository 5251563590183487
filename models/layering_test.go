package models_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The domain package holds types and rules only: storage (SQL, GORM, drivers, the
// schema) lives in models/store, which imports this package and never the reverse.
func TestDomainImportsNoStorage(t *testing.T) {
	forbidden := []string{"gorm.io/", "database/sql", "github.com/jackc/", "modernc.org/sqlite",
		"github.com/glebarez/", "github.com/pressly/goose", "github.com/improvementtracker/tracker/"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, prefix := range forbidden {
				if strings.HasPrefix(path, prefix) {
					t.Errorf("%s imports %s: storage belongs in models/store", name, path)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d files: is the test running in the models folder?", checked)
	}
}
