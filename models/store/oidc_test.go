package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

func TestSignInOIDCLinksCreatesAndRefuses(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	// A user an admin created beforehand is linked by e-mail and takes the provider's roles.
	pre := modeltest.User(t, s, "anne@bank.example", models.RoleAmbassador)
	u, err := s.SignInOIDC(ctx, models.OIDCIdentity{Subject: "sub-a", Email: "ANNE@bank.example", Roles: []string{"steering"}})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != pre.ID || u.Roles != "steering" || *u.OIDCSubject != "sub-a" {
		t.Errorf("linked user = %+v", u)
	}
	// The subject wins over a changed e-mail address.
	u2, err := s.SignInOIDC(ctx, models.OIDCIdentity{Subject: "sub-a", Email: "anne.new@bank.example", Roles: []string{"steering"}})
	if err != nil || u2.ID != pre.ID {
		t.Errorf("by subject: %v %+v", err, u2)
	}
	// New person: created with the language given.
	n, err := s.SignInOIDC(ctx, models.OIDCIdentity{Subject: "sub-b", Email: "bo@bank.example", Lang: "nb", Roles: []string{"quickwin"}})
	if err != nil || n.Lang != "nb" || n.Roles != "quickwin" || n.Name != "bo@bank.example" {
		t.Errorf("created: %v %+v", err, n)
	}
	if _, err := s.SignInOIDC(ctx, models.OIDCIdentity{Subject: "sub-c", Email: "cy@bank.example"}); !errors.Is(err, models.ErrNoRole) {
		t.Errorf("no role: %v", err)
	}
	if _, err := s.SignInOIDC(ctx, models.OIDCIdentity{Subject: "sub-b", Email: "bo@bank.example"}); !errors.Is(err, models.ErrNoRole) {
		t.Errorf("existing user whose roles were all taken away: %v", err)
	}
	if err := s.UpdateUser(ctx, n.ID, models.UserChange{Name: n.Name, Roles: n.RoleList(), Lang: "nb", Active: false}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignInOIDC(ctx, models.OIDCIdentity{Subject: "sub-b", Email: "bo@bank.example", Roles: []string{"quickwin"}}); !errors.Is(err, models.ErrDeactivated) {
		t.Errorf("deactivated: %v", err)
	}
}
