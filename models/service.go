package models

import (
	"strings"
)

// ValidCSAT reports whether v is on the 1-5 customer satisfaction scale.
func ValidCSAT(v int) bool { return v >= 1 && v <= 5 }

// ParseYesNo reads an optional yes/no answer as the CSV import, the form and the API
// take it: true/false, 1/0, yes/no, ja/nej (and Norwegian nei; any case); "" is no
// answer (nil). ok is false for anything else.
func ParseYesNo(v string) (answer *bool, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return nil, true
	case "true", "1", "yes", "ja", "y", "j":
		t := true
		return &t, true
	case "false", "0", "no", "nej", "nei", "n":
		f := false
		return &f, true
	}
	return nil, false
}

// ServiceCounts are the first-contact resolution and CSAT answers of a period, and the
// NPS groups of those whose matter was and was not resolved at the first contact.
type ServiceCounts struct {
	// Answered is how many said whether their matter was resolved; Resolved how many said yes.
	Answered, Resolved int
	// CSATResponses is how many gave a CSAT score; CSATSum adds up their scores.
	CSATResponses, CSATSum int
	// ResolvedNPS and UnresolvedNPS split the NPS by the first-contact answer.
	ResolvedNPS, UnresolvedNPS NPSCounts
}

// Add returns the sum of c and o.
func (c ServiceCounts) Add(o ServiceCounts) ServiceCounts {
	return ServiceCounts{Answered: c.Answered + o.Answered, Resolved: c.Resolved + o.Resolved,
		CSATResponses: c.CSATResponses + o.CSATResponses, CSATSum: c.CSATSum + o.CSATSum,
		ResolvedNPS: c.ResolvedNPS.Add(o.ResolvedNPS), UnresolvedNPS: c.UnresolvedNPS.Add(o.UnresolvedNPS)}
}

// ResolutionRate returns the share resolved at the first contact in percent; ok is
// false when nobody answered ("no data" is not 0%).
func (c ServiceCounts) ResolutionRate() (rate float64, ok bool) {
	if c.Answered == 0 {
		return 0, false
	}
	return float64(c.Resolved) * 100 / float64(c.Answered), true
}

// CSATAverage returns the average CSAT score; ok is false without scores.
func (c ServiceCounts) CSATAverage() (avg float64, ok bool) {
	if c.CSATResponses == 0 {
		return 0, false
	}
	return float64(c.CSATSum) / float64(c.CSATResponses), true
}

// NPSScope narrows NPS figures to one touchpoint and/or one branch (0 = all).
type NPSScope struct {
	TouchpointID, BranchID int64
}

// TouchpointService is one touchpoint's first-contact resolution and CSAT.
type TouchpointService struct {
	Name string // "" for feedback without a touchpoint
	ServiceCounts
}
