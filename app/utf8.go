package app

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// requireUTF8 refuses a query or form that is not valid UTF-8 with 400. PostgreSQL
// rejects such bytes at insert time, which would otherwise surface as a 500; SQLite
// would store text no page can show. (JSON bodies are decoded with invalid bytes
// replaced, so the API needs no check.)
func requireUTF8(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !validValues(c.QueryParams()) {
			return echo.NewHTTPError(http.StatusBadRequest, "invalid_utf8")
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
		}
		return next(c)
	}
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
