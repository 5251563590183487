package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/pages/admin"
)

// adminTokens lists every API token with its user and last use.
func (s *Server) adminTokens(c echo.Context) error {
	tokens, err := s.store.Tokens(c.Request().Context(), 0)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, admin.Tokens(admin.TokensPage{Page: s.page(c, "tokens.title", "admin"),
		Tokens: tokens, Now: s.store.Now(), Loc: s.store.Location}))
}

// adminRevokeToken ends a token at once.
func (s *Server) adminRevokeToken(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	err = s.store.RevokeToken(c.Request().Context(), id, currentUser(c))
	if errors.Is(err, models.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.flash(c, "flash.token_revoked", map[string]any{"ID": id})
	return redirect(c, "/admin/tokens")
}
