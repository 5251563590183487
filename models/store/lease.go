package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// jobLease is a named lease on a background job, so that with several app instances
// on one database each job runs in one of them at a time.
type jobLease struct {
	Name        string `gorm:"primaryKey"`
	Holder      string
	LeasedUntil time.Time
}

func (jobLease) TableName() string { return "job_leases" }

// TryLease takes or renews the lease on a job for holder. It returns false while
// another holder's lease is still valid.
func (s *Store) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := s.now()
	row := jobLease{Name: name, Holder: holder, LeasedUntil: now.Add(ttl)}
	res := s.w.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"holder", "leased_until"}),
		Where: clause.Where{Exprs: []clause.Expression{clause.Or(
			clause.Expr{SQL: "job_leases.holder = ?", Vars: []any{holder}},
			clause.Expr{SQL: "job_leases.leased_until < ?", Vars: []any{now}},
		)}},
	}).Create(&row)
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == 1, nil
}
