package components

import "github.com/a-h/templ"

// Class is a class attribute to spread into an element ({ Class(c)... }), or none when
// c is empty. Rows and badges rendered fifty times a page use it rather than templ's
// class={ ... } list, which builds a map and a slice each time (6% of a list page).
func Class(c string) templ.OrderedAttributes {
	if c == "" {
		return nil
	}
	return templ.OrderedAttributes{{Key: "class", Value: c}}
}

// ClassIf is the class base with extra added when on: templ.KV("extra", on) without
// the class map.
func ClassIf(base, extra string, on bool) templ.OrderedAttributes {
	switch {
	case !on:
		return Class(base)
	case base == "":
		return Class(extra)
	}
	return Class(base + " " + extra)
}
