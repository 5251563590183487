package models

import (
	"testing"
	"time"
)

func TestAggregatesFreshness(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		writes uint64 // writes counted after the entry was stored
		at     time.Time
		want   bool
	}{
		{"same moment", 0, t0, true},
		{"within the TTL", 0, t0.Add(aggregateTTL - time.Millisecond), true},
		{"past the TTL", 0, t0.Add(aggregateTTL + time.Millisecond), false},
		{"a write since", 1, t0.Add(time.Millisecond), false},
		{"clock went back", 0, t0.Add(-time.Second), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a aggregates
			a.put("k", 42, a.writes.Load(), t0)
			a.writes.Add(tt.writes)
			v, ok := a.get("k", tt.at)
			if ok != tt.want || (ok && v.(int) != 42) {
				t.Fatalf("get = %v, %v; want fresh %v", v, ok, tt.want)
			}
			if _, ok := a.get("other", t0); ok {
				t.Fatal("a key never stored was found")
			}
		})
	}
}
