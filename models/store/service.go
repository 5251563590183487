package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// dayKeys returns the received_on keys of [from's date, the day after to's date).
func dayKeys(from, to time.Time) (time.Time, time.Time) {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	return time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC), time.Date(ty, tm, td+1, 0, 0, 0, 0, time.UTC)
}

// NPSForDatesIn is NPSForDates narrowed to a scope. Without a branch it sums the daily
// rollup; the rollup has no branch, so a branch's NPS is counted from the (branch,
// received_at, id, nps_group) index, one branch's rows of the period.
func (s *Store) NPSForDatesIn(ctx context.Context, from, to time.Time, sc models.NPSScope) (models.NPSCounts, error) {
	if sc.BranchID == 0 {
		if sc.TouchpointID == 0 {
			return s.NPSForDates(ctx, from, to)
		}
		fromDay, toDay := dayKeys(from, to)
		var c models.NPSCounts
		err := s.r.WithContext(ctx).Raw(`SELECT COALESCE(SUM(promoters), 0) AS promoters,
			COALESCE(SUM(passives), 0) AS passives, COALESCE(SUM(detractors), 0) AS detractors
			FROM feedback_daily WHERE day >= ? AND day < ? AND touchpoint_id = ?`, fromDay, toDay, sc.TouchpointID).Scan(&c).Error
		if err != nil {
			return c, fmt.Errorf("models: nps of touchpoint: %w", err)
		}
		return c, nil
	}
	start, end := models.DayRange(from, to, s.Location)
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
		return models.NPSCounts{}, fmt.Errorf("models: nps of branch: %w", err)
	}
	var c models.NPSCounts
	for _, r := range rows {
		c.Count(models.NPSGroup(r.NPSGroup), r.N)
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

func (r serviceRow) counts() models.ServiceCounts {
	return models.ServiceCounts{Answered: r.Answered, Resolved: r.Resolved, CSATResponses: r.CSATResponses, CSATSum: r.CSATSum,
		ResolvedNPS:   models.NPSCounts{Promoters: r.ResPromoters, Passives: r.ResPassives, Detractors: r.ResDetractors},
		UnresolvedNPS: models.NPSCounts{Promoters: r.UnresPromoters, Passives: r.UnresPassives, Detractors: r.UnresDetractors}}
}

// ServiceForDays sums first-contact resolution and CSAT over the received_on keys
// [fromDay, toDay) in a scope, from the daily rollup.
func (s *Store) ServiceForDays(ctx context.Context, fromDay, toDay time.Time, sc models.NPSScope) (models.ServiceCounts, error) {
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
		return models.ServiceCounts{}, fmt.Errorf("models: first-contact resolution: %w", err)
	}
	return r.counts(), nil
}

// ServiceForDates is ServiceForDays for the dates from..to, both included.
func (s *Store) ServiceForDates(ctx context.Context, from, to time.Time, sc models.NPSScope) (models.ServiceCounts, error) {
	fromDay, toDay := dayKeys(from, to)
	return s.ServiceForDays(ctx, fromDay, toDay, sc)
}

// ServiceByTouchpoint sums first-contact resolution and CSAT over [fromDay, toDay) per
// touchpoint id (0 = none).
func (s *Store) ServiceByTouchpoint(ctx context.Context, fromDay, toDay time.Time) (map[int64]models.ServiceCounts, error) {
	var rows []serviceRow
	err := s.r.WithContext(ctx).Table("feedback_service_daily").Select("touchpoint_id AS seg_key, "+serviceSums).
		Where("day >= ? AND day < ?", fromDay, toDay).Group("touchpoint_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: first-contact resolution by touchpoint: %w", err)
	}
	out := make(map[int64]models.ServiceCounts, len(rows))
	for _, r := range rows {
		out[r.SegKey] = r.counts()
	}
	return out, nil
}

// reportService fills the report's first-contact resolution and CSAT from the rollup.
func (s *Store) reportService(ctx context.Context, r *models.Report) error {
	from, to := s.periodDays(r.Period)
	var err error
	if r.Service, err = s.ServiceForDays(ctx, from, to, models.NPSScope{}); err != nil {
		return err
	}
	pf, pt := s.periodDays(r.Period.Previous())
	if r.ServicePrevious, err = s.ServiceForDays(ctx, pf, pt, models.NPSScope{}); err != nil {
		return err
	}
	by, err := s.ServiceByTouchpoint(ctx, from, to)
	if err != nil {
		return err
	}
	names, err := s.refNames(ctx, models.RefTouchpoints)
	if err != nil {
		return err
	}
	for id, c := range by {
		if c.Answered == 0 && c.CSATResponses == 0 {
			continue
		}
		r.ServiceByTouchpoint = append(r.ServiceByTouchpoint, models.TouchpointService{Name: names[id], ServiceCounts: c})
	}
	slices.SortFunc(r.ServiceByTouchpoint, func(a, b models.TouchpointService) int { return strings.Compare(a.Name, b.Name) })
	return nil
}
