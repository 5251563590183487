package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
)

func TestDrawingsDrawOncePerKeyAndSecond(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	draws := 0
	drawn := func(s string) func() ([]byte, error) {
		return func() ([]byte, error) { draws++; return []byte(s), nil }
	}
	var d models.Drawings
	steps := []struct {
		key       string
		at        time.Time
		draw      string
		want      string
		wantDraws int
	}{
		{"en", at, "a", "a", 1},
		{"en", at.Add(999 * time.Millisecond), "b", "a", 1}, // same second: kept
		{"da", at, "c", "c", 2},                             // another language
		{"en", at.Add(time.Second), "d", "d", 3},            // the next second
		{"en", at, "e", "e", 4},                             // an earlier second is not kept beside it
		{"da", at.Add(500 * time.Millisecond), "f", "c", 4},
	}
	for i, st := range steps {
		got, err := d.Draw(st.key, st.at, drawn(st.draw))
		if err != nil || string(got) != st.want || draws != st.wantDraws {
			t.Fatalf("step %d: Draw(%q) = %q, %v after %d draws; want %q after %d", i, st.key, got, err, draws, st.want, st.wantDraws)
		}
	}
}

func TestDrawingsKeepNoFailureAndNilKeepsNothing(t *testing.T) {
	at := time.Now()
	var d models.Drawings
	if _, err := d.Draw("en", at, func() ([]byte, error) { return nil, errors.New("client gone") }); err == nil {
		t.Fatal("the failure was not returned")
	}
	got, err := d.Draw("en", at, func() ([]byte, error) { return []byte("x"), nil })
	if err != nil || string(got) != "x" {
		t.Fatalf("after a failed drawing: %q, %v; want it drawn again", got, err)
	}
	var none *models.Drawings
	for _, want := range []string{"1", "2"} {
		got, _ := none.Draw("en", at, func() ([]byte, error) { return []byte(want), nil })
		if string(got) != want {
			t.Fatalf("nil Drawings returned %q, want %q drawn each time", got, want)
		}
	}
}
