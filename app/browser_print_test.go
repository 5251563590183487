package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/seed"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/improvementtracker/tracker/models"
)

// pdfPageObject matches a page object of a PDF ("/Type /Page", not "/Type /Pages").
var pdfPageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)

// pdfPages counts the pages of a PDF Chromium printed: one "/Type /Page" object each
// (Chromium writes its page objects uncompressed).
func pdfPages(pdf []byte) int { return len(pdfPageObject.FindAll(pdf, -1)) }

// printPDF prints the current page to A4 portrait as a person's "Print" would, with
// the page's own print styles and backgrounds.
func (b *browser) printPDF() []byte {
	b.t.Helper()
	var pdf []byte
	b.run(chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).
			WithPrintBackground(true).WithPreferCSSPageSize(true).Do(ctx)
		return err
	}))
	return pdf
}

// TestReportsPrintOnOnePage prints the month, quarter and year reports of the demo data
// to A4 in Chromium, in English and in Danish, and counts one page each. The data is
// made heavier than the demo's first: every follow-up has a root cause, the reference
// names are long, and each period carries the longest comment the steering group may
// write, so the page's bounded lists are all full, as in a big bank's year.
func TestReportsPrintOnOnePage(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	now := cphTime(2026, time.November, 30, 12, 0)
	a.store.Now = func() time.Time { return now }
	if _, err := seed.FillDemo(ctx, a.store); err != nil {
		t.Fatal(err)
	}
	steer, err := a.store.UserByEmail(ctx, "karen@demo.dk")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []models.RefKind{models.RefCategories, models.RefTouchpoints, models.RefBranches} {
		items, err := a.store.RefList(ctx, kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if err := a.store.UpdateRef(ctx, kind, it.ID, it.Name+" og forretningsområdets øvrige kanaler", it.Active, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	comment := strings.TrimSpace(strings.Repeat("Ventetiden i telefonen faldt efter omlægningen, men rådgivningen trak ned. ", 20))
	comment = strings.TrimSpace(string([]rune(comment)[:models.MaxReportComment]))
	periods := []struct{ kind, period string }{{"month", "2026-10"}, {"quarter", "2026-Q4"}, {"year", "2026"}, {"year", "2025"}}
	for _, p := range periods {
		kind, _ := models.ParsePeriodKind(p.kind)
		per, err := models.ParsePeriod(kind, p.period, a.store.Location)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.store.SetReportComment(ctx, per, comment, steer); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"da", "en"} {
		t.Run(lang, func(t *testing.T) {
			if err := a.store.SetLanguage(ctx, steer.ID, lang); err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, a, 1280, 900)
			b.signIn("karen@demo.dk", seed.DemoPassword)
			for _, p := range periods {
				b.open(fmt.Sprintf("/reports?kind=%s&period=%s", p.kind, p.period))
				if got := b.text("[data-testid=comment-body]"); got != comment {
					t.Fatalf("%s %s: the comment is not on the page: %q", p.kind, p.period, got)
				}
				pdf := b.printPDF()
				if !bytes.HasPrefix(pdf, []byte("%PDF")) {
					t.Fatalf("%s %s: not a PDF", p.kind, p.period)
				}
				file := filepath.Join(b.dir, fmt.Sprintf("report-%s-%s-%s.pdf", lang, p.kind, p.period))
				_ = os.WriteFile(file, pdf, 0o644)
				if n := pdfPages(pdf); n != 1 {
					t.Errorf("the %s report %s (%s) prints on %d pages, want 1 (%s)", p.kind, p.period, lang, n, file)
				}
			}
		})
	}
}
