package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/pages/meetings"
	steeringpage "github.com/improvementtracker/tracker/views/pages/steering"
)

// meetingMinutes is the printable minutes page.
func (s *Server) meetingMinutes(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.store.MeetingByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, meetings.Minutes(meetings.MinutesPage{Page: s.page(c, "minutes.title", "steering"), Meeting: *m}))
}

// meetingMinutesMarkdown downloads the minutes as Markdown, to paste into a mail.
func (s *Server) meetingMinutesMarkdown(c echo.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.store.MeetingByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("minutes-%s-%d.md", m.HeldOn.Format(time.DateOnly), m.ID)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", []byte(minutesMarkdown(c.Request().Context(), m)))
}

// minutesMarkdown writes the minutes in the reader's language: attendees, each
// decision with what it set and why, and the items not reached.
func minutesMarkdown(ctx context.Context, m *models.Meeting) string {
	t := func(id string, data ...map[string]any) string { return i18n.T(ctx, id, data...) }
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", t("minutes.title"), mdEscape(steeringpage.MeetingName(ctx, m.Title, m.HeldOn)))
	fmt.Fprintf(&b, "- %s: %s\n", t("meeting.held_on"), components.FormatDate(ctx, m.HeldOn))
	fmt.Fprintf(&b, "- %s: %s\n", t("field.status"), t("meeting_status."+string(m.Status)))
	names := make([]string, len(m.Attendees))
	for i, u := range m.Attendees {
		names[i] = mdEscape(u.Name)
	}
	fmt.Fprintf(&b, "- %s: %s\n\n", t("meeting.attendees"), strings.Join(names, ", "))

	fmt.Fprintf(&b, "## %s\n\n", t("minutes.decisions"))
	n := 0
	var open []models.AgendaItem
	for _, it := range m.Items {
		if !it.Decided() {
			open = append(open, it)
			continue
		}
		n++
		imp := it.Improvement
		fmt.Fprintf(&b, "%d. **%s** (#%d): %s\n", n, mdEscape(imp.Title), imp.ID, t("status."+string(*it.Decision)))
		switch *it.Decision {
		case models.StatusApproved:
			if imp.Owner != nil {
				fmt.Fprintf(&b, "   - %s: %s\n", t("decision.owner"), mdEscape(imp.Owner.Name))
			}
			if imp.FunctionalArea != nil {
				fmt.Fprintf(&b, "   - %s: %s\n", t("decision.functional_area"), mdEscape(imp.FunctionalArea.Name))
			}
			if imp.TargetDate != nil {
				fmt.Fprintf(&b, "   - %s: %s\n", t("decision.target_date"), components.FormatDate(ctx, *imp.TargetDate))
			}
		case models.StatusRejected:
			if imp.RejectReason != nil {
				fmt.Fprintf(&b, "   - %s: %s\n", t("decision.reason"), mdEscape(*imp.RejectReason))
			}
		case models.StatusDeferred:
			if imp.DeferUntil != nil {
				fmt.Fprintf(&b, "   - %s: %s\n", t("decision.defer_until"), components.FormatDate(ctx, *imp.DeferUntil))
			}
		}
		if it.Rationale != "" {
			fmt.Fprintf(&b, "   - %s: %s\n", t("decision.rationale"), mdEscape(it.Rationale))
		}
	}
	if n == 0 {
		fmt.Fprintf(&b, "%s\n", t("minutes.no_decisions"))
	}
	fmt.Fprintf(&b, "\n## %s\n\n", t("minutes.not_reached"))
	if len(open) == 0 {
		fmt.Fprintf(&b, "%s\n", t("minutes.all_reached"))
	}
	for _, it := range open {
		fmt.Fprintf(&b, "- %s (#%d)\n", mdEscape(it.Improvement.Title), it.ImprovementID)
	}
	return b.String()
}

// mdEscaper keeps user text from turning into Markdown markup, and keeps a multi-line
// text inside its list item.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"#", `\#`, "<", `\<`, ">", `\>`, "|", `\|`, "\r\n", "\n     ", "\n", "\n     ")

func mdEscape(s string) string { return mdEscaper.Replace(strings.TrimSpace(s)) }
