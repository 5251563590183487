// Package seed fills a database with example data: the demo year `tracker demo` loads.
// It uses only the store's public API, as any other client of the store would.
package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"
	"github.com/improvementtracker/tracker/models/store"
)

// ErrDemoNotEmpty refuses to put demo data into a database that holds real feedback.
var ErrDemoNotEmpty = errors.New("the database already holds feedback; the demo fills only an empty database")

// DemoPassword is the password of every demo user.
const DemoPassword = "demo-tracker-2026"

// DemoUser is a demo account, printed for the newcomer.
type DemoUser struct {
	Email, Name string
	Roles       []string
}

// DemoResult says what the demo created.
type DemoResult struct {
	Users                            []DemoUser
	Feedback, Improvements, Meetings int
	Implemented, FollowUps, Praise   int
}

var demoUsers = []DemoUser{
	{"admin@demo.dk", "Birgitte Holm", []string{models.RoleAdmin}},
	{"mette@demo.dk", "Mette Sørensen", []string{models.RoleAmbassador}},
	{"lars@demo.dk", "Lars Pedersen", []string{models.RoleAmbassador}},
	{"sofie@demo.dk", "Sofie Jensen", []string{models.RoleQuickWin}},
	{"jonas@demo.dk", "Jonas Madsen", []string{models.RoleQuickWin}},
	{"karen@demo.dk", "Karen Nielsen", []string{models.RoleSteering}},
	{"henrik@demo.dk", "Henrik Larsen", []string{models.RoleSteering, models.RoleAmbassador}},
}

// demoNames gives the seeded reference data Danish names; codes stay, so imports by code
// keep working.
var demoNames = map[models.RefKind]map[string]string{
	models.RefCategories: {"waiting_time": "Ventetid", "advice": "Rådgivningens kvalitet", "digital": "Digital selvbetjening",
		"communication": "Kommunikation", "prices": "Priser og gebyrer", "accessibility": "Tilgængelighed",
		"process": "Processer og papirarbejde", "staff": "Medarbejdernes tilgang", "errors": "Fejl"},
	models.RefTouchpoints: {"branch_visit": "Besøg i filial", "advisory_meeting": "Rådgivningsmøde", "mobile_app": "Mobilbank",
		"online_banking": "Netbank", "phone_service": "Telefonservice", "mortgage": "Boliglån",
		"account_opening": "Kontooprettelse", "cards": "Kort og betalinger", "letters": "Breve og e-mails",
		"complaints": "Klagebehandling"},
	models.RefChannels: {"survey": "Spørgeskema", "meeting": "Møde", "phone": "Telefon", "web": "Hjemmeside",
		"interview": "Interview", "focus_group": "Fokusgruppe", "customer_panel": "Kundepanel", "email": "E-mail"},
	models.RefFunctionalAreas: {"retail": "Privatkunder", "business": "Erhverv", "it": "IT og digitalisering",
		"operations": "Drift", "credit": "Kredit", "marketing": "Marketing og kommunikation",
		"customer_service": "Kundeservice", "hr": "HR"},
	// The seeded branches are deactivated (the demo bank has its own), but they still show
	// in lists of inactive items and in history: they get Danish names too.
	models.RefBranches: {"hq": "Hovedkontor", "city": "Centrum", "north": "Nord", "south": "Syd", "business": "Erhvervscenter"},
}

var demoBranches = [][2]string{{"aarhus", "Aarhus C"}, {"aalborg", "Aalborg"}, {"odense", "Odense"},
	{"kbh", "København K"}, {"vejle", "Vejle"}}

// demoComment is a believable customer comment with where it belongs; {c} is a colleague
// and {b} the branch.
type demoComment struct{ category, touchpoint, text string }

var demoComments = map[models.NPSGroup][]demoComment{
	models.GroupDetractor: {
		{"waiting_time", "phone_service", "Jeg ventede 25 minutter i telefonkøen, før nogen tog den."},
		{"waiting_time", "branch_visit", "Lang kø i filialen, og kun én kasse var åben."},
		{"digital", "mobile_app", "Mobilbanken logger mig ud hele tiden. Meget irriterende."},
		{"digital", "online_banking", "Netbanken var nede, da jeg skulle betale regninger sidst på måneden."},
		{"communication", "letters", "Brevet om min rente var svært at forstå – hvad betyder det for mig?"},
		{"errors", "letters", "Der stod en forkert dato i brevet om mit lån. Det gjorde mig utryg."},
		{"prices", "cards", "Gebyret for at hæve kontanter i udlandet kom bag på mig."},
		{"process", "mortgage", "Boliglånet tog alt for lang tid, og jeg skulle sende de samme papirer tre gange."},
		{"process", "account_opening", "Det var besværligt at oprette en konto til min datter."},
		{"staff", "advisory_meeting", "Rådgiveren virkede uforberedt og kendte ikke min situation."},
		{"accessibility", "branch_visit", "Der er ingen rampe ved indgangen. Svært med kørestol og barnevogn."},
		{"process", "complaints", "Min klage blev ikke besvaret i over to uger."},
	},
	models.GroupPassive: {
		{"advice", "advisory_meeting", "Fint møde, men det trak lidt ud."},
		{"digital", "mobile_app", "Appen virker, men det er svært at finde kontoudtoget."},
		{"waiting_time", "phone_service", "Ok service, men jeg måtte ringe to gange."},
		{"prices", "cards", "Rimelige priser, men gebyrerne kunne stå tydeligere."},
		{"communication", "letters", "Alt i orden, men brevene er lidt lange."},
		{"digital", "online_banking", "Netbanken gør det, den skal. Hverken mere eller mindre."},
	},
	models.GroupPromoter: {
		{"staff", "branch_visit", "{c} i {b} var utrolig hjælpsom og tog sig god tid."},
		{"advice", "mortgage", "Super rådgivning om boliglån – {c} forklarede det hele, så jeg forstod det."},
		{"waiting_time", "phone_service", "Hurtigt svar i telefonen, og problemet blev løst med det samme."},
		{"digital", "mobile_app", "Mobilbanken er blevet meget nemmere at bruge."},
		{"advice", "advisory_meeting", "Tak til {c} for et rigtig godt rådgivningsmøde."},
		{"process", "account_opening", "Det var nemt at oprette konto online."},
		{"staff", "branch_visit", "Venligt personale og ingen ventetid."},
		{"communication", "letters", "Klar besked om renten – tak!"},
	},
}

var demoColleagues = []string{"Sofie Nielsen", "Mads Kristensen", "Camilla Andersen", "Peter Rasmussen", "Louise Poulsen", "Anders Thomsen"}

var demoCustomers = [][2]string{{"Mette Hansen", "mette.hansen"}, {"Jens Olsen", "jens.olsen"},
	{"Hanne Christensen", "hanne.c"}, {"Søren Møller", "soeren.moeller"}, {"Kirsten Jørgensen", "kirsten.j"},
	{"Niels Johansen", "niels.johansen"}, {"Inge Mortensen", "inge.m"}, {"Ole Frederiksen", "ole.f"}}

var demoFollowUpNotes = []string{
	"Ringede til kunden og beklagede. Aftalt opfølgende møde.",
	"Talte med kunden; fejlen er rettet, og kunden var tilfreds med svaret.",
	"Kunden fik en forklaring og et direkte nummer til sin rådgiver.",
	"Beklagede ventetiden og refunderede gebyret.",
}

// demoImprovement is one improvement and how far it has come.
type demoImprovement struct {
	title, category string
	effort          models.Effort
	impact          int
	status          models.Status
}

var demoImprovements = []demoImprovement{
	{"Ret forkert dato i lånebreve", "errors", models.EffortXS, 4, models.StatusImplemented},
	{"Kortere velkomstbesked i telefonkøen", "waiting_time", models.EffortXS, 3, models.StatusImplemented},
	{"Tydeligere gebyroversigt for udlandskort", "prices", models.EffortS, 3, models.StatusImplemented},
	{"Link til kontoudtog på mobilbankens forside", "digital", models.EffortS, 4, models.StatusImplemented},
	{"Fjern tastefejl i e-mail om ny pinkode", "communication", models.EffortXS, 2, models.StatusImplemented},
	{"Længere tid før automatisk log ud i mobilbanken", "digital", models.EffortXS, 5, models.StatusImplemented},
	{"Klarere emnelinje i rentebreve", "communication", models.EffortXS, 3, models.StatusImplemented},
	{"Åbn ekstra kasse ved kø over fem personer", "waiting_time", models.EffortS, 4, models.StatusImplemented},
	{"Skilt om tidsbestilling ved indgangen", "accessibility", models.EffortXS, 2, models.StatusImplemented},
	{"Bekræftelsesmail når en klage modtages", "process", models.EffortS, 4, models.StatusImplemented},
	{"Ret link til prislisten på hjemmesiden", "errors", models.EffortXS, 2, models.StatusImplemented},
	{"Kortere formular til børnekonti", "process", models.EffortS, 4, models.StatusImplemented},
	{"Svar på Facebook-beskeder samme dag", "waiting_time", models.EffortS, 3, models.StatusImplemented},
	{"Vis forventet ventetid i telefonkøen", "waiting_time", models.EffortS, 4, models.StatusInProgress},
	{"Større skrift på netbankens kvitteringer", "accessibility", models.EffortXS, 2, models.StatusInProgress},
	{"Tjekliste til rådgivningsmøder", "advice", models.EffortS, 3, models.StatusQueued},
	{"Forklaring af rentetilpasning på hjemmesiden", "communication", models.EffortS, 3, models.StatusQueued},
	{"Ret oversættelsen i appens engelske version", "errors", models.EffortXS, 2, models.StatusQueued},
	{"Digital underskrift af boliglånsdokumenter", "process", models.EffortL, 5, models.StatusImplemented},
	{"Rampe og automatisk dør i Vejle", "accessibility", models.EffortM, 3, models.StatusImplemented},
	{"Nyt format for rådgivningsmøder med forberedelsesskema", "advice", models.EffortM, 4, models.StatusImplemented},
	{"Samlet klagebehandling med svar inden fem dage", "process", models.EffortL, 5, models.StatusImplemented},
	{"Ny log ind-løsning i mobilbanken", "digital", models.EffortXL, 5, models.StatusImplemented},
	{"Lørdagsåbent i København K", "waiting_time", models.EffortL, 4, models.StatusImplemented},
}

// Steering items decided at the demo's two meetings, and those still awaiting review.
var (
	demoMeeting1 = []demoImprovement{
		{"Tilbagekald i stedet for telefonkø", "waiting_time", models.EffortL, 5, models.StatusInProgress},
		{"Personlig rådgiver til alle erhvervskunder", "advice", models.EffortXL, 4, models.StatusApproved},
		{"Fælles kassesystem på tværs af filialer", "process", models.EffortXL, 3, models.StatusDeferred},
		{"Gebyrfri kontanthævning i udlandet", "prices", models.EffortL, 3, models.StatusRejected},
	}
	demoMeeting2 = []demoImprovement{
		{"Genvej til at uploade dokumenter i netbanken", "digital", models.EffortM, 4, models.StatusInProgress},
		{"Enklere prisstruktur for kort", "prices", models.EffortL, 3, models.StatusApproved},
	}
	demoReview = []demoImprovement{
		{"Videomøder med rådgiver om aftenen", "advice", models.EffortM, 4, models.StatusReview},
		{"Chat i netbanken", "digital", models.EffortL, 4, models.StatusReview},
		{"Nyt design af årsopgørelsen", "communication", models.EffortM, 2, models.StatusReview},
	}
)

// demo holds the state of one fill.
type demo struct {
	s       *store.Store
	rng     *rand.Rand
	now     time.Time
	users   map[string]*models.User
	byCat   map[string][]demoFeedback // unhappy feedback by category code, oldest first
	res     DemoResult
	areas   []int64
	cats    map[string]int64
	realNow func() time.Time
}

// at runs fn with the store's clock at t, so every row and history entry carries the
// time the demo story says it happened.
func (d *demo) at(t time.Time, fn func() error) error {
	d.s.Now = func() time.Time { return t }
	defer func() { d.s.Now = d.realNow }()
	return fn()
}

// FillDemo fills an empty database with a year of realistic Danish demo data. It
// refuses (ErrDemoNotEmpty) when any feedback exists.
func FillDemo(ctx context.Context, s *store.Store) (*DemoResult, error) {
	var n int64
	if err := s.Reader(ctx).Table("feedback").Count(&n).Error; err != nil {
		return nil, fmt.Errorf("seed: demo: %w", err)
	}
	if n > 0 {
		return nil, ErrDemoNotEmpty
	}
	if err := s.SeedReference(ctx); err != nil {
		return nil, err
	}
	d := &demo{s: s, rng: rand.New(rand.NewPCG(2026, 7)), now: s.Now().UTC(), users: map[string]*models.User{},
		byCat: map[string][]demoFeedback{}, cats: map[string]int64{}, realNow: s.Now}
	steps := []func(context.Context) error{d.reference, d.people, d.feedback, d.improvements, d.meetings, d.finish}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, fmt.Errorf("seed: demo: %w", err)
		}
	}
	return &d.res, nil
}

func (d *demo) reference(ctx context.Context) error {
	for kind, names := range demoNames {
		items, err := d.s.RefList(ctx, kind)
		if err != nil {
			return err
		}
		for _, it := range items {
			if name, ok := names[it.Code]; ok {
				if err := d.s.UpdateRef(ctx, kind, it.ID, name, it.Active, nil); err != nil {
					return err
				}
			}
			switch kind {
			case models.RefCategories:
				d.cats[it.Code] = it.ID
			case models.RefFunctionalAreas:
				d.areas = append(d.areas, it.ID)
			}
		}
	}
	old, err := d.s.RefList(ctx, models.RefBranches)
	if err != nil {
		return err
	}
	for _, b := range old {
		name := b.Name
		if da, ok := demoNames[models.RefBranches][b.Code]; ok {
			name = da
		}
		if err := d.s.UpdateRef(ctx, models.RefBranches, b.ID, name, false, nil); err != nil {
			return err
		}
	}
	for _, b := range demoBranches {
		it, err := d.s.CreateRef(ctx, models.RefBranches, b[0], b[1], nil)
		if err != nil {
			return err
		}
		if err := d.s.SetGoodwillLimit(ctx, it.ID, models.Kroner(5000), nil); err != nil {
			return err
		}
	}
	return nil
}

func (d *demo) people(ctx context.Context) error {
	for _, u := range demoUsers {
		created, err := d.s.CreateUser(ctx, models.NewUser{Email: u.Email, Name: u.Name, Password: DemoPassword,
			Roles: u.Roles, Lang: "da"}, nil)
		if err != nil {
			return fmt.Errorf("user %s: %w", u.Email, err)
		}
		d.users[u.Email] = created
		d.res.Users = append(d.res.Users, u)
	}
	return nil
}

// groupFor draws an NPS group; satisfaction rises over the year (share in 0..1), which
// the reports then explain.
func (d *demo) score(share float64) int {
	r := d.rng.Float64()
	detractors := 0.22 - 0.16*share
	passives := detractors + 0.22 - 0.06*share
	switch {
	case r < detractors:
		return d.rng.IntN(7)
	case r < passives:
		return 7 + d.rng.IntN(2)
	}
	return 9 + d.rng.IntN(2)
}

func (d *demo) feedback(ctx context.Context) error {
	const count = 360
	start := d.now.AddDate(-1, 0, 0)
	channels := []string{"survey", "survey", "survey", "meeting", "phone", "web", "facebook", "interview", "customer_panel"}
	ambassadors := []*models.User{d.users["mette@demo.dk"], d.users["lars@demo.dk"], d.users["henrik@demo.dk"]}
	times := make([]time.Time, count)
	for i := range times {
		day := d.rng.IntN(364)
		local := start.In(d.s.Location).AddDate(0, 0, day)
		times[i] = time.Date(local.Year(), local.Month(), local.Day(), 8+d.rng.IntN(10), d.rng.IntN(60), 0, 0, d.s.Location)
	}
	// The newest few are from the last day, so the follow-up queue has work in it.
	for i := range 3 {
		times[i] = d.now.Add(-time.Duration(2+5*i) * time.Hour)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for i, at := range times {
		score := d.score(float64(i) / count)
		if i >= count-2 {
			score = 2 + i%3 // the last day's two unhappy customers wait in the follow-up queue
		}
		group := models.GroupOf(&score)
		pick := demoComments[group][d.rng.IntN(len(demoComments[group]))]
		colleague := demoColleagues[d.rng.IntN(len(demoColleagues))]
		branch := demoBranches[d.rng.IntN(len(demoBranches))]
		text := strings.NewReplacer("{c}", colleague, "{b}", branch[1]).Replace(pick.text)
		n := models.NewFeedback{ReceivedAt: at, Channel: channels[d.rng.IntN(len(channels))], Touchpoint: pick.touchpoint,
			Branch: branch[0], Segment: models.Segments[d.rng.IntN(4)/3], NPS: &score, Comment: text}
		if d.rng.IntN(4) == 0 {
			c := demoCustomers[d.rng.IntN(len(demoCustomers))]
			n.CustomerName, n.CustomerEmail, n.Consent = c[0], c[1]+"@example.dk", true
		}
		by := ambassadors[d.rng.IntN(len(ambassadors))]
		var f *models.Feedback
		err := d.at(at.Add(2*time.Minute), func() (err error) {
			f, err = d.s.CreateFeedback(ctx, n, by)
			return err
		})
		if err != nil {
			return fmt.Errorf("feedback: %w", err)
		}
		d.res.Feedback++
		// The category an ambassador would give it, so reports can name reasons.
		if err := d.s.Writer(ctx).Table("feedback").Where("id = ?", f.ID).
			Update("category_id", d.cats[pick.category]).Error; err != nil {
			return err
		}
		if id, ok := d.cats[pick.category]; ok {
			f.CategoryID = &id
		}
		if group != models.GroupPromoter {
			d.byCat[pick.category] = append(d.byCat[pick.category], demoFeedback{f.ID, at})
		}
		if err := d.followUp(ctx, f, by); err != nil {
			return err
		}
		if group == models.GroupPromoter && strings.Contains(pick.text, "{c}") && d.rng.IntN(2) == 0 {
			err := d.at(at.Add(26*time.Hour), func() error { return d.s.PraiseColleague(ctx, f.ID, colleague, by) })
			if err != nil {
				return err
			}
			d.res.Praise++
		}
	}
	return nil
}

// followUp calls a detractor back, mostly within the day, sometimes late; goodwill now
// and then. The last day's detractors are left for the queue.
func (d *demo) followUp(ctx context.Context, f *models.Feedback, by *models.User) error {
	if f.Group() != models.GroupDetractor || d.now.Sub(f.ReceivedAt) < 30*time.Hour {
		return nil
	}
	delay := time.Duration(1+d.rng.IntN(20)) * time.Hour
	if d.rng.IntN(6) == 0 {
		delay = time.Duration(26+d.rng.IntN(30)) * time.Hour
	}
	fu := models.FollowUp{By: by, At: f.ReceivedAt.Add(delay), Note: demoFollowUpNotes[d.rng.IntN(len(demoFollowUpNotes))]}
	// The ambassador records the feedback's category as the root cause found on the call,
	// so the reports' root causes have something to count (no draw from rng: the rest of
	// the demo stays as it was).
	fu.RootCauseID = f.CategoryID
	if d.rng.IntN(3) == 0 {
		fu.Goodwill = models.Kroner(int64(100 * (1 + d.rng.IntN(5))))
		// Now and then an amount in øre, as a refund of a fee is (no draw from rng).
		if f.ID%4 == 0 {
			fu.Goodwill += 50
		}
	}
	err := d.at(fu.At.Add(time.Minute), func() error {
		_, err := d.s.RecordFollowUp(ctx, f.ID, fu)
		var limit *models.GoodwillLimitError
		if errors.As(err, &limit) {
			fu.Goodwill = 0
			_, err = d.s.RecordFollowUp(ctx, f.ID, fu)
		}
		return err
	})
	if err == nil {
		d.res.FollowUps++
	}
	return err
}

// create makes an improvement at t, linked to feedback of its category.
func (d *demo) create(ctx context.Context, im demoImprovement, t time.Time, by *models.User) (*models.Improvement, error) {
	cat := d.cats[im.category]
	var imp *models.Improvement
	err := d.at(t, func() (err error) {
		imp, err = d.s.CreateImprovement(ctx, models.NewImprovement{Title: im.title, CategoryID: &cat, Impact: im.impact,
			Effort: im.effort, FeedbackIDs: d.pick(im.category, t)}, by)
		return err
	})
	if err == nil {
		d.res.Improvements++
	}
	return imp, err
}

// demoFeedback is an unhappy customer's feedback that an improvement can answer.
type demoFeedback struct {
	id int64
	at time.Time
}

// pick takes one to four of the latest unhappy feedback items of a category received
// before t, consuming them so each customer is linked to one improvement.
func (d *demo) pick(category string, t time.Time) []int64 {
	list := d.byCat[category]
	want := 1 + d.rng.IntN(4)
	var out []int64
	for i := len(list) - 1; i >= 0 && len(out) < want; i-- {
		if list[i].at.Before(t) {
			out = append(out, list[i].id)
			list = slices.Delete(list, i, i+1)
		}
	}
	d.byCat[category] = list
	return out
}

// move applies transitions at successive times.
func (d *demo) move(ctx context.Context, imp *models.Improvement, by *models.User, steps ...demoStep) (*models.Improvement, error) {
	for _, st := range steps {
		in := st.in
		err := d.at(st.at, func() (err error) {
			in.Version = imp.Version
			imp, err = d.s.TransitionImprovement(ctx, imp.ID, in, by)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("%s to %s: %w", imp.Title, in.To, err)
		}
		if in.To == models.StatusImplemented {
			d.res.Implemented++
		}
	}
	return imp, nil
}

type demoStep struct {
	at time.Time
	in models.TransitionInput
}

func (d *demo) improvements(ctx context.Context) error {
	steer, qw := d.users["karen@demo.dk"], []*models.User{d.users["sofie@demo.dk"], d.users["jonas@demo.dk"]}
	implemented := 0
	for _, im := range demoImprovements {
		if im.status == models.StatusImplemented {
			implemented++
		}
	}
	k := 0
	for i, im := range demoImprovements {
		// Implemented items spread over the past eleven months; the rest are recent.
		done := d.now.Add(-time.Duration(float64(330*24*time.Hour) * (1 - (float64(k)+0.5)/float64(implemented))))
		if im.status != models.StatusImplemented {
			done = d.now.Add(-time.Duration(2+i) * 24 * time.Hour)
		}
		created := done.Add(-time.Duration(10+d.rng.IntN(30)) * 24 * time.Hour)
		if created.Before(d.now.AddDate(-1, 0, 3)) {
			created = d.now.AddDate(-1, 0, 3)
		}
		imp, err := d.create(ctx, im, created, steer)
		if err != nil {
			return err
		}
		mid := created.Add(done.Sub(created) / 2)
		note := "Rettet og testet; kunderne får den nye udgave fra i dag."
		switch {
		case imp.Track == models.TrackQuickWin && im.status != models.StatusQueued:
			holder := qw[i%2]
			if err := d.at(created.Add(time.Hour), func() error { return d.s.ClaimQuickWin(ctx, imp.ID, holder) }); err != nil {
				return err
			}
			imp, _ = d.s.ImprovementByID(ctx, imp.ID)
			steps := []demoStep{{mid, models.TransitionInput{To: models.StatusInProgress}}}
			if im.status == models.StatusImplemented {
				steps = append(steps, demoStep{done, models.TransitionInput{To: models.StatusImplemented, Note: note}})
			}
			if _, err := d.move(ctx, imp, holder, steps...); err != nil {
				return err
			}
		case imp.Track == models.TrackSteering:
			owner := d.users["henrik@demo.dk"]
			area := d.areas[i%len(d.areas)]
			target := done.AddDate(0, 0, 14)
			steps := []demoStep{
				{created.Add(done.Sub(created) / 4), models.TransitionInput{To: models.StatusApproved, OwnerID: &owner.ID, FunctionalAreaID: &area, TargetDate: &target}},
				{mid, models.TransitionInput{To: models.StatusInProgress}},
			}
			if im.status == models.StatusImplemented {
				steps = append(steps, demoStep{done, models.TransitionInput{To: models.StatusImplemented,
					Note: "Indført i alle filialer efter en pilot i Aarhus C."}})
			}
			if _, err := d.move(ctx, imp, steer, steps...); err != nil {
				return err
			}
		}
		if im.status == models.StatusImplemented {
			k++
		}
	}
	return nil
}

// meetings holds two steering meetings: items created for each are on its agenda, and
// each gets the decision the demo story gives it.
func (d *demo) meetings(ctx context.Context) error {
	karen, henrik := d.users["karen@demo.dk"], d.users["henrik@demo.dk"]
	for n, list := range [][]demoImprovement{demoMeeting1, demoMeeting2} {
		held := d.now.AddDate(0, 0, []int{-100, -20}[n])
		var imps []*models.Improvement
		for _, im := range list {
			imp, err := d.create(ctx, im, held.AddDate(0, 0, -12), karen)
			if err != nil {
				return err
			}
			imps = append(imps, imp)
		}
		day := time.Date(held.Year(), held.Month(), held.Day(), 0, 0, 0, 0, time.UTC)
		var m *models.Meeting
		err := d.at(held.Add(-2*time.Hour), func() (err error) {
			m, err = d.s.CreateMeeting(ctx, models.NewMeeting{HeldOn: &day, Title: fmt.Sprintf("Styregruppemøde %d", n+1),
				AttendeeIDs: []int64{karen.ID, henrik.ID}}, karen)
			return err
		})
		if err != nil {
			return err
		}
		if m, err = d.s.MeetingByID(ctx, m.ID); err != nil {
			return err
		}
		d.res.Meetings++
		for _, it := range m.Items {
			i := slices.IndexFunc(imps, func(p *models.Improvement) bool { return p.ID == it.ImprovementID })
			if i < 0 {
				continue
			}
			if err := d.decide(ctx, m.ID, it, list[i], held, karen); err != nil {
				return err
			}
		}
		if err := d.at(held.Add(2*time.Hour), func() error { return d.s.CloseMeeting(ctx, m.ID, karen) }); err != nil {
			return err
		}
		for i, im := range list {
			if im.status == models.StatusInProgress {
				imp, err := d.s.ImprovementByID(ctx, imps[i].ID)
				if err != nil {
					return err
				}
				if _, err := d.move(ctx, imp, karen, demoStep{held.AddDate(0, 0, 7), models.TransitionInput{To: models.StatusInProgress}}); err != nil {
					return err
				}
			}
		}
	}
	for i, im := range demoReview {
		if _, err := d.create(ctx, im, d.now.AddDate(0, 0, -(i+2)), karen); err != nil {
			return err
		}
	}
	return nil
}

// decide records the meeting's decision on one agenda item.
func (d *demo) decide(ctx context.Context, meetingID int64, it models.AgendaItem, im demoImprovement, held time.Time, by *models.User) error {
	imp, err := d.s.ImprovementByID(ctx, it.ImprovementID)
	if err != nil {
		return err
	}
	dec := models.Decision{ItemID: it.ID, Version: imp.Version, To: models.StatusApproved,
		Rationale: "Mange kunder nævner det, og gevinsten er stor i forhold til indsatsen."}
	switch im.status {
	case models.StatusRejected:
		dec.To, dec.Reason = models.StatusRejected, "For dyrt i forhold til gevinsten; vi forklarer gebyret tydeligere i stedet."
		dec.Rationale = dec.Reason
	case models.StatusDeferred:
		until := time.Date(held.Year(), held.Month()+6, 1, 0, 0, 0, 0, time.UTC)
		dec.To, dec.DeferUntil = models.StatusDeferred, &until
		dec.Rationale = "Afventer det nye kernesystem; tages op igen til sommer."
	default:
		owner := d.users["henrik@demo.dk"]
		area := d.areas[int(imp.ID)%len(d.areas)]
		target := held.AddDate(0, 4, 0)
		dec.OwnerID, dec.FunctionalAreaID, dec.TargetDate = &owner.ID, &area, &target
	}
	return d.at(held.Add(time.Hour), func() error { return d.s.DecideItem(ctx, meetingID, dec, by) })
}

// finish closes old untriaged feedback as reviewed and sets this year's goal, the way a
// bank in its first year of the programme would.
func (d *demo) finish(ctx context.Context) error {
	var ids []int64
	if err := d.s.Reader(ctx).Table("feedback").Where("triage_status = ? AND received_at < ?", models.TriageNew,
		d.now.AddDate(0, 0, -21)).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) > 0 {
		if _, err := d.s.CloseNoAction(ctx, ids, "Gennemgået – ingen ny forbedring ud over de eksisterende.", d.users["karen@demo.dk"]); err != nil {
			return err
		}
	}
	year := d.now.In(d.s.Location).Year()
	if err := d.s.SetGoalTarget(ctx, year, 20, d.users["admin@demo.dk"]); err != nil {
		return err
	}
	return d.s.SetGoalTarget(ctx, year+1, models.DefaultGoalTarget, d.users["admin@demo.dk"])
}
