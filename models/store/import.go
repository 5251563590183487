package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// importColumns are the columns the import knows; others are ignored.
var importColumns = []string{"external_id", "received_at", "channel", "touchpoint", "branch", "segment",
	"nps", "comment", "customer_name", "customer_email", "employee_email", "customer_phone",
	"resolved_first_contact", "csat"}

// reasonText says a validation message in plain English for the command line.
var reasonText = map[string]string{
	"required":          "is required",
	"out_of_range":      "must be a whole number from 0 to 10",
	"not_a_number":      "is not a whole number",
	"invalid_date":      "is not a date (use 2025-03-14 or 2025-03-14T09:30:00+01:00)",
	"in_future":         "lies in the future",
	"comment_or_nps":    "is required when there is no nps",
	"invalid_choice":    "must be private or business",
	"invalid_email":     "is not an e-mail address",
	"unknown_reference": "is not known (import with --create-missing to add it)",
	"too_long":          "is too long",
	"repeated_in_file":  "repeats an external_id seen earlier in this file",
	"invalid_yes_no":    "must be true/false, 1/0, yes/no or ja/nej",
	"csat_out_of_range": "must be a whole number from 1 to 5",
	"malformed_row":     "is not valid CSV",
	"invalid_utf8":      "is not valid UTF-8 text (save the file as UTF-8)",
	"invalid_phone":     "is not a phone number (6 to 15 digits)",
}

// ImportFeedback reads a CSV export (see contracts.md) row by row and stores every good
// row. Rows whose external_id was imported before are skipped; bad rows are reported
// with their line and reason and do not stop the rest. Only a file that cannot be read
// at all returns an error.
func (s *Store) ImportFeedback(ctx context.Context, r io.Reader, opt models.ImportOptions) (*models.ImportResult, error) {
	if opt.CreateMissing && opt.By != nil && !opt.By.Has(models.RoleAdmin) {
		// Reference data is the admin's; an operator's command (By nil) may create it.
		return nil, fmt.Errorf("models: only an admin may create missing reference data in an import: %w", models.ErrForbidden)
	}
	br := bufio.NewReaderSize(r, 64*1024)
	// Spreadsheet programs start UTF-8 files with a byte order mark; it is not part of
	// the first column's name.
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("models: import: read header: %w: %v", models.ErrBadFile, err)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[name]; !dup {
			col[name] = i
		}
	}
	for _, req := range []string{"received_at", "channel"} {
		if _, ok := col[req]; !ok {
			return nil, fmt.Errorf("models: import: %w: the header has no %q column", models.ErrBadFile, req)
		}
	}
	if s.dialect == SQLite {
		// Each row adds to ten indexes and the full-text index at random places; with
		// SQLite's default 2 MB page cache a large import re-reads the same pages from
		// the file over and over. A larger cache on the single writer connection makes
		// 100,000 rows take seconds instead of a minute.
		//
		// A statement that writes many rows (each batch's full-text and rollup
		// statements; the rows themselves go in one by one) journals megabytes of
		// pages for its own rollback; kept in memory (temp_store, right for the small
		// writes of the web pages) that cost the driver's allocator seconds, written
		// to a temporary file it is cheap.
		for _, pragma := range []string{"PRAGMA cache_size = -131072", "PRAGMA temp_store = FILE"} {
			if err := s.w.WithContext(ctx).Exec(pragma).Error; err != nil {
				return nil, fmt.Errorf("models: import: %w", err)
			}
		}
		// A server keeps its writer connection: give the memory back afterwards.
		defer s.w.Exec("PRAGMA cache_size = -2000")
		defer s.w.Exec("PRAGMA temp_store = MEMORY")
	}
	im := &importer{s: s, ctx: ctx, opt: opt, res: &models.ImportResult{}, seen: map[string]int{},
		refs: map[models.RefKind]map[string]int64{}, now: s.now()}
	// A batch's rows fill one slice (and the sorted copy another) for the whole import:
	// grown row by row, the first batch's copies cost a thirtieth of the import.
	im.batch, im.sorted = make([]models.Feedback, 0, im.batchSize()), make([]models.Feedback, 0, im.batchSize())
	if err := im.loadRefs(); err != nil {
		return nil, err
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			im.reject(pe.StartLine, "", "malformed_row", pe.Err.Error())
			continue
		}
		if err != nil {
			return im.res, fmt.Errorf("models: import: read: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if isBlank(rec) {
			continue
		}
		row := importRow{line: line}
		for _, c := range importColumns {
			row.values[indexOf(c)] = get(rec, c)
		}
		if err := im.add(row); err != nil {
			return im.res, err
		}
		if err := ctx.Err(); err != nil {
			return im.res, err
		}
	}
	if err := im.flush(); err != nil {
		return im.res, err
	}
	return im.res, nil
}

func indexOf(c string) int {
	for i, v := range importColumns {
		if v == c {
			return i
		}
	}
	return -1
}

func isBlank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// importRow is one data row's values in importColumns order.
type importRow struct {
	line   int
	values [14]string
}

func (r importRow) get(c string) string { return r.values[indexOf(c)] }

// importer holds one import's state: reference lookups, external ids seen in the file
// and the batch waiting to be written.
type importer struct {
	s     *Store
	ctx   context.Context
	opt   models.ImportOptions
	res   *models.ImportResult
	seen  map[string]int // external_id -> line first seen
	refs  map[models.RefKind]map[string]int64
	now   time.Time
	batch []models.Feedback
	// sorted is where flush puts the batch in the order it is written.
	sorted []models.Feedback
}

// loadRefs indexes every channel, touchpoint and branch by lower-case code and name,
// so rows are resolved without a query each.
func (im *importer) loadRefs() error {
	for _, k := range []models.RefKind{models.RefChannels, models.RefTouchpoints, models.RefBranches} {
		items, err := im.s.RefList(im.ctx, k)
		if err != nil {
			return fmt.Errorf("models: import: %w", err)
		}
		m := map[string]int64{}
		// Active items first (RefList's order), so a name shared with an inactive
		// item resolves to the active one.
		for _, it := range items {
			for _, key := range []string{strings.ToLower(it.Code), strings.ToLower(strings.TrimSpace(it.Name))} {
				if _, ok := m[key]; !ok {
					m[key] = it.ID
				}
			}
		}
		im.refs[k] = m
	}
	return nil
}

// resolve finds a reference by code or name, creating it when asked to.
func (im *importer) resolve(k models.RefKind, v string) (*int64, bool, error) {
	if v == "" {
		return nil, true, nil
	}
	key := strings.ToLower(v)
	if id, ok := im.refs[k][key]; ok {
		return &id, true, nil
	}
	if !im.opt.CreateMissing {
		return nil, false, nil
	}
	it, err := im.s.CreateRef(im.ctx, k, "", v, im.opt.By)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		// The derived code is taken by an item with another name, or no code can be
		// derived from it: use the item with that code if there is one.
		if it, err = im.s.ResolveRef(im.ctx, k, models.CodeFromName(v)); err != nil {
			return nil, false, nil
		}
	} else if err != nil {
		return nil, false, err
	}
	im.refs[k][key] = it.ID
	return &it.ID, true, nil
}

func (im *importer) reject(line int, field, message, detail string) {
	reason := message
	if t, ok := reasonText[message]; ok {
		reason = t
	}
	if field != "" {
		reason = field + " " + reason
	}
	if detail != "" {
		reason += ": " + detail
	}
	im.res.Rejected = append(im.res.Rejected, models.RowError{Line: line, Field: field, Message: message, Detail: detail, Reason: reason})
}

// parseReceived reads a date (that day at midnight in loc) or an RFC 3339 time.
func parseReceived(v string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// add checks one row and queues it; the batch is written when full.
func (im *importer) add(row importRow) error {
	// The contract says UTF-8; PostgreSQL refuses other bytes, so refuse them on every
	// database, row by row, rather than store text that cannot be read back.
	for i, v := range row.values {
		if !utf8.ValidString(v) {
			im.reject(row.line, importColumns[i], "invalid_utf8", "")
			return nil
		}
	}
	n := models.NewFeedback{Channel: row.get("channel"), Touchpoint: row.get("touchpoint"), Branch: row.get("branch"),
		Segment: row.get("segment"), Comment: row.get("comment"), ExternalID: row.get("external_id"),
		CustomerName: row.get("customer_name"), CustomerEmail: row.get("customer_email"),
		EmployeeEmail: row.get("employee_email"), CustomerPhone: row.get("customer_phone")}
	// The survey tool asked for consent before it collected a contact; the contract
	// stores contacts whenever the file has them.
	n.Consent = n.HasContact()
	if v := row.get("received_at"); v == "" {
		im.reject(row.line, "received_at", "required", "")
		return nil
	} else if t, ok := parseReceived(v, im.s.Location); ok {
		if p := models.ReceivedAtProblem(t, im.now); p != "" {
			im.reject(row.line, "received_at", p, strconv.Quote(v))
			return nil
		}
		n.ReceivedAt = t
	} else {
		im.reject(row.line, "received_at", "invalid_date", strconv.Quote(v))
		return nil
	}
	if v := row.get("nps"); v != "" {
		score, err := strconv.Atoi(v)
		if err != nil {
			im.reject(row.line, "nps", "not_a_number", strconv.Quote(v))
			return nil
		}
		n.NPS = &score
	}
	if v := row.get("resolved_first_contact"); v != "" {
		answer, ok := models.ParseYesNo(v)
		if !ok {
			im.reject(row.line, "resolved_first_contact", "invalid_yes_no", strconv.Quote(v))
			return nil
		}
		n.ResolvedFirstContact = answer
	}
	if v := row.get("csat"); v != "" {
		score, err := strconv.Atoi(v)
		if err != nil {
			im.reject(row.line, "csat", "not_a_number", strconv.Quote(v))
			return nil
		}
		n.CSAT = &score
	}
	n.Normalize()
	if verr := n.Validate(im.now); verr != nil {
		for _, f := range []string{"received_at", "channel", "nps", "comment", "segment", "customer_email", "consent", "external_id", "customer_name", "employee_email", "customer_phone", "csat"} {
			if m, ok := verr.Fields[f]; ok {
				im.reject(row.line, f, m, "")
				return nil
			}
		}
	}
	var ids [3]*int64
	for i, k := range []models.RefKind{models.RefChannels, models.RefTouchpoints, models.RefBranches} {
		v := []string{n.Channel, n.Touchpoint, n.Branch}[i]
		id, ok, err := im.resolve(k, v)
		if err != nil {
			return err
		}
		if !ok {
			im.reject(row.line, []string{"channel", "touchpoint", "branch"}[i], "unknown_reference", strconv.Quote(v))
			return nil
		}
		ids[i] = id
	}
	if n.ExternalID != "" {
		if first, dup := im.seen[n.ExternalID]; dup {
			im.reject(row.line, "external_id", "repeated_in_file", fmt.Sprintf("line %d", first))
			return nil
		}
		im.seen[n.ExternalID] = row.line
	}
	im.batch = append(im.batch, im.s.buildFeedback(n, *ids[0], ids[1], ids[2], im.opt.By, im.now))
	if len(im.batch) >= im.batchSize() {
		return im.flush()
	}
	return nil
}

func (im *importer) batchSize() int {
	if im.s.importBatch > 0 {
		return im.s.importBatch
	}
	return models.ImportBatch
}

// flush writes the queued rows in one transaction, skipping those whose external id
// is already stored.
func (im *importer) flush() error {
	if len(im.batch) == 0 {
		return nil
	}
	// In the order they were received, each row lands in the feedback table's indexes
	// (nearly all ordered by received_at) beside the one before it, on pages still in the
	// cache: 100,000 rows of a month took a tenth less time than in the file's order.
	im.sortBatch()
	err := im.s.Tx(im.ctx, func(tx *gorm.DB) error {
		var ext []string
		for _, f := range im.batch {
			if f.ExternalID != nil {
				ext = append(ext, *f.ExternalID)
			}
		}
		existing := map[string]bool{}
		if len(ext) > 0 {
			var found []string
			if err := tx.Model(&models.Feedback{}).Where("external_id IN ?", ext).Pluck("external_id", &found).Error; err != nil {
				return err
			}
			for _, e := range found {
				existing[e] = true
			}
		}
		// In place: the batch is emptied after this transaction, whatever it does.
		// Copied into a growing slice, a batch's rows cost a twentieth of the import.
		queued := len(im.batch)
		rows := slices.DeleteFunc(im.batch, func(f models.Feedback) bool { return f.ExternalID != nil && existing[*f.ExternalID] })
		skipped := queued - len(rows)
		if err := linkEmployees(tx, rows); err != nil {
			return err
		}
		ids, err := im.s.insertFeedbackBatch(tx, rows)
		if err != nil {
			return err
		}
		if err := im.s.insertHistory(tx, ids, im.opt.By, im.now, "imported"); err != nil {
			return err
		}
		slices.Sort(ids)
		for i := range rows {
			rows[i].ID = ids[i]
		}
		if err := im.s.afterFeedbackStored(tx, im.now, rows); err != nil {
			return err
		}
		im.res.Created += len(ids)
		im.res.Skipped += skipped
		return nil
	})
	im.batch = im.batch[:0]
	if err != nil {
		return fmt.Errorf("models: import: write: %w", err)
	}
	return nil
}

// sortBatch puts the batch in the order it is received, rows of the same time in the
// file's order. It sorts positions and copies each row once: sorted in place, the rows
// (hundreds of bytes each) were moved many times over.
func (im *importer) sortBatch() {
	order := make([]int, len(im.batch))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return im.batch[a].ReceivedAt.Compare(im.batch[b].ReceivedAt) })
	sorted := im.sorted[:0]
	for _, i := range order {
		sorted = append(sorted, im.batch[i])
	}
	im.batch, im.sorted = sorted, im.batch
}

// feedbackInsertColumns are the columns a bulk insert writes.
const feedbackInsertColumns = `external_id, received_at, received_on, channel_id, touchpoint_id, branch_id,
	segment, nps, nps_group, comment, customer_name, customer_email, consent, logged_by_id,
	follow_up_due_at, triage_status, version, created_at, updated_at,
	employee_email, employee_id, customer_phone, resolved_first_contact, csat`

// InsertFeedbackRows writes many feedback rows with multi-row INSERT statements inside
// the caller's transaction, several hundred thousand rows a second, for imports, the
// demo and benchmarks. With returning it returns the new ids.
func InsertFeedbackRows(tx *gorm.DB, rows []models.Feedback, returning bool) ([]int64, error) {
	const perStatement = 1000 // 24,000 parameters: under SQLite's 32,766 and PostgreSQL's 65,535
	var ids []int64
	var sb strings.Builder
	args := make([]any, 0, perStatement*24)
	for start := 0; start < len(rows); start += perStatement {
		part := rows[start:min(start+perStatement, len(rows))]
		sb.Reset()
		args = args[:0]
		sb.WriteString("INSERT INTO feedback (" + feedbackInsertColumns + ") VALUES ")
		for i, f := range part {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
			args = append(args, f.ExternalID, f.ReceivedAt, f.ReceivedOn, f.ChannelID, f.TouchpointID, f.BranchID,
				f.Segment, f.NPS, f.NPSGroup, f.Comment, f.CustomerName, f.CustomerEmail, f.Consent, f.LoggedByID,
				f.FollowUpDueAt, f.TriageStatus, f.Version, f.CreatedAt, f.UpdatedAt,
				f.EmployeeEmail, f.EmployeeID, f.CustomerPhone, f.ResolvedFirstContact, f.CSAT)
		}
		if !returning {
			if err := tx.Exec(sb.String(), args...).Error; err != nil {
				return nil, err
			}
			continue
		}
		sb.WriteString(" RETURNING id")
		var got []int64
		if err := tx.Raw(sb.String(), args...).Scan(&got).Error; err != nil {
			return nil, err
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

// insertHistory records the same action for many feedback rows: one by one on SQLite
// (see execEach), in multi-row statements on PostgreSQL.
func (s *Store) insertHistory(tx *gorm.DB, ids []int64, by *models.User, at time.Time, action string) error {
	if len(ids) == 0 {
		return nil
	}
	var userID *int64
	if by != nil {
		userID = &by.ID
	}
	if lo, hi := slices.Min(ids), slices.Max(ids); s.dialect == SQLite && hi-lo+1 == int64(len(ids)) {
		// The ids of one batch, inserted under the write lock, follow each other:
		// one statement writes their history without a round trip per row.
		return tx.Exec(`INSERT INTO history (entity, entity_id, user_id, action, created_at)
			SELECT 'feedback', id, ?, ?, ? FROM feedback WHERE id BETWEEN ? AND ? ORDER BY id`, userID, action, at, lo, hi).Error
	}
	if s.dialect == SQLite {
		return execEach(tx, "history", "INSERT INTO history (entity, entity_id, user_id, action, created_at) VALUES ('feedback', ?, ?, ?, ?)",
			len(ids), func(i int) []any { return []any{ids[i], userID, action, at} }, nil)
	}
	entries := make([]models.HistoryEntry, len(ids))
	for i, id := range ids {
		entries[i] = models.HistoryEntry{Entity: "feedback", EntityID: id, Action: action, CreatedAt: at, UserID: userID}
	}
	return tx.CreateInBatches(entries, 500).Error
}
