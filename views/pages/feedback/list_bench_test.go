package feedback

import (
	"context"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/views/i18n"
	"github.com/improvementtracker/tracker/views/layout"
)

// BenchmarkListPage renders the feedback list's page of 50 rows in Danish, as a
// search or filter shows it: the part of a list page's time that is not the database.
func BenchmarkListPage(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	channel := &models.RefItem{ID: 1, Code: "phone", Name: "Telefon"}
	branch := &models.RefItem{ID: 2, Code: "odense", Name: "Odense"}
	m := ListPage{Page: layout.Page{Title: "Feedback", User: &models.User{ID: 1, Name: "Henrik Larsen",
		Roles: "steering,ambassador", Lang: "da"}, CSRF: "token", Active: "feedback", Lang: "da", Path: "/feedback"},
		PartsFrom: -1, Count: 1000, Capped: true, Now: now, Loc: loc, NextHref: "/feedback?cursor=x"}
	for i := range 50 {
		nps := i % 7
		due := now.Add(time.Duration(i-25) * time.Hour)
		m.Items = append(m.Items, models.Feedback{ID: int64(1000 + i), ReceivedAt: now.Add(-time.Duration(i) * 37 * time.Minute),
			NPS: &nps, Comment: "Rådgiveren ringede ikke tilbage, selv om jeg havde bedt om det to gange " + strconv.Itoa(i),
			Channel: channel, Branch: branch, FollowUpDueAt: &due})
	}
	for i := range 10 {
		m.Users = append(m.Users, models.User{ID: int64(i + 1), Name: "Medarbejder " + strconv.Itoa(i)})
		m.Branches = append(m.Branches, models.RefItem{ID: int64(i + 1), Code: "b" + strconv.Itoa(i), Name: "Filial " + strconv.Itoa(i)})
	}
	ctx := i18n.WithLocation(i18n.WithTranslator(context.Background(), i18n.For("da")), loc)
	b.ReportAllocs()
	for b.Loop() {
		if err := List(m).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
