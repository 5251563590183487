package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestDanishHasEveryEnglishMessage(t *testing.T) {
	en, err := MessageIDs("en")
	if err != nil {
		t.Fatal(err)
	}
	da, err := MessageIDs("da")
	if err != nil {
		t.Fatal(err)
	}
	for id := range en {
		if !da[id] {
			t.Errorf("da.json lacks %q", id)
		}
	}
	for id := range da {
		if !en[id] {
			t.Errorf("da.json has %q, which en.json does not", id)
		}
	}
}

// literalIDs finds message ids written as literals in the code: T(ctx, "id"),
// page(c, "id", ...) and flash(c, "id").
var literalIDs = regexp.MustCompile(`(?:\bT\(ctx, |\.T\(|\.page\(c, |\.flash\(c, )"([a-z_]+\.[a-z0-9_.]+)"`)

func TestEveryMessageUsedInCodeIsInTheCatalog(t *testing.T) {
	en, err := MessageIDs("en")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	missing := map[string]string{}
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_test.go") || !strings.HasSuffix(path, ".templ") && !(strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_templ.go")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literalIDs.FindAllStringSubmatch(string(b), -1) {
			if !en[m[1]] {
				missing[m[1]] = path
			}
		}
		return nil
	})
	var ids []string
	for id := range missing {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Errorf("%s uses %q, which en.json lacks", missing[id], id)
	}
}

func TestTranslatorFallsBackAndPluralises(t *testing.T) {
	if got := For("da").T("nav.home"); got != "Forside" {
		t.Errorf("da nav.home = %q", got)
	}
	if got := For("fr").T("nav.home"); got != "Home" {
		t.Errorf("unknown language falls back to English: %q", got)
	}
	if got := For("en").T("time.days_overdue", map[string]any{"Count": 2}); got != "2 days overdue" {
		t.Errorf("plural: %q", got)
	}
	if got := For("en").T("no.such.id"); got != "no.such.id" {
		t.Errorf("missing id: %q", got)
	}
}
