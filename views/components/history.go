package components

import (
	"context"
	"strconv"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// HistoryChange is the change a history entry records, in words: a label and the values
// before and after, each in the reader's language. Label is empty when the action says it
// all; From is empty when there was nothing before or it equals To.
type HistoryChange struct {
	Label, From, To string
}

// HistoryChangeOf words the field change of a history entry. The stored field names and
// values are the database's ("track", "quick_win", "271"): shown raw they read as
// "track: quick_win → quick_win", so every field has a label in the catalogs, every
// coded value its translation, and numbers their own phrase ("2 customers").
func HistoryChangeOf(ctx context.Context, h models.HistoryEntry) HistoryChange {
	if h.Field == "" || (h.FromValue == "" && h.ToValue == "") {
		return HistoryChange{}
	}
	t := i18n.FromContext(ctx)
	value := func(v string) string {
		if v == "" {
			return ""
		}
		switch h.Field {
		case "status", "track", "triage_status":
			if s := t.T(h.Field + "." + v); s != h.Field+"."+v {
				return s
			}
		case "feedback", "improvement":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				return "#" + strconv.FormatInt(n, 10)
			}
		case "customers":
			if n, err := strconv.Atoi(v); err == nil {
				return t.Count("history.customers_count", n)
			}
		case "goodwill_amount", "goodwill_monthly_limit", "savings_estimated_kr", "savings_realised_kr":
			// History keeps amounts as plain kroner ("250", "250.50"; models.Money.String),
			// the same text before and after migration 00020 moved the columns to øre.
			if m, err := models.ParseMoneyDecimal(v); err == nil {
				return t.FormatMoney(m.Ore())
			}
		}
		return v
	}
	c := HistoryChange{From: value(h.FromValue), To: value(h.ToValue)}
	if id := "history.field." + h.Field; t.T(id) != id {
		c.Label = t.T(id)
	}
	if c.From == c.To {
		c.From = ""
	}
	return c
}

// ErrorText words a field's validation problem; a length or range refusal names the
// field's limit (models.FieldLimits), in the reader's number format.
func ErrorText(ctx context.Context, field, code string) string {
	if max, ok := models.MoneyLimits[field]; ok && code == "out_of_range" {
		return i18n.T(ctx, "validation.out_of_range_max", map[string]any{"Max": max})
	}
	if max, ok := models.FieldLimits[field]; ok && (code == "too_long" || code == "out_of_range") {
		return i18n.T(ctx, "validation."+code+"_max", map[string]any{"Max": max})
	}
	return i18n.T(ctx, "validation."+code)
}
