package models

import (
	"cmp"
	"slices"
)

// Evidence is the customer evidence behind an improvement: how many linked feedback
// came from detractors, how many distinct customers (by e-mail where known, else each
// feedback is one) and their segments.
type Evidence struct {
	Detractors, Customers, Private, Business int
}

// CompareEvidence orders stronger evidence first: more detractors, then more
// customers; ties are left to the caller's order (priority).
func CompareEvidence(a, b Evidence) int {
	if c := cmp.Compare(b.Detractors, a.Detractors); c != 0 {
		return c
	}
	return cmp.Compare(b.Customers, a.Customers)
}

// SortByEvidence orders improvements by the evidence behind them, strongest first,
// keeping the existing order (priority) among equals.
func SortByEvidence(items []Improvement, ev map[int64]Evidence) {
	slices.SortStableFunc(items, func(a, b Improvement) int { return CompareEvidence(ev[a.ID], ev[b.ID]) })
}

// EvidenceMatrix places improvements on the matrix as BuildMatrix does, each cell
// ordered by evidence when byEvidence is set.
func EvidenceMatrix(items []Improvement, threshold Effort, ev map[int64]Evidence, byEvidence bool) [][]MatrixCell {
	if byEvidence {
		items = slices.Clone(items)
		SortByEvidence(items, ev)
	}
	return BuildMatrix(items, threshold)
}
