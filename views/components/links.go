package components

import (
	"strconv"

	"github.com/a-h/templ"
)

// ImprovementURL is an improvement's page.
func ImprovementURL(id int64) templ.SafeURL {
	return templ.SafeURL("/improvements/" + strconv.FormatInt(id, 10))
}
