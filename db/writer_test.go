package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// writerFixture is a store with a table of notes, and a change that holds
// the writer until released, so the changes sent meanwhile queue up and are
// written as one batch.
type writerFixture struct {
	s       *Store
	ctx     context.Context
	release chan struct{}
	held    sync.WaitGroup
}

func newWriterFixture(t *testing.T) *writerFixture {
	f := &writerFixture{s: mustOpen(t), ctx: context.Background(), release: make(chan struct{})}
	if err := f.s.tx(f.ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`CREATE TABLE notes (text TEXT NOT NULL UNIQUE)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	f.held.Add(1)
	go func() {
		defer f.held.Done()
		f.s.tx(f.ctx, func(tx *sql.Tx) error {
			close(started)
			<-f.release
			return f.note(tx, "first")
		})
	}()
	<-started
	return f
}

func (f *writerFixture) note(tx *sql.Tx, text string) error {
	_, err := tx.Exec(`INSERT INTO notes(text) VALUES (?)`, text)
	return err
}

// send queues changes while the writer is held, then releases it and
// returns each change's result, in order.
func (f *writerFixture) send(t *testing.T, ctxs []context.Context, fns []func(*sql.Tx) error) []any {
	out := make([]any, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					out[i] = fmt.Sprint("panic: ", p)
				}
			}()
			ctx := f.ctx
			if ctxs != nil && ctxs[i] != nil {
				ctx = ctxs[i]
			}
			out[i] = f.s.tx(ctx, fn)
		}()
	}
	for f.queued() < len(fns) {
		runtime.Gosched() // the changes are on their way to the queue
	}
	close(f.release)
	wg.Wait()
	f.held.Wait()
	return out
}

func (f *writerFixture) queued() int {
	f.s.writer.mu.Lock()
	defer f.s.writer.mu.Unlock()
	return len(f.s.writer.queue)
}

func (f *writerFixture) notes(t *testing.T) []string {
	rows, err := f.s.r.Query(`SELECT text FROM notes ORDER BY text`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// Changes that arrive together are written together, and one that fails,
// panics or is given up by its caller leaves the others written: each is
// answered for itself.
func TestGroupCommitAnswersEachChange(t *testing.T) {
	f := newWriterFixture(t)
	bad := errors.New("refused")
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	got := f.send(t, []context.Context{nil, nil, nil, gone, nil, nil}, []func(*sql.Tx) error{
		func(tx *sql.Tx) error { return f.note(tx, "a") },
		func(tx *sql.Tx) error {
			if err := f.note(tx, "refused"); err != nil {
				return err
			}
			return bad
		},
		func(tx *sql.Tx) error { f.note(tx, "panicked"); panic("boom") },
		func(tx *sql.Tx) error { return f.note(tx, "given up") },
		func(tx *sql.Tx) error { return f.note(tx, "first") }, // the UNIQUE fails: the held change wrote it
		func(tx *sql.Tx) error { return f.note(tx, "b") },
	})
	if got[0] != nil || got[1] != bad || got[2] != "panic: boom" || !errors.Is(got[3].(error), context.Canceled) ||
		got[4] == nil || got[5] != nil {
		t.Errorf("answers %v", got)
	}
	if notes := f.notes(t); !slices.Equal(notes, []string{"a", "b", "first"}) {
		t.Errorf("notes %q, want a, b and first: a failed change leaves nothing behind", notes)
	}
}

// Many changes at once all land, each once.
func TestGroupCommitUnderLoad(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	if err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`CREATE TABLE notes (text TEXT NOT NULL UNIQUE)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				errs <- s.tx(ctx, func(tx *sql.Tx) error {
					_, err := tx.Exec(`INSERT INTO notes(text) VALUES (?)`, fmt.Sprintf("%d-%d", g, i))
					return err
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	s.r.QueryRow(`SELECT COUNT(*) FROM notes`).Scan(&n)
	if n != 400 {
		t.Errorf("%d notes, want 400", n)
	}
}

// A change that fails in a batch is answered after the batch's commit, as
// the made ones are: its failure may come from an earlier change of the
// same batch (the same key sent twice at once), and its caller then reads
// what that change made. It was answered at once, before the commit, and
// found nothing. A third change holds the commit back until the refused
// caller has read, or for a second once it is rightly kept waiting.
func TestGroupCommitAnswersFailuresAfterTheCommit(t *testing.T) {
	f := newWriterFixture(t)
	read := make(chan struct{})
	var errs [2]error
	var seen []string
	var wg sync.WaitGroup
	queue := func(fn func(tx *sql.Tx) error, after func(error)) {
		n := f.queued()
		wg.Add(1)
		go func() {
			defer wg.Done()
			after(f.s.tx(f.ctx, fn))
		}()
		for f.queued() == n {
			runtime.Gosched()
		}
	}
	twice := func(tx *sql.Tx) error { return f.note(tx, "twice") }
	queue(twice, func(err error) { errs[0] = err })
	queue(twice, func(err error) {
		errs[1] = err
		seen = f.notes(t)
		close(read)
	})
	queue(func(tx *sql.Tx) error {
		select {
		case <-read:
		case <-time.After(time.Second):
		}
		return f.note(tx, "third")
	}, func(error) {})
	close(f.release)
	wg.Wait()
	f.held.Wait()
	if errs[0] != nil || errs[1] == nil {
		t.Fatalf("answers %v, want the first made and the second refused", errs)
	}
	if !slices.Contains(seen, "twice") {
		t.Errorf("the refused change was answered before the commit: it read %q", seen)
	}
}
