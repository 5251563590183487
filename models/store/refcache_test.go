package store

import (
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestFindRef(t *testing.T) {
	items := []models.RefItem{
		{ID: 1, Code: "phone", Name: "Phone", Active: false},
		{ID: 2, Code: "phone2", Name: "Phone", Active: true},
		{ID: 3, Code: "web", Name: "Web", Active: true},
		{ID: 4, Code: "øst", Name: "Østerbro", Active: true},
		{ID: 5, Code: "old", Name: "Old", Active: false},
	}
	tests := []struct {
		in     string
		wantID int64
		found  bool
	}{
		{"web", 3, true},
		{" WEB ", 3, true},
		{"phone", 2, true}, // item 1's code and item 2's name: the active one wins
		{"Phone", 2, true},
		{"phone2", 2, true}, // exact code
		{"østerbro", 4, true},
		{"ØSTERBRO", 4, true},
		{"mail", 0, false},
		{"old", 5, true}, // an inactive item is still found; the caller decides

		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := findRef(items, tt.in)
		if ok != tt.found || (ok && got.ID != tt.wantID) {
			t.Errorf("findRef(%q) = %d, %v; want %d, %v", tt.in, got.ID, ok, tt.wantID, tt.found)
		}
	}
}
