package models

import (
	"cmp"
	"context"
	"fmt"
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

// EvidenceOf counts the evidence of several improvements in one query.
func (s *Store) EvidenceOf(ctx context.Context, ids []int64) (map[int64]Evidence, error) {
	out := make(map[int64]Evidence, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ImprovementID                            int64
		Detractors, Customers, Private, Business int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT l.improvement_id,
		COALESCE(SUM(CASE WHEN f.nps_group = ? THEN 1 ELSE 0 END), 0) AS detractors,
		COUNT(DISTINCT COALESCE(f.customer_email, 'feedback ' || f.id)) AS customers,
		COALESCE(SUM(CASE WHEN f.segment = ? THEN 1 ELSE 0 END), 0) AS private,
		COALESCE(SUM(CASE WHEN f.segment = ? THEN 1 ELSE 0 END), 0) AS business
		FROM improvement_feedback l JOIN feedback f ON f.id = l.feedback_id
		WHERE l.improvement_id IN ? GROUP BY l.improvement_id`, GroupDetractor, SegmentPrivate, SegmentBusiness, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: evidence: %w", err)
	}
	for _, r := range rows {
		out[r.ImprovementID] = Evidence{Detractors: r.Detractors, Customers: r.Customers, Private: r.Private, Business: r.Business}
	}
	return out, nil
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
