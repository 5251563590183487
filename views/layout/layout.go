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
