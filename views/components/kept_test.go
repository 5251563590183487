package components

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// Forms kept for a team are drawn once, and each reader gets every form with their own
// token, escaped as templ escapes it; without drawings each reader's are drawn afresh.
func TestKeptFormsAreDrawnOnceWithEachReadersToken(t *testing.T) {
	ctx := i18n.WithTranslator(context.Background(), i18n.For("en"))
	draws := 0
	forms := func(_ context.Context, csrf string) templ.Component {
		draws++
		return templ.Join(CSRF(csrf), templ.Raw("<button>Claim</button>"), CSRF(csrf))
	}
	fresh := func(csrf string) string {
		var b strings.Builder
		if err := templ.Join(CSRF(csrf), templ.Raw("<button>Claim</button>"), CSRF(csrf)).Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	d := new(models.Drawings)
	for _, tc := range []struct {
		drawings  *models.Drawings
		csrf      string
		wantDraws int
	}{
		{d, "token-of-anna", 1},
		{d, `token"&<of>bo`, 1},
		{d, "token-of-anna", 1},
		{nil, "token-of-carl", 2},
		{nil, "token-of-carl", 3},
	} {
		var b strings.Builder
		if err := KeptForms(tc.drawings, "forms", "", tc.csrf, forms).Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		if want := fresh(tc.csrf); b.String() != want {
			t.Errorf("%s: got %s, want %s", tc.csrf, b.String(), want)
		}
		if draws != tc.wantDraws {
			t.Errorf("%s: %d drawings, want %d", tc.csrf, draws, tc.wantDraws)
		}
	}
}
