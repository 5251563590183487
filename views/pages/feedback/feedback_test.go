package feedback

import "testing"

func TestExcerpt(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 5, ""},
		{"short", 5, "short"},
		{"longer text", 6, "longer…"},
		{"Rådgiveren ringede", 10, "Rådgiveren…"},
		{"æøå", 3, "æøå"},
		{"æøåÆ", 3, "æøå…"},
		{"ab", 0, "…"},
	}
	for _, tt := range tests {
		if got := excerpt(tt.in, tt.n); got != tt.want {
			t.Errorf("excerpt(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
