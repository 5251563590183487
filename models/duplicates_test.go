package models_test

import (
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestSimilarityScore(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"Gebyrerne er for høje", "Lavere gebyrer på kort", 1},
		{"Mobilbanken logger mig ud", "Længere tid før log ud i mobilbanken", 1},
		{"Rådgiveren ringede ikke tilbage", "Rådgivere skal ringe tilbage samme dag", 3},
		{"og i på", "og i på", 0},
		{"Kassen var lukket", "Nyt kortdesign", 0},
	}
	for _, tt := range tests {
		if got := models.SimilarityScore(tt.a, tt.b); got != tt.want {
			t.Errorf("SimilarityScore(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
