package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_\-]{0,39}$`)

// RefList returns every item of a list, active first, by name.
func (s *Store) RefList(ctx context.Context, kind models.RefKind) ([]models.RefItem, error) {
	return s.cachedRefList(ctx, kind)
}

func (s *Store) loadRefList(ctx context.Context, kind models.RefKind) ([]models.RefItem, error) {
	var out []models.RefItem
	err := s.r.WithContext(ctx).Table(string(kind)).Order("active DESC, name, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: list %s: %w", kind, err)
	}
	return out, nil
}

// ActiveRefs returns the active items of a list by name, for form choices: the first
// part of the kept list (active first), so the board and the feedback form, which
// offer three lists each, read none of them from the database.
func (s *Store) ActiveRefs(ctx context.Context, kind models.RefKind) ([]models.RefItem, error) {
	items, err := s.cachedRefList(ctx, kind)
	if err != nil {
		return nil, err
	}
	n := 0
	for n < len(items) && items[n].Active {
		n++
	}
	return items[:n], nil
}

// RefByID loads one item.
func (s *Store) RefByID(ctx context.Context, kind models.RefKind, id int64) (*models.RefItem, error) {
	var it models.RefItem
	if err := s.r.WithContext(ctx).Table(string(kind)).Take(&it, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &it, nil
}

// ResolveRef finds an item by code or by name (case-insensitive), as the API and the
// import accept either.
func (s *Store) ResolveRef(ctx context.Context, kind models.RefKind, codeOrName string) (*models.RefItem, error) {
	items, err := s.cachedRefList(ctx, kind)
	if err != nil {
		return nil, err
	}
	it, ok := findRef(items, codeOrName)
	if !ok {
		return nil, models.ErrNotFound
	}
	return &it, nil
}

// CreateRef adds an item; the code is derived from the name when empty.
func (s *Store) CreateRef(ctx context.Context, kind models.RefKind, code, name string, by *models.User) (*models.RefItem, error) {
	name = strings.TrimSpace(name)
	code = strings.ToLower(strings.TrimSpace(code))
	if code == "" {
		code = models.CodeFromName(name)
	}
	f := map[string]string{}
	if name == "" {
		f["name"] = "required"
	}
	if !codePattern.MatchString(code) {
		f["code"] = "invalid_code"
	}
	if len(f) > 0 {
		return nil, &models.ValidationError{Fields: f}
	}
	now := s.now()
	it := models.RefItem{Code: code, Name: name, Active: true, CreatedAt: now, UpdatedAt: now}
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Table(string(kind)).Create(&it).Error; err != nil {
			return err
		}
		return record(tx, now, string(kind), it.ID, by, "created", "name", "", name, "")
	})
	if isUniqueViolation(err) {
		return nil, models.Invalid("code", "code_taken")
	}
	if err != nil {
		return nil, fmt.Errorf("models: create %s: %w", kind, err)
	}
	return &it, nil
}

// UpdateRef renames or (de)activates an item. Items are never deleted: feedback and
// improvements keep pointing at them.
func (s *Store) UpdateRef(ctx context.Context, kind models.RefKind, id int64, name string, active bool, by *models.User) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return models.Invalid("name", "required")
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var old models.RefItem
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
func (s *Store) Branches(ctx context.Context) ([]models.Branch, error) {
	var out []models.Branch
	err := s.r.WithContext(ctx).Order("active DESC, name, id").Find(&out).Error
	return out, err
}

// SetGoodwillLimit sets a branch's monthly goodwill limit (0 = no limit).
func (s *Store) SetGoodwillLimit(ctx context.Context, branchID int64, limit models.Money, by *models.User) error {
	if v := models.ValidateGoodwillLimit(limit); v != nil {
		return v
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var b models.Branch
		if err := tx.Take(&b, branchID).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Model(&models.Branch{}).Where("id = ?", branchID).
			Updates(map[string]any{"goodwill_monthly_limit": limit, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return record(tx, s.now(), "branches", branchID, by, "updated", "goodwill_monthly_limit",
			b.GoodwillMonthlyLimit.String(), limit.String(), "")
	})
}

// AllReference loads every list.
func (s *Store) AllReference(ctx context.Context) (*models.Reference, error) {
	var r models.Reference
	targets := map[models.RefKind]*[]models.RefItem{models.RefChannels: &r.Channels, models.RefTouchpoints: &r.Touchpoints,
		models.RefBranches: &r.Branches, models.RefFunctionalAreas: &r.FunctionalAreas, models.RefCategories: &r.Categories}
	for kind, dst := range targets {
		items, err := s.RefList(ctx, kind)
		if err != nil {
			return nil, err
		}
		if items == nil {
			items = []models.RefItem{}
		}
		*dst = items
	}
	return &r, nil
}

// defaultReference is what a new bank installation starts with.
var defaultReference = map[models.RefKind][][2]string{
	models.RefChannels: {{"survey", "Survey"}, {"meeting", "Meeting"}, {"phone", "Phone"}, {"web", "Website"},
		{"facebook", "Facebook"}, {"interview", "Interview"}, {"focus_group", "Focus group"},
		{"customer_panel", "Customer panel"}, {"observation", "Observation"}, {"email", "E-mail"}},
	models.RefTouchpoints: {{"branch_visit", "Branch visit"}, {"advisory_meeting", "Advisory meeting"},
		{"mobile_app", "Mobile app"}, {"online_banking", "Online banking"}, {"phone_service", "Phone service"},
		{"mortgage", "Mortgage process"}, {"account_opening", "Account opening"}, {"cards", "Cards and payments"},
		{"letters", "Letters and e-mails"}, {"complaints", "Complaint handling"}},
	models.RefBranches: {{"hq", "Head office"}, {"city", "City centre"}, {"north", "North"}, {"south", "South"},
		{"business", "Business centre"}},
	models.RefFunctionalAreas: {{"retail", "Retail banking"}, {"business", "Business banking"}, {"it", "IT and digital"},
		{"operations", "Operations"}, {"credit", "Credit"}, {"marketing", "Marketing and communication"},
		{"customer_service", "Customer service"}, {"hr", "HR"}},
	models.RefCategories: {{"waiting_time", "Waiting time"}, {"advice", "Advice quality"}, {"digital", "Digital self-service"},
		{"communication", "Communication"}, {"prices", "Prices and fees"}, {"accessibility", "Accessibility"},
		{"process", "Process and paperwork"}, {"staff", "Staff attitude"}, {"errors", "Errors and mistakes"}},
}

// SeedReference fills empty reference lists with sensible defaults for a bank.
func (s *Store) SeedReference(ctx context.Context) error {
	for _, kind := range models.RefKinds {
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
