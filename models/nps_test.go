package models

import (
	"testing"
	"time"
)

// testScore returns a pointer to a score, as Feedback holds it.
func testScore(v int) *int { return &v }

func TestGroupOf(t *testing.T) {
	tests := []struct {
		name  string
		score *int
		want  NPSGroup
	}{
		{"no score", nil, ""},
		{"0", testScore(0), GroupDetractor},
		{"6", testScore(6), GroupDetractor},
		{"7", testScore(7), GroupPassive},
		{"8", testScore(8), GroupPassive},
		{"9", testScore(9), GroupPromoter},
		{"10", testScore(10), GroupPromoter},
		{"below scale", testScore(-1), ""},
		{"above scale", testScore(11), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GroupOf(tt.score); got != tt.want {
				t.Errorf("GroupOf(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestValidScore(t *testing.T) {
	tests := []struct {
		score int
		want  bool
	}{{-1, false}, {0, true}, {5, true}, {10, true}, {11, false}}
	for _, tt := range tests {
		if got := ValidScore(tt.score); got != tt.want {
			t.Errorf("ValidScore(%d) = %v, want %v", tt.score, got, tt.want)
		}
	}
}

func TestFollowUpDue(t *testing.T) {
	received := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	want := time.Date(2026, 4, 1, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		score *int
		want  *time.Time
	}{
		{"detractor", testScore(3), &want},
		{"passive", testScore(7), nil},
		{"promoter", testScore(10), nil},
		{"no score", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FollowUpDue(received, tt.score)
			switch {
			case tt.want == nil && got != nil:
				t.Errorf("FollowUpDue = %v, want nil", *got)
			case tt.want != nil && (got == nil || !got.Equal(*tt.want)):
				t.Errorf("FollowUpDue = %v, want %v", got, *tt.want)
			}
		})
	}
}

func TestNPSCountsScore(t *testing.T) {
	tests := []struct {
		name   string
		counts NPSCounts
		want   float64
		wantOK bool
	}{
		{"mixed", NPSCounts{Promoters: 5, Passives: 3, Detractors: 2}, 30, true},
		{"no responses", NPSCounts{}, 0, false},
		{"all detractors", NPSCounts{Detractors: 4}, -100, true},
		{"all promoters", NPSCounts{Promoters: 1}, 100, true},
		{"only passives", NPSCounts{Passives: 7}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.counts.Score()
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Score() = %v, %v, want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestNPSCountsAdd(t *testing.T) {
	a := NPSCounts{Promoters: 1, Passives: 2, Detractors: 3}
	b := NPSCounts{Promoters: 10, Passives: 20, Detractors: 30}
	got := a.Add(b)
	if want := (NPSCounts{Promoters: 11, Passives: 22, Detractors: 33}); got != want {
		t.Errorf("Add = %+v, want %+v", got, want)
	}
	if got.Responses() != 66 {
		t.Errorf("Responses = %d, want 66", got.Responses())
	}
}

func TestRoundTo1(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{30, 30},
		{12.25, 12.3},
		{-12.25, -12.3},
		{12.24, 12.2},
		{100.0 / 3, 33.3},
		{-200.0 / 3, -66.7},
		{0.05, 0.1},
	}
	for _, tt := range tests {
		if got := RoundTo1(tt.in); got != tt.want {
			t.Errorf("RoundTo1(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNPSCountsCount(t *testing.T) {
	var c NPSCounts
	for _, x := range []struct {
		group NPSGroup
		n     int
	}{{GroupPromoter, 3}, {GroupPassive, 2}, {GroupDetractor, 1}, {GroupPromoter, 1}, {"unknown", 5}} {
		c.Count(x.group, x.n)
	}
	if want := (NPSCounts{Promoters: 4, Passives: 2, Detractors: 1}); c != want {
		t.Errorf("counted %+v, want %+v", c, want)
	}
}
