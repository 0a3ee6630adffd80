package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/mattn/go-sqlite3"
)

// Group commit: the changes that arrive while the writer is busy are written
// together, each in a savepoint of one immediate transaction, and answered
// after that transaction commits. SQLite writes a page once per commit, and
// concurrent changes share many pages (the newest end of the event and
// outbox tables and of the case list's indexes on updated_at), so a batch
// writes fewer pages than its changes one by one. A change that fails rolls
// back to its savepoint and leaves the others alone; a change is acknowledged
// only after the commit that holds it, so crash safety is as before.

// maxBatch bounds the changes of one commit, so no change waits long behind
// a queue of others.
const maxBatch = 64

// writeReq is one change waiting for the writer.
type writeReq struct {
	ctx  context.Context
	fn   func(*sql.Tx) error
	done chan writeResult
	// bookkeeping: the change writes only tables no cached page or case
	// record reads (txBookkeeping), so it leaves the content version.
	bookkeeping bool
}

type writeResult struct {
	err   error
	panic any // a panic in fn, raised again in the goroutine that asked
}

// writer queues the changes for the one writer connection. Whoever finds no
// batch running leads: it runs batches while changes wait, handing the
// leading on to a new goroutine after its own change is answered.
type writer struct {
	mu      sync.Mutex
	queue   []*writeReq
	leading bool
}

// tx runs fn in an immediate write transaction, grouped with the changes
// that arrive at the same time (see above), and returns when the transaction
// has committed (nil) or fn's change is undone (fn's error, or the commit's).
// A panic in fn is raised again here. Under a veto (WithVeto) nothing
// commits.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.write(ctx, fn, false)
}

// txBookkeeping is tx for a change that writes only the service's own
// bookkeeping, which no page the list cache keeps reads: sessions, API
// tokens, leases, login failures, the outbox's claims and delivery marks.
// Unlike tx it leaves the content version (bumpContentVersion), so the cache
// outlives it. Anything else goes through tx.
func (s *Store) txBookkeeping(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.write(ctx, fn, true)
}

// write queues fn as tx and txBookkeeping describe them.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error, bookkeeping bool) error {
	req := &writeReq{ctx: ctx, fn: vetoed(ctx, fn), done: make(chan writeResult, 1), bookkeeping: bookkeeping}
	w := &s.writer
	w.mu.Lock()
	w.queue = append(w.queue, req)
	lead := !w.leading
	w.leading = true
	w.mu.Unlock()
	if lead {
		s.lead(req)
	}
	res := <-req.done
	if res.panic != nil {
		panic(res.panic)
	}
	return res.err
}

// lead runs batches until own is answered, then leaves any further waiting
// changes to a goroutine of their own; with own nil it runs them all.
func (s *Store) lead(own *writeReq) {
	w := &s.writer
	for {
		w.mu.Lock()
		n := min(len(w.queue), maxBatch)
		batch := w.queue[:n:n]
		w.queue = w.queue[n:]
		if n == 0 {
			w.leading = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		s.writeBatch(batch)
		if own != nil && len(own.done) > 0 {
			// Own change answered: hand the leading on only if others
			// wait, so a lone caller does not pay a goroutine switch.
			w.mu.Lock()
			waiting := len(w.queue) > 0
			w.leading = waiting
			w.mu.Unlock()
			if waiting {
				go s.lead(nil)
			}
			return
		}
	}
}

// writeBatch runs the changes of batch in one transaction, each in its own
// savepoint, and answers each after the commit. Changes it could not run
// because the transaction broke go back to the front of the queue.
func (s *Store) writeBatch(batch []*writeReq) {
	ctx := context.Background()
	answer := func(reqs []*writeReq, err error) {
		for _, r := range reqs {
			r.done <- writeResult{err: err}
		}
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		answer(batch, err)
		return
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		answer(batch, err)
		return
	}
	if err := s.lockWrites(ctx, tx); err != nil {
		tx.Rollback()
		answer(batch, err)
		return
	}
	if len(batch) == 1 {
		// Alone, a change needs no savepoint: its failure undoes the
		// transaction.
		r := batch[0]
		res := writeResult{err: r.ctx.Err()}
		if res.err == nil {
			res = runChange(r.fn, tx)
		}
		if res.err == nil && !r.bookkeeping {
			res.err = bumpContentVersion(ctx, tx)
		}
		if res.err == nil {
			res.err = tx.Commit()
		} else {
			tx.Rollback()
		}
		r.done <- res
		return
	}
	var done []*writeReq // changes made, answered after the commit
	// Changes refused are answered after the commit too: a refusal may
	// come from an earlier change of this batch (the same key twice), and
	// its caller then reads what that change made.
	var refused []failedChange
	defer func() {
		for _, f := range refused {
			f.r.done <- f.res
		}
	}()
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- writeResult{err: err}
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT change`); err != nil {
			tx.Rollback()
			answer(append(done, batch[i:]...), err)
			return
		}
		res := runChange(r.fn, tx)
		var err error
		if res.err != nil || res.panic != nil {
			_, err = tx.ExecContext(ctx, `ROLLBACK TO change`)
		}
		if err == nil {
			_, err = tx.ExecContext(ctx, `RELEASE change`)
		}
		if err == nil && !inTransaction(conn) {
			// SQLite rolls the whole transaction back when a statement is
			// interrupted (a change's context ended during a write): what
			// the batch did is gone.
			err = errors.New("skrivningen avbröts; försök igen")
		}
		if err != nil {
			tx.Rollback()
			if res.err == nil && res.panic == nil {
				res.err = err
			}
			r.done <- res
			answer(done, err)
			s.requeue(batch[i+1:])
			return
		}
		if res.err != nil || res.panic != nil {
			refused = append(refused, failedChange{r, res})
			continue
		}
		done = append(done, r)
	}
	if slices.ContainsFunc(done, func(r *writeReq) bool { return !r.bookkeeping }) {
		if err := bumpContentVersion(ctx, tx); err != nil {
			tx.Rollback()
			answer(done, err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		answer(done, err)
		return
	}
	answer(done, nil)
}

// bumpContentVersion moves the content version through w, a transaction
// that then holds a change a cached page or case record may read
// (list_cache.go), or the migrations' connection once they have run. Every
// write that is not bookkeeping calls it before its commit: the writer's
// batches, the bulk path, copy and the migrations.
func bumpContentVersion(ctx context.Context, w interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	_, err := w.ExecContext(ctx, `UPDATE content_version SET n = n + 1 WHERE id = 1`)
	return err
}

// failedChange is a change of a batch that failed, with its answer.
type failedChange struct {
	r   *writeReq
	res writeResult
}

// requeue puts changes not yet run back at the front of the queue.
func (s *Store) requeue(reqs []*writeReq) {
	if len(reqs) == 0 {
		return
	}
	w := &s.writer
	w.mu.Lock()
	w.queue = append(append([]*writeReq{}, reqs...), w.queue...)
	w.mu.Unlock()
}

// runChange runs one change, turning a panic into a result.
func runChange(fn func(*sql.Tx) error, tx *sql.Tx) (res writeResult) {
	defer func() {
		if p := recover(); p != nil {
			res = writeResult{panic: p, err: fmt.Errorf("panic: %v", p)}
		}
	}()
	return writeResult{err: fn(tx)}
}

// inTransaction reports whether the writer connection is still inside the
// batch's transaction (https://sqlite.org/c3ref/get_autocommit.html).
func inTransaction(conn *sql.Conn) bool {
	in := true
	conn.Raw(func(dc any) error {
		if c, ok := dc.(*sqlite3.SQLiteConn); ok {
			in = !c.AutoCommit()
		}
		return nil
	})
	return in
}
