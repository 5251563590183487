package store_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm/schema"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// UserByID reads by hand what GORM reads by reflection: every column, NULL or not.
func TestUserByIDReadsEveryColumn(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	db := s.Writer(ctx)
	sch, err := schema.Parse(&models.User{}, &sync.Map{}, db.NamingStrategy)
	if err != nil {
		t.Fatal(err)
	}
	var columns []string
	for _, f := range sch.Fields {
		if f.DBName != "" {
			columns = append(columns, f.DBName)
		}
	}
	got := strings.Split(strings.ReplaceAll(store.UserColumns, " ", ""), ",")
	slices.Sort(columns)
	slices.Sort(got)
	if !slices.Equal(columns, got) {
		t.Fatalf("UserByID reads %v; models.User has %v", got, columns)
	}

	bare := modeltest.User(t, s, "bare@example.com", models.RoleAmbassador)
	full := modeltest.User(t, s, "full@example.com", models.RoleSteering, models.RoleAdmin)
	var channel, branch int64
	db.Raw("SELECT id FROM channels ORDER BY id LIMIT 1").Scan(&channel)
	db.Raw("SELECT id FROM branches ORDER BY id LIMIT 1").Scan(&branch)
	if err := db.Model(&models.User{}).Where("id = ?", full.ID).Updates(map[string]any{
		"last_channel_id": channel, "last_branch_id": branch, "oidc_subject": "sub-1", "mail_opt_out": "overdue",
		"last_write_at": time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), "last_write_by": "instance-a", "lang": "da",
	}).Error; err != nil {
		t.Fatal(err)
	}
	for _, u := range []*models.User{bare, full} {
		var want models.User
		if err := db.Take(&want, u.ID).Error; err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("UserByID(%d) =\n%+v\nGORM reads\n%+v", u.ID, *got, want)
		}
	}
	if _, err := s.UserByID(ctx, full.ID+1000); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a missing user: %v, want ErrNotFound", err)
	}
}

// A token gives its user, read as UserByID reads them, while the token works and the
// user is active; every other token gives no one.
func TestUserByTokenOnlyForAWorkingTokenOfAnActiveUser(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	db := s.Writer(ctx)
	u := modeltest.User(t, s, "api@example.com", models.RoleAmbassador)
	token := func(name string, change map[string]any) string {
		t.Helper()
		tok, err := s.CreateToken(ctx, u.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		if change != nil {
			if err := db.Model(&models.APIToken{}).Where("name = ?", name).Updates(change).Error; err != nil {
				t.Fatal(err)
			}
		}
		return tok
	}
	hourAgo := time.Now().Add(-time.Hour).UTC()
	tests := []struct {
		name              string
		token             string
		userActive, works bool
	}{
		{"working", token("working", nil), true, true},
		{"expiring tomorrow", token("tomorrow", map[string]any{"expires_at": time.Now().Add(24 * time.Hour).UTC()}), true, true},
		{"revoked", token("revoked", map[string]any{"revoked_at": hourAgo}), true, false},
		{"expired", token("expired", map[string]any{"expires_at": hourAgo}), true, false},
		{"unknown", "not-a-token", true, false},
		{"of an inactive user", token("inactive", nil), false, false},
	}
	for _, tt := range tests {
		if err := db.Model(&models.User{}).Where("id = ?", u.ID).Update("active", tt.userActive).Error; err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByToken(ctx, tt.token)
		if !tt.works {
			if !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s: %+v, %v; want ErrNotFound", tt.name, got, err)
			}
			continue
		}
		want, wantErr := s.UserByID(ctx, u.ID)
		if err != nil || wantErr != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, %v; want %+v", tt.name, got, err, want)
		}
	}
}
