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
