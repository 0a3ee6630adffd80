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
type Sessions struct {
	s *Store
}

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
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return data, err
}

// Set stores val under key for exp (0: no expiry). An empty key or value is ignored.
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
			ON CONFLICT(key_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
			hashToken(key), val, expires)
		return err
	})
}

// Delete removes key; a missing key is not an error.
func (ss *Sessions) Delete(key string) error {
	if key == "" {
		return nil
	}
	ctx := context.Background()
	return ss.s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE key_hash = ?`, hashToken(key))
		return err
	})
}

// Reset removes every session: everyone is logged out.
func (ss *Sessions) Reset() error {
	ctx := context.Background()
	return ss.s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions`)
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
