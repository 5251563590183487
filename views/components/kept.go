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
		b, err := drawn(ctx, d, name, version, func(ctx context.Context) templ.Component { return draw(ctx, csrfHole) })
		if err != nil {
			return err
		}
		return fillHoles(w, b, []byte(csrfHole), []byte(templ.EscapeString(csrf)))
	})
}

// fillHoles writes b with every hole in it replaced by fill.
func fillHoles(w io.Writer, b, hole, fill []byte) error {
	for {
		i := bytes.Index(b, hole)
		if i < 0 {
			_, err := w.Write(b)
			return err
		}
		if _, err := w.Write(b[:i]); err != nil {
			return err
		}
		if _, err := w.Write(fill); err != nil {
			return err
		}
		b = b[i+len(hole):]
	}
}

// drawn is d's drawing of name and version in the reader's language and zone.
func drawn(ctx context.Context, d *models.Drawings, name, version string, draw func(context.Context) templ.Component) ([]byte, error) {
	key := i18n.FromContext(ctx).Lang + "\x00" + i18n.Location(ctx).String() + "\x00" + name
	return d.Draw(key, version, func() ([]byte, error) {
		var buf bytes.Buffer
		err := draw(ctx).Render(ctx, &buf)
		return buf.Bytes(), err
	})
}
