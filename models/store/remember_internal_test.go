package store

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// One batch of several ambassadors' feedback remembers, for each, the channel and
// branch of their latest feedback in it, a branch left out included, and leaves a
// user whose latest entry is remembered already as they were.
func TestBatchRemembersEachAmbassadorsLatestEntry(t *testing.T) {
	ctx := context.Background()
	s := openForImport(t, 0)
	phone, err := s.ResolveRef(ctx, models.RefChannels, "phone")
	if err != nil {
		t.Fatal(err)
	}
	survey, err := s.ResolveRef(ctx, models.RefChannels, "survey")
	if err != nil {
		t.Fatal(err)
	}
	north, err := s.ResolveRef(ctx, models.RefBranches, "north")
	if err != nil {
		t.Fatal(err)
	}
	branch := north.ID
	user := func(email string, channel *int64, branch *int64) *models.User {
		t.Helper()
		u := &models.User{Email: email, Name: email, PasswordHash: "x", Roles: models.RoleAmbassador, Lang: "en",
			Active: true, LastChannelID: channel, LastBranchID: branch}
		if err := s.w.Create(u).Error; err != nil {
			t.Fatal(err)
		}
		return u
	}
	anna := user("anna@example.com", nil, nil)
	bo := user("bo@example.com", &phone.ID, nil)
	carl := user("carl@example.com", &survey.ID, &branch)
	job := func(by *models.User, channel int64, branch *int64) feedbackJob {
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		return feedbackJob{ctx: ctx, by: by, channelID: channel, branchID: branch, row: models.Feedback{
			ReceivedAt: at, ReceivedOn: at, ChannelID: channel, BranchID: branch, Comment: "x",
			TriageStatus: models.TriageNew, Version: 1, CreatedAt: at, UpdatedAt: at, LoggedByID: &by.ID}}
	}
	if _, err := s.storeFeedback(ctx, []feedbackJob{
		job(anna, phone.ID, &branch),
		job(carl, phone.ID, nil), // not his latest: that one he remembers already
		job(bo, survey.ID, &branch),
		job(anna, survey.ID, nil),
		job(carl, survey.ID, &branch),
	}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		user    *models.User
		channel int64
		branch  *int64
	}{{anna, survey.ID, nil}, {bo, survey.ID, &branch}, {carl, survey.ID, &branch}} {
		var got models.User
		if err := s.r.First(&got, tt.user.ID).Error; err != nil {
			t.Fatal(err)
		}
		if !got.Remembers(tt.channel, tt.branch) {
			t.Errorf("%s remembers channel %v and branch %v, want %d and %v", tt.user.Email,
				deref(got.LastChannelID), deref(got.LastBranchID), tt.channel, deref(tt.branch))
		}
	}
}
