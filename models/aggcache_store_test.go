package models_test

import (
	"context"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// The dashboard's figures are kept between visits, yet feedback logged through the
// store is counted on the very next one, and so is a reference rename in its list.
func TestDashboardSeesWritesAtOnce(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	by := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	before, err := s.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again != before {
		t.Fatal("a second visit with no write in between recomputed the figures")
	}
	nine := 9
	if _, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: &nine, Comment: "Quick"}, by); err != nil {
		t.Fatal(err)
	}
	after, err := s.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := after.NPS30.Promoters, before.NPS30.Promoters+1; got != want {
		t.Fatalf("promoters in the last 30 days = %d after logging one, want %d", got, want)
	}

	phone, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateRef(ctx, models.RefChannels, phone.ID, "Telephone", true, by); err != nil {
		t.Fatal(err)
	}
	renamed, err := s.ResolveRef(ctx, models.RefChannels, "telephone")
	if err != nil || renamed.ID != phone.ID {
		t.Fatalf("after the rename, resolving the new name gave %+v, %v", renamed, err)
	}
}
