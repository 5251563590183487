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

func TestFoldLinks(t *testing.T) {
	keys := func(ls []Link) string {
		s := ""
		for _, l := range ls {
			s += l.Key + " "
		}
		return s
	}
	mk := func(ks ...string) []Link {
		var out []Link
		for _, k := range ks {
			out = append(out, Link{Key: k})
		}
		return out
	}
	tests := []struct {
		name      string
		in        []Link
		bar, more string
	}{
		{"a quick-win member keeps every link", mk("home", "mine", "feedback", "improvements", "quickwins", "reports", "yousaid"),
			"home mine feedback improvements quickwins reports yousaid ", ""},
		{"eight links still fit without a menu", mk("home", "log", "followups", "feedback", "triage", "improvements", "reports", "yousaid"),
			"home log followups feedback triage improvements reports yousaid ", ""},
		{"steering and ambassador", mk("home", "log", "followups", "feedback", "triage", "improvements", "quickwins", "steering", "reports", "yousaid"),
			"log followups feedback triage improvements quickwins steering ", "home reports yousaid "},
		{"admin, steering and ambassador", mk("home", "log", "followups", "feedback", "triage", "improvements", "quickwins", "steering", "reports", "yousaid", "admin"),
			"log followups feedback triage improvements quickwins steering ", "home reports yousaid admin "},
	}
	for _, tt := range tests {
		bar, more := foldLinks(tt.in)
		if keys(bar) != tt.bar || keys(more) != tt.more {
			t.Errorf("%s: bar %q more %q; want %q and %q", tt.name, keys(bar), keys(more), tt.bar, tt.more)
		}
	}
}
