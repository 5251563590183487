package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// PraiseColleague marks a promoter's feedback as praising a named colleague, so the
// praise reaches the person and the recognition page. Only promoters' feedback can
// carry praise: a complaint that names someone is not recognition.
func (s *Store) PraiseColleague(ctx context.Context, feedbackID int64, colleague string, by *models.User) error {
	colleague = strings.Join(strings.Fields(colleague), " ")
	switch {
	case colleague == "":
		return models.Invalid("colleague", "required")
	case len(colleague) > models.MaxColleagueName:
		return models.Invalid("colleague", "too_long")
	}
	return s.Tx(ctx, func(tx *gorm.DB) error {
		var f struct {
			NPSGroup         *string `gorm:"column:nps_group"`
			PraisedColleague *string
		}
		res := tx.Table("feedback").Select("nps_group, praised_colleague").Where("id = ?", feedbackID).Scan(&f)
		if res.Error != nil {
			return fmt.Errorf("models: praise on feedback %d: %w", feedbackID, res.Error)
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		if f.NPSGroup == nil || *f.NPSGroup != string(models.GroupPromoter) {
			return models.Invalid("colleague", "promoters_only")
		}
		old := ""
		if f.PraisedColleague != nil {
			old = *f.PraisedColleague
		}
		if old == colleague {
			return nil
		}
		now := s.now()
		if err := tx.Table("feedback").Where("id = ?", feedbackID).
			Updates(map[string]any{"praised_colleague": colleague, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("models: praise on feedback %d: %w", feedbackID, err)
		}
		return record(tx, now, "feedback", feedbackID, by, "praised", "praised_colleague", old, colleague, "")
	})
}

// Recognition lists the colleagues praised in the current month and year (by when the
// customer said it, in the store's location), most praised first. Praised feedback has
// its own partial index, so this reads only praise.
func (s *Store) Recognition(ctx context.Context) (*models.Recognition, error) {
	now := s.now().In(s.Location)
	year := models.PeriodOf(models.PeriodYear, now, s.Location)
	month := models.PeriodOf(models.PeriodMonth, now, s.Location)
	var rows []models.Praise
	err := s.r.WithContext(ctx).Table("feedback").
		Select("id AS feedback_id, praised_colleague AS colleague, comment, received_at").
		Where("praised_colleague IS NOT NULL AND received_at >= ? AND received_at < ? AND personal_data_erased_at IS NULL",
			year.Start.UTC(), year.End.UTC()).
		Order("received_at DESC, id DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: recognition: %w", err)
	}
	var inMonth []models.Praise
	for _, p := range rows {
		if month.Contains(p.ReceivedAt) {
			inMonth = append(inMonth, p)
		}
	}
	return &models.Recognition{Month: groupPraise(inMonth), Year: groupPraise(rows),
		MonthStart: month.Start, YearStart: year.Start}, nil
}

// groupPraise groups praise by colleague, names compared without regard to case, most
// praised first; the name shown is the one of the latest praise.
func groupPraise(ps []models.Praise) []models.PraisedColleague {
	by := map[string]*models.PraisedColleague{}
	var order []string
	for _, p := range ps {
		key := strings.ToLower(p.Colleague)
		pc, ok := by[key]
		if !ok {
			pc = &models.PraisedColleague{Name: p.Colleague}
			by[key] = pc
			order = append(order, key)
		}
		pc.Count++
		if len(pc.Quotes) < models.QuotesPerColleague && strings.TrimSpace(p.Comment) != "" {
			pc.Quotes = append(pc.Quotes, p)
		}
	}
	out := make([]models.PraisedColleague, 0, len(order))
	for _, k := range order {
		out = append(out, *by[k])
	}
	slices.SortStableFunc(out, func(a, b models.PraisedColleague) int { return b.Count - a.Count })
	return out
}

// PraiseCandidates lists the latest promoters' comments not yet marked with praise,
// from the (nps_group, received_at) index.
func (s *Store) PraiseCandidates(ctx context.Context, limit int) ([]models.PraiseCandidate, error) {
	var out []models.PraiseCandidate
	err := s.r.WithContext(ctx).Table("feedback").Select("id, comment, nps, received_at").
		Where("nps_group = ? AND praised_colleague IS NULL AND comment <> '' AND personal_data_erased_at IS NULL", models.GroupPromoter).
		Order("received_at DESC, id DESC").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: praise candidates: %w", err)
	}
	return out, nil
}

// PraiseTarget loads what the praise form shows of one feedback.
func (s *Store) PraiseTarget(ctx context.Context, feedbackID int64) (*models.PraiseTarget, error) {
	var t models.PraiseTarget
	res := s.r.WithContext(ctx).Table("feedback").
		Select("id, comment, nps, nps_group, praised_colleague, received_at").Where("id = ?", feedbackID).Scan(&t)
	if res.Error != nil {
		return nil, fmt.Errorf("models: feedback %d: %w", feedbackID, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, models.ErrNotFound
	}
	return &t, nil
}
