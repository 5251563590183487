package models

import "strings"

// PartsQuery is the second part of a search: the feedback that holds every word of the
// query inside a longer word ("gebyr" in "kortgebyrerne", "bank" in "Mobilbanken",
// "rådgiver" in "bankrådgiveren"), listed after the feedback that holds the words
// themselves (SearchTerms), which a reader looks for first.
type PartsQuery struct {
	// Trigrams is the FTS5 query of the trigram index (SQLite): every run of three
	// characters of every word of 3+ characters, all required. The index folds case
	// and diacritics itself. It finds candidates; Needles decide.
	Trigrams string
	// Grams are those trigrams, each once, as typed (lower-cased): the store asks the
	// index for the one the fewest comments hold (an AND of two common trigrams over a
	// range of rows cost FTS5 ten times one trigram's list).
	Grams []string
	// Needles are the words, stemmed (StemDanish) and folded (foldToken), that a
	// comment folded the same way must contain (SQLite).
	Needles []string
	// Patterns are the ILIKE patterns (PostgreSQL), one per word: "%stem%".
	Patterns []string
}

// minPartRunes is the shortest word a trigram index can look for: a word of one or two
// characters has no trigram, and without one every comment would have to be read.
const minPartRunes = 3

// NewPartsQuery builds the parts search for what a user typed. ok is false when the
// query has no word of minPartRunes characters or more: then only whole words (and
// prefixes) are searched. Shorter words beside a longer one are checked in the text
// ("ok rådgiver" needs "ok" somewhere in a comment that holds "rådgiv"), but never drive
// the index.
func NewPartsQuery(q string) (pq PartsQuery, ok bool) {
	seen := map[string]bool{}
	var tris []string
	for _, t := range SearchTerms(q) {
		w := t.Word
		pq.Needles = append(pq.Needles, FoldToken(w))
		pq.Patterns = append(pq.Patterns, "%"+EscapeLike(w)+"%")
		r := []rune(w)
		if len(r) < minPartRunes {
			continue
		}
		ok = true
		for i := 0; i+minPartRunes <= len(r); i++ {
			tri := string(r[i : i+minPartRunes])
			if !seen[tri] {
				seen[tri] = true
				tris = append(tris, `"`+strings.ReplaceAll(tri, `"`, `""`)+`"`)
				pq.Grams = append(pq.Grams, tri)
			}
		}
	}
	if !ok {
		return PartsQuery{}, false
	}
	pq.Trigrams = strings.Join(tris, " AND ")
	return pq, true
}

// ContainsAll reports whether text, folded as foldToken folds it, contains every
// needle (already folded). It is the exact check behind the trigram index's candidates
// on SQLite, where it runs as the SQL function tracker_contains.
func ContainsAll(text string, needles []string) bool {
	if len(needles) == 0 {
		return false
	}
	folded := FoldToken(text)
	for _, n := range needles {
		if n == "" || !strings.Contains(folded, n) {
			return false
		}
	}
	return true
}
