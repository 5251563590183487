package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"golang.org/x/crypto/bcrypt"

	"github.com/improvementtracker/tracker/models"
)

// genConfig sizes the generated data set.
type genConfig struct {
	Rows         int       // feedback rows
	Improvements int       // improvements, on both tracks
	Years        int       // how far back the feedback goes
	Now          time.Time // the end of the data set
	Seed         uint64
	Location     *time.Location
}

// genStats is what the generator wrote and how long it took.
type genStats struct {
	Feedback, Improvements, Links, History, Meetings, Agenda, Comments int64
	Took, FeedbackTook                                                 time.Duration
	// Steps is where the time went, step by step.
	Steps []stepTime
}

// stepTime is how long one step of the generator took.
type stepTime struct {
	Name string
	Took time.Duration
}

// steps writes the generator's steps and their times on one line.
func (s genStats) steps() string {
	parts := make([]string, len(s.Steps))
	for i, st := range s.Steps {
		parts[i] = st.Name + " " + st.Took.Round(time.Millisecond).String()
	}
	return strings.Join(parts, ", ")
}

// Credentials of the user the bench signs in as; it holds every role.
const (
	benchEmail    = "bench@example.com"
	benchPassword = "bench-password-1234"
)

// refIDs maps reference codes to ids.
type refIDs map[string]int64

// weighted picks codes with the given weights.
type weighted struct {
	codes []string
	cum   []float64
}

func newWeighted(pairs ...any) weighted {
	var w weighted
	total := 0.0
	for i := 0; i < len(pairs); i += 2 {
		total += pairs[i+1].(float64)
		w.codes = append(w.codes, pairs[i].(string))
		w.cum = append(w.cum, total)
	}
	for i := range w.cum {
		w.cum[i] /= total
	}
	return w
}

func (w weighted) pick(r *rand.Rand) string {
	x := r.Float64()
	i := sort.SearchFloat64s(w.cum, x)
	if i >= len(w.codes) {
		i = len(w.codes) - 1
	}
	return w.codes[i]
}

var (
	channelMix = newWeighted("survey", 45.0, "phone", 14.0, "meeting", 12.0, "web", 8.0, "email", 6.0,
		"facebook", 4.0, "interview", 4.0, "customer_panel", 3.0, "focus_group", 2.0, "observation", 2.0)
	touchpointMix = newWeighted("branch_visit", 14.0, "advisory_meeting", 16.0, "mobile_app", 16.0,
		"online_banking", 12.0, "phone_service", 12.0, "mortgage", 8.0, "account_opening", 5.0, "cards", 8.0,
		"letters", 5.0, "complaints", 4.0)
	branchMix   = newWeighted("hq", 10.0, "city", 30.0, "north", 22.0, "south", 22.0, "business", 16.0)
	categoryMix = newWeighted("waiting_time", 16.0, "advice", 12.0, "digital", 20.0, "communication", 12.0,
		"prices", 10.0, "accessibility", 5.0, "process", 12.0, "staff", 6.0, "errors", 7.0)
	effortMix = newWeighted("XS", 20.0, "S", 30.0, "M", 25.0, "L", 15.0, "XL", 10.0)
	areaMix   = newWeighted("retail", 20.0, "business", 10.0, "it", 25.0, "operations", 15.0, "credit", 10.0,
		"marketing", 8.0, "customer_service", 10.0, "hr", 2.0)
)

// scoredShare is how often feedback from a channel carries an NPS score.
var scoredShare = map[string]float64{"survey": 0.97, "phone": 0.5, "meeting": 0.55, "interview": 0.5,
	"web": 0.2, "email": 0.25, "facebook": 0.15, "customer_panel": 0.6, "focus_group": 0.3, "observation": 0.1}

// hourWeights spread the day: office hours, a lunch dip, surveys answered in the evening.
var hourWeights = []float64{0.1, 0.05, 0.02, 0.02, 0.02, 0.1, 0.3, 1, 3, 6, 7, 7, 5, 6, 7, 6, 5, 3, 2, 2.5, 2.5, 2, 1, 0.4}

// generator holds the state of one generation run.
type generator struct {
	cfg   genConfig
	store *store.Store
	r     *rand.Rand
	sb    strings.Builder

	channels, touchpoints, branches, categories, areas refIDs
	catCodes                                           map[int64]string
	ambassadors, quickwins, steering                   []int64
	bench                                              int64

	times     []int64 // unix seconds of each feedback, ascending; feedback id = index+1
	linkImp   []int32 // improvement index+1 a feedback is linked to, 0 for none
	imps      []impPlan
	meetings  []time.Time
	agendaPos []int
	stats     genStats
}

// generate fills a fresh, migrated store with the data set.
func generate(ctx context.Context, st *store.Store, cfg genConfig) (genStats, error) {
	start := time.Now()
	g := &generator{cfg: cfg, store: st, r: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
	// One connection writes everything; a page cache that holds the index pages being
	// filled saves rereading them and writing them to the WAL over and over. (Much
	// larger caches cost more than they save: the pure-Go SQLite maps and unmaps every
	// cached page.) It is a setting of the generator's own connection, not the server's.
	// Measured and left alone: the statement journal each multi-row INSERT keeps (about
	// a tenth of the time) costs as much in memory as in a temporary file, and INSERT OR
	// ROLLBACK does not avoid it while triggers fire.
	//
	// Nor does the generator wait for the disk at each commit (synchronous OFF, on its
	// own connection only): a data set cut short by a power loss is generated again,
	// and the server that serves it later syncs as always.
	sqlite := st.Dialect() == store.SQLite
	if sqlite {
		for _, pragma := range []string{"PRAGMA cache_size = -65536", "PRAGMA synchronous = OFF"} {
			if err := st.Writer(ctx).Exec(pragma).Error; err != nil {
				return g.stats, err
			}
		}
	}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{{"reference data", g.loadRefs}, {"users", g.users}, {"timeline", g.timeline}, {"plan", g.planImprovements},
		{"feedback", g.feedback}, {"improvements", g.writeImprovements}, {"meetings", g.writeMeetings}, {"extras", g.extras}}
	for _, step := range steps {
		began := time.Now()
		if err := step.run(ctx); err != nil {
			return g.stats, err
		}
		g.stats.Steps = append(g.stats.Steps, stepTime{step.name, time.Since(began)})
	}
	finish := time.Now()
	if sqlite {
		if err := st.Writer(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
			return g.stats, err
		}
	} else {
		// The bulk loads gave ids themselves; move each sequence past them, then let
		// the planner see the data as autovacuum leaves a loaded table: VACUUM sets the
		// visibility map, without which the planner costs every index-only scan as a
		// heap fetch per row. After ANALYZE alone it counted the untriaged feedback by
		// reading the table (40-200 ms instead of 0.5) and kept that plan.
		for _, table := range []string{"feedback", "improvements", "meetings"} {
			if err := st.Writer(ctx).Exec(`SELECT setval(pg_get_serial_sequence('` + table + `', 'id'),
				(SELECT COALESCE(MAX(id), 1) FROM ` + table + `))`).Error; err != nil {
				return g.stats, fmt.Errorf("sequence of %s: %w", table, err)
			}
		}
		if err := st.Writer(ctx).Exec("VACUUM (ANALYZE)").Error; err != nil {
			return g.stats, err
		}
	}
	g.stats.Steps = append(g.stats.Steps, stepTime{"checkpoint/analyze", time.Since(finish)})
	g.stats.Took = time.Since(start)
	return g.stats, nil
}

func (g *generator) loadRefs(ctx context.Context) error {
	if err := g.store.SeedReference(ctx); err != nil {
		return err
	}
	load := func(kind models.RefKind) (refIDs, error) {
		items, err := g.store.RefList(ctx, kind)
		if err != nil {
			return nil, err
		}
		m := refIDs{}
		for _, it := range items {
			m[it.Code] = it.ID
		}
		return m, nil
	}
	var err error
	for kind, dst := range map[models.RefKind]*refIDs{models.RefChannels: &g.channels, models.RefTouchpoints: &g.touchpoints,
		models.RefBranches: &g.branches, models.RefCategories: &g.categories, models.RefFunctionalAreas: &g.areas} {
		if *dst, err = load(kind); err != nil {
			return err
		}
	}
	g.catCodes = map[int64]string{}
	for code, id := range g.categories {
		g.catCodes[id] = code
	}
	return nil
}

// users creates the bench user (every role) and the staff the data is attributed to.
func (g *generator) users(ctx context.Context) error {
	// The staff never sign in; the cheapest hash keeps creating them from costing seconds.
	saved := models.PasswordCost
	models.PasswordCost = bcrypt.MinCost
	defer func() { models.PasswordCost = saved }()
	add := func(email, name string, roles ...string) (int64, error) {
		u, err := g.store.CreateUser(ctx, models.NewUser{Email: email, Name: name, Password: benchPassword,
			Roles: roles, Lang: "en"}, nil)
		if err != nil {
			return 0, fmt.Errorf("create user %s: %w", email, err)
		}
		return u.ID, nil
	}
	var err error
	if g.bench, err = add(benchEmail, "Bench Runner", models.RoleAmbassador, models.RoleQuickWin, models.RoleSteering, models.RoleAdmin); err != nil {
		return err
	}
	// 40 ambassadors log the feedback of any set from 100,000 rows up; a tiny set (the
	// smoke test's) has 8, the ones who propose improvements: each user costs a
	// password hash.
	for i := range min(max(g.cfg.Rows/2500, 8), 40) {
		id, err := add(fmt.Sprintf("ambassador%02d@bank.example", i+1), g.personName(), models.RoleAmbassador)
		if err != nil {
			return err
		}
		g.ambassadors = append(g.ambassadors, id)
	}
	for i := range 6 {
		id, err := add(fmt.Sprintf("quickwin%02d@bank.example", i+1), g.personName(), models.RoleQuickWin)
		if err != nil {
			return err
		}
		g.quickwins = append(g.quickwins, id)
	}
	for i := range 8 {
		id, err := add(fmt.Sprintf("steering%02d@bank.example", i+1), g.personName(), models.RoleSteering)
		if err != nil {
			return err
		}
		g.steering = append(g.steering, id)
	}
	// The team the load generators sign in as besides the bench user: people who each
	// read and write, as a team logging all day does (the store shows a user's own
	// writes at once, and other people's within FIGURES_LAG).
	for i := range teamSize {
		if _, err := add(teamEmail(i), g.personName(), models.RoleAmbassador, models.RoleQuickWin, models.RoleSteering, models.RoleAdmin); err != nil {
			return err
		}
	}
	return nil
}

// teamSize is how many team members the data set has (see users).
const teamSize = 16

// teamEmail is the address of team member i (from 0).
func teamEmail(i int) string { return fmt.Sprintf("team%02d@bank.example", i+1) }

func (g *generator) personName() string {
	return firstNames[g.r.IntN(len(firstNames))] + " " + lastNames[g.r.IntN(len(lastNames))]
}

// timeline spreads the feedback over the years: volume grows over time, weekdays are
// busier than weekends, July and late December are quiet, office hours dominate.
func (g *generator) timeline(context.Context) error {
	loc := g.cfg.Location
	end := g.cfg.Now.In(loc)
	first := time.Date(end.Year()-g.cfg.Years, end.Month(), end.Day(), 0, 0, 0, 0, loc)
	var days []time.Time
	for d := first; d.Before(end); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	weights := make([]float64, len(days))
	total := 0.0
	for i, d := range days {
		w := 1 + float64(i)/float64(len(days)) // volume doubles over the period
		switch d.Weekday() {
		case time.Saturday:
			w *= 0.25
		case time.Sunday:
			w *= 0.12
		}
		if d.Month() == time.July {
			w *= 0.6
		}
		if d.Month() == time.December && d.Day() > 20 {
			w *= 0.4
		}
		if i == len(days)-1 { // today: only the hours gone by
			w *= end.Sub(d).Hours() / 24
		}
		weights[i] = w
		total += w
	}
	hours := newHourPicker()
	g.times = make([]int64, 0, g.cfg.Rows)
	cum, done := 0.0, 0
	for i, d := range days {
		cum += weights[i]
		n := int(math.Round(float64(g.cfg.Rows)*cum/total)) - done
		done += n
		dayStart := len(g.times)
		limit := int64(86400)
		if i == len(days)-1 {
			limit = int64(end.Sub(d).Seconds())
		}
		for range n {
			off := int64(hours.pick(g.r))*3600 + g.r.Int64N(3600)
			if off >= limit {
				off = g.r.Int64N(max(limit, 1))
			}
			g.times = append(g.times, d.Unix()+off)
		}
		slices.Sort(g.times[dayStart:])
	}
	g.linkImp = make([]int32, len(g.times))
	return nil
}

type hourPicker struct{ cum []float64 }

func newHourPicker() hourPicker {
	var h hourPicker
	t := 0.0
	for _, w := range hourWeights {
		t += w
		h.cum = append(h.cum, t)
	}
	for i := range h.cum {
		h.cum[i] /= t
	}
	return h
}

func (h hourPicker) pick(r *rand.Rand) int {
	return min(sort.SearchFloat64s(h.cum, r.Float64()), 23)
}

// event is one recorded status change of a planned improvement.
type event struct {
	at       time.Time
	action   string
	field    string
	from, to string
	note     string
	by       int64
	meeting  int // index+1 of the steering meeting that decided it, 0 for none
}

// impPlan is an improvement as it will be written: its fields and its history.
type impPlan struct {
	created        time.Time
	title, desc    string
	category       string
	impact         int
	effort         models.Effort
	track          models.Track
	suggested      models.Track
	trackReason    string
	status         models.Status
	owner          int64
	assignee       int64
	area           string
	targetDate     *time.Time
	deferUntil     *time.Time
	resolution     string
	rejectReason   string
	createdBy      int64
	implementedAt  *time.Time
	statusChanged  time.Time
	version        int
	events         []event
	feedback       []int // feedback indices
	deferredBefore bool
}

// expDur draws an exponentially distributed duration with the given mean.
func (g *generator) expDur(mean time.Duration) time.Duration {
	return time.Duration(g.r.ExpFloat64() * float64(mean))
}

func (g *generator) pickOf(ids []int64) int64 { return ids[g.r.IntN(len(ids))] }

// planImprovements creates the improvements in memory: when each was raised (after the
// feedback it answers), its routing, and its way through the transition table up to now,
// decided at fortnightly steering meetings.
func (g *generator) planImprovements(context.Context) error {
	loc := g.cfg.Location
	now := g.cfg.Now
	// Steering meetings every other Tuesday at 10:00, and the next one planned.
	t := time.Unix(g.times[0], 0).In(loc)
	t = time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, loc)
	for t.Weekday() != time.Tuesday {
		t = t.AddDate(0, 0, 1)
	}
	for ; ; t = t.AddDate(0, 0, 14) {
		g.meetings = append(g.meetings, t)
		if t.After(now) {
			break
		}
	}
	g.agendaPos = make([]int, len(g.meetings))

	n := g.cfg.Improvements
	g.imps = make([]impPlan, n)
	for i := range g.imps {
		p := &g.imps[i]
		// Raised a few days after a feedback, so volume follows feedback volume.
		fi := g.r.IntN(len(g.times))
		p.created = time.Unix(g.times[fi], 0).Add(time.Duration(1+g.r.IntN(5*24)) * time.Hour)
		if p.created.After(now) {
			p.created = now.Add(-time.Duration(g.r.IntN(3600)) * time.Second)
		}
	}
	slices.SortFunc(g.imps, func(a, b impPlan) int { return a.created.Compare(b.created) })
	for i := range g.imps {
		g.planOne(i, now)
	}
	return nil
}

func (g *generator) planOne(i int, now time.Time) {
	p := &g.imps[i]
	p.category = categoryMix.pick(g.r)
	titles := improvementTitles[p.category]
	p.title = titles[g.r.IntN(len(titles))]
	if g.r.IntN(3) > 0 {
		p.title += fmt.Sprintf(" (%d)", i+1)
	}
	p.desc = "Customers report: " + comment(g.r, &g.sb, "detractor", "", p.category)
	p.impact = 1 + g.r.IntN(5)
	p.effort = models.Effort(effortMix.pick(g.r))
	p.suggested = models.SuggestTrack(p.effort, models.DefaultRoutingThreshold)
	p.track = p.suggested
	if g.r.IntN(20) == 0 {
		if p.track == models.TrackQuickWin {
			p.track, p.trackReason = models.TrackSteering, "Needs a decision on budget."
		} else {
			p.track, p.trackReason = models.TrackQuickWin, "The team can do this in a day."
		}
	}
	p.createdBy = g.pickOf(append(g.steering, g.ambassadors[:8]...))
	p.status = models.InitialStatus(p.track)
	p.version = 1
	p.statusChanged = p.created
	p.events = append(p.events, event{at: p.created, action: "created", field: "track",
		from: string(p.suggested), to: string(p.track), note: p.trackReason, by: p.createdBy})

	// Link one to six pieces of feedback from the 60 days before.
	hi := sort.Search(len(g.times), func(k int) bool { return g.times[k] > p.created.Unix() })
	lo := sort.Search(len(g.times), func(k int) bool { return g.times[k] >= p.created.Add(-60*24*time.Hour).Unix() })
	links := 1 + int(g.r.ExpFloat64()*2)
	for k := 0; k < links && hi > lo; k++ {
		for try := 0; try < 5; try++ {
			fi := lo + g.r.IntN(hi-lo)
			if g.linkImp[fi] == 0 {
				g.linkImp[fi] = int32(i + 1)
				p.feedback = append(p.feedback, fi)
				break
			}
		}
	}

	t := p.created
	move := func(at time.Time, action string, to models.Status, note string, by int64) {
		p.events = append(p.events, event{at: at, action: action, field: "status", from: string(p.status),
			to: string(to), note: note, by: by})
		if p.status == models.StatusDeferred {
			p.deferUntil = nil
		}
		p.status, p.statusChanged, p.version = to, at, p.version+1
		t = at
	}
	for step := 0; step < 12; step++ {
		switch p.status {
		case models.StatusQueued:
			if g.r.IntN(25) == 0 {
				at := t.Add(g.expDur(5 * 24 * time.Hour))
				if at.After(now) {
					return
				}
				reason := "Bigger than it looked: needs IT."
				p.events = append(p.events, event{at: at, action: "escalate", field: "track", from: string(p.track),
					to: string(models.TrackSteering), note: reason, by: g.pickOf(g.quickwins)})
				move(at, "escalate", models.StatusReview, reason, g.pickOf(g.quickwins))
				p.track, p.trackReason, p.assignee = models.TrackSteering, reason, 0
				continue
			}
			at := t.Add(g.expDur(6 * 24 * time.Hour))
			if at.After(now) {
				return
			}
			p.assignee = g.pickOf(g.quickwins)
			move(at, "start", models.StatusInProgress, "", p.assignee)
		case models.StatusInProgress:
			mean := 4 * 24 * time.Hour
			if p.track == models.TrackSteering {
				mean = 45 * 24 * time.Hour
			}
			at := t.Add(g.expDur(mean))
			if at.After(now) {
				return
			}
			if p.track == models.TrackQuickWin && g.r.IntN(30) == 0 {
				p.assignee = 0
				move(at, "hand_back", models.StatusQueued, "Waiting for the supplier.", g.pickOf(g.quickwins))
				continue
			}
			by := p.assignee
			if p.track == models.TrackSteering {
				by = p.owner
			}
			p.resolution = resolutionNotes[g.r.IntN(len(resolutionNotes))]
			at2 := at
			p.implementedAt = &at2
			move(at, "finish", models.StatusImplemented, p.resolution, by)
		case models.StatusReview:
			m := sort.Search(len(g.meetings), func(k int) bool { return g.meetings[k].After(t.Add(24 * time.Hour)) })
			if m >= len(g.meetings) || g.meetings[m].After(now) {
				return
			}
			g.agendaPos[m]++
			at := g.meetings[m].Add(time.Duration(g.agendaPos[m]) * time.Minute)
			chair := g.steering[0]
			x := g.r.IntN(100)
			approve, reject := 55, 25
			if p.deferredBefore {
				approve, reject = 70, 30
			}
			switch {
			case x < approve:
				p.owner = g.pickOf(g.steering)
				p.area = areaMix.pick(g.r)
				td := dateOnly(at.AddDate(0, 1+g.r.IntN(6), 0))
				p.targetDate = &td
				move(at, "approve", models.StatusApproved, "", chair)
			case x < approve+reject:
				p.rejectReason = rejectReasons[g.r.IntN(len(rejectReasons))]
				move(at, "reject", models.StatusRejected, p.rejectReason, chair)
			default:
				du := dateOnly(at.AddDate(0, 1+g.r.IntN(4), 0))
				move(at, "defer", models.StatusDeferred, "", chair)
				p.deferUntil, p.deferredBefore = &du, true
			}
			p.events[len(p.events)-1].meeting = m + 1
		case models.StatusApproved:
			at := t.Add(g.expDur(14 * 24 * time.Hour))
			if at.After(now) {
				return
			}
			move(at, "start", models.StatusInProgress, "", p.owner)
		case models.StatusDeferred:
			at := p.deferUntil.Add(8 * time.Hour)
			if at.After(now) {
				return
			}
			move(at, "return_to_review", models.StatusReview, "", g.steering[0])
		default: // implemented, rejected: final
			return
		}
	}
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// feedback writes the feedback rows in received order with the bulk loader.
func (g *generator) feedback(ctx context.Context) error {
	start := time.Now()
	bulk, err := g.store.NewFeedbackBulk(ctx)
	if err != nil {
		return err
	}
	// The full-text indexes are built on the second core (on SQLite; PostgreSQL's
	// server does its own work).
	if g.store.Dialect() == store.SQLite {
		if err := bulk.BuildFullTextAside(); err != nil {
			return err
		}
	}
	// Rows are made in one goroutine and written in another, so that making them (random
	// draws, comments) runs on the second core while SQLite works on the first.
	const chunk = 1000
	chunks := make(chan []models.Feedback, 4)
	free := make(chan []models.Feedback, 6)
	for range 6 {
		free <- make([]models.Feedback, 0, chunk)
	}
	made := make(chan error, 1)
	stop := make(chan struct{})
	go func() {
		defer close(chunks)
		made <- g.makeFeedback(chunk, chunks, free, stop)
	}()
	for c := range chunks {
		for i := range c {
			if err == nil {
				err = bulk.Add(&c[i])
			}
		}
		free <- c[:0]
		if err != nil {
			close(stop)
			for range chunks { // let the maker finish
			}
			break
		}
	}
	if mkErr := <-made; err == nil {
		err = mkErr
	}
	if err != nil {
		bulk.Cancel()
		return err
	}
	if err := bulk.Close(); err != nil {
		return err
	}
	g.stats.Feedback = bulk.Rows()
	g.stats.FeedbackTook = time.Since(start)
	return nil
}

// makeFeedback makes every feedback row, in received order, and hands them on in
// chunks; stop asks it to give up.
func (g *generator) makeFeedback(chunk int, out chan<- []models.Feedback, free <-chan []models.Feedback, stop <-chan struct{}) error {
	now := g.cfg.Now
	span := float64(g.times[len(g.times)-1] - g.times[0] + 1)
	var f models.Feedback
	surveySeq := 0
	buf := <-free
	for i, ts := range g.times {
		at := time.Unix(ts, 0).UTC()
		progress := float64(ts-g.times[0]) / span
		ch := channelMix.pick(g.r)
		f = models.Feedback{ID: int64(i + 1), ReceivedAt: at, ChannelID: g.channels[ch]}
		var tp string
		if g.r.IntN(100) >= 8 {
			tp = touchpointMix.pick(g.r)
			f.TouchpointID = ptr(g.touchpoints[tp])
		}
		if !(ch == "web" || ch == "facebook") || g.r.IntN(2) == 0 {
			if g.r.IntN(10) > 0 {
				f.BranchID = ptr(g.branches[branchMix.pick(g.r)])
			}
		}
		switch x := g.r.IntN(100); {
		case x < 75:
			f.Segment = ptr(models.SegmentPrivate)
		case x < 95:
			f.Segment = ptr(models.SegmentBusiness)
		}
		imp := g.linkImp[i]
		var catCode string
		if imp > 0 {
			catCode = g.imps[imp-1].category
		}
		group := ""
		if g.r.Float64() < scoredShare[ch] {
			score := g.score(progress, tp, imp > 0)
			f.NPS = &score
			group = string(models.GroupOf(&score))
		}
		if f.NPS == nil || g.r.IntN(4) > 0 || imp > 0 {
			f.Comment = comment(g.r, &g.sb, group, tp, catCode)
		}
		if ch == "survey" {
			surveySeq++
			f.ExternalID = ptr(fmt.Sprintf("srv-%d-%07d", at.Year(), surveySeq))
		}
		if g.r.IntN(100) < 8 {
			first, last := firstNames[g.r.IntN(len(firstNames))], lastNames[g.r.IntN(len(lastNames))]
			f.CustomerName = ptr(first + " " + last)
			f.CustomerEmail = ptr(strings.ToLower(fmt.Sprintf("%s.%s%d@kunde.example", asciiFold(first), asciiFold(last), i)))
			f.Consent = true
		}
		if group == "promoter" && g.r.IntN(30) == 0 {
			f.PraisedColleague = ptr(firstNames[g.r.IntN(len(firstNames))])
		}
		f.LoggedByID = ptr(g.pickOf(g.ambassadors))
		age := now.Sub(at)
		if group == "detractor" {
			followed := age > 48*time.Hour && g.r.IntN(100) < 93 || age <= 48*time.Hour && g.r.IntN(100) < 40
			if followed {
				// Most within hours, a tail past the 24-hour promise.
				after := time.Duration(math.Exp(g.r.NormFloat64()*0.9+math.Log(5)) * float64(time.Hour))
				fu := at.Add(after)
				if fu.Before(now) {
					f.FollowedUpAt = &fu
					f.FollowUpByID = ptr(g.pickOf(g.ambassadors))
					f.FollowUpNote = ptr(followUpNotes[g.r.IntN(len(followUpNotes))])
					f.FollowUpRootCauseID = ptr(g.categories[categoryMix.pick(g.r)])
					if g.r.IntN(100) < 12 {
						f.GoodwillAmount = models.Kroner(int64(100 * (1 + g.r.IntN(15))))
					}
				}
			}
		}
		switch {
		case imp > 0:
			f.TriageStatus = models.TriageLinked
			f.CategoryID = ptr(g.categories[catCode])
			f.UpdatedAt = g.imps[imp-1].created
		case age > 10*24*time.Hour || age > 3*24*time.Hour && g.r.IntN(100) < 80 || g.r.IntN(100) < 20:
			f.TriageStatus = models.TriageNoAction
			if g.r.IntN(100) < 60 {
				f.CategoryID = ptr(g.categories[categoryMix.pick(g.r)])
			}
		default:
			f.TriageStatus = models.TriageNew
		}
		if f.FollowedUpAt != nil && f.FollowedUpAt.After(f.UpdatedAt) {
			f.UpdatedAt = *f.FollowedUpAt
		}
		buf = append(buf, f)
		if len(buf) == chunk || i == len(g.times)-1 {
			select {
			case out <- buf:
			case <-stop:
				return nil
			}
			if i < len(g.times)-1 {
				select {
				case buf = <-free:
				case <-stop:
					return nil
				}
			}
		}
	}
	return nil
}

// score draws an NPS score: the bank gets better over the years; mortgages, the phone
// line and complaints score lower, the app and advisers higher; feedback that led to an
// improvement is mostly unhappy.
func (g *generator) score(progress float64, touchpoint string, linked bool) int {
	pProm, pDet := 0.45+0.15*progress, 0.22-0.10*progress
	switch touchpoint {
	case "mortgage", "phone_service", "complaints":
		pProm, pDet = pProm-0.08, pDet+0.08
	case "mobile_app", "advisory_meeting":
		pProm, pDet = pProm+0.05, pDet-0.03
	}
	if linked {
		pProm, pDet = 0.1, 0.7
	}
	x := g.r.Float64()
	switch {
	case x < pDet:
		return []int{0, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6}[g.r.IntN(19)]
	case x < 1-pProm:
		return 7 + g.r.IntN(2)
	default:
		if g.r.IntN(100) < 55 {
			return 10
		}
		return 9
	}
}

func ptr[T any](v T) *T { return &v }

func asciiFold(s string) string {
	return strings.NewReplacer("ø", "oe", "æ", "ae", "å", "aa", "Ø", "Oe", "Æ", "Ae", "Å", "Aa").Replace(s)
}

// writeImprovements writes the planned improvements, their links to feedback, and every
// recorded change to the history.
func (g *generator) writeImprovements(ctx context.Context) error {
	imp, err := g.store.NewBulk(ctx, "improvements", "id", "title", "description", "category_id", "impact",
		"effort", "priority", "track", "suggested_track", "track_reason", "status", "owner_id", "assignee_id",
		"functional_area_id", "target_date", "defer_until", "resolution_note", "reject_reason", "created_by_id",
		"implemented_at", "status_changed_at", "version", "created_at", "updated_at")
	if err != nil {
		return err
	}
	for i := range g.imps {
		p := &g.imps[i]
		var area *int64
		if p.area != "" {
			area = ptr(g.areas[p.area])
		}
		err := imp.Add(int64(i+1), p.title, p.desc, g.categories[p.category], p.impact, string(p.effort),
			models.Priority(p.impact, p.effort), string(p.track), string(p.suggested), nilIfEmpty(p.trackReason),
			string(p.status), nilIfZero(p.owner), nilIfZero(p.assignee), area, p.targetDate, p.deferUntil,
			nilIfEmpty(p.resolution), nilIfEmpty(p.rejectReason), p.createdBy, p.implementedAt,
			p.statusChanged, p.version, p.created, p.statusChanged)
		if err != nil {
			return err
		}
	}
	if err := imp.Close(); err != nil {
		return err
	}
	g.stats.Improvements = imp.Rows()

	links, err := g.store.NewBulk(ctx, "improvement_feedback", "improvement_id", "feedback_id", "created_at")
	if err != nil {
		return err
	}
	hist, err := g.store.NewBulk(ctx, "history", "entity", "entity_id", "user_id", "action", "field",
		"from_value", "to_value", "note", "created_at")
	if err != nil {
		return err
	}
	// Links first (their own transactions), then the history; both bulks share the one
	// writer connection, so they must not hold transactions at the same time.
	for i := range g.imps {
		p := &g.imps[i]
		for _, fi := range p.feedback {
			if err := links.Add(int64(i+1), int64(fi+1), p.created); err != nil {
				return err
			}
		}
	}
	if err := links.Close(); err != nil {
		return err
	}
	g.stats.Links = links.Rows()
	for i := range g.imps {
		p := &g.imps[i]
		id := int64(i + 1)
		for k, e := range p.events {
			if err := hist.Add("improvement", id, nilIfZero(e.by), e.action, e.field, e.from, e.to, e.note, e.at); err != nil {
				return err
			}
			if k == 0 {
				for _, fi := range p.feedback {
					if err := hist.Add("improvement", id, nilIfZero(e.by), "linked", "feedback", "", fmt.Sprint(fi+1), "", e.at); err != nil {
						return err
					}
					if err := hist.Add("feedback", int64(fi+1), nilIfZero(e.by), "linked", "improvement", "", fmt.Sprint(id), "", e.at); err != nil {
						return err
					}
				}
			}
		}
	}
	if err := hist.Close(); err != nil {
		return err
	}
	g.stats.History = hist.Rows()
	return nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nilIfZero(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// writeMeetings writes the steering meetings, who attended, and the agenda with each
// decision, from the decisions recorded in the plans.
func (g *generator) writeMeetings(ctx context.Context) error {
	now := g.cfg.Now
	meet, err := g.store.NewBulk(ctx, "meetings", "id", "held_on", "title", "status", "created_by_id", "created_at", "updated_at")
	if err != nil {
		return err
	}
	for m, at := range g.meetings {
		status := string(models.MeetingClosed)
		if at.After(now) {
			status = string(models.MeetingPlanned)
		}
		created := at.AddDate(0, 0, -7)
		if err := meet.Add(int64(m+1), dateOnly(at), "Steering group "+at.Format("2 Jan 2006"), status,
			g.steering[0], created, at); err != nil {
			return err
		}
	}
	if err := meet.Close(); err != nil {
		return err
	}
	g.stats.Meetings = meet.Rows()
	att, err := g.store.NewBulk(ctx, "meeting_attendees", "meeting_id", "user_id")
	if err != nil {
		return err
	}
	for m := range g.meetings {
		for _, u := range g.steering {
			if u == g.steering[0] || g.r.IntN(100) < 80 {
				if err := att.Add(int64(m+1), u); err != nil {
					return err
				}
			}
		}
	}
	if err := att.Close(); err != nil {
		return err
	}
	agenda, err := g.store.NewBulk(ctx, "agenda_items", "meeting_id", "improvement_id", "position", "decision",
		"rationale", "decided_at", "decided_by_id")
	if err != nil {
		return err
	}
	seen := map[[2]int]bool{}
	for i := range g.imps {
		for _, e := range g.imps[i].events {
			if e.meeting == 0 {
				continue
			}
			m := e.meeting - 1
			if seen[[2]int{m, i}] { // a deferred item may come back to the same meeting only once
				continue
			}
			seen[[2]int{m, i}] = true
			pos := int(e.at.Sub(g.meetings[m]) / time.Minute)
			if err := agenda.Add(int64(m+1), int64(i+1), pos, e.to, e.note, e.at, e.by); err != nil {
				return err
			}
		}
	}
	if err := agenda.Close(); err != nil {
		return err
	}
	g.stats.Agenda = agenda.Rows()
	return nil
}

// extras writes comments on improvements, the yearly goals and the branches' goodwill
// limits.
func (g *generator) extras(ctx context.Context) error {
	cm, err := g.store.NewBulk(ctx, "comments", "improvement_id", "user_id", "kind", "body", "created_at")
	if err != nil {
		return err
	}
	for i := range g.imps {
		p := &g.imps[i]
		for k := g.r.IntN(3); k > 0; k-- {
			kind, body := models.CommentRemark, "Spoke with the customer again; still relevant."
			if p.status == models.StatusInProgress || p.status == models.StatusImplemented {
				kind, body = models.CommentProgress, "Halfway: the new text is with legal."
			}
			at := p.created.Add(g.expDur(3 * 24 * time.Hour))
			if at.After(g.cfg.Now) {
				at = p.created
			}
			if err := cm.Add(int64(i+1), g.pickOf(g.steering), kind, body, at); err != nil {
				return err
			}
		}
	}
	if err := cm.Close(); err != nil {
		return err
	}
	g.stats.Comments = cm.Rows()
	perYear := map[int]int{}
	for i := range g.imps {
		if at := g.imps[i].implementedAt; at != nil {
			perYear[at.In(g.cfg.Location).Year()]++
		}
	}
	goals, err := g.store.NewBulk(ctx, "goals", "year", "target", "updated_at")
	if err != nil {
		return err
	}
	for y := g.cfg.Now.Year() - g.cfg.Years; y <= g.cfg.Now.Year(); y++ {
		// A target the organisation could just reach: last year's count, rounded up.
		target := max(50, (perYear[y-1]+49)/50*50)
		if err := goals.Add(y, target, g.cfg.Now); err != nil {
			return err
		}
	}
	if err := goals.Close(); err != nil {
		return err
	}
	for code, id := range g.branches {
		limit := models.Kroner(60000)
		if code == "hq" {
			limit = models.Kroner(30000)
		}
		if err := g.store.SetGoodwillLimit(ctx, id, limit, nil); err != nil {
			return err
		}
	}
	return nil
}
