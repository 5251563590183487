package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// Acceptance: search finds Danish word forms and prefixes, on SQLite and PostgreSQL.
func TestSearchFindsDanishWordForms(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	comments := []string{
		"Rådgiveren ringede ikke tilbage",     // 0
		"Alle gebyrerne er for høje",          // 1
		"Mobilbanken går ned hver fredag",     // 2
		"Min rådgiver var dygtig",             // 3
		"Jeg fik god rådgivning om pension",   // 4
		"Købet af boligen gik let",            // 5
		"Kassen var lukket",                   // 6
		"Et gebyr på 50 kr for et kontoudtog", // 7
	}
	ids := make([]int64, len(comments))
	for i, c := range comments {
		fb, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "survey", Comment: c}, amb)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = fb.ID
	}
	// The light query stemmer keeps "rådgiver" of "Rådgiveren"; Snowball cuts to "rådgiv".
	rådgiveren := []int{0, 3}
	if modeltest.Postgres() {
		rådgiveren = []int{0, 3, 4}
	}
	tests := []struct {
		q    string
		want []int
	}{
		// "rådgiver" is stemmed to "rådgiv" (as PostgreSQL's Snowball stemmer does), so
		// "rådgivning" is found too.
		{"rådgiver", []int{0, 3, 4}},
		{"RÅDGIVER", []int{0, 3, 4}},
		{"rådgiv*", []int{0, 3, 4}},
		{"gebyrer", []int{1, 7}},
		{"gebyrerne", []int{1, 7}},
		{"mobilbank", []int{2}},
		{"køb", []int{5}},
		{"rådgiver tilbage", []int{0}},
		{"Rådgiveren", rådgiveren},
		{"kassen", []int{6}},
		{"\"rådgiver*", []int{0, 3, 4}},
		{"pensionsopsparing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			page, err := s.ListFeedback(ctx, models.FeedbackFilter{Q: tt.q}, models.Cursor{}, 50)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, f := range page.Items {
				got = append(got, f.ID)
			}
			var want []int64
			for _, i := range tt.want {
				want = append(want, ids[i])
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("search %q found %v, want %v", tt.q, got, want)
			}
			n, _, err := s.CountFeedback(ctx, models.FeedbackFilter{Q: tt.q})
			if err != nil || n != len(want) {
				t.Errorf("count %q = %d, %v; want %d", tt.q, n, err, len(want))
			}
		})
	}
}
