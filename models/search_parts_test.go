package models_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestNewPartsQuery(t *testing.T) {
	tests := []struct {
		q        string
		ok       bool
		trigrams string
		needles  []string
		patterns []string
	}{
		{"gebyr", true, `"geb" AND "eby" AND "byr"`, []string{"gebyr"}, []string{"%gebyr%"}},
		// The stem is looked for: "gebyrer" finds "kortgebyrerne" and "overtræksgebyr".
		{"gebyrer", true, `"geb" AND "eby" AND "byr"`, []string{"gebyr"}, []string{"%gebyr%"}},
		{"Gebyrerne", true, `"geb" AND "eby" AND "byr"`, []string{"gebyr"}, []string{"%gebyr%"}},
		{"bank", true, `"ban" AND "ank"`, []string{"bank"}, []string{"%bank%"}},
		// The index folds diacritics itself; the exact check compares folded text.
		{"Rådgiveren", true, `"råd" AND "ådg" AND "dgi" AND "giv" AND "ive" AND "ver"`, []string{"radgiver"}, []string{"%rådgiver%"}},
		{"rådgiv*", true, `"råd" AND "ådg" AND "dgi" AND "giv"`, []string{"radgiv"}, []string{"%rådgiv%"}},
		// ø and æ do not decompose and stay.
		{"Høj", true, `"høj"`, []string{"høj"}, []string{"%høj%"}},
		// A repeated trigram is asked for once.
		{"aaaaa", true, `"aaa"`, []string{"aaaaa"}, []string{"%aaaaa%"}},
		// Two words: both required; a short word is checked in the text only.
		{"ok bank", true, `"ban" AND "ank"`, []string{"ok", "bank"}, []string{"%ok%", "%bank%"}},
		{"gebyr høje", true, `"geb" AND "eby" AND "byr" AND "høj"`, []string{"gebyr", "høj"}, []string{"%gebyr%", "%høj%"}},
		// Punctuation never becomes syntax of either database.
		{`"bank" OR 1=1 --`, true, `"ban" AND "ank"`, []string{"bank", "or", "1", "1"}, []string{"%bank%", "%or%", "%1%", "%1%"}},
		// No word of three characters: no trigram to look up, whole words only.
		{"ok", false, "", nil, nil},
		{"ok 12", false, "", nil, nil},
		{"", false, "", nil, nil},
		{"  * ", false, "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			pq, ok := models.NewPartsQuery(tt.q)
			var grams []string
			for _, g := range pq.Grams {
				grams = append(grams, `"`+g+`"`)
			}
			if strings.Join(grams, " AND ") != tt.trigrams {
				t.Errorf("NewPartsQuery(%q).Grams = %q, want those of %q", tt.q, pq.Grams, tt.trigrams)
			}
			if ok != tt.ok || pq.Trigrams != tt.trigrams || !slices.Equal(pq.Needles, tt.needles) || !slices.Equal(pq.Patterns, tt.patterns) {
				t.Errorf("NewPartsQuery(%q) = %+v, %v; want %q %q %q, %v", tt.q, pq, ok, tt.trigrams, tt.needles, tt.patterns, tt.ok)
			}
		})
	}
}

func TestContainsAll(t *testing.T) {
	tests := []struct {
		text    string
		needles []string
		want    bool
	}{
		{"Bankrådgiveren var dygtig", []string{"radgiver"}, true},
		{"RÅDGIVEREN SVAREDE ALDRIG", []string{"radgiver"}, true},
		{"Alle kortgebyrerne er for høje", []string{"gebyr", "høj"}, true},
		{"Alle kortgebyrerne er for lave", []string{"gebyr", "høj"}, false},
		// The trigrams of "bank" without the word: a candidate the index gives, not a match.
		{"En banan og en ankel", []string{"bank"}, false},
		{"Mobilbanken", nil, false},
		{"Mobilbanken", []string{""}, false},
	}
	for _, tt := range tests {
		if got := models.ContainsAll(tt.text, tt.needles); got != tt.want {
			t.Errorf("ContainsAll(%q, %q) = %v, want %v", tt.text, tt.needles, got, tt.want)
		}
	}
}
