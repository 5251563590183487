package store

import "testing"

// The ids go as one argument, in the form each database reads as a list.
func TestIDListValue(t *testing.T) {
	for _, c := range []struct {
		name    string
		dialect Dialect
		ids     []int64
		want    string
	}{
		{"none, SQLite", SQLite, nil, "[]"},
		{"one, SQLite", SQLite, []int64{7}, "[7]"},
		{"several, SQLite", SQLite, []int64{3, 10, 200000}, "[3,10,200000]"},
		{"none, PostgreSQL", Postgres, nil, "{}"},
		{"several, PostgreSQL", Postgres, []int64{3, 10, 200000}, "{3,10,200000}"},
	} {
		_, arg := (&Store{dialect: c.dialect}).inIDs("id", c.ids)
		got, err := arg.(idList).Value()
		if err != nil || got != c.want {
			t.Errorf("%s: %v, %v; want %q", c.name, got, err, c.want)
		}
	}
}
