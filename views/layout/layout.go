// Package layout is the frame of every page: head, navigation with work counts, flash.
package layout

import "github.com/improvementtracker/tracker/models"

// NavCounts is the work waiting behind each navigation link.
type NavCounts struct {
	FollowUpsDue, FollowUpsOverdue, Untriaged, Queued, Review int
}

// Page is what the layout needs from every page's view model.
type Page struct {
	Title string
	User  *models.User
	CSRF  string
	Flash string
	// FlashLink and FlashLinkText, when set, end the flash with the next step (the
	// follow-up a detractor's feedback needs).
	FlashLink, FlashLinkText string
	Error                    string
	Active                   string // the navigation key of the current section
	Nav                      NavCounts
	Lang                     string
	Path                     string
	// Unread counts the user's unread notifications: the bell's badge (issue 17).
	Unread int
}

// Link is one navigation entry.
type Link struct {
	Key, Href, Label string
	Count            int
	Urgent           bool
}

// maxBarLinks is how many links the top bar shows before the rest fold under "More".
// Measured at 1366 px in Norwegian, the longest of the three languages: eight links with
// their badges, the "More" menu, the brand, the language switch, sign-out and the bell
// fill one row; a ninth wraps it.
const maxBarLinks = 7

// foldOrder names the links that may move under "More", the first to go first: the
// ones used now and then rather than through the day, and never one carrying a work
// count (a badge must stay in sight). Home is the brand's link too.
var foldOrder = []string{"yousaid", "reports", "admin", "home", "feedback", "roadmap"}

// foldLinks splits the navigation into the links of the bar and those under "More",
// keeping each part in the navigation's order. A user with few links gets no "More".
func foldLinks(all []Link) (bar, more []Link) {
	if len(all) <= maxBarLinks+1 {
		return all, nil
	}
	folded := map[string]bool{}
	for _, key := range foldOrder {
		if len(all)-len(folded) <= maxBarLinks {
			break
		}
		for _, l := range all {
			if l.Key == key {
				folded[key] = true
			}
		}
	}
	for _, l := range all {
		if folded[l.Key] {
			more = append(more, l)
		} else {
			bar = append(bar, l)
		}
	}
	return bar, more
}

// moreActive reports whether the current page is one of the folded links, so that the
// "More" menu is marked as where the user is.
func moreActive(more []Link, active string) bool {
	for _, l := range more {
		if l.Key == active {
			return true
		}
	}
	return false
}
