package app

import (
	"context"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// clockAt sets the store's clock for the duration of fn.
func (a *testApp) clockAt(at time.Time, fn func()) {
	old := a.store.Now
	a.store.Now = func() time.Time { return at }
	defer func() { a.store.Now = old }()
	fn()
}

// feedbackAt logs feedback received at a time through the feedback model, as an
// ambassador would, and returns it.
func (a *testApp) feedbackAt(by *models.User, at time.Time, n models.NewFeedback) *models.Feedback {
	a.t.Helper()
	if n.Channel == "" {
		n.Channel = "survey"
	}
	n.ReceivedAt = at
	var f *models.Feedback
	a.clockAt(at.Add(time.Minute), func() {
		var err error
		if f, err = a.store.CreateFeedback(context.Background(), n, by); err != nil {
			a.t.Fatalf("create feedback: %v", err)
		}
	})
	return f
}

func score(n int) *int { return &n }

// implementAt creates an improvement linked to feedback and walks it to implemented at
// the given time along its track's path.
func (a *testApp) implementAt(by *models.User, title string, effort models.Effort, at time.Time, feedbackIDs ...int64) *models.Improvement {
	a.t.Helper()
	ctx := context.Background()
	var imp *models.Improvement
	a.clockAt(at.Add(-time.Hour), func() {
		var err error
		imp, err = a.store.CreateImprovement(ctx, models.NewImprovement{Title: title, Impact: 3, Effort: effort,
			FeedbackIDs: feedbackIDs}, by)
		if err != nil {
			a.t.Fatalf("create improvement: %v", err)
		}
	})
	steps := []models.TransitionInput{{To: models.StatusInProgress}, {To: models.StatusImplemented, Note: "We changed it."}}
	if imp.Track == models.TrackSteering {
		area, err := a.store.ResolveRef(ctx, models.RefFunctionalAreas, "it")
		if err != nil {
			a.t.Fatal(err)
		}
		target := at.AddDate(0, 1, 0)
		steps = append([]models.TransitionInput{{To: models.StatusApproved, OwnerID: &by.ID, FunctionalAreaID: &area.ID,
			TargetDate: &target}}, steps...)
	}
	for i, st := range steps {
		when := at.Add(-time.Minute)
		if i == len(steps)-1 {
			when = at
		}
		a.clockAt(when, func() {
			st.Version = imp.Version
			var err error
			if imp, err = a.store.TransitionImprovement(ctx, imp.ID, st, by); err != nil {
				a.t.Fatalf("%s to %s: %v", title, st.To, err)
			}
		})
	}
	return imp
}
