package models_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestDrawingsDrawOncePerKeyAndVersion(t *testing.T) {
	draws := 0
	drawn := func(s string) func() ([]byte, error) {
		return func() ([]byte, error) { draws++; return []byte(s), nil }
	}
	var d models.Drawings
	steps := []struct {
		key, version string
		draw, want   string
		wantDraws    int
	}{
		{"en", "12:00:00", "a", "a", 1},
		{"en", "12:00:00", "b", "a", 1}, // same version: kept
		{"da", "12:00:00", "c", "c", 2}, // another language
		{"en", "12:00:01", "d", "d", 3}, // the next version
		{"en", "12:00:00", "e", "e", 4}, // an earlier version is not kept beside it
		{"da", "12:00:00", "f", "c", 4},
	}
	for i, st := range steps {
		got, err := d.Draw(st.key, st.version, drawn(st.draw))
		if err != nil || string(got) != st.want || draws != st.wantDraws {
			t.Fatalf("step %d: Draw(%q, %q) = %q, %v after %d draws; want %q after %d", i, st.key, st.version, got, err, draws, st.want, st.wantDraws)
		}
	}
}

func TestDrawingsKeepNoFailureAndNilKeepsNothing(t *testing.T) {
	var d models.Drawings
	if _, err := d.Draw("en", "1", func() ([]byte, error) { return nil, errors.New("client gone") }); err == nil {
		t.Fatal("the failure was not returned")
	}
	got, err := d.Draw("en", "1", func() ([]byte, error) { return []byte("x"), nil })
	if err != nil || string(got) != "x" {
		t.Fatalf("after a failed drawing: %q, %v; want it drawn again", got, err)
	}
	var none *models.Drawings
	for _, want := range []string{"1", "2"} {
		got, _ := none.Draw("en", "1", func() ([]byte, error) { return []byte(want), nil })
		if string(got) != want {
			t.Fatalf("nil Drawings returned %q, want %q drawn each time", got, want)
		}
	}
}

// A drawing with holes is cut at each of them once, when drawn: the readers after the
// first get the same parts without a search.
func TestDrawingsCutAtHolesOnce(t *testing.T) {
	var d models.Drawings
	draws := 0
	for i, tc := range []struct {
		version, drawing string
		want             []string
		wantDraws        int
	}{
		{"1", "<form>#<b>#</form>", []string{"<form>", "<b>", "</form>"}, 1},
		{"1", "drawn again", []string{"<form>", "<b>", "</form>"}, 1},
		{"2", "#edges#", []string{"", "edges", ""}, 2},
		{"3", "no hole", []string{"no hole"}, 3},
	} {
		parts, err := d.DrawCut("en", tc.version, []byte("#"), func() ([]byte, error) { draws++; return []byte(tc.drawing), nil })
		got := make([]string, len(parts))
		for j, p := range parts {
			got[j] = string(p)
		}
		if err != nil || !slices.Equal(got, tc.want) || draws != tc.wantDraws {
			t.Errorf("step %d: %q, %v after %d draws; want %q after %d", i, got, err, draws, tc.want, tc.wantDraws)
		}
	}
	var none *models.Drawings
	parts, err := none.DrawCut("en", "1", []byte("#"), func() ([]byte, error) { return []byte("a#b"), nil })
	if err != nil || len(parts) != 2 {
		t.Errorf("nil Drawings: %q, %v", parts, err)
	}
}
