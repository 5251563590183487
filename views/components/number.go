package components

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/improvementtracker/tracker/views/i18n"
)

// numberSeparators are each language's thousands separator and decimal mark: "1,250.5"
// in English, "1.250,5" in Danish and "1 250,5" in Norwegian, whose thousands separator
// is a space (a no-break space here, so a figure never wraps across lines).
//
// This is deliberately small: a common formatting layer for numbers, money and time is
// being built separately; it should take these rules over.
var numberSeparators = map[string][2]string{
	"en": {",", "."},
	"da": {".", ","},
	"nb": {"\u00a0", ","},
}

// FormatNumber writes v with decimals digits after the decimal mark, grouped in
// thousands, the way the context's language writes numbers.
func FormatNumber(ctx context.Context, v float64, decimals int) string {
	return formatNumber(i18n.FromContext(ctx).Lang, v, decimals)
}

// FormatInt writes a whole number grouped in thousands in the context's language.
func FormatInt(ctx context.Context, n int64) string {
	return formatNumber(i18n.FromContext(ctx).Lang, float64(n), 0)
}

// FormatKroner writes an amount of kroner: "1 250 kr" in Norwegian, "1.250 kr." in
// Danish, "DKK 1,250" in English.
func FormatKroner(ctx context.Context, n int64) string {
	lang := i18n.FromContext(ctx).Lang
	s := formatNumber(lang, float64(n), 0)
	switch lang {
	case "nb":
		return s + "\u00a0kr"
	case "da":
		return s + "\u00a0kr."
	}
	return "DKK\u00a0" + s
}

func formatNumber(lang string, v float64, decimals int) string {
	sep, ok := numberSeparators[lang]
	if !ok {
		sep = numberSeparators["en"]
	}
	neg := v < 0
	// Half away from zero, as people round (and as models.RoundTo1 does), not to even.
	scale := math.Pow10(decimals)
	s := strconv.FormatFloat(math.Round(math.Abs(v)*scale)/scale, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep[0])
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(sep[1])
		b.WriteString(frac)
	}
	return b.String()
}
