package home

import (
	"context"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/views/components"
)

// kept draws a part of the dashboard that shows only the improvements' figures the
// store keeps (models.Dashboard.Drawn) once for all its readers in one language and
// zone (components.Kept). The feedback figures and the reader's own work are drawn
// for each reader.
func kept(m IndexPage, name string, part func(IndexPage) templ.Component) templ.Component {
	return components.Kept(m.D.Drawn, "dashboard "+name, "", func(context.Context) templ.Component { return part(m) })
}
