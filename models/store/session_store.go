package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// sessionRow is one server-side session as scs stores it, under the SHA-256 of its
// token: whoever reads the table (a backup, a replica, an injection) cannot take over
// the sessions in it.
type sessionRow struct {
	Token  string `gorm:"primaryKey"`
	Data   []byte
	Expiry time.Time
	// UserID is who the session is signed in as (SessionStore.userOf).
	UserID *int64
}

func (sessionRow) TableName() string { return "sessions" }

// SessionStore keeps scs sessions in the application's database, so several app
// instances behind a load balancer share them. It implements scs.CtxStore.
type SessionStore struct {
	s *Store
	// userOf reads who a session's data is signed in as; nil: no one is told.
	userOf func(data []byte) (int64, bool)
}

// Sessions returns the session store over this database. userOf reads who a session's
// data is signed in as (the data is the app's to encode), so that a signed-in page
// reads its session and its user in one statement (WithSessionUser).
func (s *Store) Sessions(userOf func(data []byte) (int64, bool)) *SessionStore {
	return &SessionStore{s: s, userOf: userOf}
}

type sessionUserKey struct{}

// sessionUser is where FindCtx leaves the user it read with the session.
type sessionUser struct{ u *models.User }

// WithSessionUser readies a request's context to carry the user read with its session
// (SessionUser): a page then reads them in one statement instead of two, which were a
// fifth of serving a kept page.
func WithSessionUser(ctx context.Context) context.Context {
	return context.WithValue(ctx, sessionUserKey{}, &sessionUser{})
}

// SessionUser returns the user read with ctx's session, read as UserByID reads them,
// when that is user id; nil otherwise (then read them with UserByID).
func SessionUser(ctx context.Context, id int64) *models.User {
	if su, ok := ctx.Value(sessionUserKey{}).(*sessionUser); ok && su.u != nil && su.u.ID == id {
		return su.u
	}
	return nil
}

// FindCtx returns the data of an unexpired session, and with a context readied by
// WithSessionUser, its user too. Every signed-in request asks, so it reads without
// GORM's statement building and reflection.
func (ss *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	hash, now := hashToken(token), time.Now().UTC()
	if su, ok := ctx.Value(sessionUserKey{}).(*sessionUser); ok {
		var data []byte
		var u models.User
		err := ss.s.r.WithContext(ctx).Raw("SELECT s.data, "+userColumnsOfU+" FROM sessions s JOIN users u ON u.id = s.user_id"+
			" WHERE s.token = ? AND s.expiry > ?", hash, now).Row().Scan(append([]any{&data}, userFields(&u)...)...)
		if err == nil {
			su.u = &u
			return data, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, false, err
		}
		// A visitor's session, one saved before sessions named their user, or none.
	}
	var data []byte
	err := ss.s.r.WithContext(ctx).Raw("SELECT data FROM sessions WHERE token = ? AND expiry > ?", hash, now).Row().Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return data, true, nil
}

// CommitCtx inserts or replaces a session, in one transaction with the saves that
// arrive at the same time (saveSession).
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	row := sessionRow{Token: hashToken(token), Data: b, Expiry: expiry.UTC()}
	if ss.userOf != nil {
		if id, ok := ss.userOf(b); ok {
			row.UserID = &id
		}
	}
	return ss.s.saveSession(ctx, row)
}

// DeleteCtx removes a session.
func (ss *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return ss.s.w.WithContext(ctx).Where("token = ?", hashToken(token)).Delete(&sessionRow{}).Error
}

// Find implements scs.Store for callers without a context.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (ss *SessionStore) Delete(token string) error { return ss.DeleteCtx(context.Background(), token) }

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res := s.w.WithContext(ctx).Where("expiry <= ?", time.Now().UTC()).Delete(&sessionRow{})
	return res.RowsAffected, res.Error
}
