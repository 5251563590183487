package models_test

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		in     string
		want   string // RFC 3339, "" for no date
		wantOK bool
	}{
		{"2026-03-05", "2026-03-05T00:00:00Z", true},
		{" 2026-12-31 ", "2026-12-31T00:00:00Z", true},
		{"", "", true},
		{"   ", "", true},
		{"5/3", "", false},
		{"2026-02-30", "", false},
		{"2026-03-05T10:00:00Z", "", false},
	}
	for _, tt := range tests {
		got, ok := models.ParseDay(tt.in)
		s := ""
		if got != nil {
			s = got.Format(time.RFC3339)
		}
		if ok != tt.wantOK || s != tt.want {
			t.Errorf("ParseDay(%q) = %q, %v; want %q, %v", tt.in, s, ok, tt.want, tt.wantOK)
		}
	}
}

func TestTransitionRequestValidate(t *testing.T) {
	long := strings.Repeat("x", 2001)
	tests := []struct {
		name string
		req  models.TransitionRequest
		want map[string]string
	}{
		{"a plain move", models.TransitionRequest{To: "in_progress", Version: "3"}, nil},
		{"unknown status", models.TransitionRequest{To: "done", Version: "3"}, map[string]string{"to": "invalid_choice"}},
		{"no version", models.TransitionRequest{To: "in_progress"}, map[string]string{"version": "required"}},
		{"version not a number", models.TransitionRequest{To: "in_progress", Version: "x"}, map[string]string{"version": "required"}},
		{"reason too long", models.TransitionRequest{To: "rejected", Version: "1", Reason: long}, map[string]string{"reason": "out_of_range"}},
		{"approval with bad fields", models.TransitionRequest{To: "approved", Version: "1", OwnerID: "me", AreaID: "-2", TargetDate: "5/3"},
			map[string]string{"owner": "invalid_choice", "functional_area": "invalid_choice", "target_date": "invalid_date"}},
		{"a deferral reads only its date", models.TransitionRequest{To: "deferred", Version: "1", OwnerID: "me", TargetDate: "5/3", DeferUntil: "2026-13-01"},
			map[string]string{"defer_until": "invalid_date"}},
		{"a rejection ignores the approval's fields", models.TransitionRequest{To: "rejected", Version: "1", Reason: "No", TargetDate: "x", DeferUntil: "y"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.req.Validate()
			var got map[string]string
			if err != nil {
				got = err.Fields
			}
			if !maps.Equal(got, tt.want) {
				t.Fatalf("Validate() = %v, want %v", got, tt.want)
			}
		})
	}
	in, err := models.TransitionRequest{To: "approved", Version: "4", OwnerID: "7", AreaID: "2", TargetDate: "2026-06-30"}.Validate()
	if err != nil || in.To != models.StatusApproved || in.Version != 4 || *in.OwnerID != 7 || *in.FunctionalAreaID != 2 ||
		in.TargetDate.Format(time.DateOnly) != "2026-06-30" {
		t.Fatalf("approval input %+v, %v", in, err)
	}
}
