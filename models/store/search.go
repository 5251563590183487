package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/improvementtracker/tracker/models"
)

// ftsQuery turns what a user typed into an FTS5 query of quoted words, each a prefix
// where SearchTerms says so (all must match), so that quotes, colons or "NEAR" never
// become FTS syntax.
func ftsQuery(q string) string {
	terms := models.SearchTerms(q)
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t.Word + `"`
		if t.Prefix {
			parts[i] += "*"
		}
	}
	return strings.Join(parts, " ")
}

// maxPrefixTerms is how many indexed words a prefix is spelled out into. FTS5 reads
// the whole list of every word a "prefix*" matches before it can skip to a range of
// rows (the windowed search asks for one range after another: 13 ms for a common
// word became 68 ms). Spelled out as "word1 OR word2 ...", each word's list is
// skipped through as an exact word's is. A prefix matching more words than this is
// left to FTS5.
const maxPrefixTerms = 32

// ftsMatch turns what a user typed into the FTS5 query the search runs: ftsQuery, with
// each prefix spelled out as the indexed words it matches (maxPrefixTerms). The
// vocabulary changes only with writes, so the answer is kept like the dashboard's
// figures.
func (s *Store) ftsMatch(ctx context.Context, q string) string {
	m, err := cachedAggregate(ctx, s, "fts "+q, func(ctx context.Context) (string, error) {
		terms := models.SearchTerms(q)
		parts := make([]string, len(terms))
		for i, t := range terms {
			parts[i] = `"` + t.Word + `"`
			if !t.Prefix {
				continue
			}
			parts[i] += "*"
			low := models.FoldToken(t.Word)
			var words []string
			err := s.r.WithContext(ctx).Raw(`SELECT term FROM feedback_fts_vocab WHERE term >= ? AND term < ? LIMIT ?`,
				low, low+string(utf8.MaxRune), maxPrefixTerms+1).Scan(&words).Error
			if err != nil {
				return "", err
			}
			if len(words) == 0 || len(words) > maxPrefixTerms {
				continue
			}
			for j, w := range words {
				words[j] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
			}
			parts[i] = "(" + strings.Join(words, " OR ") + ")"
		}
		// Explicit AND: FTS5 takes no implicit AND after a parenthesised group.
		return strings.Join(parts, " AND "), nil
	})
	if err != nil {
		return ftsQuery(q)
	}
	return m
}

// tsQuery turns what a user typed into a PostgreSQL to_tsquery('danish', ...) text:
// the words (letters and digits only, so nothing becomes syntax) joined by &, each
// with :* where SearchTerms matches a prefix. The danish configuration stems the words
// again, as it stemmed the comments.
func tsQuery(q string) string {
	words := models.SearchWords(q)
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = strings.ToLower(w)
		if utf8.RuneCountInString(w) >= models.MinPrefixRunes {
			parts[i] += ":*"
		}
	}
	return strings.Join(parts, " & ")
}
