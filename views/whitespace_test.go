package views

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// templ drops the line break between a component call and text or an inline element
// on the line before or after it, so "10. nov. 2026· Deltagere", "Måldato:10. mar.
// 2027" and "02.46Karen Nielsen" reached the pages. A date or time beside words must
// say its space: { " " }. (Badges are pills, set apart by their own background.)

var (
	timeCall = regexp.MustCompile(`^@components\.(Date|DateTime|Due)\(.*\)$`)
	// inlineStart: what, at the start of a line, runs on from the call before it.
	inlineStart = regexp.MustCompile(`^(\{ [^"]|[^\s<{}@/]|<(a|strong|span|em|small|time|q|b|i|del|ins|abbr)[\s>])`)
	// inlineEnd: what, at the end of a line, runs on into the call after it.
	inlineEnd = regexp.MustCompile(`([^\s>{}]|[^"]\s\}|</(a|strong|span|em|small|time|q|b|i|del|ins|abbr)>)$`)
	// control lines hold no content of their own.
	control = regexp.MustCompile(`^(if |for |else|switch |case |default:|//|\}|templ |func )`)
	// spaced: an explicit space written next to the call.
	spacedStart = regexp.MustCompile(`^\{ " `)
	spacedEnd   = regexp.MustCompile(` " \}$`)
)

// gluedCalls lists, as "line: text", the dates and times of a templ source that sit
// beside inline content on the next or previous line without a written space.
func gluedCalls(src string) []string {
	lines := strings.Split(src, "\n")
	var out []string
	for i, raw := range lines {
		line, spacedBefore := strings.CutPrefix(strings.TrimSpace(raw), `{ " " }`)
		if !timeCall.MatchString(line) {
			continue
		}
		if i > 0 && !spacedBefore {
			prev := strings.TrimSpace(lines[i-1])
			if prev != "" && !control.MatchString(prev) && inlineEnd.MatchString(prev) && !spacedEnd.MatchString(prev) {
				out = append(out, strconv.Itoa(i+1)+": after "+prev)
			}
		}
		if i+1 < len(lines) {
			next := strings.TrimSpace(lines[i+1])
			if next != "" && !control.MatchString(next) && inlineStart.MatchString(next) && !spacedStart.MatchString(next) {
				out = append(out, strconv.Itoa(i+1)+": before "+next)
			}
		}
	}
	return out
}

func TestGluedCalls(t *testing.T) {
	tests := []struct {
		name, src string
		glued     int
	}{
		{"text after a call", "@components.Date(d)\n· { n }", 1},
		{"inline element after a call", "@components.DateTime(t)\n<strong>", 1},
		{"text before a call", "{ label }:\n@components.Date(d)", 1},
		{"expression before a call", "{ it.Title }\n@components.Due(d, now)", 1},
		{"link before a call", "<a href={ h }>{ t }</a>\n@components.DateTime(t)", 1},
		{"spaces written", "{ label }:{ \" \" }\n@components.Date(d)\n{ \" \" }· { n }", 0},
		{"space written before the call", "{ label }:\n{ \" \" }@components.Date(d)", 0},
		{"text after a spaced call", "{ label }:\n{ \" \" }@components.Date(d)\n· { n }", 1},
		{"space inside the expression", "{ label + \": \" }\n@components.Date(d)", 0},
		{"control lines", "if x {\n@components.Date(d)\n}", 0},
		{"block elements", "<div>\n@components.Date(d)\n<input type=\"hidden\"/>", 0},
		{"other components", "{ t }\n@components.Badge(\"status\", s)", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gluedCalls(tt.src); len(got) != tt.glued {
				t.Errorf("gluedCalls(%q) = %q, want %d glued", tt.src, got, tt.glued)
			}
		})
	}
}

// Every view writes the space between a date and the words beside it.
func TestViewsSpaceTheirDates(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".templ") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, g := range gluedCalls(string(src)) {
			t.Errorf("%s:%s", path, g)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
