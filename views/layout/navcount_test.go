package layout

import "testing"

func TestNavCountText(t *testing.T) {
	tests := []struct {
		count int
		want  string
	}{{1, "1"}, {998, "998"}, {999, "999"}, {1000, "999+"}, {2000, "999+"}}
	for _, tt := range tests {
		if got := navCountText(tt.count); got != tt.want {
			t.Errorf("navCountText(%d) = %q, want %q", tt.count, got, tt.want)
		}
	}
}
