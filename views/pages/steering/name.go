package steering

import (
	"context"
	"time"

	"github.com/improvementtracker/tracker/views/components"
	"github.com/improvementtracker/tracker/views/i18n"
)

// MeetingName is a meeting's title, or "Steering meeting 5 Mar 2026" when it has none.
func MeetingName(ctx context.Context, title string, heldOn time.Time) string {
	if title != "" {
		return title
	}
	return i18n.T(ctx, "meeting.default_title", map[string]any{"Date": components.FormatDate(ctx, heldOn)})
}
