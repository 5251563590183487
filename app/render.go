package app

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages"
)

// render writes a component with a status. It renders into a buffer first, so a
// template error still becomes a proper error page instead of half a page.
func render(c echo.Context, status int, comp templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return fmt.Errorf("app: render: %w", err)
	}
	c.Response().Header().Set("Vary", "HX-Request")
	return c.HTMLBlob(status, buf.Bytes())
}

// apiError is the JSON error body of contracts.md.
type apiError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

// handleError is the one failure path: it maps domain errors to statuses, logs what
// is unexpected with the request id, and never shows internals to the client.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "internal_error"
	var he *echo.HTTPError
	var ve *models.ValidationError
	var pe *pageError
	message := ""
	switch {
	case errors.As(err, &pe):
		status, msg, message = pe.status, "not_allowed", pe.messageID
	case errors.As(err, &ve):
		status, msg = http.StatusBadRequest, "invalid_input"
	case errors.Is(err, models.ErrNotFound):
		status, msg = http.StatusNotFound, "not_found"
	case errors.Is(err, models.ErrForbidden):
		status, msg = http.StatusForbidden, "forbidden"
	case errors.Is(err, models.ErrConflict):
		status, msg = http.StatusConflict, "conflict"
	case errors.Is(err, models.ErrNotAllowed):
		// Not "someone else changed this": the item is in a state that does not allow it.
		status, msg, message = http.StatusConflict, "not_allowed", "error.not_allowed"
	case errors.As(err, &he):
		status = he.Code
		msg = fmt.Sprint(he.Message)
		if he.Code == http.StatusInternalServerError {
			msg = "internal_error"
		}
	}
	ctx := c.Request().Context()
	if status >= 500 {
		s.log.ErrorContext(ctx, "request failed", "request_id", RequestID(ctx), "path", c.Request().URL.Path, "err", err)
	}
	if isAPI(c) {
		body := apiError{Error: apiMessage(status, msg, err)}
		if ve != nil {
			body.Fields = ve.Fields
		}
		_ = c.JSON(status, body)
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if !i18n.Has(ctx) {
		// Refused before authorize ran (a body over the limit, a bad encoding): the
		// language comes from the cookie or the browser.
		s.setLanguage(c, nil)
		ctx = c.Request().Context()
	}
	t := i18n.FromContext(ctx)
	if message == "" {
		message = errorMessage(status)
	}
	page := pages.ErrorPage{Status: status, Title: t.T(errorTitle(status)), Message: t.T(message),
		SignedIn: currentUser(c) != nil, RequestID: RequestID(ctx)}
	if ve != nil {
		page.Fields = ve.Fields
	}
	if rerr := render(c, status, pages.Error(page)); rerr != nil {
		_ = c.String(status, http.StatusText(status))
	}
}

// pageError refuses a request with a status and a message of its own, for refusals the
// generic page of the status would word untruly.
type pageError struct {
	status    int
	messageID string
}

func (e *pageError) Error() string { return e.messageID }

// apiMessage explains an error in the API; domain refusals carry their own message.
func apiMessage(status int, msg string, err error) string {
	switch status {
	case http.StatusConflict:
		return strings.TrimPrefix(err.Error(), "models: ")
	case http.StatusInternalServerError:
		return "internal error"
	}
	if msg == "" {
		return http.StatusText(status)
	}
	return msg
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound, http.StatusForbidden, http.StatusTooManyRequests, http.StatusConflict,
		http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusMethodNotAllowed:
		return fmt.Sprintf("error.%d.title", status)
	}
	return "error.500.title"
}

func errorMessage(status int) string {
	return errorTitle(status)[:len(errorTitle(status))-len("title")] + "message"
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// flash stores a confirmation for the next page.
func (s *Server) flash(c echo.Context, id string, data ...map[string]any) {
	s.sessions.Put(c.Request().Context(), "flash", i18n.FromContext(c.Request().Context()).T(id, data...))
}

// flashLink ends the next page's flash with a link to the next step.
func (s *Server) flashLink(c echo.Context, href, textID string) {
	ctx := c.Request().Context()
	s.sessions.Put(ctx, "flash_link", href)
	s.sessions.Put(ctx, "flash_link_text", i18n.FromContext(ctx).T(textID))
}

// redirect ends a successful form post (post/redirect/get).
func redirect(c echo.Context, to string) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}
