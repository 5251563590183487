package models

// MaxGoodwillLimit caps a branch's monthly goodwill limit: far above any branch's
// budget, so that a limit typed with three zeros too many is refused.
const MaxGoodwillLimit = 10_000_000 * Krone

// ValidateGoodwillLimit checks a branch's monthly goodwill limit (0 is no limit).
func ValidateGoodwillLimit(limit Money) *ValidationError {
	switch {
	case limit < 0:
		return Invalid("limit", "must_not_be_negative")
	case limit > MaxGoodwillLimit:
		return Invalid("limit", "out_of_range")
	}
	return nil
}
