package models

import (
	"strings"
	"unicode/utf8"
)

// danishSuffixes are the inflectional endings StemDanish removes, longest first: the
// definite and plural forms of nouns ("gebyrerne", "banken", "rådgivere") and the
// common verb and adjective endings. It is a light stemmer for queries only: the
// query's stem is then matched as a prefix, so it may cut less than Snowball would.
var danishSuffixes = []string{"erne", "ende", "ene", "ere", "ens", "ets", "ers", "en", "er", "et", "es", "e", "s"}

// minStemRunes keeps a stem long enough to mean something: "huse" -> "hus", never "h".
const minStemRunes = 3

// StemDanish strips one inflectional ending from a lower-cased Danish word, so that
// "gebyrerne", "gebyrer" and "gebyr" share the stem "gebyr" and "Mobilbanken" and
// "mobilbank" share "mobilbank". Words it does not know stay as they are.
func StemDanish(w string) string {
	w = strings.ToLower(w)
	for _, suf := range danishSuffixes {
		if strings.HasSuffix(w, suf) && utf8.RuneCountInString(w)-utf8.RuneCountInString(suf) >= minStemRunes {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

// minPrefixRunes is the shortest query word matched as a prefix: "ok" or "a" as a
// prefix would reach a large part of the index for nothing a person meant.
const minPrefixRunes = 3

// searchTerm is one word of a query as the index is asked for it: its stem, and
// whether it is matched as a prefix.
type searchTerm struct {
	Word   string
	Prefix bool
}

// SearchTerms turns what a user typed into the terms every match must contain: each
// word stemmed (StemDanish) and matched as a prefix, so "rådgiver" finds
// "Rådgiveren", "gebyrer" finds "gebyrerne", "mobilbank" finds "Mobilbanken". A
// trailing "*" ("rådgiv*") is the same prefix match. Words shorter than
// minPrefixRunes are matched exactly.
func SearchTerms(q string) []searchTerm {
	words := searchWords(q)
	out := make([]searchTerm, 0, len(words))
	for _, w := range words {
		w = strings.ToLower(w)
		if utf8.RuneCountInString(w) < minPrefixRunes {
			out = append(out, searchTerm{Word: w})
			continue
		}
		out = append(out, searchTerm{Word: StemDanish(w), Prefix: true})
	}
	return out
}

// ftsQuery turns what a user typed into an FTS5 query of quoted words, each a prefix
// where SearchTerms says so (all must match), so that quotes, colons or "NEAR" never
// become FTS syntax.
func ftsQuery(q string) string {
	terms := SearchTerms(q)
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t.Word + `"`
		if t.Prefix {
			parts[i] += "*"
		}
	}
	return strings.Join(parts, " ")
}

// tsQuery turns what a user typed into a PostgreSQL to_tsquery('danish', ...) text:
// the words (letters and digits only, so nothing becomes syntax) joined by &, each
// with :* where SearchTerms matches a prefix. The danish configuration stems the words
// again, as it stemmed the comments.
func tsQuery(q string) string {
	words := searchWords(q)
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = strings.ToLower(w)
		if utf8.RuneCountInString(w) >= minPrefixRunes {
			parts[i] += ":*"
		}
	}
	return strings.Join(parts, " & ")
}
