package components

import (
	"context"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

func TestHistoryChangeOf(t *testing.T) {
	da := i18n.WithTranslator(context.Background(), i18n.For("da"))
	en := i18n.WithTranslator(context.Background(), i18n.For("en"))
	tests := []struct {
		name string
		ctx  context.Context
		h    models.HistoryEntry
		want HistoryChange
	}{
		{"track as suggested shows once", en, models.HistoryEntry{Field: "track", FromValue: "quick_win", ToValue: "quick_win"},
			HistoryChange{Label: "Track", To: "Quick win"}},
		{"feedback id", da, models.HistoryEntry{Field: "feedback", ToValue: "271"}, HistoryChange{Label: "Feedback", To: "#271"}},
		{"customers told", da, models.HistoryEntry{Field: "customers", ToValue: "2"}, HistoryChange{To: "(2 kunder)"}},
		{"one customer", en, models.HistoryEntry{Field: "customers", ToValue: "1"}, HistoryChange{To: "(1 customer)"}},
		{"assignee", da, models.HistoryEntry{Field: "assignee", ToValue: "Sofie Jensen"}, HistoryChange{Label: "Tildelt", To: "Sofie Jensen"}},
		{"status", da, models.HistoryEntry{Field: "status", FromValue: "review", ToValue: "approved"},
			HistoryChange{Label: "Status", From: i18n.For("da").T("status.review"), To: i18n.For("da").T("status.approved")}},
		{"unknown field has no raw label", en, models.HistoryEntry{Field: "mystery_column", ToValue: "x"}, HistoryChange{To: "x"}},
		{"no change", en, models.HistoryEntry{}, HistoryChange{}},
	}
	for _, tt := range tests {
		if got := HistoryChangeOf(tt.ctx, tt.h); got != tt.want {
			t.Errorf("%s = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
