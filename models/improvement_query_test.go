package models_test

import (
	"testing"

	"github.com/improvementtracker/tracker/models"
)

func TestBuildMatrix(t *testing.T) {
	items := []models.Improvement{
		{ID: 1, Impact: 5, Effort: models.EffortXS},
		{ID: 2, Impact: 1, Effort: models.EffortXL},
		{ID: 3, Impact: 5, Effort: models.EffortXS},
		{ID: 4, Impact: 0, Effort: models.EffortXS},
	}
	tests := []struct {
		name      string
		threshold models.Effort
		quickCols int
	}{
		{"default threshold", models.EffortS, 2},
		{"wider threshold", models.EffortL, 4},
		{"unknown threshold falls back", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := models.BuildMatrix(items, tt.threshold)
			if len(g) != 5 || len(g[0]) != 5 {
				t.Fatalf("grid %dx%d", len(g), len(g[0]))
			}
			if g[0][0].Impact != 5 || g[0][0].Effort != models.EffortXS || len(g[0][0].Items) != 2 {
				t.Fatalf("top-left cell %+v", g[0][0])
			}
			if len(g[4][4].Items) != 1 || g[4][4].Items[0].ID != 2 {
				t.Fatalf("bottom-right cell %+v", g[4][4])
			}
			quick := 0
			for _, c := range g[2] {
				if c.Quick {
					quick++
				}
			}
			if quick != tt.quickCols {
				t.Fatalf("quick columns %d, want %d", quick, tt.quickCols)
			}
		})
	}
}
