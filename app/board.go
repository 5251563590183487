package app

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/board"
)

// readBoardQuery reads the board's filters from the query string or a card's form.
func readBoardQuery(get func(string) string) board.Query {
	return board.Query{Mine: get("mine") == "1", Unassigned: get("unassigned") == "1",
		Category: get("category"), Branch: get("branch")}
}

// boardHref is the board's address with its filters, where plain posts return to.
func boardHref(q board.Query) string {
	v := url.Values{}
	if q.Mine {
		v.Set("mine", "1")
	}
	if q.Unassigned {
		v.Set("unassigned", "1")
	}
	if q.Category != "" {
		v.Set("category", q.Category)
	}
	if q.Branch != "" {
		v.Set("branch", q.Branch)
	}
	if len(v) == 0 {
		return "/quick-wins"
	}
	return "/quick-wins?" + v.Encode()
}

func (s *Server) boardFilter(ctx context.Context, u *models.User, q board.Query) models.BoardFilter {
	f := models.BoardFilter{Unassigned: q.Unassigned, CategoryID: s.refID(ctx, models.RefCategories, q.Category),
		BranchID: s.refID(ctx, models.RefBranches, q.Branch)}
	if q.Mine {
		f.HolderID = &u.ID
	}
	return f
}

// quickWins is the quick-win team's board.
func (s *Server) quickWins(c echo.Context) error {
	return s.renderBoard(c, http.StatusOK, readBoardQuery(c.QueryParam), board.Notice{})
}

// renderBoard renders the whole page, or only the columns for htmx, which swaps them
// in place after a move.
func (s *Server) renderBoard(c echo.Context, status int, q board.Query, n board.Notice) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	b, err := s.store.QuickWinBoard(ctx, s.boardFilter(ctx, u, q))
	if err != nil {
		return err
	}
	p := s.page(c, "board.title", "quickwins")
	v := board.View{Board: b, Query: q, Notice: n, CSRF: p.CSRF, UserID: u.ID, Now: s.store.Now()}
	if isHTMX(c) {
		v.OOBQueued = &p.Nav.Queued
		return render(c, status, board.Columns(v))
	}
	if v.Categories, err = s.store.ActiveRefs(ctx, models.RefCategories); err != nil {
		return err
	}
	if v.Branches, err = s.store.ActiveRefs(ctx, models.RefBranches); err != nil {
		return err
	}
	if n.Error && n.CardID == 0 {
		p.Error = n.Message
	}
	return render(c, status, board.Index(board.IndexPage{Page: p, View: v}))
}

// boardMove runs one card action. Success: htmx gets the new board with a
// confirmation; a plain post is redirected to the board with a flash. A refusal
// (someone holds it, stale card, missing reason) keeps the user on the board with
// the reason, and changes nothing.
func (s *Server) boardMove(c echo.Context, action, field string, do func(ctx context.Context, id int64, version int, text string, u *models.User) (*models.Improvement, error)) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	q := readBoardQuery(c.FormValue)
	version, _ := strconv.Atoi(c.FormValue("version"))
	text := ""
	if field != "" {
		text = c.FormValue(field)
	}
	imp, err := do(ctx, id, version, text, currentUser(c))
	if err == nil {
		flashID := "flash.board_" + strings.ReplaceAll(action, "-", "_")
		msg := i18n.T(ctx, flashID, map[string]any{"Title": imp.Title})
		if isHTMX(c) {
			return s.renderBoard(c, http.StatusOK, q, board.Notice{Message: msg})
		}
		s.sessions.Put(ctx, "flash", msg)
		return redirect(c, boardHref(q))
	}
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve):
		errs := components.Errors{}
		for k, v := range ve.Fields {
			errs[k] = v
		}
		return s.renderBoard(c, http.StatusBadRequest, q, board.Notice{Message: i18n.T(ctx, "board.fix_card"), Error: true,
			CardID: id, Action: action, Errors: errs, Input: text})
	case errors.Is(err, models.ErrConflict), errors.Is(err, models.ErrNotAllowed):
		return s.renderBoard(c, http.StatusConflict, q, board.Notice{Message: refusalMessage(ctx, err), Error: true})
	}
	return err
}

// quickWinClaim makes the user the holder; of two simultaneous claims one wins and
// the other is told who has it (409).
func (s *Server) quickWinClaim(c echo.Context) error {
	return s.boardMove(c, "claim", "", func(ctx context.Context, id int64, _ int, _ string, u *models.User) (*models.Improvement, error) {
		if err := s.store.ClaimQuickWin(ctx, id, u); err != nil {
			return nil, err
		}
		return s.store.ImprovementByID(ctx, id)
	})
}

// quickWinStart starts a quick win (claiming it when nobody holds it).
func (s *Server) quickWinStart(c echo.Context) error {
	return s.boardMove(c, "start", "", func(ctx context.Context, id int64, version int, _ string, u *models.User) (*models.Improvement, error) {
		return s.store.StartQuickWin(ctx, id, version, u)
	})
}

// transitionMove is a card action that is one move of the transition table.
func (s *Server) transitionMove(to models.Status, field string) func(ctx context.Context, id int64, version int, text string, u *models.User) (*models.Improvement, error) {
	return func(ctx context.Context, id int64, version int, text string, u *models.User) (*models.Improvement, error) {
		in := models.TransitionInput{To: to, Version: version}
		if field == "note" {
			in.Note = text
		} else {
			in.Reason = text
		}
		return s.store.TransitionImprovement(ctx, id, in, u)
	}
}

// quickWinFinish marks a quick win implemented with what was changed, where.
func (s *Server) quickWinFinish(c echo.Context) error {
	return s.boardMove(c, "finish", "note", s.transitionMove(models.StatusImplemented, "note"))
}

// quickWinHandBack gives a started quick win back to the queue, with a reason.
func (s *Server) quickWinHandBack(c echo.Context) error {
	return s.boardMove(c, "hand-back", "reason", s.transitionMove(models.StatusQueued, "reason"))
}

// quickWinEscalate sends a quick win that proved bigger to the steering group's
// review queue, with a reason.
func (s *Server) quickWinEscalate(c echo.Context) error {
	return s.boardMove(c, "escalate", "reason", s.transitionMove(models.StatusReview, "reason"))
}
