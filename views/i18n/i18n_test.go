package i18n

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestDanishHasEveryEnglishMessage(t *testing.T) { catalogMatchesEnglish(t, "da") }

func TestNorwegianHasEveryEnglishMessage(t *testing.T) { catalogMatchesEnglish(t, "nb") }

// catalogMatchesEnglish checks that a language defines exactly the English ids, and
// every plural form its language needs where English has plural forms.
func catalogMatchesEnglish(t *testing.T, lang string) {
	t.Helper()
	en, err := MessageIDs("en")
	if err != nil {
		t.Fatal(err)
	}
	other, err := MessageIDs(lang)
	if err != nil {
		t.Fatal(err)
	}
	for id := range en {
		if !other[id] {
			t.Errorf("%s catalog lacks %q", lang, id)
		}
	}
	for id := range other {
		if !en[id] {
			t.Errorf("%s catalog has %q, which the English one does not", lang, id)
		}
	}
	enPlurals, err := pluralIDs("en")
	if err != nil {
		t.Fatal(err)
	}
	otherPlurals, err := pluralIDs(lang)
	if err != nil {
		t.Fatal(err)
	}
	for id := range enPlurals {
		forms := otherPlurals[id]
		if forms["one"] == "" || forms["other"] == "" {
			t.Errorf("%s: %q needs both plural forms one and other, has %v", lang, id, forms)
		}
	}
}

// pluralIDs maps each message with plural forms to its forms.
func pluralIDs(lang string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, file := range catalogFiles(lang) {
		b, err := catalogs.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		for id, v := range m {
			if forms, ok := v.(map[string]any); ok {
				out[id] = map[string]string{}
				for k, f := range forms {
					out[id][k], _ = f.(string)
				}
			}
		}
	}
	return out, nil
}

func TestNorwegianTranslatesAndPluralises(t *testing.T) {
	nb := For("nb")
	if nb.Lang != "nb" {
		t.Fatalf("For(nb).Lang = %q", nb.Lang)
	}
	for _, c := range []struct {
		id   string
		data map[string]any
		want string
	}{
		{"nav.home", nil, "Startside"},
		{"login.submit", nil, "Logg inn"},
		{"time.days_overdue", map[string]any{"Count": 1}, "1 dag forsinket"},
		{"time.days_overdue", map[string]any{"Count": 3}, "3 dager forsinket"},
		{"feedback.count", map[string]any{"Count": 2}, "2 tilbakemeldinger"},
	} {
		var got string
		if c.data == nil {
			got = nb.T(c.id)
		} else {
			got = nb.T(c.id, c.data)
		}
		if got != c.want {
			t.Errorf("nb %s %v = %q, want %q", c.id, c.data, got, c.want)
		}
	}
}

// literalIDs finds message ids written as literals in the code: T(ctx, "id"), Count(ctx, "id", n),
// page(c, "id", ...) and flash(c, "id").
var literalIDs = regexp.MustCompile(`(?:\bT\(ctx, |\.T\(|\bCount\(ctx, |\.Count\(|\.page\(c, |\.flash\(c, )"([a-z_]+\.[a-z0-9_.]+)"`)

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

func TestDataKey(t *testing.T) {
	key := func(data map[string]any) string {
		k, ok := dataKey("da", "m", data)
		if !ok {
			return "(not kept)"
		}
		return k
	}
	same := [][2]map[string]any{
		{{"Count": 3, "Name": "Ole"}, {"Name": "Ole", "Count": 3}},
	}
	for _, p := range same {
		if key(p[0]) != key(p[1]) {
			t.Errorf("%v and %v have different keys", p[0], p[1])
		}
	}
	different := [][2]map[string]any{
		{{"Count": 3}, {"Count": 4}},
		{{"Count": 3}, {"Count": int64(3), "X": 1}},
		{{"Name": "Ole"}, {"Name": "Ola"}},
		// A value cannot pose as another key.
		{{"Name": "x\x00Y=1"}, {"Name": "x", "Y": 1}},
		{{"Name": "x\x00Y=\"1:a"}, {"Name": "x", "Y": "a"}},
	}
	for _, p := range different {
		if a, b := key(p[0]), key(p[1]); a == b {
			t.Errorf("%q and %q share the key %q", p[0], p[1], a)
		}
	}
	for _, data := range []map[string]any{{"Share": 27.3}, {"Name": strings.Repeat("x", 65)}, {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}} {
		if _, ok := dataKey("da", "m", data); ok {
			t.Errorf("%v was kept; only whole numbers and short strings are", data)
		}
	}
}

// Kept filled-in messages give what go-i18n gives: the plural form and number of each.
func TestFilledMessagesAreKeptPerData(t *testing.T) {
	tr := For("en")
	for range 2 { // the second round reads what the first kept
		for n, want := range map[int]string{1: "1 hour", 2: "2 hours", 1250: "1,250 hours"} {
			if got := tr.T("time.in_hours", map[string]any{"Count": n}); !strings.Contains(got, want) {
				t.Errorf("in_hours %d = %q, want it to say %q", n, got, want)
			}
		}
	}
}

// Count gives what T gives with the count as its data, in every language, first filled
// in and then kept.
func TestCountIsTWithTheCount(t *testing.T) {
	for _, lang := range Languages {
		tr := For(lang)
		for range 2 {
			for _, id := range []string{"time.in_hours", "time.days_overdue", "feedback.count", "nav.home"} {
				for _, n := range []int{0, 1, 2, 21, 1250} {
					want := tr.T(id, map[string]any{"Count": n})
					if got := tr.Count(id, n); got != want {
						t.Errorf("%s: Count(%s, %d) = %q, T gives %q", lang, id, n, got, want)
					}
				}
			}
		}
	}
}
