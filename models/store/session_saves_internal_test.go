package store

import (
	"slices"
	"testing"
)

// One statement may write a session once: a batch keeps each token's last save, in the
// place of its first, and every other token as it came.
func TestLastSavePerToken(t *testing.T) {
	save := func(token, data string) sessionJob {
		return sessionJob{row: sessionRow{Token: token, Data: []byte(data)}}
	}
	for _, tc := range []struct {
		name string
		jobs []sessionJob
		want []string // token=data
	}{
		{"one", []sessionJob{save("a", "1")}, []string{"a=1"}},
		{"distinct", []sessionJob{save("a", "1"), save("b", "2"), save("c", "3")}, []string{"a=1", "b=2", "c=3"}},
		{"repeated", []sessionJob{save("a", "1"), save("b", "2"), save("a", "3")}, []string{"a=3", "b=2"}},
		{"thrice", []sessionJob{save("a", "1"), save("a", "2"), save("a", "3")}, []string{"a=3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, r := range lastSavePerToken(tc.jobs) {
				got = append(got, r.Token+"="+string(r.Data))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
