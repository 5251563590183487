package app

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIJSON is the hand-written OpenAPI 3.1 description of /api/v1. It is written by
// hand, not generated, so that it says what the contract promises; the tests validate
// every API response they receive against it, so it cannot drift from the code.
//
//go:embed openapi.json
var openAPIJSON []byte

// OpenAPIDocument returns the API description, for tests and tools.
func OpenAPIDocument() []byte { return openAPIJSON }

// openAPIDocument serves the API description.
func (s *Server) openAPIDocument(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, "application/json", openAPIJSON)
}
