package models

import (
	"slices"
	"strings"
	"time"
)

// RefKind names one list of reference data.
type RefKind string

// The reference lists; each is its own table so feedback and improvements can keep
// foreign keys to them.
const (
	RefChannels        RefKind = "channels"
	RefTouchpoints     RefKind = "touchpoints"
	RefBranches        RefKind = "branches"
	RefFunctionalAreas RefKind = "functional_areas"
	RefCategories      RefKind = "categories"
)

// RefKinds lists the reference lists in display order.
var RefKinds = []RefKind{RefChannels, RefTouchpoints, RefBranches, RefFunctionalAreas, RefCategories}

// ParseRefKind accepts a list name from a URL.
func ParseRefKind(s string) (RefKind, bool) {
	k := RefKind(s)
	return k, slices.Contains(RefKinds, k)
}

// RefItem is one entry of a reference list.
type RefItem struct {
	ID        int64     `json:"-"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
	// GoodwillMonthlyLimit is only stored for branches (0 = none).
	GoodwillMonthlyLimit Money `json:"-" gorm:"-"`
}

// Branch is a branch with its goodwill limit.
type Branch struct {
	ID                   int64
	Code                 string
	Name                 string
	Active               bool
	GoodwillMonthlyLimit Money
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// CodeFromName derives a code ("Focus group" -> "focus_group") when none is given.
func CodeFromName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ø':
			b.WriteString("oe")
		case r == 'å':
			b.WriteString("aa")
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteRune('_')
			}
		}
	}
	code := strings.Trim(b.String(), "_")
	if len(code) > 40 {
		code = code[:40]
	}
	return code
}

// Reference is every list at once, as GET /api/v1/reference returns it.
type Reference struct {
	Channels        []RefItem `json:"channels"`
	Touchpoints     []RefItem `json:"touchpoints"`
	Branches        []RefItem `json:"branches"`
	FunctionalAreas []RefItem `json:"functional_areas"`
	Categories      []RefItem `json:"categories"`
}
