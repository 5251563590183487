package models

import (
	"encoding/json"
	"testing"
)

func TestMoneyString(t *testing.T) {
	for _, tt := range []struct {
		m    Money
		want string
	}{
		{0, "0"}, {Kroner(250), "250"}, {25050, "250.50"}, {25005, "250.05"}, {5, "0.05"},
		{-5, "-0.05"}, {-Kroner(3), "-3"}, {Kroner(1_000_000), "1000000"}, {99, "0.99"},
	} {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(tt.m), got, tt.want)
		}
		if back, err := ParseMoneyDecimal(tt.want); err != nil || back != tt.m {
			t.Errorf("ParseMoneyDecimal(%q) = %d, %v; want %d", tt.want, back, err, tt.m)
		}
	}
}

func TestMoneyWholeAndSplit(t *testing.T) {
	for _, tt := range []struct {
		m       Money
		whole   bool
		kr, ore int64
		neg     bool
	}{
		{0, true, 0, 0, false}, {25050, false, 250, 50, false}, {Kroner(7), true, 7, 0, false}, {-101, false, 1, 1, true},
	} {
		kr, ore, neg := tt.m.Split()
		if tt.m.Whole() != tt.whole || kr != tt.kr || ore != tt.ore || neg != tt.neg {
			t.Errorf("Money(%d): whole %v split %d %d %v; want %v %d %d %v", int64(tt.m), tt.m.Whole(), kr, ore, neg, tt.whole, tt.kr, tt.ore, tt.neg)
		}
	}
}

func TestParseMoneyDecimal(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Money
		ok   bool
	}{
		{"250", 25000, true}, {"250.5", 25050, true}, {"250.50", 25050, true}, {"0.01", 1, true},
		{"-3", -300, true}, {"2.505e2", 25050, true}, {"1E3", 100000, true}, {"25050e-2", 25050, true},
		{"250.505", 0, false}, {"0.001", 0, false}, {"", 0, false}, {"abc", 0, false},
		{"250,50", 0, false}, {"1/2", 0, false}, {"0x10", 0, false}, {"+5", 0, false},
		{"1e999", 0, false}, {"1e9999", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {".5", 0, false},
		{"5.", 0, false}, {" 7 ", 700, true},
	} {
		got, err := ParseMoneyDecimal(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseMoneyDecimal(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestMoneyJSON(t *testing.T) {
	for _, tt := range []struct {
		m    Money
		want string
	}{
		{Kroner(250), "250"}, {25050, "250.5"}, {25055, "250.55"}, {5, "0.05"}, {0, "0"}, {-150, "-1.5"},
	} {
		b, err := json.Marshal(struct {
			A Money `json:"a"`
		}{tt.m})
		if err != nil || string(b) != `{"a":`+tt.want+`}` {
			t.Errorf("Marshal(%d) = %s, %v; want %s", int64(tt.m), b, err, tt.want)
		}
		var back struct {
			A Money `json:"a"`
		}
		if err := json.Unmarshal(b, &back); err != nil || back.A != tt.m {
			t.Errorf("Unmarshal(%s) = %d, %v", b, back.A, err)
		}
	}
	for _, bad := range []string{`"250"`, `250.555`, `true`, `null`, `[1]`} {
		var m Money
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("Unmarshal(%s) accepted as %d", bad, m)
		}
	}
}

func TestValidateGoodwillLimit(t *testing.T) {
	for _, tt := range []struct {
		limit Money
		code  string
	}{
		{0, ""}, {25050, ""}, {MaxGoodwillLimit, ""}, {MaxGoodwillLimit + 1, "out_of_range"}, {-1, "must_not_be_negative"},
	} {
		v := ValidateGoodwillLimit(tt.limit)
		got := ""
		if v != nil {
			got = v.Fields["limit"]
		}
		if got != tt.code {
			t.Errorf("ValidateGoodwillLimit(%s) = %q, want %q", tt.limit, got, tt.code)
		}
	}
}
