package improvements

import (
	"context"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// Savings name what was given, and only that.
func TestSavingsText(t *testing.T) {
	kr, hours, one := models.Kroner(120000), 1500, 1
	tests := []struct {
		lang  string
		money *models.Money
		hours *int
		want  string
	}{
		{"en", nil, nil, "–"},
		{"en", &kr, nil, "DKK\u00a0120,000"},
		{"en", nil, &hours, "1,500 hours"},
		{"en", &kr, &hours, "DKK\u00a0120,000 · 1,500 hours"},
		{"da", nil, &hours, "1.500 timer"},
		{"en", nil, &one, "1 hour"},
		{"da", nil, &one, "1 time"},
	}
	for _, tt := range tests {
		ctx := i18n.WithTranslator(context.Background(), i18n.For(tt.lang))
		if got := savingsText(ctx, tt.money, tt.hours); got != tt.want {
			t.Errorf("%s: savingsText(%v, %v) = %q, want %q", tt.lang, tt.money, tt.hours, got, tt.want)
		}
	}
}
