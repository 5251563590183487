package store_test

import (
	"context"
	"testing"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/pressly/goose/v3"

	"github.com/improvementtracker/tracker/migrations"
	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// Migration 00020 turns the whole kroner stored before it into øre: goodwill amounts,
// branch limits and savings are worth the same after it, and going down and up again
// keeps them. Runs on both dialects (TEST_DIALECT).
func TestMigrationMovesMoneyToOre(t *testing.T) {
	ctx := context.Background()
	s := modeltest.Open(t)
	db := s.Writer(ctx)
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := migrations.For(string(s.Dialect()))
	if err != nil {
		t.Fatal(err)
	}
	dialect := goose.DialectSQLite3
	if s.Dialect() == store.Postgres {
		dialect = goose.DialectPostgres
	}
	provider, err := goose.NewProvider(dialect, sqlDB, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.DownTo(ctx, 19); err != nil {
		t.Fatal(err)
	}
	// Rows as the app wrote them before 00020, in whole kroner.
	fb, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Branch: "north", NPS: new(int), Comment: "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	north, _ := s.ResolveRef(ctx, models.RefBranches, "north")
	imp, err := s.CreateImprovement(ctx, models.NewImprovement{Title: "Fewer letters", Effort: models.EffortXS, Impact: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE feedback SET goodwill_amount = 250 WHERE id = ?", []any{fb.ID}},
		{"UPDATE branches SET goodwill_monthly_limit = 30000 WHERE id = ?", []any{north.ID}},
		{"UPDATE improvements SET savings_estimated_kr = 120000, savings_realised_kr = NULL WHERE id = ?", []any{imp.ID}},
	} {
		if err := db.Exec(q.sql, q.args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		got, err := s.FeedbackByID(ctx, fb.ID)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if got.GoodwillAmount != models.Kroner(250) {
			t.Errorf("%s: goodwill %d øre (%v), want 25000", when, got.GoodwillAmount.Ore(), err)
		}
		var limit int64
		db.Raw("SELECT goodwill_monthly_limit FROM branches WHERE id = ?", north.ID).Scan(&limit)
		if limit != 3_000_000 {
			t.Errorf("%s: limit %d øre, want 3000000", when, limit)
		}
		i, err := s.ImprovementByID(ctx, imp.ID)
		if err != nil || i.SavingsEstimatedKr == nil || *i.SavingsEstimatedKr != models.Kroner(120000) || i.SavingsRealisedKr != nil {
			t.Errorf("%s: savings %v %v (%v), want 120000 kr and none", when, i.SavingsEstimatedKr, i.SavingsRealisedKr, err)
		}
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatal(err)
	}
	check("after 00020")
	if _, err := provider.DownTo(ctx, 19); err != nil {
		t.Fatal(err)
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatal(err)
	}
	check("after down and up")
}
