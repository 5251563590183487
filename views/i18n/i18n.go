// Package i18n holds the message catalogs (English, Danish and Norwegian bokmål) and the translator the
// views and handlers share. Catalogs are go-i18n JSON files embedded in the binary.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var catalogs embed.FS

// Languages the catalogs cover; the first is the fallback.
var Languages = []string{"en", "da", "nb"}

var (
	bundle     *i18n.Bundle
	bundleOnce sync.Once
	languages  map[string]*locale // filled by load, read-only after it
)

// locale is one language's localizer and its messages as T(id) gives them without
// data, worked out once: the catalogs are embedded and never change, and a page asks
// for a few hundred labels (go-i18n parses and executes each message per call, and a
// shared cache keyed by language and id cost an allocation and a lock per label).
type locale struct {
	loc   *i18n.Localizer
	plain map[string]string
}

func load() {
	bundle = i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	ids := map[string]bool{}
	for _, lang := range Languages {
		for _, file := range catalogFiles(lang) {
			mf, err := bundle.LoadMessageFileFS(catalogs, file)
			if err != nil {
				panic(fmt.Sprintf("i18n: catalog %s: %v", file, err))
			}
			for _, m := range mf.Messages {
				ids[m.ID] = true
			}
		}
	}
	languages = make(map[string]*locale, len(Languages))
	for _, lang := range Languages {
		l := &locale{loc: i18n.NewLocalizer(bundle, lang, "en"), plain: make(map[string]string, len(ids))}
		t := &Translator{Lang: lang, loc: l.loc}
		for id := range ids {
			l.plain[id] = t.localize(id, nil)
		}
		languages[lang] = l
	}
}

// catalogFiles lists a language's catalog files: locales/<lang>.json and any
// locales/<part>.<lang>.json, so that each feature can keep its messages in its own file.
func catalogFiles(lang string) []string {
	files := []string{"locales/" + lang + ".json"}
	more, _ := fs.Glob(catalogs, "locales/*."+lang+".json")
	sort.Strings(more)
	return append(files, more...)
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Translator turns message ids into text in one language.
type Translator struct {
	Lang  string
	loc   *i18n.Localizer
	plain map[string]string
}

// For returns the translator of a language, falling back to English.
func For(lang string) *Translator {
	bundleOnce.Do(load)
	l, ok := languages[lang]
	if !ok {
		lang, l = "en", languages["en"]
	}
	return &Translator{Lang: lang, loc: l.loc, plain: l.plain}
}

// T translates id; data fills {{.Name}} placeholders, and a "Count" key picks the
// plural form. A missing id shows as itself so it is noticed, never as a blank.
func (t *Translator) T(id string, data ...map[string]any) string {
	if len(data) == 0 {
		if s, ok := t.plain[id]; ok {
			return s
		}
		return t.localize(id, nil) // not in any catalog: the id itself
	}
	key, ok := dataKey(t.Lang, id, data[0])
	if !ok {
		return t.localize(id, data[0])
	}
	return filled.get(key, func() string { return t.localize(id, data[0]) })
}

// Count translates a message whose one placeholder, {{.Count}}, also picks the plural
// form ("in 4 hours"): T(id, map[string]any{"Count": n}) without building the map and
// its key, which a list asks for on every row.
func (t *Translator) Count(id string, n int) string {
	key := countKey{lang: t.Lang, id: id, n: n}
	return counted.get(key, func() string { return t.localize(id, map[string]any{"Count": n}) })
}

type countKey struct {
	lang, id string
	n        int
}

// filled and counted keep messages with placeholders once filled in: a list of 50
// rows says "in 4 hours" or "2 days overdue" on most of them, and go-i18n executes a
// text/template per call (a quarter of a list page's time). filled holds T's, for data
// of whole numbers and short strings only (dataKey); counted holds Count's.
var (
	filled  keptMessages[string]
	counted keptMessages[countKey]
)

// keptMessages is a map of filled-in messages that starts afresh at maxFilled.
type keptMessages[K comparable] struct {
	mu sync.Mutex
	m  map[K]string
}

const maxFilled = 4096

// get returns the message kept under key, or fills it in and keeps it.
func (k *keptMessages[K]) get(key K, fill func() string) string {
	k.mu.Lock()
	s, ok := k.m[key]
	k.mu.Unlock()
	if ok {
		return s
	}
	s = fill()
	k.mu.Lock()
	if k.m == nil || len(k.m) >= maxFilled {
		k.m = map[K]string{}
	}
	k.m[key] = s
	k.mu.Unlock()
	return s
}

// dataKey is the key of a message filled in with data, or false when the data holds
// something other than whole numbers and short strings.
func dataKey(lang, id string, data map[string]any) (string, bool) {
	if len(data) > 4 {
		return "", false
	}
	var names [4]string
	i := 0
	for k := range data {
		names[i] = k
		i++
	}
	sort.Strings(names[:i])
	b := make([]byte, 0, 64)
	b = append(append(append(b, lang...), 0), id...)
	for _, k := range names[:i] {
		b = append(append(append(b, 0), k...), '=')
		switch v := data[k].(type) {
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case string:
			if len(v) > 64 {
				return "", false
			}
			// Length first: a value holding "\x00Key=" cannot pose as another key.
			b = append(append(strconv.AppendInt(append(b, '"'), int64(len(v)), 10), ':'), v...)
		default:
			return "", false
		}
	}
	return string(b), true
}

func (t *Translator) localize(id string, data map[string]any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if data != nil {
		cfg.TemplateData = t.formatData(data)
		if n, ok := data["Count"]; ok {
			cfg.PluralCount = n
		}
	}
	s, err := t.loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// A message written without a "one" (or other) form still has its "other"
		// form: show that rather than the message id ("report.then" on screen).
		cfg.PluralCount = nil
		s, err = t.loc.Localize(cfg)
	}
	if err != nil {
		return id
	}
	return s
}

// unformatted are the placeholders whose numbers are names rather than amounts: a
// year, an id, a score or a rank is written without a thousands separator.
var unformatted = map[string]bool{"Year": true, "ID": true, "Month": true, "Score": true,
	"Priority": true, "Impact": true, "Effort": true}

// formatData writes the numbers of a message's data in the language (1.250 and 27,3 in
// Danish), so that no message shows a number the English way; the plural form is still
// picked from the number itself.
func (t *Translator) formatData(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		if unformatted[k] {
			out[k] = v
			continue
		}
		switch n := v.(type) {
		case interface{ Ore() int64 }:
			// An amount of money (models.Money): "1.000.000 kr.", never a bare number.
			out[k] = t.FormatMoney(n.Ore())
		case int:
			out[k] = t.FormatInt(int64(n))
		case int64:
			out[k] = t.FormatInt(n)
		case int32:
			out[k] = t.FormatInt(int64(n))
		case float64:
			out[k] = t.FormatNumber(n, 1)
		default:
			out[k] = v
		}
	}
	return out
}

// MessageIDs lists the ids of one language's catalog files, for the completeness test.
func MessageIDs(lang string) (map[string]bool, error) {
	ids := map[string]bool{}
	for _, file := range catalogFiles(lang) {
		b, err := catalogs.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		for k := range m {
			if ids[k] {
				return nil, fmt.Errorf("%s: %q is defined twice", file, k)
			}
			ids[k] = true
		}
	}
	return ids, nil
}

type ctxKey struct{}

// WithTranslator stores the request's translator in a context, where templ components
// find it.
func WithTranslator(ctx context.Context, t *Translator) context.Context {
	return context.WithValue(ctx, ctxKey{}, t)
}

// FromContext returns the translator of a context, or English.
func FromContext(ctx context.Context) *Translator {
	if t, ok := ctx.Value(ctxKey{}).(*Translator); ok {
		return t
	}
	return For("en")
}

// Has reports whether a translator was stored in ctx.
func Has(ctx context.Context) bool {
	_, ok := ctx.Value(ctxKey{}).(*Translator)
	return ok
}

// Count translates a message of one count with the context's translator.
func Count[N ~int | ~int64](ctx context.Context, id string, n N) string {
	return FromContext(ctx).Count(id, int(n))
}

// T translates id with the context's translator.
func T(ctx context.Context, id string, data ...map[string]any) string {
	return FromContext(ctx).T(id, data...)
}
