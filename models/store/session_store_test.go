package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/modeltest"
)

// A session is found by its token until it expires, never after.
func TestSessionFoundUntilItExpires(t *testing.T) {
	ss := modeltest.Open(t).Sessions()
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
