package db

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// OpsStats are the figures of the durable queues that the metrics read at
// each scrape (package metrics). Each comes from an index: the outbox's
// (state, id) index and the partial index of unsent reminders, so a scrape
// reads the mail waiting or given up on, never the history of sent mail
// (which grows with every action; outbox_deliveries_total counts it).
type OpsStats struct {
	// Outbox counts the outbox's messages by state: "queued" and "failed"
	// (both keys always present).
	Outbox map[string]int
	// OldestQueued is when the oldest message still queued was written
	// (UTC); zero when none is queued.
	OldestQueued time.Time
	// RemindersDue counts the reminders whose time has come (remind_at at
	// or before now) and that the reminder scan has not yet sent.
	RemindersDue int
}

// OpsStats reads the outbox and reminder figures at now.
func (s *Store) OpsStats(ctx context.Context, now time.Time) (OpsStats, error) {
	return opsStats(ctx, s.r, now)
}

func opsStats(ctx context.Context, q queryer, now time.Time) (OpsStats, error) {
	st := OpsStats{Outbox: map[string]int{"queued": 0, "failed": 0}}
	rows, err := q.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox WHERE state IN ('queued', 'failed') GROUP BY state`)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			rows.Close()
			return st, err
		}
		st.Outbox[state] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}
	var oldest string
	err = q.QueryRowContext(ctx, `SELECT created_at FROM outbox WHERE state = 'queued' ORDER BY id LIMIT 1`).Scan(&oldest)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return st, err
	default:
		st.OldestQueued = parseTime(oldest)
	}
	err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL AND remind_at <= ?`,
		fmtTime(now)).Scan(&st.RemindersDue)
	return st, err
}

// Pools are the store's connection pools by name, for their statistics
// (sql.DBStats, read by the metrics): "writer", the one connection every
// change goes through, and "reader", the pool pages and the API read from.
func (s *Store) Pools() map[string]*sql.DB {
	return map[string]*sql.DB{"writer": s.w, "reader": s.r}
}
