package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/improvementtracker/tracker/models/store"
)

// mixedResult counts what the mixed load saw.
type mixedResult struct {
	requests, ok, expected4xx, unexpected4xx, status5xx, transport int64
	took                                                           time.Duration
	firstProblem                                                   string
	backup                                                         backupResult
	// kinds are the latencies per kind of request, in the order of mixedKinds.
	kinds []kindStats
	// instances is how many servers the connections were spread over; rywAcross says
	// whether each read-your-writes check read through another instance than the write.
	instances int
	rywAcross bool
	// ryw are the read-your-writes checks, by the page that read the write back.
	ryw []rywStats
	// lost is what was acknowledged and then not found in the database after the load.
	lost lostWrites
}

// mixedKinds lists the mixed load's kinds of request in the order its table shows them:
// pages, API reads, the pages that read a user's own write back, then the writes.
var mixedKinds = []string{"dashboard", "feedback list, filtered", "text search", "feedback page", "quick-win board",
	"monthly report", "improvement page", "API feedback list", "API improvement", rywList, rywDashboard,
	"feedback form POST", "feedback API POST", "follow-up API POST", "transition API POST"}

// The kinds of the read-your-writes checks: the page a user loads right after their
// own feedback was acknowledged.
const (
	rywList      = "own write → feedback list"
	rywDashboard = "own write → dashboard"
)

// kindStats is the mixed load's figures for one kind of request.
type kindStats struct {
	name     string
	lats     []int32 // microseconds
	failures int64   // 5xx, transport errors and unexpected 4xx
}

// quantile returns the latency below which a share p of the kind's requests ended.
func (k kindStats) quantile(p float64) time.Duration {
	if len(k.lats) == 0 {
		return 0
	}
	return time.Duration(k.lats[int(p*float64(len(k.lats)-1))]) * time.Microsecond
}

// rywStats counts one kind of read-your-writes check.
type rywStats struct {
	kind          string
	checks, missy int64
	firstMiss     string
}

// rywMisses is the number of checks, of every kind, that did not show the user's write.
func (m mixedResult) rywMisses() int64 {
	var n int64
	for _, r := range m.ryw {
		n += r.missy
	}
	return n
}

// rywChecks is the number of read-your-writes checks made.
func (m mixedResult) rywChecks() int64 {
	var n int64
	for _, r := range m.ryw {
		n += r.checks
	}
	return n
}

// lostWrites compares what the server acknowledged with what the database holds.
type lostWrites struct {
	feedback, feedbackLost       int // feedback answered 201/303, and of those not stored as answered
	followUps, followUpsLost     int // follow-ups answered 200, and of those whose feedback is not followed up
	transitions, transitionsLost int // improvements moved (200), and of those whose version is below the answered one
	err                          error
}

func (l lostWrites) total() int { return l.feedbackLost + l.followUpsLost + l.transitionsLost }

func (l lostWrites) summary() string {
	if l.err != nil {
		return "not checked: " + l.err.Error()
	}
	return fmt.Sprintf("%s feedback acknowledged, %d lost; %s follow-ups, %d lost; %s improvement moves, %d lost",
		thousands(int64(l.feedback)), l.feedbackLost, thousands(int64(l.followUps)), l.followUpsLost,
		thousands(int64(l.transitions)), l.transitionsLost)
}

// ok says whether the mixed load passed: no 5xx, no transport errors, no unexpected
// 4xx, nothing acknowledged and then lost, every user's own write on their next page.
func (m mixedResult) passed() bool {
	return m.status5xx == 0 && m.transport == 0 && m.unexpected4xx == 0 && m.lost.err == nil &&
		m.lost.total() == 0 && m.rywMisses() == 0
}

// kindTable renders the per-kind figures of a mixed load as a markdown table.
func kindTable(m mixedResult) string {
	var b strings.Builder
	b.WriteString("| request | count | req/s | p50 | p99 | failures |\n|---|--:|--:|--:|--:|--:|\n")
	for _, k := range m.kinds {
		fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %s | %d |\n", k.name, thousands(int64(len(k.lats))),
			float64(len(k.lats))/m.took.Seconds(), fmtDur(k.quantile(0.50)), fmtDur(k.quantile(0.99)), k.failures)
	}
	all := kindStats{name: "all"}
	for _, k := range m.kinds {
		all.lats = append(all.lats, k.lats...)
		all.failures += k.failures
	}
	slices.Sort(all.lats)
	fmt.Fprintf(&b, "| **all** | %s | **%.0f** | %s | **%s** | %d |\n", thousands(int64(len(all.lats))),
		float64(len(all.lats))/m.took.Seconds(), fmtDur(all.quantile(0.50)), fmtDur(all.quantile(0.99)), all.failures)
	return b.String()
}

// mixedMarkdown renders a mixed load: the totals, the table per kind, what was lost
// and the read-your-writes checks. logNote adds the server logs' figures.
func mixedMarkdown(m mixedResult, cfg soakConfig, logNote string) string {
	var b strings.Builder
	where := "one `tracker serve`"
	if m.instances > 1 {
		where = fmt.Sprintf("%d `tracker serve` instances on the one database (each user's connections spread over them)", m.instances)
	}
	fmt.Fprintf(&b, "Mixed load: %s of reads and writes (pages, API lists, feedback form and API POSTs, follow-ups, improvement transitions) from %d connections working as %d team members (each signed in and holding an API token), against %s.\n\n",
		cfg.mixedFor, cfg.mixedConns, teamSize, where)
	b.WriteString("| requests | req/s | p50 | p99 | 2xx/3xx | expected 4xx (409 stale version, 400) | 5xx | unexpected 4xx | transport errors | lost writes | own write missing on the next page |" + logHeader(logNote) + "\n")
	b.WriteString("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|" + logAlign(logNote) + "\n")
	all := kindStats{}
	for _, k := range m.kinds {
		all.lats = append(all.lats, k.lats...)
	}
	slices.Sort(all.lats)
	lost := fmt.Sprint(m.lost.total())
	if m.lost.err != nil {
		lost = "not checked"
	}
	fmt.Fprintf(&b, "| %s | **%.0f** | %s | **%s** | %s | %s | %d | %d | %d | %s | %d of %s |%s\n\n", thousands(m.requests), m.rate(),
		fmtDur(all.quantile(0.50)), fmtDur(all.quantile(0.99)), thousands(m.ok), thousands(m.expected4xx), m.status5xx,
		m.unexpected4xx, m.transport, lost, m.rywMisses(), thousands(m.rywChecks()), logNote)
	b.WriteString("Per kind of request (latency from sending the request to reading the whole answer):\n\n")
	b.WriteString(kindTable(m))
	b.WriteString("\n")
	fmt.Fprintf(&b, "Acknowledged and then not in the database: %s %s\n\n", m.lost.summary(), mark(m.lost.err == nil && m.lost.total() == 0))
	across := ""
	if m.rywAcross {
		across = ", read through another instance than the one that took the write"
	}
	fmt.Fprintf(&b, "Read-your-writes: after a user's feedback was acknowledged, their next page%s:\n\n", across)
	for _, r := range m.ryw {
		what := "the list searched for the connection's own word counts every feedback it wrote and shows the latest"
		if r.kind == rywDashboard {
			what = "the dashboard's 30-day responses count at least the figure the user saw before plus what they wrote since"
		}
		fmt.Fprintf(&b, "- %s: %s of %s checks missed the write %s", r.kind, thousands(r.missy), thousands(r.checks), mark(r.missy == 0))
		if r.firstMiss != "" {
			fmt.Fprintf(&b, " (first: %s)", r.firstMiss)
		}
		fmt.Fprintf(&b, "; %s\n", what)
	}
	return b.String()
}

func logHeader(note string) string {
	if note == "" {
		return ""
	}
	return " \"database is locked\" in the log | error lines in the log |"
}

func logAlign(note string) string {
	if note == "" {
		return ""
	}
	return "--:|--:|"
}

func (m mixedResult) rate() float64 { return float64(m.requests) / m.took.Seconds() }

// instanceOf is the instance connection w of a load talks to: a user's connections
// (w, w+users, ...) alternate over the instances, as a load balancer without sticky
// sessions spreads one person's requests.
func instanceOf(w, users, instances int) int { return (w + w/users) % instances }

// rywWord is the word connection w puts in its feedback comments (generation gen), so
// that searching the list for it finds exactly the feedback that connection wrote.
// Every word of a run has the same length, so that none is a prefix of another (the
// search matches words by prefix); it ends in digits, so no stemmer cuts it.
func rywWord(run string, w, gen int) string { return fmt.Sprintf("rw%sc%03dg%02d", run, w, gen) }

// rywGeneration is how many feedback one search word counts before the connection
// takes the next: the list counts up to models.CountCap.
const rywGeneration = 500

// rywShare is the share of acknowledged feedback after which the user's next page
// checks that it shows the write.
const rywShare = 0.3

var (
	listCount = regexp.MustCompile(`(?s)data-testid="count"[^>]*>(.*?)</p>`)
	// dashResponses finds the 30-day responses line of the dashboard's NPS card.
	dashResponses = regexp.MustCompile(`(?s)data-testid="nps30".*?<p class="muted">([^<]*)`)
	firstNumber   = regexp.MustCompile(`\d{1,3}(?:[,.\x{00a0}\x{202f} ]\d{3})+|\d+`)
)

// parseCount reads the first whole number in s, with or without thousands separators.
func parseCount(s string) (int64, bool) {
	m := firstNumber.FindString(s)
	if m == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, m), 10, 64)
	return n, err == nil
}

// listShows checks the list searched for a connection's word: it counts at least want
// feedback and shows the latest comment. (A word counts at most rywGeneration feedback,
// below the list's models.CountCap.)
func listShows(body []byte, want int64, latest string) (ok bool, got string) {
	m := listCount.FindSubmatch(body)
	if m == nil {
		return false, "no count on the page"
	}
	text := strings.Join(strings.Fields(string(m[1])), " ")
	n, okN := parseCount(text)
	if !okN {
		return false, fmt.Sprintf("count %q unreadable", text)
	}
	if n < want {
		return false, fmt.Sprintf("count %q, want at least %d", text, want)
	}
	if !strings.Contains(string(body), latest) {
		return false, fmt.Sprintf("count %q but the latest feedback %q is not listed", text, latest)
	}
	return true, ""
}

// dashboardCount reads the dashboard's 30-day responses.
func dashboardCount(body []byte) (int64, bool) {
	m := dashResponses.FindSubmatch(body)
	if m == nil {
		return 0, false
	}
	return parseCount(string(m[1]))
}

// ackedFeedback is one feedback the server acknowledged, as it must be stored.
type ackedFeedback struct {
	id      int64
	comment string
}

// mixedLoad runs reads and writes as a busy team would, from many connections at once,
// checks that each user's own writes show on their next page and, afterwards, that
// every acknowledged write is in the database; on SQLite it takes a backup with the
// real command while it runs.
func mixedLoad(ctx context.Context, bases []string, bin, dbURL string, tokens []string, cfg soakConfig) (mixedResult, error) {
	res := mixedResult{instances: len(bases), rywAcross: cfg.rywAcross && len(bases) > 1}
	// Each connection works as one member of the team, signed in to the pages and
	// holding an API token: several people reading and writing at once. A session made
	// through one instance holds on the others (sessions are kept in the database).
	sessions := make([]*session, len(tokens))
	for i := range sessions {
		var err error
		from := net.IPv4(127, 0, 1, byte(i+1))
		if sessions[i], err = signInFrom(ctx, bases[0], teamEmail(i), benchPassword, from); err != nil {
			return res, err
		}
	}
	st, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		return res, err
	}
	var maxFeedback, maxImprovement int64
	st.Reader(ctx).Raw(`SELECT COALESCE(MAX(id), 1) FROM feedback`).Scan(&maxFeedback)
	st.Reader(ctx).Raw(`SELECT COALESCE(MAX(id), 1) FROM improvements`).Scan(&maxImprovement)
	st.Close()
	client := newClient(cfg.mixedConns)
	run := strconv.FormatInt(time.Now().Unix(), 36)
	var (
		mu                                              sync.Mutex
		requests, ok, exp4xx, unexp4xx, s5xx, transport atomic.Int64
		wg                                              sync.WaitGroup
		acked                                           []ackedFeedback
		followedUp                                      []int64
		moved                                           = map[int64]int{} // improvement id -> highest version answered
	)
	problem := func(s string) {
		mu.Lock()
		if res.firstProblem == "" {
			res.firstProblem = s
		}
		mu.Unlock()
	}
	kinds := map[string]*kindStats{}
	ryw := map[string]*rywStats{rywList: {kind: rywList}, rywDashboard: {kind: rywDashboard}}
	record := func(kind string, el time.Duration, failed bool) {
		mu.Lock()
		defer mu.Unlock()
		k, seen := kinds[kind]
		if !seen {
			k = &kindStats{name: kind}
			kinds[kind] = k
		}
		k.lats = append(k.lats, int32(el/time.Microsecond))
		if failed {
			k.failures++
		}
	}
	checked := func(kind string, hit bool, miss string) {
		mu.Lock()
		defer mu.Unlock()
		r := ryw[kind]
		r.checks++
		if !hit {
			r.missy++
			if r.firstMiss == "" {
				r.firstMiss = miss
			}
		}
	}
	// do sends one request of a kind and classifies the answer; a 409 or 400 is an
	// expected answer to a stale version or an invalid move, never a failure of the server.
	do := func(kind string, req *http.Request) (*http.Response, []byte) {
		requests.Add(1)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			record(kind, time.Since(start), true)
			transport.Add(1)
			problem(err.Error())
			return nil, nil
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		failed := false
		switch c := resp.StatusCode; {
		case c < 400:
			ok.Add(1)
		case c == http.StatusConflict || c == http.StatusBadRequest:
			exp4xx.Add(1)
		case c >= 500:
			s5xx.Add(1)
			failed = true
			problem(fmt.Sprintf("%d on %s %s", c, req.Method, req.URL.Path))
		default:
			unexp4xx.Add(1)
			failed = true
			problem(fmt.Sprintf("%d on %s %s", c, req.Method, req.URL.Path))
		}
		record(kind, time.Since(start), failed)
		return resp, b
	}
	status := func(resp *http.Response) int {
		if resp == nil {
			return 0
		}
		return resp.StatusCode
	}
	page := func(base string, me int, path string) *http.Request {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		req.Header.Set("Cookie", sessions[me].cookies)
		return req
	}
	api := func(base string, me int, method, path string, body any) *http.Request {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = strings.NewReader(string(b))
		}
		req, _ := http.NewRequestWithContext(ctx, method, base+path, rd)
		req.Header.Set("Authorization", "Bearer "+tokens[me])
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	loc := copenhagen()
	year := time.Now().Year()
	start := time.Now()
	until := start.Add(cfg.mixedFor)
	for w := range cfg.mixedConns {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 99))
			me := w % len(tokens)
			sess := sessions[me]
			home := instanceOf(w, len(tokens), len(bases))
			base := bases[home]
			// The read-your-writes check reads through the next instance when asked to:
			// a balancer may send the next page anywhere.
			probeBase := base
			if res.rywAcross {
				probeBase = bases[(home+1)%len(bases)]
			}
			var (
				seq, gen int
				word     = rywWord(run, w, 0)
				mine     int64 // feedback this connection wrote with word, acknowledged
				// dashSeen is the 30-day responses of the latest dashboard this connection
				// loaded (-1: none yet), wroteSince its feedback acknowledged after it.
				dashSeen   int64 = -1
				dashDay    string
				wroteSince int64
				// checkedList and checkedDash say whether this connection checked each kind.
				checkedList, checkedDash bool
			)
			dashboard := func(kind string) (int64, bool) {
				b := base
				if kind != "dashboard" {
					b = probeBase
				}
				resp, body := do(kind, page(b, me, "/"))
				if status(resp) != http.StatusOK {
					return 0, false
				}
				n, okN := dashboardCount(body)
				if !okN {
					// A dashboard without the figure cannot show the user's write.
					checked(rywDashboard, false, "no 30-day responses on the dashboard")
				}
				return n, okN
			}
			// wrote notes an acknowledged feedback and, now and then, loads the user's
			// next page from it and checks that it shows the write.
			wrote := func(id int64, comment string) {
				mu.Lock()
				acked = append(acked, ackedFeedback{id, comment})
				mu.Unlock()
				mine++
				wroteSince++
				// Each connection checks each kind once early on, then a share at random.
				first := !checkedList || (dashSeen >= 0 && !checkedDash)
				if !first && r.Float64() >= rywShare {
					return
				}
				if dashSeen >= 0 && (!checkedDash || checkedList && r.IntN(2) == 0) {
					checkedDash = true
					day := time.Now().In(loc).Format(time.DateOnly)
					n, okN := dashboard(rywDashboard)
					if !okN {
						return
					}
					// The 30-day window moves at midnight: compare within a day only.
					if day == dashDay {
						want := dashSeen + wroteSince
						checked(rywDashboard, n >= want, fmt.Sprintf("30-day responses %d, want at least %d (%d seen before, %d written since)",
							n, want, dashSeen, wroteSince))
					}
					dashSeen, dashDay, wroteSince = n, day, 0
					return
				}
				checkedList = true
				resp, body := do(rywList, page(probeBase, me, "/feedback?q="+url.QueryEscape(word)))
				if status(resp) != http.StatusOK {
					return
				}
				hit, miss := listShows(body, mine, comment)
				checked(rywList, hit, miss)
			}
			nextComment := func() string {
				if mine >= rywGeneration {
					gen++
					word, mine = rywWord(run, w, gen), 0
				}
				seq++
				return fmt.Sprintf("%s %d mixed load", word, seq)
			}
			// A user's first page is the dashboard.
			if n, okN := dashboard("dashboard"); okN {
				dashSeen, dashDay = n, time.Now().In(loc).Format(time.DateOnly)
			}
			for time.Now().Before(until) && ctx.Err() == nil {
				switch x := r.IntN(100); {
				case x < 8:
					day := time.Now().In(loc).Format(time.DateOnly)
					if n, okN := dashboard("dashboard"); okN {
						dashSeen, dashDay, wroteSince = n, day, 0
					}
				case x < 16:
					do("feedback list, filtered", page(base, me, "/feedback?channel="+channelMix.pick(r)+"&group=detractor"))
				case x < 20:
					do("text search", page(base, me, "/feedback?q="+url.QueryEscape([]string{"app", "gebyr", "rådgiver", "ventetid"}[r.IntN(4)])))
				case x < 28:
					do("feedback page", page(base, me, "/feedback/"+strconv.FormatInt(1+r.Int64N(maxFeedback), 10)))
				case x < 32:
					do("quick-win board", page(base, me, "/quick-wins"))
				case x < 35:
					do("monthly report", page(base, me, fmt.Sprintf("/reports?kind=month&period=%d-%02d", year, 1+r.IntN(int(time.Now().Month())))))
				case x < 38:
					do("improvement page", page(base, me, "/improvements/"+strconv.FormatInt(1+r.Int64N(maxImprovement), 10)))
				case x < 46:
					do("API feedback list", api(base, me, http.MethodGet, "/api/v1/feedback?limit=50", nil))
				case x < 66:
					nps := r.IntN(11)
					comment := nextComment()
					resp, b := do("feedback API POST", api(base, me, http.MethodPost, "/api/v1/feedback", map[string]any{"channel": channelMix.pick(r),
						"nps": nps, "comment": comment, "branch": branchMix.pick(r)}))
					if status(resp) != http.StatusCreated {
						continue
					}
					var fb struct {
						ID int64 `json:"id"`
					}
					if json.Unmarshal(b, &fb) != nil || fb.ID == 0 {
						problem("201 without the feedback's id")
						continue
					}
					wrote(fb.ID, comment)
					if nps <= 6 && r.IntN(2) == 0 {
						resp, _ := do("follow-up API POST", api(base, me, http.MethodPost, fmt.Sprintf("/api/v1/feedback/%d/follow-up", fb.ID),
							map[string]any{"note": "Called back during the soak."}))
						if status(resp) == http.StatusOK {
							mu.Lock()
							followedUp = append(followedUp, fb.ID)
							mu.Unlock()
						}
					}
				case x < 76:
					comment := nextComment()
					v := url.Values{"channel": {channelMix.pick(r)}, "nps": {strconv.Itoa(r.IntN(11))},
						"comment": {comment}, "_csrf": {sess.csrf}}
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/feedback/new", strings.NewReader(v.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("Cookie", sess.cookies)
					resp, _ := do("feedback form POST", req)
					if status(resp) != http.StatusSeeOther {
						continue
					}
					// The form answers with the new feedback's page.
					id, err := strconv.ParseInt(strings.TrimPrefix(resp.Header.Get("Location"), "/feedback/"), 10, 64)
					if err != nil {
						problem("form POST redirected to " + resp.Header.Get("Location"))
						continue
					}
					wrote(id, comment)
				default:
					// Move an improvement one step, as its page would: read its version,
					// then ask for a move; races with other workers give 409.
					id := 1 + r.Int64N(maxImprovement)
					resp, b := do("API improvement", api(base, me, http.MethodGet, fmt.Sprintf("/api/v1/improvements/%d", id), nil))
					if status(resp) != http.StatusOK {
						continue
					}
					var imp struct {
						Status  string `json:"status"`
						Version int    `json:"version"`
					}
					if json.Unmarshal(b, &imp) != nil {
						continue
					}
					body := map[string]any{"version": imp.Version}
					switch imp.Status {
					case "queued":
						body["to"] = "in_progress"
					case "in_progress":
						body["to"], body["note"] = "implemented", "Done during the soak."
					case "review":
						body["to"], body["reason"] = "rejected", "Rejected during the soak."
					case "deferred":
						body["to"] = "review"
					case "approved":
						body["to"] = "in_progress"
					default:
						continue
					}
					resp, b = do("transition API POST", api(base, me, http.MethodPost, fmt.Sprintf("/api/v1/improvements/%d/transition", id), body))
					if status(resp) == http.StatusOK && json.Unmarshal(b, &imp) == nil {
						mu.Lock()
						moved[id] = max(moved[id], imp.Version)
						mu.Unlock()
					}
				}
			}
		})
	}
	// The backup, with the real command, while the writes go on (SQLite only).
	backupDone := make(chan backupResult, 1)
	go func() {
		if !strings.HasPrefix(dbURL, "sqlite:") {
			backupDone <- backupResult{}
			return
		}
		select {
		case <-time.After(cfg.backupAfter):
		case <-ctx.Done():
			backupDone <- backupResult{err: ctx.Err()}
			return
		}
		backupDone <- takeBackup(ctx, bin, dbURL, filepath.Join(cfg.out, "soak-backup.db"))
	}()
	wg.Wait()
	res.took = time.Since(start)
	res.backup = <-backupDone
	res.requests, res.ok, res.expected4xx = requests.Load(), ok.Load(), exp4xx.Load()
	res.unexpected4xx, res.status5xx, res.transport = unexp4xx.Load(), s5xx.Load(), transport.Load()
	// A fixed order, so runs compare line by line.
	for _, name := range mixedKinds {
		if k, seen := kinds[name]; seen {
			slices.Sort(k.lats)
			res.kinds = append(res.kinds, *k)
		}
	}
	res.ryw = []rywStats{*ryw[rywList], *ryw[rywDashboard]}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.lost = checkStored(ctx, dbURL, acked, followedUp, moved)
	return res, nil
}

// checkStored looks up, in the database itself and not through a server, every write
// the mixed load had acknowledged.
func checkStored(ctx context.Context, dbURL string, acked []ackedFeedback, followedUp []int64, moved map[int64]int) lostWrites {
	l := lostWrites{feedback: len(acked), followUps: len(followedUp), transitions: len(moved)}
	st, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		l.err = err
		return l
	}
	defer st.Close()
	db := st.Reader(ctx)
	const chunk = 500
	for i := 0; i < len(acked); i += chunk {
		part := acked[i:min(i+chunk, len(acked))]
		ids := make([]int64, len(part))
		for j, a := range part {
			ids[j] = a.id
		}
		var rows []struct {
			ID      int64
			Comment string
		}
		if l.err = db.Raw(`SELECT id, comment FROM feedback WHERE id IN ?`, ids).Scan(&rows).Error; l.err != nil {
			return l
		}
		stored := make(map[int64]string, len(rows))
		for _, r := range rows {
			stored[r.ID] = r.Comment
		}
		for _, a := range part {
			if stored[a.id] != a.comment {
				l.feedbackLost++
			}
		}
	}
	for i := 0; i < len(followedUp); i += chunk {
		part := followedUp[i:min(i+chunk, len(followedUp))]
		var n int64
		if l.err = db.Raw(`SELECT COUNT(*) FROM feedback WHERE id IN ? AND followed_up_at IS NOT NULL`, part).Scan(&n).Error; l.err != nil {
			return l
		}
		l.followUpsLost += len(part) - int(n)
	}
	ids := make([]int64, 0, len(moved))
	for id := range moved {
		ids = append(ids, id)
	}
	for i := 0; i < len(ids); i += chunk {
		part := ids[i:min(i+chunk, len(ids))]
		var rows []struct {
			ID      int64
			Version int
		}
		if l.err = db.Raw(`SELECT id, version FROM improvements WHERE id IN ?`, part).Scan(&rows).Error; l.err != nil {
			return l
		}
		got := map[int64]int{}
		for _, r := range rows {
			got[r.ID] = r.Version
		}
		for _, id := range part {
			if got[id] < moved[id] {
				l.transitionsLost++
			}
		}
	}
	return l
}
