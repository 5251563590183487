package store

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Instances sharing a PostgreSQL database hear each other's writes. Each write
// transaction announces, with pg_notify inside the transaction, what its commit changed
// (tables, the feedback it created or followed up, its writers and the time each was
// marked, markWriters); PostgreSQL delivers the announcement to every listening
// instance after the commit, in commit order. An instance enters what it hears into
// its write log like a write of its own, so its kept pages and figures are judged
// after it or computed again.
//
// Before, an instance knew nothing of another's writes: a user whose latest write went
// through another instance had every figure and page computed afresh for 2 s
// (crossInstanceMargin), and the soak's users, who alternate between two instances and
// write a third of the time, were nearly always within those 2 s: each instance
// computed nearly every page it served, and two instances served less than one
// (256 against 489 req/s). When the serving instance has heard a user's latest write
// (heardUser), that write is in its log and the margin is not needed; when it has not
// (the announcement is still on its way, or was lost while reconnecting), the margin
// applies as before.

// announcement is what one transaction's commit changed, as other instances hear it.
type announcement struct {
	Instance string   `json:"i"`
	Tables   []string `json:"t"`
	// Writers are the users whose writes committed, with the time markWriters stored.
	Writers []announcedWriter `json:"w,omitempty"`
	// Known says the transaction wrote only new feedback or follow-ups, listed in Rows
	// (see feedbackWrite); otherwise it may have changed anything in Tables.
	Known    bool       `json:"k,omitempty"`
	FollowUp bool       `json:"f,omitempty"`
	Rows     [][2]int64 `json:"r,omitempty"` // feedback id, received_at in Unix microseconds
	// Erased says it erased personal data: nothing kept from before may be shown.
	Erased bool `json:"e,omitempty"`
}

type announcedWriter struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
}

// announcementLimit keeps a payload under PostgreSQL's 8,000 bytes: a larger one drops
// its rows and is heard as a write that may have changed anything in its tables.
const announcementLimit = 7000

// heardKept is how many of each user's latest writes through other instances an
// instance remembers hearing.
const heardKept = 8

// writesChannel is the channel of one schema's announcements: instances of other
// deployments sharing the database in other schemas do not hear them.
func writesChannel(schema string) string {
	h := fnv.New64a()
	h.Write([]byte(schema))
	return fmt.Sprintf("tracker_writes_%x", h.Sum64())
}

// announce sends, inside tx and so only if it commits, what t's transaction changed.
func (s *Store) announce(tx *gorm.DB, ctx context.Context, t *txTables) error {
	payload, err := announcementOf(s.writes.instance, t, footprintOf(ctx))
	if err != nil {
		return fmt.Errorf("models: announce a write: %w", err)
	}
	quiet := tx.WithContext(context.WithValue(tx.Statement.Context, quietKey{}, true))
	return quiet.Exec(`SELECT pg_notify(?, ?)`, s.channel, string(payload)).Error
}

// announcementOf is the payload announcing t's transaction, which wrote fw (nil: not
// known) through instance.
func announcementOf(instance string, t *txTables, fw *feedbackWrite) ([]byte, error) {
	a := announcement{Instance: instance, Writers: t.writers, Erased: t.erased}
	for table := range t.tables {
		if !quietTables[table] {
			a.Tables = append(a.Tables, table)
		}
	}
	slices.Sort(a.Tables)
	if fw != nil && len(fw.rows) > 0 {
		a.Known, a.FollowUp = true, fw.followUp
		for _, r := range fw.rows {
			a.Rows = append(a.Rows, [2]int64{r.id, r.receivedAt.UnixMicro()})
		}
	}
	payload, err := json.Marshal(a)
	if err == nil && len(payload) > announcementLimit {
		a.Known, a.FollowUp, a.Rows = false, false, nil
		payload, err = json.Marshal(a)
	}
	return payload, err
}

// hear enters another instance's announced write into the write log.
func (s *Store) hear(payload string) {
	var a announcement
	if err := json.Unmarshal([]byte(payload), &a); err != nil {
		slog.Error("an announced write could not be read", "err", err)
		s.writes.committed(context.Background(), map[string]bool{anyTable: true})
		return
	}
	if a.Instance == s.writes.instance {
		return // in the log since its commit
	}
	gen := s.writes.heard(a)
	if a.Erased {
		s.pages.forget(gen)
		s.aggs.forget(gen)
	}
	s.writes.heardCount.Add(1)
}

// heard records a, announced by another instance, as a committed write, and returns
// its generation.
func (w *writeLog) heard(a announcement) uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tables == nil {
		w.tables, w.byUser = map[string]uint64{}, map[int64]uint64{}
	}
	wrote := loggedWrite{tables: a.Tables}
	for _, t := range a.Tables {
		if t == anyTable {
			w.every.Add(1)
		} else {
			w.tables[t]++
		}
	}
	if a.Known {
		fw := &feedbackWrite{followUp: a.FollowUp}
		for _, r := range a.Rows {
			fw.rows = append(fw.rows, writtenRow{r[0], time.UnixMicro(r[1]).UTC()})
		}
		wrote.feedback = fw
	}
	wrote.gen = w.all.Add(1)
	w.recent.add(wrote)
	if w.heardFrom == nil {
		w.heardFrom = map[int64][]time.Time{}
	}
	for _, u := range a.Writers {
		w.byUser[u.ID] = max(w.byUser[u.ID], wrote.gen)
		w.rememberOwn(u.ID, wrote)
		heard := append(w.heardFrom[u.ID], u.At)
		if len(heard) > heardKept {
			heard = slices.Delete(heard, 0, len(heard)-heardKept)
		}
		w.heardFrom[u.ID] = heard
	}
	return wrote.gen
}

// heardUser says whether this instance has heard user id's write marked at: then, as
// writes are heard in commit order and one user's writes commit one after another
// (markWriters locks their row), every write of theirs until that one is in its log.
func (w *writeLog) heardUser(id int64, at time.Time) bool {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return slices.ContainsFunc(w.heardFrom[id], at.Equal)
}

// listenForWrites hears other instances' writes on conn until ctx ends, connecting
// again after a lost connection. Writes announced while it was not listening are lost
// to it: each time it listens again, everything kept counts as written since, and
// users whose latest write it did not hear are served as if it heard nothing.
func (s *Store) listenForWrites(ctx context.Context, url string, conn *pgx.Conn) {
	defer close(s.listening)
	for wait := time.Second; ; {
		if conn != nil {
			s.hearing.Store(true)
			err := s.hearAll(ctx, conn)
			s.hearing.Store(false)
			conn.Close(context.WithoutCancel(ctx))
			if ctx.Err() != nil {
				return
			}
			slog.Warn("lost the connection that hears other instances' writes", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		var err error
		if conn, err = s.listen(ctx, url); err != nil {
			slog.Warn("not hearing other instances' writes; trying again", "err", err, "in", wait)
			wait = min(2*wait, time.Minute)
			continue
		}
		wait = time.Second
		s.writes.committed(context.Background(), map[string]bool{anyTable: true})
	}
}

// listen opens a connection listening to the schema's channel.
func (s *Store) listen(ctx context.Context, url string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{s.channel}.Sanitize()); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return conn, nil
}

// hearAll enters every announcement conn receives until it fails or ctx ends.
func (s *Store) hearAll(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		s.hear(n.Payload)
	}
}

// Hearing reports whether the store hears other instances' writes now (PostgreSQL,
// unless Options.Deaf), and how many it heard: for monitoring, as an instance that
// does not hear them shows its colleagues' writes only as its caches expire.
func (s *Store) Hearing() (listening bool, heard uint64) {
	return s.hearing.Load(), s.writes.heardCount.Load()
}

// announceOn names the channel of the store's schema (writesChannel).
func (s *Store) announceOn(ctx context.Context) error {
	var schema string
	if err := s.w.WithContext(ctx).Raw(`SELECT COALESCE(current_schema(), '')`).Scan(&schema).Error; err != nil {
		return fmt.Errorf("models: announce writes: %w", err)
	}
	s.channel = writesChannel(schema)
	return nil
}

// startListening starts hearing other instances' writes on PostgreSQL. It listens
// before the store serves anything, so nothing kept predates it; a first connection
// that fails is tried again in the background.
func (s *Store) startListening(ctx context.Context, url string) {
	conn, err := s.listen(ctx, url)
	if err != nil {
		slog.Warn("not hearing other instances' writes; trying again", "err", err)
	}
	s.hearing.Store(conn != nil)
	listenCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stopListening, s.listening = cancel, make(chan struct{})
	go s.listenForWrites(listenCtx, url, conn)
}
