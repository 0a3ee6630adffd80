package db

import (
	"context"
	"database/sql"
	"time"
)

// BareCommits times one-row commits: each an immediate transaction inserting
// one row, on the store's writer connection with its DSN and pragmas (WAL,
// synchronous=NORMAL, foreign keys, the statement cache). That is the floor
// under every change the service makes, which the load tool (bench/load)
// measures it against, as BenchmarkBareCommit does for BenchmarkAct. It makes
// at most n commits, for at most d, and returns the time of each. It keeps
// its rows in a table of its own (bench_commits), so it is for a scratch
// database, not one in service.
func (s *Store) BareCommits(ctx context.Context, n int, d time.Duration) ([]time.Duration, error) {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_commits (id INTEGER PRIMARY KEY, at TEXT NOT NULL)`); err != nil {
		return nil, err
	}
	out := make([]time.Duration, 0, min(n, 1<<20))
	end := time.Now().Add(d)
	for len(out) < n && time.Now().Before(end) {
		start := time.Now()
		// Bookkeeping: the one row alone, without the content version.
		err := s.txBookkeeping(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO bench_commits(at) VALUES (?)`, fmtTime(s.now()))
			return err
		})
		if err != nil {
			return out, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}
