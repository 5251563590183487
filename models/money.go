package models

import (
	"errors"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// Money is an amount of kroner held exactly in øre (hundredths of a krone), so that
// "250,50" typed by a Danish user is stored as 25050 and never rounded, multiplied by a
// hundred or summed with a float's error. Every goodwill amount and limit and every
// saving is a Money; the database columns keep their names and hold øre since
// migration 00020. The value is a plain int64, so it scans from and binds to an
// INTEGER/BIGINT column as it is.
//
// Text in a person's language ("1.250,50 kr.") is written and read by views/i18n;
// this type knows only the language-free forms: the JSON number of the API (250.5)
// and the canonical text of history entries and exports ("250.50", "1250").
type Money int64

// Krone is one krone.
const Krone Money = 100

// Kroner returns a whole number of kroner as Money.
func Kroner(kr int64) Money { return Money(kr) * Krone }

// Ore returns the amount in øre.
func (m Money) Ore() int64 { return int64(m) }

// Whole reports whether the amount is a whole number of kroner.
func (m Money) Whole() bool { return m%Krone == 0 }

// Split returns the whole kroner and the øre (0-99) of the amount's absolute value,
// and whether it is negative.
func (m Money) Split() (kroner, ore int64, negative bool) {
	v := int64(m)
	if v < 0 {
		negative = true
		v = -v
	}
	return v / 100, v % 100, negative
}

// String writes the amount as a plain decimal number of kroner with a point: "1250"
// when whole, else two decimals ("250.50", "-0.05"). History entries and the plain
// CSV fields use it, and ParseMoneyDecimal reads it back.
func (m Money) String() string {
	kr, ore, neg := m.Split()
	s := strconv.FormatInt(kr, 10)
	if ore != 0 {
		s += "." + twoDigits(ore)
	}
	if neg {
		s = "-" + s
	}
	return s
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// Float returns the amount in kroner as a float, for a spreadsheet cell; it is exact to
// the øre for any amount below 10^13 kroner.
func (m Money) Float() float64 { return float64(m) / 100 }

// ErrNotMoney is returned for a number that is not an amount of kroner and øre.
var ErrNotMoney = errors.New("not an amount of kroner with at most two decimals")

// maxMoneyText bounds what the parsers accept before any range check: 10^15 kroner is
// far beyond any limit and far below int64's range in øre.
var maxMoneyText = new(big.Rat).SetInt64(1_000_000_000_000_000)

// decimalNumber is a JSON number literal (no hexadecimal, fractions or "+"), with an
// exponent of at most three digits so that no text makes the parser build a huge number.
var decimalNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$`)

// ParseMoneyDecimal reads an amount of kroner written as a number in the
// language-free way of JSON and of history entries: "250", "250.5", "250.50", "-3",
// "2.505e2". More than two decimals ("250.505") is refused, not rounded: an amount
// of money either is exact or is not an amount.
func ParseMoneyDecimal(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if !decimalNumber.MatchString(s) {
		return 0, ErrNotMoney
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, ErrNotMoney
	}
	if new(big.Rat).Abs(r).Cmp(maxMoneyText) > 0 {
		return 0, ErrNotMoney
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		return 0, ErrNotMoney
	}
	return Money(r.Num().Int64()), nil
}

// MarshalJSON writes the amount as a JSON number of kroner: 250 when whole (so a whole
// amount stays an integer for clients of the first API version), else 250.5.
func (m Money) MarshalJSON() ([]byte, error) {
	s := m.String()
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(s, "0")
	}
	return []byte(s), nil
}

// UnmarshalJSON reads a JSON number of kroner with at most two decimals.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" || s[0] == '"' || s == "null" || s == "true" || s == "false" {
		return ErrNotMoney
	}
	v, err := ParseMoneyDecimal(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}
