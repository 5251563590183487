package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// acceptanceCSV is the file of acceptance 3: a byte order mark, CRLF line ends, a
// quoted comment with a newline, an NPS of 11, a bad date, an unknown channel, a row
// with neither comment nor NPS and a repeated external id, among good rows.
const acceptanceCSV = "\xEF\xBB\xBFexternal_id,received_at,channel,touchpoint,branch,segment,nps,comment,customer_name,customer_email,survey_tool_score\r\n" +
	"s-1,2026-03-02,survey,mobile_app,north,private,9,Great app,,,x\r\n" +
	"s-2,2026-03-02T09:30:00+01:00,Phone,,City centre,business,3,\"Waited 40 minutes\r\non the phone\",Jens Hansen,Jens@Example.dk,\r\n" +
	"s-3,2026-03-03,web,,,,11,Nice,,,\r\n" +
	"s-4,03/14/2026,web,,,,5,Bad date,,,\r\n" +
	"s-5,2026-03-03,carrier pigeon,,,,7,Slow,,,\r\n" +
	"s-6,2026-03-03,web,,,,,,,,\r\n" +
	"s-1,2026-03-04,web,,,,10,Duplicate id,,,\r\n" +
	"s-7,2026-03-04,meeting,,,,,\"Only a comment, no score\",,,\r\n"

func importString(t *testing.T, s *store.Store, csv string, opt models.ImportOptions) *models.ImportResult {
	t.Helper()
	res, err := s.ImportFeedback(context.Background(), strings.NewReader(csv), opt)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func rejectedLines(res *models.ImportResult) string {
	var parts []string
	for _, r := range res.Rejected {
		parts = append(parts, fmt.Sprintf("%d:%s/%s", r.Line, r.Field, r.Message))
	}
	return strings.Join(parts, " ")
}

func TestImportAcceptanceFile(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	clock(s, time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
	amb := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	res := importString(t, s, acceptanceCSV, models.ImportOptions{By: amb})
	wantRejected := "5:nps/out_of_range 6:received_at/invalid_date 7:channel/unknown_reference " +
		"8:comment/comment_or_nps 9:external_id/repeated_in_file"
	if res.Created != 3 || res.Skipped != 0 || rejectedLines(res) != wantRejected {
		t.Fatalf("created %d skipped %d rejected %q\nwant 3, 0, %q", res.Created, res.Skipped, rejectedLines(res), wantRejected)
	}
	for _, r := range res.Rejected {
		if r.Reason == "" {
			t.Errorf("line %d has no reason", r.Line)
		}
	}
	page, err := s.ListFeedback(ctx, models.FeedbackFilter{}, models.Cursor{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	byExt := map[string]models.Feedback{}
	for _, f := range page.Items {
		byExt[*f.ExternalID] = f
	}
	s2 := byExt["s-2"]
	if s2.Comment != "Waited 40 minutes\non the phone" || s2.Branch == nil || s2.Branch.Code != "city" ||
		s2.Channel.Code != "phone" || s2.FollowUpDueAt == nil || *s2.CustomerEmail != "jens@example.dk" ||
		!s2.ReceivedAt.Equal(time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)) {
		t.Errorf("s-2 stored as %+v", s2)
	}
	s1 := byExt["s-1"]
	// A bare date is that day at midnight where the bank is.
	if !s1.ReceivedAt.Equal(time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC)) || s1.ReceivedOn.Format("2006-01-02") != "2026-03-02" ||
		s1.Touchpoint == nil || s1.NPS == nil || *s1.NPS != 9 {
		t.Errorf("s-1 stored as %+v", s1)
	}
	if s7 := byExt["s-7"]; s7.NPS != nil || s7.Comment != "Only a comment, no score" {
		t.Errorf("s-7 stored as %+v", s7)
	}
	h, _ := s.History(ctx, "feedback", s1.ID)
	if len(h) != 1 || h[0].Action != "imported" {
		t.Errorf("history of an imported row: %+v", h)
	}

	again := importString(t, s, acceptanceCSV, models.ImportOptions{By: amb})
	if again.Created != 0 || again.Skipped != 3 || rejectedLines(again) != wantRejected {
		t.Errorf("second import: created %d skipped %d rejected %q", again.Created, again.Skipped, rejectedLines(again))
	}
	n, _, _ := s.CountFeedback(ctx, models.FeedbackFilter{})
	if n != 3 {
		t.Errorf("%d feedback after importing twice, want 3", n)
	}
}

func TestImportCreateMissingAndMalformedRows(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	csv := "comment,Channel,received_at,branch\n" +
		"Slow,carrier pigeon,2026-03-03,Harbour\n" +
		"bad \"quote\" here,web,2026-03-03,\n" +
		"\n" +
		"Fine,web,2026-03-03T10:00:00Z,\n"
	res := importString(t, s, csv, models.ImportOptions{})
	if res.Created != 1 || rejectedLines(res) != "2:channel/unknown_reference 3:/malformed_row" {
		t.Errorf("without --create-missing: created %d rejected %q", res.Created, rejectedLines(res))
	}
	res = importString(t, s, csv, models.ImportOptions{CreateMissing: true})
	if res.Created != 2 {
		t.Errorf("with --create-missing: created %d rejected %q", res.Created, rejectedLines(res))
	}
	if ch, err := s.ResolveRef(ctx, models.RefChannels, "Carrier pigeon"); err != nil || ch.Code != "carrier_pigeon" {
		t.Errorf("channel not created: %+v %v", ch, err)
	}
	if _, err := s.ResolveRef(ctx, models.RefBranches, "harbour"); err != nil {
		t.Errorf("branch not created: %v", err)
	}
	for _, bad := range []string{"", "comment,nps\nhello,5\n"} {
		if _, err := s.ImportFeedback(ctx, strings.NewReader(bad), models.ImportOptions{}); !errors.Is(err, models.ErrBadFile) {
			t.Errorf("import %q: %v, want ErrBadFile", bad, err)
		}
	}
}

func TestImportManyRowsInBatches(t *testing.T) {
	s := modeltest.Open(t)
	var b strings.Builder
	b.WriteString("external_id,received_at,channel,nps,comment\n")
	const n = 2345 // more than commonMatches, so "comment" is searched as a common word
	for i := range n {
		fmt.Fprintf(&b, "x-%d,2026-02-%02dT10:00:00Z,survey,%d,comment number %d\n", i, i%28+1, i%11, i)
	}
	res := importString(t, s, b.String(), models.ImportOptions{})
	if res.Created != n || len(res.Rejected) != 0 {
		t.Fatalf("created %d, rejected %v", res.Created, res.Rejected)
	}
	page, err := s.ListFeedback(context.Background(), models.FeedbackFilter{Q: "1233"}, models.Cursor{}, 5)
	if err != nil || len(page.Items) != 1 {
		t.Errorf("search after bulk import: %v %v", page, err)
	}
	// A common word: every row matches; pages must still come newest first, each once.
	seen := map[int64]bool{}
	var after models.Cursor
	var last time.Time
	for range 3 {
		page, err := s.ListFeedback(context.Background(), models.FeedbackFilter{Q: "comment"}, after, 40)
		if err != nil || len(page.Items) != 40 {
			t.Fatalf("common word: %v, %v", page, err)
		}
		for _, f := range page.Items {
			if seen[f.ID] || !last.IsZero() && f.ReceivedAt.After(last) {
				t.Fatalf("common word: %d out of order or twice", f.ID)
			}
			seen[f.ID], last = true, f.ReceivedAt
		}
		after = page.Next
	}
}
