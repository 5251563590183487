package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
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

// dayKeys returns the received_on keys of [from's date, the day after to's date).
func dayKeys(from, to time.Time) (time.Time, time.Time) {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	return time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC), time.Date(ty, tm, td+1, 0, 0, 0, 0, time.UTC)
}

// NPSForDatesIn is NPSForDates narrowed to a scope. Without a branch it sums the daily
// rollup; the rollup has no branch, so a branch's NPS is counted from the (branch,
// received_at, id, nps_group) index, one branch's rows of the period.
func (s *Store) NPSForDatesIn(ctx context.Context, from, to time.Time, sc NPSScope) (NPSCounts, error) {
	if sc.BranchID == 0 {
		if sc.TouchpointID == 0 {
			return s.NPSForDates(ctx, from, to)
		}
		fromDay, toDay := dayKeys(from, to)
		var c NPSCounts
		err := s.r.WithContext(ctx).Raw(`SELECT COALESCE(SUM(promoters), 0) AS promoters,
			COALESCE(SUM(passives), 0) AS passives, COALESCE(SUM(detractors), 0) AS detractors
			FROM feedback_daily WHERE day >= ? AND day < ? AND touchpoint_id = ?`, fromDay, toDay, sc.TouchpointID).Scan(&c).Error
		if err != nil {
			return c, fmt.Errorf("models: nps of touchpoint: %w", err)
		}
		return c, nil
	}
	start, end := DayRange(from, to, s.Location)
	db := s.r.WithContext(ctx).Table("feedback").Where("branch_id = ? AND received_at >= ? AND received_at < ? AND nps_group IS NOT NULL",
		sc.BranchID, start.UTC(), end.UTC())
	if sc.TouchpointID != 0 {
		db = db.Where("touchpoint_id = ?", sc.TouchpointID)
	}
	var rows []struct {
		NPSGroup string `gorm:"column:nps_group"`
		N        int
	}
	if err := db.Select("nps_group, COUNT(*) AS n").Group("nps_group").Scan(&rows).Error; err != nil {
		return NPSCounts{}, fmt.Errorf("models: nps of branch: %w", err)
	}
	var c NPSCounts
	for _, r := range rows {
		switch NPSGroup(r.NPSGroup) {
		case GroupPromoter:
			c.Promoters = r.N
		case GroupPassive:
			c.Passives = r.N
		case GroupDetractor:
			c.Detractors = r.N
		}
	}
	return c, nil
}

// serviceSums is the SELECT list that adds up feedback_service_daily rows.
const serviceSums = `COALESCE(SUM(answered), 0) AS answered, COALESCE(SUM(resolved), 0) AS resolved,
	COALESCE(SUM(csat_responses), 0) AS csat_responses, COALESCE(SUM(csat_sum), 0) AS csat_sum,
	COALESCE(SUM(res_promoters), 0) AS res_promoters, COALESCE(SUM(res_passives), 0) AS res_passives,
	COALESCE(SUM(res_detractors), 0) AS res_detractors, COALESCE(SUM(unres_promoters), 0) AS unres_promoters,
	COALESCE(SUM(unres_passives), 0) AS unres_passives, COALESCE(SUM(unres_detractors), 0) AS unres_detractors`

// serviceRow is one summed row of feedback_service_daily.
type serviceRow struct {
	SegKey                                         int64
	Answered, Resolved, CSATResponses, CSATSum     int
	ResPromoters, ResPassives, ResDetractors       int
	UnresPromoters, UnresPassives, UnresDetractors int
}

func (r serviceRow) counts() ServiceCounts {
	return ServiceCounts{Answered: r.Answered, Resolved: r.Resolved, CSATResponses: r.CSATResponses, CSATSum: r.CSATSum,
		ResolvedNPS:   NPSCounts{Promoters: r.ResPromoters, Passives: r.ResPassives, Detractors: r.ResDetractors},
		UnresolvedNPS: NPSCounts{Promoters: r.UnresPromoters, Passives: r.UnresPassives, Detractors: r.UnresDetractors}}
}

// ServiceForDays sums first-contact resolution and CSAT over the received_on keys
// [fromDay, toDay) in a scope, from the daily rollup.
func (s *Store) ServiceForDays(ctx context.Context, fromDay, toDay time.Time, sc NPSScope) (ServiceCounts, error) {
	db := s.r.WithContext(ctx).Table("feedback_service_daily").Select("0 AS seg_key, "+serviceSums).
		Where("day >= ? AND day < ?", fromDay, toDay)
	if sc.TouchpointID != 0 {
		db = db.Where("touchpoint_id = ?", sc.TouchpointID)
	}
	if sc.BranchID != 0 {
		db = db.Where("branch_id = ?", sc.BranchID)
	}
	var r serviceRow
	if err := db.Scan(&r).Error; err != nil {
		return ServiceCounts{}, fmt.Errorf("models: first-contact resolution: %w", err)
	}
	return r.counts(), nil
}

// ServiceForDates is ServiceForDays for the dates from..to, both included.
func (s *Store) ServiceForDates(ctx context.Context, from, to time.Time, sc NPSScope) (ServiceCounts, error) {
	fromDay, toDay := dayKeys(from, to)
	return s.ServiceForDays(ctx, fromDay, toDay, sc)
}

// ServiceByTouchpoint sums first-contact resolution and CSAT over [fromDay, toDay) per
// touchpoint id (0 = none).
func (s *Store) ServiceByTouchpoint(ctx context.Context, fromDay, toDay time.Time) (map[int64]ServiceCounts, error) {
	var rows []serviceRow
	err := s.r.WithContext(ctx).Table("feedback_service_daily").Select("touchpoint_id AS seg_key, "+serviceSums).
		Where("day >= ? AND day < ?", fromDay, toDay).Group("touchpoint_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: first-contact resolution by touchpoint: %w", err)
	}
	out := make(map[int64]ServiceCounts, len(rows))
	for _, r := range rows {
		out[r.SegKey] = r.counts()
	}
	return out, nil
}

// TouchpointService is one touchpoint's first-contact resolution and CSAT.
type TouchpointService struct {
	Name string // "" for feedback without a touchpoint
	ServiceCounts
}

// reportService fills the report's first-contact resolution and CSAT from the rollup.
func (s *Store) reportService(ctx context.Context, r *Report) error {
	from, to := s.periodDays(r.Period)
	var err error
	if r.Service, err = s.ServiceForDays(ctx, from, to, NPSScope{}); err != nil {
		return err
	}
	pf, pt := s.periodDays(r.Period.Previous())
	if r.ServicePrevious, err = s.ServiceForDays(ctx, pf, pt, NPSScope{}); err != nil {
		return err
	}
	by, err := s.ServiceByTouchpoint(ctx, from, to)
	if err != nil {
		return err
	}
	names, err := s.refNames(ctx, RefTouchpoints)
	if err != nil {
		return err
	}
	for id, c := range by {
		if c.Answered == 0 && c.CSATResponses == 0 {
			continue
		}
		r.ServiceByTouchpoint = append(r.ServiceByTouchpoint, TouchpointService{Name: names[id], ServiceCounts: c})
	}
	slices.SortFunc(r.ServiceByTouchpoint, func(a, b TouchpointService) int { return strings.Compare(a.Name, b.Name) })
	return nil
}
