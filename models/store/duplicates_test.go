package store_test

import (
	"context"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestSimilarOpenImprovements(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "steer@example.com", models.RoleSteering)
	for _, title := range []string{"Lavere gebyrer på kontoudtog", "Nyt kortdesign", "Gebyrer og kontoudtog forklaret"} {
		if _, err := s.CreateImprovement(ctx, models.NewImprovement{Title: title, Impact: 3, Effort: models.EffortM}, st); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SimilarOpenImprovements(ctx, "Gebyrerne for et kontoudtog er for høje", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Score != 2 || got[1].Score != 2 {
		t.Fatalf("similar = %+v", got)
	}
}
