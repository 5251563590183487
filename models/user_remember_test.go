package models

import "testing"

func TestUserRemembersLastEntry(t *testing.T) {
	id := func(v int64) *int64 { return &v }
	tests := []struct {
		name           string
		lastCh, lastBr *int64
		channel        int64
		branch         *int64
		want           bool
	}{
		{"nothing remembered yet", nil, nil, 1, nil, false},
		{"same channel, no branch either time", id(1), nil, 1, nil, true},
		{"same channel and branch", id(1), id(7), 1, id(7), true},
		{"other channel", id(1), id(7), 2, id(7), false},
		{"other branch", id(1), id(7), 1, id(8), false},
		{"branch now left out", id(1), id(7), 1, nil, false},
		{"branch now given", id(1), nil, 1, id(7), false},
	}
	for _, tt := range tests {
		u := &User{LastChannelID: tt.lastCh, LastBranchID: tt.lastBr}
		if got := u.Remembers(tt.channel, tt.branch); got != tt.want {
			t.Errorf("%s: remembers = %v, want %v", tt.name, got, tt.want)
		}
	}
}
