package models

import (
	"errors"
	"slices"
	"strings"
)

// Refusals of a single sign-on: the identity provider vouched for the person, but the
// app will not let them in. Each gets its own explanation page.
var (
	// ErrNoRole: none of the person's role claim values maps to a role of the app.
	ErrNoRole = errors.New("models: no role of the app maps from the identity provider's claims")
	// ErrDeactivated: the person has a user here that an admin deactivated.
	ErrDeactivated = errors.New("models: user is deactivated")
)

// OIDCIdentity is what the identity provider vouches for at a sign-in.
type OIDCIdentity struct {
	Subject string
	Email   string
	Name    string
	Lang    string
	// Roles are the app roles mapped from the provider's role claim (see MapRoles).
	Roles []string
}

// MapRoles turns the values of an identity provider's role (or group) claim into the
// app's roles. A value maps when, ignoring case, it is a role's name ("steering"),
// optionally after a "tracker" prefix and one of - _ . : / ("Tracker.Admin",
// "tracker-ambassador"), which lets a company name its groups for this app alone;
// "quick-win" and "quick_win" mean quickwin. Other values are ignored, so a token
// carrying many unrelated groups is fine.
func MapRoles(values []string) []string {
	var out []string
	for _, v := range values {
		v = strings.ToLower(strings.TrimSpace(v))
		for _, sep := range []string{"-", "_", ".", ":", "/"} {
			if rest, ok := strings.CutPrefix(v, "tracker"+sep); ok {
				v = rest
				break
			}
		}
		v = strings.NewReplacer("-", "", "_", "").Replace(v)
		if slices.Contains(Roles, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	// Display order, so a stored role list does not change with the claim's order.
	slices.SortFunc(out, func(a, b string) int { return slices.Index(Roles, a) - slices.Index(Roles, b) })
	return out
}

// SettingSSOButton says whether the sign-in page offers single sign-on ("on", the
// default when OIDC is configured, or "off").
const SettingSSOButton = "sso_button"
