package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// LeaseScheduler is the lease of the instance that runs the scheduled work
// done once per installation (package schedule).
const LeaseScheduler = "scheduler"

// TryLease takes the lease name for holder, or renews it if holder has it,
// until now+ttl, and reports whether holder has it now. Another holder's
// lease is taken only once it has expired, so at most one holder has it at
// any time: the change runs under the store's write lock, which on
// PostgreSQL all instances share (postgres.go). Times are the instances'
// clocks in UTC, which must agree to well within ttl (NTP).
func (s *Store) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, workflow.Errorf(workflow.EINVALID, "Ett lån behöver namn, innehavare och giltighetstid")
	}
	now := s.now()
	var got string
	err := s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO leases(name, holder, expires_at) VALUES (?,?,?)
			ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
			RETURNING holder`, name, holder, fmtTime(now.Add(ttl)), fmtTime(now)).Scan(&got)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // another holder's lease runs
	}
	return err == nil && got == holder, err
}

// ReleaseLease gives up holder's lease name, so another instance may take it
// at once (at shutdown); a lease holder does not have is left alone.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
		return err
	})
}

// LeaseHolder is who holds the lease name and until when; "" when nobody
// holds an unexpired one.
func (s *Store) LeaseHolder(ctx context.Context, name string) (string, time.Time, error) {
	var holder, until string
	err := s.r.QueryRowContext(ctx, `SELECT holder, expires_at FROM leases WHERE name = ? AND expires_at > ?`,
		name, fmtTime(s.now())).Scan(&holder, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, nil
	}
	if err != nil {
		return "", time.Time{}, err
	}
	return holder, parseTime(until), nil
}
