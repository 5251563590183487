package components

import (
	"context"
	"io"
	"time"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/views/i18n"
)

// The components below are drawn several times on every row of a list, so they are
// written in Go rather than in templ: a templ component pays for a context, a buffer
// and a fmt.Sprint of every value it shows, which for a page of fifty rows was a fifth
// of the page's time. They escape every value as templ does.

// Badge shows a status, track or NPS group in its one style everywhere.
func Badge(kind, value string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if value == "" {
			return nil
		}
		return writeElement(w, "span", []attr{{"class", "badge " + value}, {"data-testid", "badge-" + kind}}, "",
			i18n.T(ctx, kind+"."+value))
	})
}

// Date shows a date in the user's language with the exact time on hover.
func Date(t time.Time) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		m := momentOf(ctx, t)
		return writeElement(w, "time", []attr{{"datetime", m.machine}, {"title", m.exact}}, "", FormatDate(ctx, t))
	})
}

// DateTime shows a date and time.
func DateTime(t time.Time) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		m := momentOf(ctx, t)
		return writeElement(w, "time", []attr{{"datetime", m.machine}, {"title", m.exact}}, "", FormatDateTime(ctx, t))
	})
}

// Due shows a deadline relative to now, marked when overdue or due soon.
func Due(t, now time.Time) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		m := momentOf(ctx, t)
		return writeElement(w, "time", []attr{{"datetime", m.machine}, {"title", m.exact}, {"class", dueClass(t, now)}}, "",
			Relative(ctx, t, now))
	})
}

// Option is one choice of a select, marked when it is the current value: a list's
// filters offer every branch and colleague on each page.
func Option(value, label string, selected bool) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		bare := ""
		if selected {
			bare = "selected"
		}
		return writeElement(w, "option", []attr{{"value", value}}, bare, label)
	})
}

type attr struct{ name, value string }

// writeElement writes <name a="v"... bare>text</name>, the values and the text escaped;
// bare is an attribute without a value (selected), or "".
func writeElement(w io.Writer, name string, attrs []attr, bare, text string) error {
	sw, ok := w.(io.StringWriter) // templ's buffer is one; asked once, not per write
	if !ok {
		sw = stringWriter{w}
	}
	var err error
	write := func(s string) {
		if err == nil {
			_, err = sw.WriteString(s)
		}
	}
	write("<")
	write(name)
	for _, a := range attrs {
		write(" ")
		write(a.name)
		write(`="`)
		write(templ.EscapeString(a.value))
		write(`"`)
	}
	if bare != "" {
		write(" ")
		write(bare)
	}
	write(">")
	write(templ.EscapeString(text))
	write("</")
	write(name)
	write(">")
	return err
}

type stringWriter struct{ io.Writer }

func (w stringWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }
