package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// minSimilarWordRunes leaves out short words ("og", "the", "til") that make every two
// texts look alike.
const minSimilarWordRunes = 4

// similarWords returns the stems (StemDanish) of the longer words of a text, once each.
func similarWords(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range searchWords(text) {
		if utf8.RuneCountInString(w) >= minSimilarWordRunes {
			out[StemDanish(w)] = true
		}
	}
	return out
}

// SimilarityScore counts the words of a that b shares, a word matching when one
// stem begins the other (as search matches prefixes): "Gebyrerne er for høje" and
// "Lavere gebyrer" share one ("gebyr"), "Rådgiveren" and "Rådgivere" match.
func SimilarityScore(a, b string) int {
	wa, wb := similarWords(a), similarWords(b)
	n := 0
	for x := range wa {
		for y := range wb {
			if strings.HasPrefix(x, y) || strings.HasPrefix(y, x) {
				n++
				break
			}
		}
	}
	return n
}

// SimilarImprovement is an open improvement that may already cover some feedback.
type SimilarImprovement struct {
	ID     int64
	Title  string
	Status Status
	Score  int
}

// maxOpenForSimilar caps how many open improvements are compared; a steering group
// has far fewer open at once.
const maxOpenForSimilar = 2000

// SimilarOpenImprovements suggests up to limit open improvements (not implemented,
// rejected or merged) whose title and description share words with text, most words
// shared first, so that triage links feedback to them instead of making a duplicate.
func (s *Store) SimilarOpenImprovements(ctx context.Context, text string, limit int) ([]SimilarImprovement, error) {
	if len(similarWords(text)) == 0 {
		return nil, nil
	}
	var open []Improvement
	err := s.r.WithContext(ctx).Select("id, title, description, status").
		Where("merged_into_id IS NULL AND status NOT IN ?", []Status{StatusImplemented, StatusRejected}).
		Order("priority DESC, id").Limit(maxOpenForSimilar).Find(&open).Error
	if err != nil {
		return nil, fmt.Errorf("models: similar improvements: %w", err)
	}
	var out []SimilarImprovement
	for _, imp := range open {
		if n := SimilarityScore(text, imp.Title+" "+imp.Description); n > 0 {
			out = append(out, SimilarImprovement{ID: imp.ID, Title: imp.Title, Status: imp.Status, Score: n})
		}
	}
	slices.SortStableFunc(out, func(a, b SimilarImprovement) int { return b.Score - a.Score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
