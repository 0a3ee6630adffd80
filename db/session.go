package db

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Sessions is the key-value storage of web sessions. It has the method set of
// fiber.Storage, so Fiber's session and CSRF middleware keep their state here
// without this package knowing Fiber.
//
// An ended session (Delete, Reset: a logout, the old id of a login) stays
// as a row with empty data for endedSessionKept, so a request that read the
// session before it ended and saves it afterwards (a flash, the CSRF guard's
// keep-alive) cannot bring it back: Set writes nothing over an ended row.
type Sessions struct {
	s *Store
}

// endedSessionKept is how long an ended session's row blocks a late
// write-back: far longer than any request runs (handlers/httpx read limits).
const endedSessionKept = time.Hour

// Sessions returns the store's session storage.
func (s *Store) Sessions() *Sessions { return &Sessions{s: s} }

// Get returns the value of key, or nil if there is none or it has expired.
func (ss *Sessions) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	var data []byte
	err := ss.s.r.QueryRowContext(context.Background(), `SELECT data FROM sessions
		WHERE key_hash = ? AND (expires_at IS NULL OR expires_at > ?)`, hashToken(key), fmtTime(ss.s.now())).Scan(&data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	case len(data) == 0: // ended
		return nil, nil
	}
	return data, nil
}

// Set stores val under key for exp (0: no expiry). An empty key or value is
// ignored, and so is a key whose session has ended (Delete, Reset).
func (ss *Sessions) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	var expires any
	if exp > 0 {
		expires = fmtTime(ss.s.now().Add(exp))
	}
	ctx := context.Background()
	return ss.s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions(key_hash, data, expires_at) VALUES (?,?,?)
			ON CONFLICT(key_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at
			WHERE length(sessions.data) > 0`,
			hashToken(key), val, expires)
		return err
	})
}

// Delete ends the session of key: it reads as missing from now on, and no
// Set brings it back. A missing key is not an error.
func (ss *Sessions) Delete(key string) error {
	if key == "" {
		return nil
	}
	return ss.end(`WHERE key_hash = ?`, hashToken(key))
}

// Reset ends every session: everyone is logged out.
func (ss *Sessions) Reset() error { return ss.end(``) }

// end turns the sessions where says into ended rows (Sessions), kept for
// endedSessionKept and then swept by DeleteExpired.
func (ss *Sessions) end(where string, args ...any) error {
	ctx := context.Background()
	// An empty value as a parameter: x'' is a bit string in PostgreSQL.
	args = append([]any{[]byte{}, fmtTime(ss.s.now().Add(endedSessionKept))}, args...)
	return ss.s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET data = ?, expires_at = ? `+where, args...)
		return err
	})
}

// Close does nothing: the sessions live as long as the store.
func (ss *Sessions) Close() error { return nil }

// DeleteExpired removes the sessions that have expired and reports how many.
func (ss *Sessions) DeleteExpired(ctx context.Context) (int64, error) {
	var n int64
	err := ss.s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at IS NOT NULL AND expires_at <= ?`, fmtTime(ss.s.now()))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
