package models

import "testing"

func TestParseEffort(t *testing.T) {
	tests := []struct {
		in     string
		want   Effort
		wantOK bool
	}{
		{"XS", EffortXS, true},
		{"xs", EffortXS, true},
		{" m ", EffortM, true},
		{"Xl", EffortXL, true},
		{"", "", false},
		{"XXL", "", false},
		{"medium", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseEffort(tt.in)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("ParseEffort(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestEffortRank(t *testing.T) {
	for i, e := range Efforts {
		if got := e.Rank(); got != i+1 {
			t.Errorf("%s.Rank() = %d, want %d", e, got, i+1)
		}
	}
	if got := Effort("XXL").Rank(); got != 0 {
		t.Errorf("unknown Rank() = %d, want 0", got)
	}
}

func TestParseTrack(t *testing.T) {
	tests := []struct {
		in     string
		want   Track
		wantOK bool
	}{
		{"quick_win", TrackQuickWin, true},
		{" Steering ", TrackSteering, true},
		{"quickwin", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseTrack(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParseTrack(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSuggestTrack(t *testing.T) {
	tests := []struct {
		effort, threshold Effort
		want              Track
	}{
		{EffortXS, EffortS, TrackQuickWin},
		{EffortS, EffortS, TrackQuickWin},
		{EffortM, EffortS, TrackSteering},
		{EffortL, EffortS, TrackSteering},
		{EffortXL, EffortS, TrackSteering},
		{EffortXS, EffortM, TrackQuickWin},
		{EffortS, EffortM, TrackQuickWin},
		{EffortM, EffortM, TrackQuickWin},
		{EffortL, EffortM, TrackSteering},
		{EffortXL, EffortM, TrackSteering},
		{"", EffortM, TrackSteering},
		{EffortS, "", TrackQuickWin},
		{EffortM, "", TrackSteering},
	}
	for _, tt := range tests {
		t.Run(string(tt.effort)+"/"+string(tt.threshold), func(t *testing.T) {
			if got := SuggestTrack(tt.effort, tt.threshold); got != tt.want {
				t.Errorf("SuggestTrack(%q, %q) = %q, want %q", tt.effort, tt.threshold, got, tt.want)
			}
		})
	}
}

func TestPriority(t *testing.T) {
	tests := []struct {
		name   string
		impact int
		effort Effort
		want   int
	}{
		{"highest", 5, EffortXS, 25},
		{"lowest", 1, EffortXL, 1},
		{"middle", 3, EffortM, 9},
		{"big impact, big effort", 5, EffortXL, 5},
		{"small impact, small effort", 1, EffortXS, 5},
		{"impact out of range", 6, EffortXS, 0},
		{"no impact", 0, EffortXS, 0},
		{"unknown effort", 3, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Priority(tt.impact, tt.effort); got != tt.want {
				t.Errorf("Priority(%d, %q) = %d, want %d", tt.impact, tt.effort, got, tt.want)
			}
		})
	}
}

func TestValidImpact(t *testing.T) {
	tests := []struct {
		impact int
		want   bool
	}{{0, false}, {1, true}, {3, true}, {5, true}, {6, false}}
	for _, tt := range tests {
		if got := ValidImpact(tt.impact); got != tt.want {
			t.Errorf("ValidImpact(%d) = %v, want %v", tt.impact, got, tt.want)
		}
	}
}
