package components

import (
	"bytes"
	"context"
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
		key := i18n.FromContext(ctx).Lang + "\x00" + i18n.Location(ctx).String() + "\x00" + name
		b, err := d.Draw(key, version, func() ([]byte, error) {
			var buf bytes.Buffer
			err := draw(ctx).Render(ctx, &buf)
			return buf.Bytes(), err
		})
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
}
