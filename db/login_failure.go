package db

import (
	"context"
	"database/sql"
	"time"
)

// LoginFailures is the record of failed logins that the login limit of the
// HTTP layer counts. It is kept in the database, not in memory, so that
// restarting the service does not forgive someone guessing passwords. The
// store only counts; how many failures are too many is the caller's policy.
//
// An account is the e-mail address as typed (the caller trims and lower-cases
// it), known or not; an address is the client's IP address. Both are kept as
// their SHA-256 only. Times are the store's clock, in UTC.
type LoginFailures struct {
	s *Store
}

// LoginFailures returns the store's record of failed logins.
func (s *Store) LoginFailures() *LoginFailures { return &LoginFailures{s: s} }

// LoginFailureCounts is what the failures in a window say about one login
// attempt. Each list is ordered oldest first, so the caller can tell both how
// many there are and when enough of them will have left the window.
type LoginFailureCounts struct {
	Now time.Time // the store's clock, in UTC, when they were counted
	// Pair is the failures of the account from the address, pending ones included.
	Pair []time.Time
	// Account is the failures of the account from every address, pending ones included.
	Account []time.Time
	// Accounts has, for each account with a failure from the address, the
	// time of its last one. Attempts whose password is still being checked
	// are not in it, so people logging in at the same moment from one shared
	// address do not count as one person trying many accounts.
	Accounts []time.Time
}

// Attempt begins a login attempt by account from address. In one write
// transaction it sweeps out failures older than window, counts the rest, and
// asks wait how long the attempt must wait; if not at all (0), it records the
// attempt as a pending failure and returns its id, so that guesses sent in
// parallel count against each other. The caller then ends the attempt with
// Failed (a wrong password), Succeeded (the right one) or Forget (the
// password was never judged). A refused attempt records nothing and returns id 0.
func (lf *LoginFailures) Attempt(ctx context.Context, account, address string, window time.Duration,
	wait func(LoginFailureCounts) time.Duration) (id int64, d time.Duration, err error) {
	acct, addr := hashToken(account), hashToken(address)
	now := lf.s.now()
	since := fmtTime(now.Add(-window))
	err = lf.s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`, since); err != nil {
			return err
		}
		c := LoginFailureCounts{Now: now}
		var err error
		if c.Pair, err = times(ctx, tx, `SELECT at FROM login_failures
			WHERE account_hash = ? AND address_hash = ? AND at > ? ORDER BY at`, acct, addr, since); err != nil {
			return err
		}
		if c.Account, err = times(ctx, tx, `SELECT at FROM login_failures
			WHERE account_hash = ? AND at > ? ORDER BY at`, acct, since); err != nil {
			return err
		}
		if c.Accounts, err = times(ctx, tx, `SELECT MAX(at) AS last FROM login_failures
			WHERE address_hash = ? AND at > ? AND NOT pending GROUP BY account_hash ORDER BY last`, addr, since); err != nil {
			return err
		}
		if d = wait(c); d > 0 {
			return nil
		}
		return tx.QueryRowContext(ctx, `INSERT INTO login_failures(account_hash, address_hash, at, pending)
			VALUES (?,?,?,TRUE) RETURNING id`, acct, addr, fmtTime(now)).Scan(&id)
	})
	if err != nil {
		return 0, 0, err
	}
	return id, d, nil
}

// Failed ends attempt id as a failure: the password was wrong. It counts
// from the time the attempt began, for as long as the window lasts.
func (lf *LoginFailures) Failed(ctx context.Context, id int64) error {
	return lf.exec(ctx, `UPDATE login_failures SET pending = FALSE WHERE id = ?`, id)
}

// Succeeded clears the failures of account from address: the password was
// right. Failures of the account from other addresses still count, so a
// login of its owner does not give someone guessing elsewhere a fresh start.
func (lf *LoginFailures) Succeeded(ctx context.Context, account, address string) error {
	return lf.exec(ctx, `DELETE FROM login_failures WHERE account_hash = ? AND address_hash = ?`,
		hashToken(account), hashToken(address))
}

// Forget removes attempt id, whose password was never judged (the check
// itself failed), so it counts as nothing.
func (lf *LoginFailures) Forget(ctx context.Context, id int64) error {
	return lf.exec(ctx, `DELETE FROM login_failures WHERE id = ?`, id)
}

// Sweep removes the failures older than window, which count for nothing,
// and reports how many. Attempt sweeps as it goes; this is for doing it now.
func (lf *LoginFailures) Sweep(ctx context.Context, window time.Duration) (int64, error) {
	var n int64
	err := lf.s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`, fmtTime(lf.s.now().Add(-window)))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

func (lf *LoginFailures) exec(ctx context.Context, query string, args ...any) error {
	return lf.s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}

// times runs a query whose rows are one time each.
func times(ctx context.Context, q queryer, query string, args ...any) ([]time.Time, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, parseTime(s))
	}
	return out, rows.Err()
}
