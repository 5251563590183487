package models

import (
	"strings"
	"unicode/utf8"
)

// minSimilarWordRunes leaves out short words ("og", "the", "til") that make every two
// texts look alike.
const minSimilarWordRunes = 4

// SimilarWords returns the stems (StemDanish) of the longer words of a text, once each.
func SimilarWords(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range SearchWords(text) {
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
	wa, wb := SimilarWords(a), SimilarWords(b)
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
