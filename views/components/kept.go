package components

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
)

// Kept draws what draw returns once for all readers of one value the store keeps (its
// drawings d): per name, the reader's language and zone, and version, which names all
// else the drawing depends on (models.Drawings). With d nil it draws for each reader.
func Kept(d *models.Drawings, name, version string, draw func(context.Context) templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		b, err := drawn(ctx, d, name, version, draw)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
}

// KeptPart is Kept for a part of a page that shows nothing but the value d belongs to:
// part draws it from the page's model m, once per language and zone.
func KeptPart[M any](d *models.Drawings, name string, m M, part func(M) templ.Component) templ.Component {
	return Kept(d, name, "", func(context.Context) templ.Component { return part(m) })
}

// csrfHole stands in for the reader's CSRF token in a drawing shared by readers
// (KeptForms). It is random per process and never sent: every copy of the drawing has
// it replaced by the reader's token, so no one can write it into a title to be filled.
var csrfHole = "csrf-hole-" + rand.Text()

// KeptForms is Kept for a drawing with forms: it draws them once with a hole where
// each form's CSRF token goes, and fills the reader's token (csrf) into every hole.
// The forms are then the same for a whole team, as a quick-win board's cards are.
func KeptForms(d *models.Drawings, name, version, csrf string, draw func(ctx context.Context, csrf string) templ.Component) templ.Component {
	if d == nil {
		return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error { return draw(ctx, csrf).Render(ctx, w) })
	}
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		parts, err := d.DrawCut(drawingKey(ctx, name), version, []byte(csrfHole), func() ([]byte, error) {
			return render(ctx, draw(ctx, csrfHole))
		})
		if err != nil {
			return err
		}
		return fillHoles(w, parts, []byte(templ.EscapeString(csrf)))
	})
}

// fillHoles writes the parts of a drawing with fill between each two.
func fillHoles(w io.Writer, parts [][]byte, fill []byte) error {
	for i, part := range parts {
		if i > 0 {
			if _, err := w.Write(fill); err != nil {
				return err
			}
		}
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	return nil
}

// drawn is d's drawing of name and version in the reader's language and zone.
func drawn(ctx context.Context, d *models.Drawings, name, version string, draw func(context.Context) templ.Component) ([]byte, error) {
	return d.Draw(drawingKey(ctx, name), version, func() ([]byte, error) { return render(ctx, draw(ctx)) })
}

// drawingKey keeps a drawing per name, the reader's language and zone.
func drawingKey(ctx context.Context, name string) string {
	return i18n.FromContext(ctx).Lang + "\x00" + i18n.Location(ctx).String() + "\x00" + name
}

func render(ctx context.Context, c templ.Component) ([]byte, error) {
	var buf bytes.Buffer
	err := c.Render(ctx, &buf)
	return buf.Bytes(), err
}
