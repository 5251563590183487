package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
)

// requireUTF8 refuses a query or form that is not valid UTF-8 with 400. PostgreSQL
// rejects such bytes at insert time, which would otherwise surface as a 500; SQLite
// would store text no page can show. (JSON bodies are decoded with invalid bytes
// replaced, so the API needs no check.)
//
// It also refuses a NUL character in any text input (a query, a form field, a string
// anywhere in a JSON body) with 400 naming the field: PostgreSQL refuses NUL in text,
// and SQLite would store it.
func requireUTF8(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !validValues(c.QueryParams()) {
			return echo.NewHTTPError(http.StatusBadRequest, "invalid_utf8")
		}
		if field, ok := nulIn(c.QueryParams()); ok {
			return models.Invalid(field, "no_nul")
		}
		ct := c.Request().Header.Get(echo.HeaderContentType)
		if c.Request().Method == http.MethodPost && (strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm)) {
			form, err := c.FormParams()
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "invalid_form")
			}
			if !validValues(form) {
				return echo.NewHTTPError(http.StatusBadRequest, "invalid_utf8")
			}
			if field, ok := nulIn(form); ok {
				return models.Invalid(field, "no_nul")
			}
		}
		if c.Request().Method == http.MethodPost && isAPI(c) && c.Request().Body != nil {
			body, err := io.ReadAll(c.Request().Body)
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "could not read the body")
			}
			c.Request().Body = io.NopCloser(bytes.NewReader(body))
			var v any
			if json.Unmarshal(body, &v) == nil {
				if field, ok := nulInJSON("", v); ok {
					return models.Invalid(field, "no_nul")
				}
			}
		}
		return next(c)
	}
}

// nulIn returns the first field (in name order) whose name or value holds a NUL.
func nulIn(values map[string][]string) (string, bool) {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if models.HasNUL(k) {
			return strings.ReplaceAll(k, "\x00", ""), true
		}
		for _, v := range values[k] {
			if models.HasNUL(v) {
				return k, true
			}
		}
	}
	return "", false
}

// nulInJSON finds a NUL in any string of a decoded JSON value and returns the name of
// the object member that holds it.
func nulInJSON(field string, v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return field, models.HasNUL(v)
	case []any:
		for _, e := range v {
			if f, ok := nulInJSON(field, e); ok {
				return f, true
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if models.HasNUL(k) {
				return strings.ReplaceAll(k, "\x00", ""), true
			}
			if f, ok := nulInJSON(k, v[k]); ok {
				return f, true
			}
		}
	}
	return "", false
}

func validValues(values map[string][]string) bool {
	for k, vs := range values {
		if !utf8.ValidString(k) {
			return false
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}
