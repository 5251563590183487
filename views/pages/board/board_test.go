package board

import (
	"context"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/views/i18n"
)

// A column's count is a number in the reader's language, like every other figure.
func TestColumnCountInTheReadersLanguage(t *testing.T) {
	for lang, want := range map[string]string{"da": "(1.234)", "en": "(1,234)", "nb": "(1\u00a0234)"} {
		ctx := i18n.WithTranslator(context.Background(), i18n.For(lang))
		var b strings.Builder
		if err := column(View{}, "queued", "Queued", nil, 1234, "None").Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), want) {
			t.Errorf("%s: %s lacks %q", lang, b.String(), want)
		}
	}
}
