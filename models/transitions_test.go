package models

import (
	"errors"
	"strings"
	"testing"
)

// transitionKey identifies one move for the exhaustive table test.
type transitionKey struct {
	track    Track
	from, to Status
}

// wantTransitions is the design's transition table, written out independently of the
// implementation so that a change to either is caught.
var wantTransitions = map[transitionKey]struct {
	action   string
	needs    Needs
	newTrack Track
	role     string
}{
	{TrackQuickWin, StatusQueued, StatusInProgress}:      {"start", Needs{}, "", "quickwin"},
	{TrackQuickWin, StatusInProgress, StatusImplemented}: {"finish", Needs{Note: true}, "", "quickwin"},
	{TrackQuickWin, StatusInProgress, StatusQueued}:      {"hand_back", Needs{Reason: true}, "", "quickwin"},
	{TrackQuickWin, StatusQueued, StatusReview}:          {"escalate", Needs{Reason: true}, TrackSteering, "quickwin"},
	{TrackQuickWin, StatusInProgress, StatusReview}:      {"escalate", Needs{Reason: true}, TrackSteering, "quickwin"},
	{TrackSteering, StatusReview, StatusApproved}:        {"approve", Needs{Approval: true}, "", "steering"},
	{TrackSteering, StatusReview, StatusRejected}:        {"reject", Needs{Reason: true}, "", "steering"},
	{TrackSteering, StatusReview, StatusDeferred}:        {"defer", Needs{DeferDate: true}, "", "steering"},
	{TrackSteering, StatusDeferred, StatusReview}:        {"return_to_review", Needs{}, "", "steering"},
	{TrackSteering, StatusApproved, StatusInProgress}:    {"start", Needs{}, "", "steering"},
	{TrackSteering, StatusInProgress, StatusImplemented}: {"finish", Needs{Note: true}, "", "steering"},
}

func TestFindTransitionEveryPair(t *testing.T) {
	for _, track := range []Track{TrackQuickWin, TrackSteering} {
		for _, from := range Statuses {
			for _, to := range Statuses {
				key := transitionKey{track, from, to}
				t.Run(string(track)+"/"+string(from)+"->"+string(to), func(t *testing.T) {
					checkTransition(t, key)
				})
			}
		}
	}
}

// checkTransition compares FindTransition for one move with wantTransitions.
func checkTransition(t *testing.T, key transitionKey) {
	t.Helper()
	got, err := FindTransition(key.track, key.from, key.to)
	want, listed := wantTransitions[key]
	if !listed {
		if !errors.Is(err, ErrNotAllowed) {
			t.Fatalf("FindTransition = %+v, %v, want ErrNotAllowed", got, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("FindTransition: %v", err)
	}
	if got.Track != key.track || got.From != key.from || got.To != key.to ||
		got.Action != want.action || got.Needs != want.needs ||
		got.NewTrack != want.newTrack || got.Role != want.role {
		t.Errorf("FindTransition = %+v, want %+v", got, want)
	}
}

func TestTransitionTableHasNoDuplicates(t *testing.T) {
	seen := map[transitionKey]bool{}
	for _, tr := range transitions {
		key := transitionKey{tr.Track, tr.From, tr.To}
		if seen[key] {
			t.Errorf("duplicate transition %+v", key)
		}
		seen[key] = true
	}
	if len(seen) != len(wantTransitions) {
		t.Errorf("table has %d transitions, want %d", len(seen), len(wantTransitions))
	}
}

func TestFindTransitionMessage(t *testing.T) {
	tests := []struct {
		name     string
		track    Track
		from, to Status
		want     string
	}{
		{"names the allowed moves", TrackQuickWin, StatusQueued, StatusApproved,
			"models: cannot move a quick_win item from queued to approved; allowed: in_progress, review"},
		{"final status", TrackSteering, StatusImplemented, StatusReview,
			"models: cannot move a steering item from implemented to review; no further changes are allowed"},
		{"rejected is final", TrackSteering, StatusRejected, StatusReview,
			"models: cannot move a steering item from rejected to review; no further changes are allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FindTransition(tt.track, tt.from, tt.to)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			var te *TransitionError
			if !errors.As(err, &te) || te.To != tt.to {
				t.Errorf("error %v is not a *TransitionError for %s", err, tt.to)
			}
		})
	}
}

func TestAllowedTransitions(t *testing.T) {
	tests := []struct {
		track Track
		from  Status
		want  string
	}{
		{TrackQuickWin, StatusQueued, "in_progress review"},
		{TrackQuickWin, StatusInProgress, "implemented queued review"},
		{TrackQuickWin, StatusImplemented, ""},
		{TrackSteering, StatusReview, "approved rejected deferred"},
		{TrackSteering, StatusDeferred, "review"},
		{TrackSteering, StatusQueued, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.track)+"/"+string(tt.from), func(t *testing.T) {
			var got []string
			for _, tr := range AllowedTransitions(tt.track, tt.from) {
				got = append(got, string(tr.To))
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("AllowedTransitions = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestAllowedTransitionsIsACopy(t *testing.T) {
	AllowedTransitions(TrackQuickWin, StatusQueued)[0].Role = "ambassador"
	tr, err := FindTransition(TrackQuickWin, StatusQueued, StatusInProgress)
	if err != nil || tr.Role != "quickwin" {
		t.Errorf("changing the result changed the table: %+v, %v", tr, err)
	}
}

func TestTargetTrack(t *testing.T) {
	escalate, _ := FindTransition(TrackQuickWin, StatusQueued, StatusReview)
	start, _ := FindTransition(TrackQuickWin, StatusQueued, StatusInProgress)
	tests := []struct {
		name string
		tr   Transition
		want Track
	}{
		{"escalate moves to steering", escalate, TrackSteering},
		{"start stays", start, TrackQuickWin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.tr.TargetTrack(TrackQuickWin); got != tt.want {
				t.Errorf("TargetTrack = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMayPerform(t *testing.T) {
	must := func(track Track, from, to Status) Transition {
		tr, err := FindTransition(track, from, to)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	qwStart := must(TrackQuickWin, StatusQueued, StatusInProgress)
	qwEscalate := must(TrackQuickWin, StatusInProgress, StatusReview)
	approve := must(TrackSteering, StatusReview, StatusApproved)
	stStart := must(TrackSteering, StatusApproved, StatusInProgress)
	stFinish := must(TrackSteering, StatusInProgress, StatusImplemented)
	tests := []struct {
		name  string
		roles []string
		tr    Transition
		want  bool
	}{
		{"quickwin starts a quick win", []string{"quickwin"}, qwStart, true},
		{"quickwin escalates", []string{"quickwin"}, qwEscalate, true},
		{"quickwin cannot approve", []string{"quickwin"}, approve, false},
		{"quickwin cannot start a steering item", []string{"quickwin"}, stStart, false},
		{"quickwin cannot finish a steering item", []string{"quickwin"}, stFinish, false},
		{"steering approves", []string{"steering"}, approve, true},
		{"steering moves quick wins too", []string{"steering"}, qwStart, true},
		{"steering among several roles", []string{"ambassador", "steering"}, qwEscalate, true},
		{"ambassador cannot start", []string{"ambassador"}, qwStart, false},
		{"ambassador cannot approve", []string{"ambassador"}, approve, false},
		{"admin is not steering", []string{"admin"}, approve, false},
		{"no roles", nil, qwStart, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MayPerform(tt.roles, tt.tr); got != tt.want {
				t.Errorf("MayPerform(%v, %s) = %v, want %v", tt.roles, tt.tr.Action, got, tt.want)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in     string
		want   Status
		wantOK bool
	}{
		{"queued", StatusQueued, true},
		{" In_Progress ", StatusInProgress, true},
		{"implemented", StatusImplemented, true},
		{"done", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseStatus(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParseStatus(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestInitialStatus(t *testing.T) {
	tests := []struct {
		track Track
		want  Status
	}{
		{TrackQuickWin, StatusQueued},
		{TrackSteering, StatusReview},
	}
	for _, tt := range tests {
		if got := InitialStatus(tt.track); got != tt.want {
			t.Errorf("InitialStatus(%q) = %q, want %q", tt.track, got, tt.want)
		}
	}
}
