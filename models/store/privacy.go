package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"

	"gorm.io/gorm"
)

// eraseBatch is how many feedback rows one erasure transaction touches, so that the
// retention job never holds the write lock for long.
const eraseBatch = 500

// freeTextColumns are the feedback columns in which someone may have typed the
// customer's name or address (the comment, the follow-up note); erasure replaces the
// customer's contact there with ErasedMark.
var freeTextColumns = []string{"comment", "follow_up_note"}

// hasContact is the SQL condition "the feedback still holds some contact".
func hasContact() string {
	parts := make([]string, len(models.CustomerContactColumns))
	for i, c := range models.CustomerContactColumns {
		parts[i] = c + " IS NOT NULL"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// EraseCustomer removes a customer's name and e-mail from every feedback they gave,
// found by e-mail address, and returns how many were changed. The history records
// that personal data was erased and how much, never whose: the address is not stored.
func (s *Store) EraseCustomer(ctx context.Context, email string, by *models.User) (int, error) {
	email = models.NormalizeEmail(email)
	if !strings.Contains(email, "@") {
		return 0, models.Invalid("email", "invalid_email")
	}
	total, err := s.erase(ctx, by, "erasure_request", []string{email}, func(db *gorm.DB) *gorm.DB {
		return db.Where("customer_email = ?", email)
	})
	if err != nil {
		return total, err
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		return record(tx, s.now(), "privacy", 0, by, "customer_erased", "feedback", "", fmt.Sprint(total), "")
	})
	return total, err
}

// EraseExpiredPersonalData removes the personal data of feedback received more than
// the retention period ago, when one is set, and returns how many rows it changed.
func (s *Store) EraseExpiredPersonalData(ctx context.Context, by *models.User) (int, error) {
	days, err := s.RetentionDays(ctx)
	if err != nil || days <= 0 {
		return 0, err
	}
	cutoff := s.now().AddDate(0, 0, -days)
	total, err := s.erase(ctx, by, "retention", nil, func(db *gorm.DB) *gorm.DB {
		return db.Where("received_at < ? AND "+hasContact(), cutoff)
	})
	if err != nil || total == 0 {
		return total, err
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		return record(tx, s.now(), "privacy", 0, by, "retention_erased", "feedback", "", fmt.Sprint(total),
			fmt.Sprintf("retention %d days", days))
	})
	return total, err
}

// erase clears personal data on the rows where selects, a batch per transaction:
// the contact columns, the contact typed into free text and the history of those
// feedback, and the mail queued to them. It records each row's erasure in its history.
// Then it removes what the database keeps beside the rows (see scrubErased). known
// are contact values erased even when no row holds them any more (the address asked
// for), so that statistics and the file are cleaned of them too.
func (s *Store) erase(ctx context.Context, by *models.User, reason string, known []string, where func(*gorm.DB) *gorm.DB) (int, error) {
	total := 0
	erased := slices.Clone(known)
	for {
		n := 0
		var batchValues []string
		err := s.Tx(ctx, func(tx *gorm.DB) error {
			var ids []int64
			q := where(tx.Model(&models.Feedback{})).Where("(" + hasContact() + " OR consent)")
			if err := q.Order("id").Limit(eraseBatch).Pluck("id", &ids).Error; err != nil {
				return err
			}
			if len(ids) == 0 {
				return nil
			}
			noteErasure(tx)
			values, err := eraseRows(tx, ids)
			if err != nil {
				return err
			}
			batchValues = values
			now := s.now()
			updates := map[string]any{"consent": false, "personal_data_erased_at": now,
				"version": gorm.Expr("version + 1"), "updated_at": now}
			for _, c := range models.CustomerContactColumns {
				updates[c] = nil
			}
			if err := tx.Model(&models.Feedback{}).Where("id IN ?", ids).Updates(updates).Error; err != nil {
				return err
			}
			entries := make([]models.HistoryEntry, len(ids))
			for i, id := range ids {
				entries[i] = models.HistoryEntry{Entity: "feedback", EntityID: id, Action: "personal_data_erased",
					Note: reason, CreatedAt: now}
				if by != nil {
					entries[i].UserID = &by.ID
				}
			}
			if err := tx.CreateInBatches(entries, 200).Error; err != nil {
				return err
			}
			n = len(ids)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("models: erase personal data: %w", err)
		}
		erased = append(erased, batchValues...)
		total += n
		// Kept pages and figures quote what customers wrote (the dashboard's and the
		// reports' latest improvements): every reader sees them computed afresh.
		gen := s.writes.all.Load()
		s.pages.forget(gen)
		s.aggs.forget(gen)
		if n < eraseBatch {
			break
		}
	}
	if err := s.scrubErased(ctx, erased); err != nil {
		return total, fmt.Errorf("models: erase personal data: %w", err)
	}
	return total, nil
}

// eraseRows reads the contact of the feedback ids, removes it from their free text,
// from their history and from the outbox, and returns the contact values it found.
// The contact columns themselves are cleared by the caller.
func eraseRows(tx *gorm.DB, ids []int64) ([]string, error) {
	cols := append(append([]string{"id"}, models.CustomerContactColumns...), freeTextColumns...)
	rows, err := tx.Model(&models.Feedback{}).Select(cols).Where("id IN ?", ids).Rows()
	if err != nil {
		return nil, err
	}
	type row struct {
		id     int64
		values []string
		text   []sql.NullString
	}
	var found []row
	for rows.Next() {
		contact := make([]sql.NullString, len(models.CustomerContactColumns))
		text := make([]sql.NullString, len(freeTextColumns))
		dest := []any{new(int64)}
		for i := range contact {
			dest = append(dest, &contact[i])
		}
		for i := range text {
			dest = append(dest, &text[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, err
		}
		r := row{id: *dest[0].(*int64), text: text}
		for _, c := range contact {
			if c.Valid && strings.TrimSpace(c.String) != "" {
				r.values = append(r.values, strings.TrimSpace(c.String))
			}
		}
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var all, addresses []string
	for _, r := range found {
		all = append(all, r.values...)
		for _, v := range r.values {
			if strings.Contains(v, "@") {
				addresses = append(addresses, v)
			}
		}
		changed := map[string]any{}
		for i, c := range freeTextColumns {
			if r.text[i].Valid {
				if red := models.RedactContact(r.text[i].String, r.values); red != r.text[i].String {
					changed[c] = red
				}
			}
		}
		if len(changed) > 0 {
			if err := tx.Model(&models.Feedback{}).Where("id = ?", r.id).UpdateColumns(changed).Error; err != nil {
				return nil, err
			}
		}
		if len(r.values) > 0 {
			if err := redactHistory(tx, r.id, r.values); err != nil {
				return nil, err
			}
		}
	}
	if len(addresses) > 0 {
		if err := eraseOutbox(tx, addresses); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// eraseOutbox removes the addresses and the personalised bodies of the mail to them.
// The rows stay (their dedupe keys keep anyone from being mailed twice); a message not
// sent yet never will be.
func eraseOutbox(db *gorm.DB, addresses []string) error {
	return db.Exec(`UPDATE outbox SET to_addr = '', body = '', last_error = ?,
		status = CASE WHEN status = ? THEN ? ELSE status END WHERE to_addr IN ?`,
		"customer erased", models.OutboxPending, models.OutboxFailed, addresses).Error
}

// redactHistory removes a customer's contact from the history of one feedback (a
// follow-up note is copied there).
func redactHistory(tx *gorm.DB, feedbackID int64, values []string) error {
	var hs []models.HistoryEntry
	if err := tx.Where("entity = ? AND entity_id = ?", "feedback", feedbackID).Find(&hs).Error; err != nil {
		return err
	}
	for _, h := range hs {
		u := map[string]any{}
		for col, v := range map[string]string{"note": h.Note, "from_value": h.FromValue, "to_value": h.ToValue} {
			if red := models.RedactContact(v, values); red != v {
				u[col] = red
			}
		}
		if len(u) > 0 {
			if err := tx.Model(&models.HistoryEntry{}).Where("id = ?", h.ID).UpdateColumns(u).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// scrubErased removes what the database keeps of erased values beside the rows. On
// PostgreSQL the planner's statistics (pg_statistic keeps common values and histogram
// bounds of each column, addresses included) are gathered again. On SQLite the
// samples of sqlite_stat4 that hold a value are deleted, and the write-ahead log is
// checkpointed and truncated: it still held the pages as they were before the erase.
// The rows' old bytes in the database file are zeroed as they are freed
// (secure_delete in the connection string), and the full-text index drops deleted
// tokens at once (its secure-delete option, migration 00016).
func (s *Store) scrubErased(ctx context.Context, values []string) error {
	db := s.w.WithContext(ctx)
	// Mail to an address asked about, whose feedback no longer held it.
	var addresses []string
	for _, v := range values {
		if strings.Contains(v, "@") {
			addresses = append(addresses, v)
		}
	}
	for chunk := range slices.Chunk(addresses, eraseBatch) {
		if err := eraseOutbox(db, chunk); err != nil {
			return err
		}
	}
	if s.dialect == Postgres {
		return db.Exec("ANALYZE feedback, outbox, history").Error
	}
	if len(values) > 0 {
		var has int64
		if err := db.Raw(`SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat4'`).Scan(&has).Error; err != nil {
			return err
		}
		if has > 0 {
			var samples []struct {
				Rowid  int64
				Sample []byte
			}
			if err := db.Raw(`SELECT rowid, sample FROM sqlite_stat4`).Scan(&samples).Error; err != nil {
				return err
			}
			needles := make([][]byte, len(values))
			for i, v := range values {
				needles[i] = []byte(strings.ToLower(v))
			}
			var drop []int64
			for _, smp := range samples {
				sample := bytes.ToLower(smp.Sample)
				for _, v := range needles {
					if bytes.Contains(sample, v) {
						drop = append(drop, smp.Rowid)
						break
					}
				}
			}
			if len(drop) > 0 {
				if err := db.Exec(`DELETE FROM sqlite_stat4 WHERE rowid IN ?`, drop).Error; err != nil {
					return err
				}
			}
		}
	}
	var r struct{ Busy, Log, Checkpointed int }
	for range 50 {
		if err := db.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&r).Error; err != nil {
			return err
		}
		if r.Busy == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("models: the write-ahead log could not be truncated after an erase: readers kept it busy")
}

// PrivacyLog lists the latest erasures and retention runs, newest first.
func (s *Store) PrivacyLog(ctx context.Context, limit int) ([]models.PrivacyLogEntry, error) {
	out, err := s.historyEntries(ctx, "h.entity = ? AND h.entity_id = 0 ORDER BY h.id DESC LIMIT ?", "privacy", limit)
	if err != nil {
		return nil, fmt.Errorf("models: privacy log: %w", err)
	}
	return out, nil
}

// PersonalDataStats counts the feedback that still holds personal data and the oldest
// such feedback, so the admin sees what retention would remove.
func (s *Store) PersonalDataStats(ctx context.Context) (count int64, oldest *time.Time, err error) {
	db := s.r.WithContext(ctx).Model(&models.Feedback{}).Where(hasContact())
	if err = db.Count(&count).Error; err != nil || count == 0 {
		return count, nil, err
	}
	var fb models.Feedback
	err = s.r.WithContext(ctx).Where(hasContact()).
		Order("received_at").Limit(1).Take(&fb).Error
	if err != nil {
		return count, nil, err
	}
	return count, &fb.ReceivedAt, nil
}

// CountCustomer counts the feedback that still holds a customer's e-mail address, so
// the admin can confirm an erasure knowing what it will touch.
func (s *Store) CountCustomer(ctx context.Context, email string) (int64, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&models.Feedback{}).Where("customer_email = ?", models.NormalizeEmail(email)).Count(&n).Error
	return n, err
}
