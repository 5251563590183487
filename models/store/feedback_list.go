package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// commonMatches is where a search word counts as common: past it, a newest-first page
// is found faster by walking the feedback by time and keeping the matches, than by
// sorting every match.
const commonMatches = 2000

// commonSearch reports whether an FTS query matches at least commonMatches comments,
// reading no more of the full-text index than that. The answer only picks how the
// page is found, so it is kept through writes (cachedPlan).
func (s *Store) commonSearch(ctx context.Context, match string) bool {
	return s.commonIn(ctx, "feedback_fts", match)
}

// commonIn is commonSearch on the full-text index table (feedback_fts, or the trigram
// index feedback_tri); the table's name comes from code.
func (s *Store) commonIn(ctx context.Context, table, match string) bool {
	common, err := cachedPlan(ctx, s, "common "+table+" "+match, func(ctx context.Context) (bool, error) {
		var n int64
		err := s.r.WithContext(ctx).Raw(`SELECT COUNT(*) FROM (SELECT rowid FROM `+table+`
			WHERE `+table+` MATCH ? LIMIT ?) AS m`, match, commonMatches).Scan(&n).Error
		return n >= commonMatches, err
	})
	return err == nil && common
}

// applyFilter adds the filter's conditions to a query on feedback. ordered says the
// query reads newest first and stops early (a page); counts pass false.
func (s *Store) applyFilter(db *gorm.DB, f models.FeedbackFilter, ordered bool) *gorm.DB {
	if !f.From.IsZero() || !f.To.IsZero() {
		from, to := f.From, f.To
		if from.IsZero() {
			from = to
		}
		if to.IsZero() {
			to = from
		}
		start, end := models.DayRange(from, to, s.Location)
		if !f.From.IsZero() {
			db = db.Where("feedback.received_at >= ?", start.UTC())
		}
		if !f.To.IsZero() {
			db = db.Where("feedback.received_at < ?", end.UTC())
		}
	}
	if f.ChannelID != 0 {
		db = db.Where("feedback.channel_id = ?", f.ChannelID)
	}
	if ids, ok := models.ScopeIDs(f.BranchScope); ok {
		if len(ids) == 0 {
			db = db.Where("1 = 0")
		} else {
			db = db.Where("feedback.branch_id IN ?", ids)
		}
	}
	if f.TouchpointID != 0 {
		db = db.Where("feedback.touchpoint_id = ?", f.TouchpointID)
	}
	if f.BranchID != 0 {
		db = db.Where("feedback.branch_id = ?", f.BranchID)
	}
	if f.Segment != "" {
		db = db.Where("feedback.segment = ?", f.Segment)
	}
	switch f.Group {
	case "":
	case models.GroupNone:
		db = db.Where("feedback.nps_group IS NULL")
	default:
		db = db.Where("feedback.nps_group = ?", string(f.Group))
	}
	if f.Triage != "" {
		db = db.Where("feedback.triage_status = ?", f.Triage)
	}
	if f.LoggedByID != 0 {
		db = db.Where("feedback.logged_by_id = ?", f.LoggedByID)
	}
	if f.Overdue {
		// Spelled like the partial index feedback_follow_up_open so that it is used.
		db = db.Where("feedback.follow_up_due_at IS NOT NULL AND feedback.followed_up_at IS NULL AND feedback.follow_up_due_at < ?", s.now())
	}
	if searchesWords(f) {
		q := strings.TrimSpace(f.Q)
		if s.dialect == Postgres {
			db = db.Where("feedback.search @@ to_tsquery('danish', ?)", tsQuery(q))
		} else {
			match := s.ftsMatch(db.Statement.Context, q)
			if ordered && s.commonSearch(db.Statement.Context, match) {
				// The unary + keeps SQLite from driving the query from the matches:
				// it walks an index in time order and stops after a page.
				db = db.Where("+feedback.id IN (SELECT rowid FROM feedback_fts WHERE feedback_fts MATCH ?)", match)
			} else {
				db = db.Where("feedback.id IN (SELECT rowid FROM feedback_fts WHERE feedback_fts MATCH ?)", match)
			}
		}
	}
	return db
}

// listQuery selects up to limit feedback matching f after the cursor, newest first.
// The keyset condition and order match the (..., received_at, id) indexes, which both
// databases walk backwards (migration 00031).
func (s *Store) listQuery(db *gorm.DB, f models.FeedbackFilter, after models.Cursor, limit int) *gorm.DB {
	db = s.applyFilter(db.Model(&models.Feedback{}), f, true)
	if after.ID != 0 {
		// The first term alone bounds the index range; the second breaks ties on id.
		db = db.Where("feedback.received_at <= ? AND ("+s.perRow("feedback.received_at")+" < ? OR feedback.id < ?)",
			after.ReceivedAt, after.ReceivedAt, after.ID)
	}
	return db.Order("feedback.received_at DESC, feedback.id DESC").Limit(limit)
}

// firstSearchWindow is how many feedback, newest first, searchByWindows looks at first:
// a common word is in a few percent of comments at least, so a page of 50 usually
// needs one or two windows (4,096 measured 285 req/s on the benchmark, 1,024 380).
const firstSearchWindow = 1024

// lastSearchWindow is the largest window searchByWindows walks before it falls back to
// gathering every match (after 31,744 feedback without a page of matches: in the soak,
// 160,000 fresh feedback without the word made windows walk the whole table).
var lastSearchWindow = 16384

// searchByWindows finds up to want feedback matching a common search word (and the
// rest of f) after the cursor, newest first. The plain query gathered every match of
// the word into a temporary index on each page (73,000 for "rådgiver" on the
// benchmark's million rows: 60 req/s). Instead it takes the next window of feedback in
// list order from the time index, asks the full-text index only for matches between
// the window's smallest and largest id, keeps the window's matching rows, and moves to
// a twice larger window until the page is full or the feedback runs out (60 -> 380
// req/s). The answer is exact whatever the ids; it is fast because ids mostly grow
// with time.
func (s *Store) searchByWindows(ctx context.Context, f models.FeedbackFilter, after models.Cursor, want int) ([]models.Feedback, error) {
	match := s.ftsMatch(ctx, f.Q)
	rest := f
	rest.Q = ""
	return s.walkWindows(ctx, rest, after, want,
		func(db *gorm.DB, low, high int64) *gorm.DB { return whereWordsBetween(db, match, low, high) },
		func(db *gorm.DB, after models.Cursor, n int) *gorm.DB { return s.listQuery(db, f, after, n) })
}

// whereWordsBetween keeps, on SQLite, the feedback with ids low..high whose comment
// matches the FTS query match, asking the full-text index only for that range.
func whereWordsBetween(db *gorm.DB, match string, low, high int64) *gorm.DB {
	return db.Where("+feedback.id IN (SELECT rowid FROM feedback_fts WHERE feedback_fts MATCH ? AND rowid BETWEEN ? AND ?)", match, low, high)
}

// walkWindows is the walk of searchByWindows: rest is the filter without the search,
// match adds the search's condition for the ids low..high, and all lists the rest
// plainly when the windows grow past lastSearchWindow.
func (s *Store) walkWindows(ctx context.Context, rest models.FeedbackFilter, after models.Cursor, want int,
	match func(db *gorm.DB, low, high int64) *gorm.DB, all func(db *gorm.DB, after models.Cursor, n int) *gorm.DB) ([]models.Feedback, error) {
	var out []models.Feedback
	for window := firstSearchWindow; len(out) < want; window *= 2 {
		db := s.r.WithContext(ctx)
		if window > lastSearchWindow {
			// The newest feedback hardly mentions the word: gathering all its
			// matches once is cheaper than walking ever larger windows.
			var rem []models.Feedback
			err := all(db, after, want-len(out)).Find(&rem).Error
			return append(out, rem...), err
		}
		ids := s.listQuery(db, rest, after, window).Select("feedback.id")
		var span struct{ Low, High, N int64 }
		if err := db.Raw(`SELECT MIN(id) AS low, MAX(id) AS high, COUNT(*) AS n FROM (?) AS w`, ids).Scan(&span).Error; err != nil {
			return nil, err
		}
		if span.N == 0 {
			break
		}
		var end models.Feedback // the window's oldest row, where the next one starts
		if err := s.listQuery(db, rest, after, window).Select("feedback.id, feedback.received_at").
			Offset(int(span.N - 1)).Limit(1).Take(&end).Error; err != nil {
			return nil, err
		}
		var part []models.Feedback
		err := match(s.listQuery(db, rest, after, want-len(out)).
			Where("feedback.received_at >= ? AND ("+s.perRow("feedback.received_at")+" > ? OR feedback.id >= ?)", end.ReceivedAt, end.ReceivedAt, end.ID),
			span.Low, span.High).
			Find(&part).Error
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		if span.N < int64(window) {
			break
		}
		after = models.Cursor{ReceivedAt: end.ReceivedAt.UTC(), ID: end.ID}
	}
	return out, nil
}

// searchesWords reports whether f searches for words (not only for signs).
func searchesWords(f models.FeedbackFilter) bool {
	return strings.TrimSpace(f.Q) != "" && len(models.SearchWords(f.Q)) > 0
}

// partsOf returns the parts search of f (NewPartsQuery), if it has one.
func partsOf(f models.FeedbackFilter) (models.PartsQuery, bool) {
	if !searchesWords(f) {
		return models.PartsQuery{}, false
	}
	return models.NewPartsQuery(f.Q)
}

// whereParts adds the parts search's condition to a query on feedback: on SQLite a
// candidate of the trigram index (ids low..high when high > 0) that holds every word
// (partsWhere); on PostgreSQL ILIKE each word, which the trigram GIN index answers. Both
// leave out what the word search finds, which lists first. driven lets SQLite start
// from the index's candidates (few of them) instead of walking the time index.
func (s *Store) whereParts(ctx context.Context, db *gorm.DB, q string, pq models.PartsQuery, low, high int64, driven bool) *gorm.DB {
	if s.dialect == Postgres {
		for _, p := range pq.Patterns {
			db = db.Where("feedback.comment ILIKE ?", p)
		}
		return db.Where("NOT (feedback.search @@ to_tsquery('danish', ?))", tsQuery(q))
	}
	cond, args := partsWhere(pq, s.triMatch(ctx, pq), s.ftsMatch(ctx, q), low, high, driven)
	return db.Where(cond, args...)
}

// listParts lists up to want feedback of f found by its parts search, after the
// cursor, newest first. On SQLite a word whose trigrams are in many comments ("bank")
// is walked by windows like a common word; a rarer one starts from the candidates.
func (s *Store) listParts(ctx context.Context, f models.FeedbackFilter, pq models.PartsQuery, after models.Cursor, want int) ([]models.Feedback, error) {
	rest := f
	rest.Q = ""
	after.Parts = false
	var out []models.Feedback
	if s.dialect == SQLite && s.commonIn(ctx, "feedback_tri", s.triMatch(ctx, pq)) {
		var err error
		out, err = s.walkWindows(ctx, rest, after, want,
			func(db *gorm.DB, low, high int64) *gorm.DB { return s.whereParts(ctx, db, f.Q, pq, low, high, false) },
			func(db *gorm.DB, after models.Cursor, n int) *gorm.DB {
				return s.whereParts(ctx, s.listQuery(db, rest, after, n), f.Q, pq, 0, 0, false)
			})
		return out, err
	}
	err := s.whereParts(ctx, s.listQuery(s.r.WithContext(ctx), rest, after, want), f.Q, pq, 0, 0, true).Find(&out).Error
	return out, err
}

// ListFeedback returns up to limit feedback matching f, newest first, after cursor.
// Pages are found by keyset (received_at, id), so page 1,000 costs what page 1 does.
//
// First pages are kept like the figures (listTTL, Options.OthersLag, always fresh after
// the reader's own write): the list, a filter or a search is opened far more often
// than it is paged through, and its first page is the same for everyone who may see
// it (the filter holds the branch scope).
func (s *Store) ListFeedback(ctx context.Context, f models.FeedbackFilter, after models.Cursor, limit int) (*models.FeedbackPage, error) {
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, models.MaxPageSize)
	if after != (models.Cursor{}) {
		return s.listFeedback(ctx, f, after, limit)
	}
	key := fmt.Sprintf("%+v %d", f, limit)
	kept, err := cachedJudged(ctx, s, &s.pages, key, listTTL, func(ctx context.Context) (*models.FeedbackPage, error) {
		page, err := s.listFeedback(ctx, f, after, limit)
		if err == nil {
			page.Drawn = new(models.Drawings)
		}
		return page, err
	}, s.pageAfterWrites(f, limit))
	if err != nil {
		return nil, err
	}
	page := *kept // callers may change their rows (HideContact), never the kept ones
	page.Items = slices.Clone(kept.Items)
	return &page, nil
}

// listTTL bounds how long a kept first page may miss a write through another
// instance; short, since a page shows customers' contact details that an erasure
// through another instance removes.
const listTTL = 2 * time.Second

// keptPages is how many first pages are kept: one per filter, search and scope in use.
const keptPages = 256

func (s *Store) listFeedback(ctx context.Context, f models.FeedbackFilter, after models.Cursor, limit int) (*models.FeedbackPage, error) {
	var items []models.Feedback
	var err error
	switch words := models.SearchWords(f.Q); {
	case after.Parts:
		// Past the whole words already.
	case s.dialect == SQLite && len(words) > 0 && s.commonSearch(ctx, s.ftsMatch(ctx, f.Q)):
		items, err = s.searchByWindows(ctx, f, after, limit+1)
	default:
		err = s.listQuery(s.r.WithContext(ctx), f, after, limit+1).Find(&items).Error
	}
	if err != nil {
		return nil, fmt.Errorf("models: list feedback: %w", err)
	}
	page := &models.FeedbackPage{PartsFrom: -1}
	if pq, ok := partsOf(f); ok && len(items) <= limit {
		// The whole words ran out on this page: the parts follow, from their start
		// or from the cursor in them.
		var from models.Cursor
		if after.Parts {
			from = after
		}
		more, err := s.listParts(ctx, f, pq, from, limit+1-len(items))
		if err != nil {
			return nil, fmt.Errorf("models: list feedback: %w", err)
		}
		if len(more) > 0 {
			page.PartsFrom = len(items)
			items = append(items, more...)
		}
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = models.Cursor{ReceivedAt: last.ReceivedAt.UTC(), ID: last.ID, Parts: page.PartsFrom >= 0 && page.PartsFrom < limit}
	}
	if page.PartsFrom >= len(items) {
		page.PartsFrom = -1
	}
	if err := s.fillRefs(ctx, pointersTo(items)); err != nil {
		return nil, err
	}
	page.Items = items
	return page, nil
}

// CountFeedback counts the feedback matching f up to CountCap; capped reports whether
// there are more.
//
// Counts are kept like the dashboard's figures, until the next write or aggregateTTL:
// the list shows one above every page, and paging through a filter asks for the same
// count again and again.
func (s *Store) CountFeedback(ctx context.Context, f models.FeedbackFilter) (n int, capped bool, err error) {
	c, err := cachedJudged(ctx, s, &s.counts, fmt.Sprintf("count %+v", f), aggregateTTL, func(ctx context.Context) (count, error) {
		n, capped, err := s.countFeedback(ctx, f)
		return count{n, capped}, err
	}, func(ctx context.Context, kept count, since []loggedWrite) (count, bool) {
		shows := func(int64) bool { return false }
		if kept.capped {
			// New feedback only adds to what the count keeps: past the cap it stays.
			_, ok := createdFor(f, since, shows)
			return kept, ok
		}
		// Not amended by the new rows it keeps: a computation that started before such
		// a row's write was told (writeLog) may have counted it already. Judged after
		// the reader's own writes only (uncappedCount): a second of everyone's writes
		// nearly always holds a new row the count keeps.
		words, parts, ok := s.writtenRowsOf(ctx, f, since, shows)
		return kept, ok && len(words)+len(parts) == 0
	})
	return c.n, c.capped, err
}

// count is a kept count of feedback: n, or the cap and capped.
type count struct {
	n      int
	capped bool
}

// uncappedCount says whether a kept count is judged after its reader's own writes only
// (aggregates.ownOnly). A count past the cap is judged after everyone's: new feedback,
// nearly all of a team's writes, cannot take it under the cap, while a common word's
// capped count was computed again after every second of writes, by each instance (on
// PostgreSQL the largest statement of the soak's mixed load, 38 of the database's 200
// seconds in the minute).
func uncappedCount(kept any) bool {
	c, ok := kept.(count)
	return !ok || !c.capped
}

func (s *Store) countFeedback(ctx context.Context, f models.FeedbackFilter) (n int, capped bool, err error) {
	n, capped, err = s.countWords(ctx, f)
	if err != nil || capped {
		return n, capped, err
	}
	pq, ok := partsOf(f)
	if !ok {
		return n, false, nil
	}
	// The parts only up to the cap left: a count never reads all of a word's matches.
	rest := f
	rest.Q = ""
	db := s.r.WithContext(ctx)
	sub := s.whereParts(ctx, s.applyFilter(db.Table("feedback"), rest, false), f.Q, pq, 0, 0, true)
	var c int64
	if err := db.Table("(?) AS t", sub.Select("1").Limit(models.CountCap+1-n)).Count(&c).Error; err != nil {
		return 0, false, fmt.Errorf("models: count feedback: %w", err)
	}
	if n+int(c) > models.CountCap {
		return models.CountCap, true, nil
	}
	return n + int(c), false, nil
}

// countWords counts the feedback matching f's whole words (not its parts) up to
// CountCap.
func (s *Store) countWords(ctx context.Context, f models.FeedbackFilter) (n int, capped bool, err error) {
	db := s.r.WithContext(ctx)
	var sub *gorm.DB
	if words := models.SearchWords(f.Q); s.dialect == SQLite && len(words) > 0 {
		// Driven from the full-text matches, streamed until the cap: "id IN (SELECT
		// rowid ...)" gathered every match of a common word first (60 ms, now 3 ms).
		rest := f
		rest.Q = ""
		sub = db.Table("feedback_fts").Where("feedback_fts MATCH ?", s.ftsMatch(ctx, f.Q))
		if !rest.IsZero() {
			// The index holds every feedback's comment (its triggers see each write),
			// so a search without other filters counts its matches alone: joined, each
			// match was also a lookup of its row (a twentieth of the CPU under the
			// soak's mixed load).
			sub = s.applyFilter(sub.Joins("JOIN feedback ON feedback.id = feedback_fts.rowid"), rest, false)
		}
	} else {
		sub = s.applyFilter(db.Table("feedback"), f, false)
		if s.dialect == Postgres && !searchesWords(f) {
			// A search's matches come from its GIN index in no order: ordered, they
			// would all be read and sorted.
			sub = sub.Order(walkedInTimeOrder)
		}
	}
	var c int64
	if err := db.Table("(?) AS t", sub.Select("1").Limit(models.CountCap+1)).Count(&c).Error; err != nil {
		return 0, false, fmt.Errorf("models: count feedback: %w", err)
	}
	if c > models.CountCap {
		return models.CountCap, true, nil
	}
	return int(c), false, nil
}

// StreamFeedback calls fn for every feedback matching f, newest first. It reads in
// keyset chunks of a thousand, so an export of a million rows never sits in memory and
// no read stays open while fn writes to a slow client.
func (s *Store) StreamFeedback(ctx context.Context, f models.FeedbackFilter, fn func(*models.Feedback) error) error {
	idx, err := s.loadRefIndex(ctx, models.RefChannels, models.RefTouchpoints, models.RefBranches, models.RefCategories)
	if err != nil {
		return fmt.Errorf("models: export feedback: %w", err)
	}
	var after models.Cursor
	const chunk = 1000
	items := make([]models.Feedback, 0, chunk)
	pq, hasParts := partsOf(f)
	for {
		items = items[:0]
		var err error
		if after.Parts {
			items, err = s.listParts(ctx, f, pq, after, chunk)
		} else {
			err = s.listQuery(s.r.WithContext(ctx), f, after, chunk).Find(&items).Error
		}
		if err != nil {
			return fmt.Errorf("models: export feedback: %w", err)
		}
		for i := range items {
			fb := &items[i]
			fb.Channel = idx.get(models.RefChannels, &fb.ChannelID)
			fb.Touchpoint = idx.get(models.RefTouchpoints, fb.TouchpointID)
			fb.Branch = idx.get(models.RefBranches, fb.BranchID)
			fb.RootCause = idx.get(models.RefCategories, fb.FollowUpRootCauseID)
			if err := fn(fb); err != nil {
				return err
			}
		}
		if len(items) < chunk {
			if after.Parts || !hasParts {
				return nil
			}
			// The whole words are done; the parts of the search follow, as in the list.
			after = models.Cursor{Parts: true}
			continue
		}
		last := items[len(items)-1]
		after = models.Cursor{ReceivedAt: last.ReceivedAt.UTC(), ID: last.ID, Parts: after.Parts}
	}
}

// FollowUpQueue lists the open follow-ups, the most urgent (overdue) first, by due
// time, from the partial index of open follow-ups.
func (s *Store) FollowUpQueue(ctx context.Context, limit int) ([]models.Feedback, error) {
	if limit <= 0 {
		limit = 200
	}
	var items []models.Feedback
	err := s.r.WithContext(ctx).
		Where("follow_up_due_at IS NOT NULL AND followed_up_at IS NULL").
		Order("follow_up_due_at, id").Limit(limit).Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("models: follow-up queue: %w", err)
	}
	return items, s.fillRefs(ctx, pointersTo(items))
}

// pageAfterWrites judges a kept first page of f after writes since it was kept (the
// reader's own, or everyone's through this instance): it holds when none of their new
// feedback matches f and no follow-up among them touches a shown row (or the overdue
// filter); new feedback that matches is merged in, unless it
// matches a search only by parts of words, or the page lists such matches already,
// whose order a merge would not keep.
func (s *Store) pageAfterWrites(f models.FeedbackFilter, limit int) afterWrites[*models.FeedbackPage] {
	return func(ctx context.Context, kept *models.FeedbackPage, since []loggedWrite) (*models.FeedbackPage, bool) {
		words, parts, ok := s.writtenRowsOf(ctx, f, since, kept.Shows)
		switch {
		case !ok || len(parts) > 0 || len(words) > 0 && kept.PartsFrom >= 0:
			return nil, false
		case len(words) == 0:
			return kept, true
		}
		page, err := s.withNewRows(ctx, kept, words, limit)
		return page, err == nil
	}
}

// writtenRowsOf finds which of the feedback the writes since created f keeps: by its
// conditions and the words of its search (words), or by parts of the words only (parts);
// ok is false when a write may have changed what is kept of f otherwise (createdFor).
func (s *Store) writtenRowsOf(ctx context.Context, f models.FeedbackFilter, since []loggedWrite, shown func(id int64) bool) (words, parts []int64, ok bool) {
	created, ok := createdFor(f, since, shown)
	if !ok {
		return nil, nil, false
	}
	words, parts, err := s.matchingRows(ctx, f, created)
	return words, parts, err == nil
}

// createdFor returns the feedback the writes since created, which f may keep besides
// what it kept. Writes that did not touch the feedback table are passed over; ok is
// false when a write may have changed what is kept of f otherwise: one that wrote the
// feedback otherwise than by new feedback and follow-ups, or a follow-up while f keeps
// the overdue (it ends a row's being overdue) or of a row shown.
func createdFor(f models.FeedbackFilter, since []loggedWrite, shown func(id int64) bool) (created []writtenRow, ok bool) {
	created, followedUp, ok := createdAndFollowedUp(writesOf(since, "feedback"))
	if !ok || f.Overdue && len(followedUp) > 0 {
		return nil, false
	}
	for _, r := range followedUp {
		if shown(r.id) {
			return nil, false
		}
	}
	return created, true
}

// matchingRows returns the ids of the rows that f keeps, with the list's own conditions:
// by its conditions and the words of its search (words), or by parts of the words only.
func (s *Store) matchingRows(ctx context.Context, f models.FeedbackFilter, rows []writtenRow) (words, parts []int64, err error) {
	if len(rows) == 0 {
		return nil, nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	low, high := slices.Min(ids), slices.Max(ids)
	rest := f
	rest.Q = ""
	written := func() *gorm.DB {
		return s.applyFilter(s.r.WithContext(ctx).Model(&models.Feedback{}).Where(s.inIDs("feedback.id", ids)), rest, false)
	}
	if !searchesWords(f) {
		err = written().Pluck("feedback.id", &words).Error
		return words, nil, err
	}
	byWords := written().Where("feedback.search @@ to_tsquery('danish', ?)", tsQuery(f.Q))
	if s.dialect == SQLite {
		byWords = whereWordsBetween(written(), s.ftsMatch(ctx, f.Q), low, high)
	}
	if err = byWords.Pluck("feedback.id", &words).Error; err != nil {
		return nil, nil, err
	}
	if pq, ok := partsOf(f); ok {
		err = s.whereParts(ctx, written(), f.Q, pq, low, high, false).Pluck("feedback.id", &parts).Error
	}
	return words, parts, err
}

// withNewRows returns the kept page with the feedback ids merged in where a computation
// would list them, newest first, still limit long; the rows already on it stay as kept.
func (s *Store) withNewRows(ctx context.Context, kept *models.FeedbackPage, ids []int64, limit int) (*models.FeedbackPage, error) {
	var rows []models.Feedback
	if err := s.r.WithContext(ctx).Where(s.inIDs("id", ids)).Find(&rows).Error; err != nil {
		return nil, err
	}
	rows = slices.DeleteFunc(rows, func(r models.Feedback) bool { return kept.Shows(r.ID) })
	if err := s.fillRefs(ctx, pointersTo(rows)); err != nil {
		return nil, err
	}
	page := *kept
	page.Drawn = new(models.Drawings) // other rows: the kept page's drawings are not of it
	page.Items = slices.Concat(kept.Items, rows)
	slices.SortStableFunc(page.Items, newestFirst)
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = models.Cursor{ReceivedAt: last.ReceivedAt.UTC(), ID: last.ID}
	}
	return &page, nil
}

// newestFirst orders feedback as the list does: by receipt, newest first, then by id.
func newestFirst(a, b models.Feedback) int {
	if c := b.ReceivedAt.Compare(a.ReceivedAt); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}
