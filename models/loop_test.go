package models

import (
	"testing"
	"time"
)

func ptr(v int64) *int64 { return &v }

func TestFollowUpOwner(t *testing.T) {
	tests := []struct {
		name              string
		employee, manager *int64
		want              *int64
	}{
		{"the employee when a user", ptr(7), ptr(3), ptr(7)},
		{"else the branch manager", nil, ptr(3), ptr(3)},
		{"else nobody", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FollowUpOwner(tt.employee, tt.manager)
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidPhone(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+45 12 34 56 78", true},
		{"12345678", true},
		{"(045) 1234-5678", true},
		{"12345", false},
		{"1234567890123456", false},
		{"12 34 ab 78", false},
		{"45+12345678", false},
	}
	for _, tt := range tests {
		if got := ValidPhone(NormalizePhone(tt.in)); got != tt.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNewFeedbackPeopleValidation(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   NewFeedback
		want map[string]string
	}{
		{"phone needs consent", NewFeedback{Channel: "web", Comment: "x", CustomerPhone: "12345678"}, map[string]string{"consent": "consent_required"}},
		{"phone with consent", NewFeedback{Channel: "web", Comment: "x", CustomerPhone: "12345678", Consent: true}, nil},
		{"bad phone", NewFeedback{Channel: "web", Comment: "x", CustomerPhone: "call me", Consent: true}, map[string]string{"customer_phone": "invalid_phone"}},
		{"employee is no contact", NewFeedback{Channel: "web", Comment: "x", EmployeeEmail: "Anna@Bank.dk"}, nil},
		{"bad employee", NewFeedback{Channel: "web", Comment: "x", EmployeeEmail: "anna"}, map[string]string{"employee_email": "invalid_email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.in.Validate(now)
			var got map[string]string
			if v != nil {
				got = v.Fields
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, m := range tt.want {
				if got[k] != m {
					t.Errorf("%s: %q, want %q", k, got[k], m)
				}
			}
		})
	}
}

func TestBranchScope(t *testing.T) {
	manager := &User{ID: 1, Roles: "branch"}
	staff := &User{ID: 2, Roles: "staff"}
	central := &User{ID: 3, Roles: "branch,steering"}
	tests := []struct {
		name     string
		u        *User
		branches []int64
		scope    string
		sees     map[int64]bool // branch id -> visible; 0 = no branch
	}{
		{"a manager sees own branches", manager, []int64{4, 9}, "4,9", map[int64]bool{4: true, 9: true, 5: false, 0: false}},
		{"staff see none", staff, nil, NoBranches, map[int64]bool{4: false, 0: false}},
		{"a wider role sees all", central, []int64{4}, "", map[int64]bool{4: true, 5: true, 0: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scope := BranchScopeOf(tt.u, tt.branches)
			if scope != tt.scope {
				t.Errorf("scope %q, want %q", scope, tt.scope)
			}
			for id, want := range tt.sees {
				var b *int64
				if id != 0 {
					b = ptr(id)
				}
				if got := InScope(scope, b); got != want {
					t.Errorf("branch %d visible %v, want %v", id, got, want)
				}
			}
		})
	}
}

func TestMayWorkFollowUp(t *testing.T) {
	amb := &User{ID: 1, Roles: "ambassador"}
	staff := &User{ID: 2, Roles: "staff"}
	mgr := &User{ID: 3, Roles: "branch"}
	tests := []struct {
		name            string
		u               *User
		owner, employee *int64
		manages         bool
		want            bool
	}{
		{"ambassadors work every follow-up", amb, nil, nil, false, true},
		{"the owner", staff, ptr(2), nil, false, true},
		{"the employee named", staff, ptr(9), ptr(2), false, true},
		{"someone else's", staff, ptr(9), nil, false, false},
		{"the branch's manager", mgr, ptr(9), nil, true, true},
		{"another branch's manager", mgr, ptr(9), nil, false, false},
		{"nobody signed in", nil, nil, nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MayWorkFollowUp(tt.u, tt.owner, tt.employee, tt.manages); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWebhookBackoffRetriesForADay(t *testing.T) {
	if d := WebhookBackoff(1); d > time.Minute {
		t.Errorf("first retry after %v, want within a minute", d)
	}
	var total time.Duration
	attempts := 1
	for ; total < 24*time.Hour; attempts++ {
		d := WebhookBackoff(attempts)
		if d < WebhookBackoff(attempts-1) || d > time.Hour {
			t.Fatalf("attempt %d waits %v", attempts, d)
		}
		total += d
	}
	if WebhookRetryWindow < 24*time.Hour {
		t.Errorf("retry window %v, want at least 24 h", WebhookRetryWindow)
	}
	t.Logf("%d attempts in the first 24 hours", attempts)
}

// The test vector of the Standard Webhooks reference libraries.
func TestSignWebhookStandardVector(t *testing.T) {
	got, err := SignWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
		[]byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("signature %q, want %q", got, want)
	}
	if _, err := SignWebhook("nope", "id", 1, nil); err == nil {
		t.Error("a secret without whsec_ was accepted")
	}
}
