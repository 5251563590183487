package store_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
	"github.com/improvementtracker/tracker/models/store"
)

// A session is found by its token until it expires, never after.
func TestSessionFoundUntilItExpires(t *testing.T) {
	ss := modeltest.Open(t).Sessions(nil)
	ctx := context.Background()
	now := time.Now()
	if err := ss.CommitCtx(ctx, "live", []byte("data-live"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitCtx(ctx, "gone", []byte("data-gone"), now.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		token string
		want  string
		found bool
	}{{"live", "data-live", true}, {"gone", "", false}, {"unknown", "", false}} {
		data, found, err := ss.FindCtx(ctx, c.token)
		if err != nil || found != c.found || string(data) != c.want {
			t.Errorf("%s: %q, %v, %v; want %q, %v", c.token, data, found, err, c.want, c.found)
		}
	}
}

// Sessions saved at the same time are saved together (saveSession): each caller
// hears back only once its save is stored, a token saved again in turn ends with its
// last data, and a token saved by many at once ends with one of theirs.
func TestSessionsSavedAtOnceAllLand(t *testing.T) {
	ss := modeltest.Open(t).Sessions(nil)
	ctx := context.Background()
	expiry := time.Now().Add(time.Hour)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			token := "own-" + strconv.Itoa(i)
			for _, v := range []string{"first", "second"} {
				if err := ss.CommitCtx(ctx, token, []byte(v+"-"+token), expiry); err != nil {
					t.Error(err)
					return
				}
				if data, found, err := ss.FindCtx(ctx, token); err != nil || !found || string(data) != v+"-"+token {
					t.Errorf("%s right after its save: %q, %v, %v", token, data, found, err)
				}
			}
		})
		wg.Go(func() {
			if err := ss.CommitCtx(ctx, "shared", []byte("shared-"+strconv.Itoa(i)), expiry); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range 40 {
		token := "own-" + strconv.Itoa(i)
		if data, _, err := ss.FindCtx(ctx, token); err != nil || string(data) != "second-"+token {
			t.Errorf("%s: %q, %v; want its second save", token, data, err)
		}
	}
	if data, found, err := ss.FindCtx(ctx, "shared"); err != nil || !found || !strings.HasPrefix(string(data), "shared-") {
		t.Errorf("shared: %q, %v, %v", data, found, err)
	}
}

// A session signed in as a user is read with that user, as UserByID reads them, in a
// context readied for it; a visitor's session, one saved before sessions named their
// user, and an expired one give no user, and the page reads the user itself.
func TestSessionIsReadWithItsUser(t *testing.T) {
	s := modeltest.Open(t)
	ctx := context.Background()
	u := modeltest.User(t, s, "amb@example.com", models.RoleAmbassador)
	// The data names its user as "user=ID" here; the app's codec is its own.
	ss := s.Sessions(func(data []byte) (int64, bool) {
		id, err := strconv.ParseInt(strings.TrimPrefix(string(data), "user="), 10, 64)
		return id, err == nil
	})
	hour := time.Now().Add(time.Hour)
	signedIn := "user=" + strconv.FormatInt(u.ID, 10)
	for token, data := range map[string]string{"signed-in": signedIn, "visitor": "csrf only", "expired": signedIn} {
		expiry := hour
		if token == "expired" {
			expiry = time.Now().Add(-time.Second)
		}
		if err := ss.CommitCtx(ctx, token, []byte(data), expiry); err != nil {
			t.Fatal(err)
		}
	}
	// Saved before sessions named their user: the same data, without it.
	if err := s.Sessions(nil).CommitCtx(ctx, "older", []byte(signedIn), hour); err != nil {
		t.Fatal(err)
	}
	want, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		token, data string
		found, user bool
	}{
		{"signed-in", signedIn, true, true},
		{"visitor", "csrf only", true, false},
		{"older", signedIn, true, false},
		{"expired", "", false, false},
	} {
		rctx := store.WithSessionUser(ctx)
		data, found, err := ss.FindCtx(rctx, tc.token)
		if err != nil || found != tc.found || string(data) != tc.data {
			t.Errorf("%s: %q, %v, %v; want %q, %v", tc.token, data, found, err, tc.data, tc.found)
		}
		got := store.SessionUser(rctx, u.ID)
		if tc.user && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read with user %+v, want %+v", tc.token, got, want)
		}
		if !tc.user && got != nil {
			t.Errorf("%s: read with a user, want none", tc.token)
		}
		if other := store.SessionUser(rctx, u.ID+1); other != nil {
			t.Errorf("%s: the session's user given for another id", tc.token)
		}
	}
	if data, found, err := ss.FindCtx(ctx, "signed-in"); err != nil || !found || string(data) != signedIn {
		t.Errorf("without a readied context: %q, %v, %v", data, found, err)
	}
}
