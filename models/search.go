package models

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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

// MinPrefixRunes is the shortest query word matched as a prefix: "ok" or "a" as a
// prefix would reach a large part of the index for nothing a person meant.
const MinPrefixRunes = 3

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
// MinPrefixRunes are matched exactly.
func SearchTerms(q string) []searchTerm {
	words := SearchWords(q)
	out := make([]searchTerm, 0, len(words))
	for _, w := range words {
		w = strings.ToLower(w)
		if utf8.RuneCountInString(w) < MinPrefixRunes {
			out = append(out, searchTerm{Word: w})
			continue
		}
		out = append(out, searchTerm{Word: StemDanish(w), Prefix: true})
	}
	return out
}

// FoldToken lower-cases w and removes its diacritics the way FTS5's unicode61
// tokenizer with remove_diacritics 2 stores it ("Rådgiver" -> "radgiver"; ø and æ,
// which do not decompose, stay).
func FoldToken(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}
