package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// The active items are the kept list's first part, by name, and a change shows at once.
func TestActiveRefsFollowTheKeptList(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	var ids []int64
	for _, name := range []string{"Zeta", "Alfa", "Mellem"} {
		it, err := s.CreateRef(ctx, models.RefCategories, strings.ToLower(name)+"-x", name, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	names := func() []string {
		items, err := s.ActiveRefs(ctx, models.RefCategories)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			if !it.Active {
				t.Errorf("%s is inactive", it.Name)
			}
			if strings.HasSuffix(it.Code, "-x") {
				out = append(out, it.Name)
			}
		}
		return out
	}
	if got := names(); !slices.Equal(got, []string{"Alfa", "Mellem", "Zeta"}) {
		t.Errorf("active %v, want by name", got)
	}
	if err := s.UpdateRef(ctx, models.RefCategories, ids[2], "Mellem", false, nil); err != nil {
		t.Fatal(err)
	}
	if got := names(); !slices.Equal(got, []string{"Alfa", "Zeta"}) {
		t.Errorf("after deactivating Mellem: %v", got)
	}
}
