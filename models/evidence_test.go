package models_test

import (
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestSortByEvidence(t *testing.T) {
	items := []models.Improvement{{ID: 1}, {ID: 2}, {ID: 3}, {ID: 4}}
	ev := map[int64]models.Evidence{
		1: {Detractors: 0, Customers: 9},
		2: {Detractors: 3, Customers: 3},
		3: {Detractors: 3, Customers: 5},
		// 4 has no linked feedback: no evidence, last, after 1.
	}
	models.SortByEvidence(items, ev)
	var got []int64
	for _, it := range items {
		got = append(got, it.ID)
	}
	want := []int64{3, 2, 1, 4}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order = %v, want %v", got, want)
		}
	}
}
