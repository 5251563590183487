package models

// MaxSavings and MaxSavingsHours bound what one improvement may claim; beyond them a
// typo is more likely than a saving.
const (
	MaxSavings      = 1_000_000_000 * Krone
	MaxSavingsHours = 1_000_000
)

// Savings are an improvement's optional estimated and realised savings, in money a
// year (exact to the øre) and hours a year; nil is not given.
type Savings struct {
	EstimatedKr, RealisedKr       *Money
	EstimatedHours, RealisedHours *int
}

// Validate names each value out of range by field.
func (sv Savings) Validate() *ValidationError {
	f := map[string]string{}
	for name, v := range map[string]*Money{"savings_estimated_kr": sv.EstimatedKr, "savings_realised_kr": sv.RealisedKr} {
		if v != nil && *v < 0 {
			f[name] = "must_not_be_negative"
		} else if v != nil && *v > MaxSavings {
			f[name] = "out_of_range"
		}
	}
	for name, v := range map[string]*int{"hours_estimated": sv.EstimatedHours, "hours_realised": sv.RealisedHours} {
		if v != nil && (*v < 0 || *v > MaxSavingsHours) {
			f[name] = "out_of_range"
		}
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// SavingsTotals adds up the savings of the improvements implemented in a period.
type SavingsTotals struct {
	EstimatedKr, RealisedKr       Money
	EstimatedHours, RealisedHours int64
	// Improvements is how many of them gave any saving.
	Improvements int
}
