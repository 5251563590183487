package board

import (
	"context"
	"slices"
	"strconv"

	"github.com/a-h/templ"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
)

// keptColumns draws the columns once for every reader of the board the store keeps who
// reads it in the same language and zone, with the same filter and on the same day of
// each card's age, and who holds the same cards (they decide the "start" button); each
// reader's CSRF token is filled into the drawn forms (components.KeptForms). A board
// with a card's refusal on it is drawn for its reader alone.
func keptColumns(v View) templ.Component {
	d := v.Board.Drawn
	if v.Notice.Error && v.Notice.CardID != 0 {
		d = nil
	}
	cards := slices.Concat(v.Board.Queued, v.Board.InProgress, v.Board.Implemented)
	return components.KeptForms(d, "columns"+heldBy(v, cards), columnsVersion(v, cards), v.CSRF,
		func(_ context.Context, csrf string) templ.Component {
			v.CSRF = csrf
			return columns(v)
		})
}

// heldBy names the cards the reader holds, so that each holder keeps a drawing of their
// own and every other reader shares one.
func heldBy(v View, cards []models.BoardCard) string {
	var b []byte
	for _, c := range cards {
		if mine(v, c) {
			b = strconv.AppendInt(append(b, ' '), c.ID, 10)
		}
	}
	return string(b)
}

// columnsVersion names all the columns show beyond the board and the labels: the
// filter as typed (each length first, so none can pose as another), which the forms
// carry, and each card's age in days.
func columnsVersion(v View, cards []models.BoardCard) string {
	b := make([]byte, 0, 64+4*len(cards))
	b = strconv.AppendBool(b, v.Query.Mine)
	b = strconv.AppendBool(append(b, ' '), v.Query.Unassigned)
	for _, s := range []string{v.Query.Category, v.Query.Branch} {
		b = strconv.AppendInt(append(b, ' '), int64(len(s)), 10)
		b = append(append(b, ':'), s...)
	}
	for _, c := range cards {
		b = strconv.AppendInt(append(b, ' '), int64(ageDays(c.CreatedAt, v.Now)), 10)
	}
	return string(b)
}
