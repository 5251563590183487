package reports

import (
	"context"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/views/components"
)

// kept draws a part of the report once for every reader of the report the store keeps
// in one language and zone (components.Kept): the parts drawn so hold nothing but the
// report's own figures. The comment and its form, which are the reader's, are not one.
func kept(m IndexPage, name string, part func(IndexPage) templ.Component) templ.Component {
	return components.Kept(m.R.Drawn, "report "+name, "", func(context.Context) templ.Component { return part(m) })
}
