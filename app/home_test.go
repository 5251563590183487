package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/improvementtracker/tracker/models"
)

// When an improvement is implemented, the ambassador whose customer asked for it sees
// it on their home page; another ambassador does not.
func TestAmbassadorHomeShowsWhatTheirFeedbackLedTo(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	amb := a.user("amb@example.com", ambassador)
	a.user("other@example.com", ambassador)
	qw := a.user("qw@example.com", quickwin)
	nps := 4
	fb, err := a.store.CreateFeedback(ctx, models.NewFeedback{Channel: "phone", NPS: &nps, Comment: "The PIN letter has a typo"}, amb)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := a.store.CreateImprovement(ctx, models.NewImprovement{Title: "Fix the PIN letter typo", Impact: 3,
		Effort: models.EffortXS, FeedbackIDs: []int64{fb.ID}}, amb)
	if err != nil {
		t.Fatal(err)
	}
	mine := a.signIn("amb@example.com")
	if doc(t, mine.get("/")).Find(`[data-testid="led-to"]`).Length() != 0 {
		t.Fatal("an improvement that is not implemented is shown as done")
	}
	for _, step := range []models.TransitionInput{{To: models.StatusInProgress, Version: 1}, {To: models.StatusImplemented, Version: 2, Note: "Template corrected"}} {
		if _, err := a.store.TransitionImprovement(ctx, imp.ID, step, qw); err != nil {
			t.Fatal(err)
		}
	}
	res := mine.get("/")
	if res.Code != http.StatusOK {
		t.Fatalf("home: %d", res.Code)
	}
	got := doc(t, res).Find(`[data-testid="led-to"]`).Text()
	if !strings.Contains(got, "Fix the PIN letter typo") || !strings.Contains(got, "Template corrected") {
		t.Fatalf("ambassador's home lacks the implemented improvement: %q", got)
	}
	other := a.signIn("other@example.com")
	if doc(t, other.get("/")).Find(`[data-testid="led-to"]`).Length() != 0 {
		t.Fatal("another ambassador sees an improvement their feedback did not lead to")
	}
}
