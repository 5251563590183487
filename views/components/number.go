package components

import (
	"context"

	"github.com/improvementtracker/tracker/views/i18n"
)

// FormatNumber writes v with decimals digits after the decimal mark, grouped in
// thousands, the way the context's language writes numbers (views/i18n's one layer).
func FormatNumber(ctx context.Context, v float64, decimals int) string {
	return i18n.Number(ctx, v, decimals)
}

// FormatInt writes a whole number grouped in thousands in the context's language.
func FormatInt(ctx context.Context, n int64) string { return i18n.Int(ctx, n) }

// FormatKroner writes an amount of whole kroner in the context's language.
func FormatKroner(ctx context.Context, n int64) string { return i18n.Money(ctx, n*100) }
