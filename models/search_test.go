package models_test

import (
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestStemDanish(t *testing.T) {
	tests := []struct{ in, want string }{
		{"gebyrerne", "gebyr"}, {"gebyrer", "gebyr"}, {"gebyr", "gebyr"},
		{"Rådgiveren", "rådgiver"}, {"rådgivere", "rådgiv"}, {"rådgiver", "rådgiv"},
		{"mobilbanken", "mobilbank"}, {"mobilbank", "mobilbank"}, {"kortet", "kort"},
		{"huse", "hus"}, {"bil", "bil"}, {"ene", "ene"}, {"og", "og"},
	}
	for _, tt := range tests {
		if got := models.StemDanish(tt.in); got != tt.want {
			t.Errorf("StemDanish(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
