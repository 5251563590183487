package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// count runs a COUNT query on the reader.
func count(t *testing.T, s *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.Reader(context.Background()).Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A detractor's owner and branch manager are warned at 20 of 24 hours, by bell and by
// mail unless they opted out; at 24 hours the overdue event is stored; each once. A
// recorded follow-up closes the state and stores its event.
func TestFollowUpWarningsAndEvents(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	start := time.Now().UTC().Truncate(time.Second)
	now := start
	s.Now = func() time.Time { return now }
	s.SetWebhookURLs([]string{"http://127.0.0.1:9/hook"})
	north, err := s.ResolveRef(ctx, models.RefBranches, "north")
	if err != nil {
		t.Fatal(err)
	}
	emp := modeltest.User(t, s, "emp@example.com", models.RoleStaff)
	mgr, err := s.CreateUser(ctx, models.NewUser{Email: "mgr@example.com", Name: "Manager", Password: modeltest.Password,
		Roles: []string{models.RoleBranch}, Lang: "da", BranchIDs: []int64{north.ID}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The manager wants no due-soon mails; the bell still rings.
	if err := s.SetMailPreferences(ctx, mgr.ID, []string{models.NotifyDetractor}); err != nil {
		t.Fatal(err)
	}
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	score := 1
	fb, err := s.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", Branch: "north", NPS: &score,
		Comment: "Nobody called", EmployeeEmail: "EMP@example.com"}, amb)
	if err != nil {
		t.Fatal(err)
	}
	if fb.EmployeeID == nil || *fb.EmployeeID != emp.ID {
		t.Fatalf("employee %v, want %d", fb.EmployeeID, emp.ID)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM webhook_events WHERE type = ?`, models.EventFeedbackCreated); n != 1 {
		t.Errorf("%d feedback.created events, want 1", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM outbox WHERE to_addr = ?`, "emp@example.com"); n != 1 {
		t.Errorf("%d mails to the owner on arrival, want 1", n)
	}

	for _, step := range []struct {
		after                time.Duration
		warned, overdueEvent int
	}{
		{19 * time.Hour, 0, 0},
		{20*time.Hour + time.Minute, 1, 0},
		{22 * time.Hour, 0, 0},
		{24*time.Hour + time.Minute, 0, 1},
		{30 * time.Hour, 0, 0},
	} {
		now = start.Add(step.after)
		before := count(t, s, `SELECT COUNT(*) FROM notifications WHERE kind = ?`, models.NotifyDueSoon)
		if _, err := s.WarnFollowUps(ctx); err != nil {
			t.Fatal(err)
		}
		warned := count(t, s, `SELECT COUNT(*) FROM notifications WHERE kind = ?`, models.NotifyDueSoon) - before
		if want := 2 * step.warned; warned != want {
			t.Errorf("after %v: %d due-soon alerts, want %d (owner and manager)", step.after, warned, want)
		}
		events := count(t, s, `SELECT COUNT(*) FROM webhook_events WHERE type = ?`, models.EventFollowUpOverdue)
		if step.overdueEvent == 1 && events != 1 {
			t.Errorf("after %v: %d overdue events, want 1", step.after, events)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM outbox WHERE to_addr = ? AND subject LIKE ?`, "mgr@example.com", "%4 timer%"); n != 0 {
		t.Errorf("the manager opted out of due-soon mails but got %d", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM outbox WHERE to_addr = ? AND subject LIKE ?`, "emp@example.com", "%4 hours%"); n != 1 {
		t.Errorf("the owner got %d due-soon mails, want 1", n)
	}
	if _, err := s.RecordFollowUp(ctx, fb.ID, models.FollowUp{By: emp, Note: "Reached her"}); err != nil {
		t.Fatal(err)
	}
	st, _, err := s.FollowUpStateOf(ctx, fb.ID)
	if err != nil || st.State != models.FollowUpDone {
		t.Errorf("state %+v, %v, want done", st, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM webhook_events WHERE type = ?`, models.EventFollowUpRecorded); n != 1 {
		t.Errorf("%d followup.recorded events, want 1", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM webhook_deliveries`); n != 3 {
		t.Errorf("%d deliveries, want one per event for the one URL (3)", n)
	}
}

// The import links known employees, keeps unknown addresses as text and gives a
// detractor's follow-up its owner, like the form and the API.
func TestImportEmployeeAndPhone(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	emp := modeltest.User(t, s, "emp@example.com", models.RoleStaff)
	csv := "external_id,received_at,channel,nps,comment,employee_email,customer_phone,customer_name\n" +
		"a1,2026-03-01T10:00:00Z,web,2,Slow,emp@example.com,+45 11 22 33 44,Ida\n" +
		"a2,2026-03-01T11:00:00Z,web,10,Great,someone@else.dk,,\n" +
		"a3,2026-03-01T12:00:00Z,web,9,Bad phone,,call me,Bo\n"
	res, err := s.ImportFeedback(ctx, strings.NewReader(csv), models.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || len(res.Rejected) != 1 || res.Rejected[0].Field != "customer_phone" {
		t.Fatalf("import %+v", res)
	}
	var rows []models.Feedback
	if err := s.Reader(ctx).Order("external_id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if rows[0].EmployeeID == nil || *rows[0].EmployeeID != emp.ID || rows[0].CustomerPhone == nil || *rows[0].CustomerPhone != "+45 11 22 33 44" || !rows[0].Consent {
		t.Errorf("row a1 %+v", rows[0])
	}
	if rows[1].EmployeeID != nil || rows[1].EmployeeEmail == nil || *rows[1].EmployeeEmail != "someone@else.dk" {
		t.Errorf("row a2 keeps an unknown employee as text: %+v", rows[1])
	}
	mine, err := s.MyFollowUps(ctx, emp.ID)
	if err != nil || len(mine) != 1 || mine[0].Feedback.ID != rows[0].ID {
		t.Errorf("the employee's follow-ups %+v, %v", mine, err)
	}
}
