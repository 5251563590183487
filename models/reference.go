package models

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
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
	// GoodwillMonthlyLimit is only stored for branches (in whole currency units, 0 = none).
	GoodwillMonthlyLimit int64 `json:"-" gorm:"-"`
}

// Branch is a branch with its goodwill limit.
type Branch struct {
	ID                   int64
	Code                 string
	Name                 string
	Active               bool
	GoodwillMonthlyLimit int64
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_\-]{0,39}$`)

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

// RefList returns every item of a list, active first, by name.
func (s *Store) RefList(ctx context.Context, kind RefKind) ([]RefItem, error) {
	return s.cachedRefList(ctx, kind)
}

func (s *Store) loadRefList(ctx context.Context, kind RefKind) ([]RefItem, error) {
	var out []RefItem
	err := s.r.WithContext(ctx).Table(string(kind)).Order("active DESC, name, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list %s: %w", kind, err)
	}
	return out, nil
}

// ActiveRefs returns the active items of a list, for form choices.
func (s *Store) ActiveRefs(ctx context.Context, kind RefKind) ([]RefItem, error) {
	var out []RefItem
	err := s.r.WithContext(ctx).Table(string(kind)).Where("active").Order("name, id").Find(&out).Error
	return out, err
}

// RefByID loads one item.
func (s *Store) RefByID(ctx context.Context, kind RefKind, id int64) (*RefItem, error) {
	var it RefItem
	if err := s.r.WithContext(ctx).Table(string(kind)).Take(&it, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &it, nil
}

// ResolveRef finds an item by code or by name (case-insensitive), as the API and the
// import accept either.
func (s *Store) ResolveRef(ctx context.Context, kind RefKind, codeOrName string) (*RefItem, error) {
	items, err := s.cachedRefList(ctx, kind)
	if err != nil {
		return nil, err
	}
	it, ok := findRef(items, codeOrName)
	if !ok {
		return nil, ErrNotFound
	}
	return &it, nil
}

// CreateRef adds an item; the code is derived from the name when empty.
func (s *Store) CreateRef(ctx context.Context, kind RefKind, code, name string, by *User) (*RefItem, error) {
	name = strings.TrimSpace(name)
	code = strings.ToLower(strings.TrimSpace(code))
	if code == "" {
		code = CodeFromName(name)
	}
	f := map[string]string{}
	if name == "" {
		f["name"] = "required"
	}
	if !codePattern.MatchString(code) {
		f["code"] = "invalid_code"
	}
	if len(f) > 0 {
		return nil, &ValidationError{Fields: f}
	}
	now := s.now()
	it := RefItem{Code: code, Name: name, Active: true, CreatedAt: now, UpdatedAt: now}
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Table(string(kind)).Create(&it).Error; err != nil {
			return err
		}
		return record(tx, now, string(kind), it.ID, by, "created", "name", "", name, "")
	})
	if isUniqueViolation(err) {
		return nil, Invalid("code", "code_taken")
	}
	if err != nil {
		return nil, fmt.Errorf("models: create %s: %w", kind, err)
	}
	return &it, nil
}

// UpdateRef renames or (de)activates an item. Items are never deleted: feedback and
// improvements keep pointing at them.
func (s *Store) UpdateRef(ctx context.Context, kind RefKind, id int64, name string, active bool, by *User) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return Invalid("name", "required")
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var old RefItem
		if err := tx.Table(string(kind)).Take(&old, id).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Table(string(kind)).Where("id = ?", id).
			Updates(map[string]any{"name": name, "active": active, "updated_at": s.now()}).Error; err != nil {
			return fmt.Errorf("models: update %s %d: %w", kind, id, err)
		}
		if old.Name != name {
			if err := record(tx, s.now(), string(kind), id, by, "renamed", "name", old.Name, name, ""); err != nil {
				return err
			}
		}
		if old.Active != active {
			return record(tx, s.now(), string(kind), id, by, "updated", "active", fmt.Sprint(old.Active), fmt.Sprint(active), "")
		}
		return nil
	})
}

// Branches lists branches with their goodwill limits.
func (s *Store) Branches(ctx context.Context) ([]Branch, error) {
	var out []Branch
	err := s.r.WithContext(ctx).Order("active DESC, name, id").Find(&out).Error
	return out, err
}

// SetGoodwillLimit sets a branch's monthly goodwill limit (0 = no limit).
func (s *Store) SetGoodwillLimit(ctx context.Context, branchID, limit int64, by *User) error {
	if limit < 0 {
		return Invalid("limit", "must_not_be_negative")
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var b Branch
		if err := tx.Take(&b, branchID).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Model(&Branch{}).Where("id = ?", branchID).
			Updates(map[string]any{"goodwill_monthly_limit": limit, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return record(tx, s.now(), "branches", branchID, by, "updated", "goodwill_monthly_limit",
			fmt.Sprint(b.GoodwillMonthlyLimit), fmt.Sprint(limit), "")
	})
}

// Reference is every list at once, as GET /api/v1/reference returns it.
type Reference struct {
	Channels        []RefItem `json:"channels"`
	Touchpoints     []RefItem `json:"touchpoints"`
	Branches        []RefItem `json:"branches"`
	FunctionalAreas []RefItem `json:"functional_areas"`
	Categories      []RefItem `json:"categories"`
}

// AllReference loads every list.
func (s *Store) AllReference(ctx context.Context) (*Reference, error) {
	var r Reference
	targets := map[RefKind]*[]RefItem{RefChannels: &r.Channels, RefTouchpoints: &r.Touchpoints,
		RefBranches: &r.Branches, RefFunctionalAreas: &r.FunctionalAreas, RefCategories: &r.Categories}
	for kind, dst := range targets {
		items, err := s.RefList(ctx, kind)
		if err != nil {
			return nil, err
		}
		if items == nil {
			items = []RefItem{}
		}
		*dst = items
	}
	return &r, nil
}

// defaultReference is what a new bank installation starts with.
var defaultReference = map[RefKind][][2]string{
	RefChannels: {{"survey", "Survey"}, {"meeting", "Meeting"}, {"phone", "Phone"}, {"web", "Website"},
		{"facebook", "Facebook"}, {"interview", "Interview"}, {"focus_group", "Focus group"},
		{"customer_panel", "Customer panel"}, {"observation", "Observation"}, {"email", "E-mail"}},
	RefTouchpoints: {{"branch_visit", "Branch visit"}, {"advisory_meeting", "Advisory meeting"},
		{"mobile_app", "Mobile app"}, {"online_banking", "Online banking"}, {"phone_service", "Phone service"},
		{"mortgage", "Mortgage process"}, {"account_opening", "Account opening"}, {"cards", "Cards and payments"},
		{"letters", "Letters and e-mails"}, {"complaints", "Complaint handling"}},
	RefBranches: {{"hq", "Head office"}, {"city", "City centre"}, {"north", "North"}, {"south", "South"},
		{"business", "Business centre"}},
	RefFunctionalAreas: {{"retail", "Retail banking"}, {"business", "Business banking"}, {"it", "IT and digital"},
		{"operations", "Operations"}, {"credit", "Credit"}, {"marketing", "Marketing and communication"},
		{"customer_service", "Customer service"}, {"hr", "HR"}},
	RefCategories: {{"waiting_time", "Waiting time"}, {"advice", "Advice quality"}, {"digital", "Digital self-service"},
		{"communication", "Communication"}, {"prices", "Prices and fees"}, {"accessibility", "Accessibility"},
		{"process", "Process and paperwork"}, {"staff", "Staff attitude"}, {"errors", "Errors and mistakes"}},
}

// SeedReference fills empty reference lists with sensible defaults for a bank.
func (s *Store) SeedReference(ctx context.Context) error {
	for _, kind := range RefKinds {
		var n int64
		if err := s.r.WithContext(ctx).Table(string(kind)).Count(&n).Error; err != nil {
			return fmt.Errorf("models: seed %s: %w", kind, err)
		}
		if n > 0 {
			continue
		}
		for _, cn := range defaultReference[kind] {
			if _, err := s.CreateRef(ctx, kind, cn[0], cn[1], nil); err != nil {
				return fmt.Errorf("models: seed %s: %w", kind, err)
			}
		}
	}
	return nil
}
