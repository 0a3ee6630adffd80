package main

import (
	"context"
	"fmt"
	"time"

	"github.com/kommun/beslutsgang/db"
)

// quietLimit bounds the wait for the outbox to drain before measuring.
const quietLimit = 3 * time.Minute

// quietStall is how long the queue may stay the same before the rest is
// taken as mail due later: longer than the service's delivery interval
// (schedule: every 10 s), between whose runs nothing is delivered.
const quietStall = 15 * time.Second

// outboxWait is what waitQuiet saw: the mail queued before the first
// scenario (earlier runs' and the tool's own setup's: the copy of the short
// history queues some), what was left when measuring began, and how long it
// waited.
type outboxWait struct {
	queued, left int
	waited       time.Duration
}

func (w outboxWait) String() string {
	return fmt.Sprintf("utkorgen: %d köade brev före första scenariot (från tidigare körningars övergångar och verktygets förberedelser), %d kvar när mätningen började, efter %s",
		w.queued, w.left, w.waited.Round(100*time.Millisecond))
}

// waitQuiet waits, before the first scenario, until the service has
// delivered the mail earlier runs queued (every run's transitions queue
// mail, which the next run's service would otherwise deliver in the
// background on the server's core, during the floors and the reads), or
// until the queue has not shrunk for quietStall (mail due later), or
// quietLimit.
// It only reads the database (db.OpenRaw: a SQLite file or PostgreSQL).
func (t *tool) waitQuiet(ctx context.Context) error {
	d, err := db.OpenRaw(t.o.db)
	if err != nil {
		return err
	}
	defer d.Close()
	count := func() (int, error) {
		var n int
		err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state = 'queued'`).Scan(&n)
		return n, err
	}
	start := time.Now()
	n, err := count()
	if err != nil {
		return err
	}
	t.env.outbox = outboxWait{queued: n, left: n}
	last, since := n, time.Now()
	for n > 0 && time.Since(start) < quietLimit && time.Since(since) < quietStall {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		if n, err = count(); err != nil {
			return err
		}
		if n < last {
			last, since = n, time.Now()
		}
	}
	t.env.outbox.left, t.env.outbox.waited = n, time.Since(start)
	fmt.Fprintln(t.log, t.env.outbox)
	return nil
}
