package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"golang.org/x/crypto/bcrypt"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/modeltest"
)

// newInstances starts n app instances on one database, each with its own store (its own
// connections), as n processes behind a load balancer would be: one PostgreSQL schema
// when TEST_DIALECT=postgres, else one SQLite file.
func newInstances(t *testing.T, n int) []*testApp {
	t.Helper()
	models.PasswordCost = bcrypt.MinCost
	ctx := context.Background()
	dbURL := modeltest.URL(t)
	apps := make([]*testApp, n)
	for i := range apps {
		// One after the other: the first creates the schema, the others find it current.
		st, err := store.Open(ctx, dbURL, store.Options{Location: modeltest.Copenhagen})
		if err != nil {
			t.Fatalf("open instance %d: %v", i, err)
		}
		t.Cleanup(func() { st.Close() })
		cfg := DefaultConfig()
		cfg.LoginRate, cfg.LoginBurst = 1000, 1000
		srv := New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
		apps[i] = &testApp{t: t, srv: srv, store: st}
	}
	if err := apps[0].store.SeedReference(ctx); err != nil {
		t.Fatal(err)
	}
	return apps
}

// A browser behind a load balancer reaches a different instance on each request: the
// session, the flash and sign-out must hold across them.
func TestSignInThroughOneInstanceActThroughAnother(t *testing.T) {
	apps := newInstances(t, 2)
	a, b := apps[0], apps[1]
	a.user("admin@example.com", adminRole)

	viaA := a.signIn("admin@example.com")
	// The same browser (the same cookie jar) now reaches instance b.
	viaB := &client{app: b, cookies: viaA.cookies, ip: viaA.ip}

	if res := viaB.get("/"); res.Code != http.StatusOK {
		t.Fatalf("home through b: status %d (Location %q), want 200: b does not see the session made by a",
			res.Code, res.Header().Get("Location"))
	}
	res := viaB.postForm("/admin/users", url.Values{"email": {"new@example.com"}, "name": {"New Colleague"},
		"password": {"tracker-second-456789"}, "roles": {ambassador}, "lang": {"en"}})
	if res.Code != http.StatusSeeOther {
		t.Fatalf("create user through b: status %d, want 303\n%s", res.Code, res.Body.String())
	}
	u, err := a.store.UserByEmail(context.Background(), "new@example.com")
	if err != nil || u.Name != "New Colleague" {
		t.Fatalf("user created through b, read through a: %+v, %v", u, err)
	}
	// The flash that b put in the session is shown by a.
	page := viaA.get(res.Header().Get("Location"))
	if page.Code != http.StatusOK {
		t.Fatalf("users page through a: status %d", page.Code)
	}
	d := doc(t, page)
	if flash := strings.TrimSpace(d.Find("[data-testid=flash]").Text()); flash == "" {
		t.Error("a does not show the flash message that b stored in the session")
	}
	if !strings.Contains(d.Find("[data-testid=users]").Text(), "New Colleague") {
		t.Error("a does not list the user created through b")
	}

	// Signing out through b ends the session for a too.
	if res := viaB.postForm("/logout", nil); res.Code != http.StatusSeeOther {
		t.Fatalf("sign out through b: status %d", res.Code)
	}
	res = viaA.get("/")
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/login") {
		t.Fatalf("home through a after signing out through b: status %d, Location %q; want a redirect to /login",
			res.Code, res.Header().Get("Location"))
	}
}

// Every instance runs the job loop; the lease in the database lets exactly one of them
// run each job on each tick, however close together the instances tick.
func TestBackgroundJobsRunOnceAcrossInstances(t *testing.T) {
	apps := newInstances(t, 2)
	ctx := context.Background()

	// tick fires job in every instance at the same moment, as their tickers would, and
	// returns the index of each instance that ran it.
	tick := func(jobOf func(*Server) Job) []int {
		var (
			mu  sync.Mutex
			ran []int
			wg  sync.WaitGroup
		)
		start := make(chan struct{})
		for i, app := range apps {
			wg.Go(func() {
				<-start
				if app.srv.RunJobOnce(ctx, holderOf(i), jobOf(app.srv)) {
					mu.Lock()
					ran = append(ran, i)
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
		return ran
	}

	t.Run("a counting job", func(t *testing.T) {
		var runs atomic.Int32
		job := Job{Name: "count", Every: time.Hour, Run: func(context.Context) error {
			runs.Add(1)
			return nil
		}}
		const ticks = 5
		var first []int
		for n := range ticks {
			ran := tick(func(*Server) Job { return job })
			if len(ran) != 1 {
				t.Fatalf("tick %d: the job ran in instances %v, want exactly one", n, ran)
			}
			if first == nil {
				first = ran
			} else if ran[0] != first[0] {
				t.Fatalf("tick %d: instance %d ran the job while instance %d still held its lease", n, ran[0], first[0])
			}
		}
		if runs.Load() != ticks {
			t.Fatalf("the job ran %d times in %d ticks, want once a tick", runs.Load(), ticks)
		}
	})

	// The app's own jobs (expired sessions, the outbox, deferred items...) take the
	// same lease: one instance runs each, the other is refused.
	for _, job := range apps[0].srv.jobs() {
		t.Run(job.Name, func(t *testing.T) {
			ran := tick(func(s *Server) Job { return jobNamed(t, s, job.Name) })
			if len(ran) != 1 {
				t.Fatalf("job %s ran in instances %v, want exactly one", job.Name, ran)
			}
		})
	}
}

// holderOf is the lease holder id of instance i (RunJobs draws a random one per process).
func holderOf(i int) string { return "instance-" + string(rune('a'+i)) }

// jobNamed returns an instance's own job by name, bound to that instance's store.
func jobNamed(t *testing.T, s *Server, name string) Job {
	for _, j := range s.jobs() {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %s", name)
	return Job{}
}

// A user's own write shows on their next page whichever instance serves it: the
// instance that did not take the write keeps figures from before it (for its TTL, as it
// never saw the write), yet must not show them to the one who wrote.
func TestOwnWriteShowsThroughTheOtherInstance(t *testing.T) {
	apps := newInstances(t, 2)
	a, b := apps[0], apps[1]
	viaA := a.signIn("amb@example.com", ambassador)
	viaB := &client{app: b, cookies: viaA.cookies, ip: viaA.ip}
	responses := func(c *client) string {
		t.Helper()
		res := c.get("/")
		if res.Code != http.StatusOK {
			t.Fatalf("home: status %d", res.Code)
		}
		return strings.TrimSpace(doc(t, res).Find(`[data-testid="nps30"] p.muted`).Text())
	}
	// Someone else's dashboard through b keeps its figures.
	other := &client{app: b, cookies: b.signIn("steer@example.com", steering).cookies, ip: "192.0.2.9"}
	before := responses(other)
	for i := range 3 {
		res := viaA.postForm("/feedback/new", url.Values{"channel": {"phone"}, "nps": {"9"}, "comment": {"Own write " + strconv.Itoa(i)}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("log feedback through a: status %d\n%s", res.Code, res.Body)
		}
		after := responses(viaB)
		if !strings.HasPrefix(after, strconv.Itoa(i+1)+" ") {
			t.Fatalf("after logging %d through a, the dashboard through b says %q (before: %q)", i+1, after, before)
		}
	}
	// Their colleague reading through b may see the kept figures (FIGURES_LAG), but the
	// writer's reads did not fail them for everyone: b still answers.
	if got := responses(other); got == "" {
		t.Fatal("no figures for a colleague through b")
	}
}
