package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestMergeMovesLinksKeepsHistories(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	st := modeltest.User(t, s, "st@example.com", models.RoleSteering)
	now := time.Now()
	f1 := rawFeedback(t, s, now, npsOf(2), "slow", nil, "")
	f2 := rawFeedback(t, s, now, npsOf(10), "fast", nil, "")
	f3 := rawFeedback(t, s, now, nil, "meh", nil, "")
	survivor, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Faster app", Impact: 4, Effort: models.EffortM,
		FeedbackIDs: []int64{f1, f2}}, st)
	if err != nil {
		t.Fatal(err)
	}
	dup, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "App is slow", Impact: 3, Effort: models.EffortM,
		FeedbackIDs: []int64{f2, f3}}, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeImprovements(ctx, models.MergeInput{SurvivorID: survivor.ID, MergedID: dup.ID, SeenID: survivor.ID, SeenVersion: 9}, st); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("stale merge: %v", err)
	}
	got, err := s.MergeImprovements(ctx, models.MergeInput{SurvivorID: survivor.ID, MergedID: dup.ID, SeenID: survivor.ID, SeenVersion: 1}, st)
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := s.LinkedFeedbackIDs(ctx, got.ID)
	if len(ids) != 3 || ids[0] != f1 || ids[1] != f2 || ids[2] != f3 {
		t.Fatalf("survivor links %v", ids)
	}
	if left, _ := s.LinkedFeedbackIDs(ctx, dup.ID); len(left) != 0 {
		t.Fatalf("merged one keeps links %v", left)
	}
	merged, _ := s.ImprovementByID(ctx, dup.ID)
	if merged.MergedIntoID == nil || *merged.MergedIntoID != survivor.ID || merged.Status != models.StatusRejected {
		t.Fatalf("merged: %+v", merged)
	}
	if to, _ := s.Survivor(ctx, merged); to != survivor.ID {
		t.Fatalf("survivor of merged = %d", to)
	}
	timeline, _ := s.Timeline(ctx, survivor.ID)
	var onSurvivor, onMerged bool
	for _, h := range timeline {
		onSurvivor = onSurvivor || h.EntityID == survivor.ID && h.Action == "merged"
		onMerged = onMerged || h.EntityID == dup.ID && h.Action == "merged_into"
	}
	if !onSurvivor || !onMerged {
		t.Fatalf("timeline lacks the merge on both: %+v", timeline)
	}
	tests := []struct {
		name string
		in   models.MergeInput
		want error
	}{
		{"again", models.MergeInput{SurvivorID: survivor.ID, MergedID: dup.ID}, models.ErrNotAllowed},
		{"into itself", models.MergeInput{SurvivorID: survivor.ID, MergedID: survivor.ID}, nil},
		{"unknown", models.MergeInput{SurvivorID: survivor.ID, MergedID: 9999}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.MergeImprovements(ctx, tt.in, st)
			var ve *models.ValidationError
			if tt.want != nil && !errors.Is(err, tt.want) || tt.want == nil && !errors.As(err, &ve) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}
