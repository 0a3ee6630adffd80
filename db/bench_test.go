package db

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// BenchmarkAct applies one action through the store per iteration: the full
// immediate transaction of load, workflow, case save, chained event,
// deadline reconciliation and outbox mail. The case goes round submit (by the
// officer) and reject (by the first approver, with a reason), so it stays open
// and its size stays the same however long the benchmark runs.
func BenchmarkAct(b *testing.B) {
	s := mustOpen(b)
	p := mustOrg(b, s)
	c := mustCreate(b, s, p, "Internationell redovisning 2019")
	ctx := context.Background()
	var err error
	for i := 0; b.Loop(); i++ {
		actor, cmd := roundTrip(p, i)
		cmd.Version = c.Version
		if c, err = s.Act(ctx, c.Number, actor, cmd); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareCommit is the floor BenchmarkAct stands on: one immediate
// transaction inserting one row, on the same writer connection with the same
// DSN and pragmas (WAL, synchronous=NORMAL, foreign keys).
func BenchmarkBareCommit(b *testing.B) {
	s := mustOpen(b)
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE bench (id INTEGER PRIMARY KEY, at TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		// Bookkeeping: the one row alone, without the content version.
		err := s.txBookkeeping(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO bench(at) VALUES (?)`, fmtTime(s.now()))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkActParallel is BenchmarkAct from several goroutines at once (the
// -cpu flag sets how many run; each goroutine on a case of its own), as an
// HTTP server's requests arrive: concurrent changes are written together in
// one commit (writer.go), so the time per action falls below BenchmarkAct's
// when they overlap.
func BenchmarkActParallel(b *testing.B) {
	s := mustOpen(b)
	p := mustOrg(b, s)
	ctx := context.Background()
	var mu sync.Mutex
	n := 0
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		n++
		c := mustCreate(b, s, p, fmt.Sprintf("Internationell redovisning %d", 2000+n))
		mu.Unlock()
		var err error
		for i := 0; pb.Next(); i++ {
			actor, cmd := roundTrip(p, i)
			cmd.Version = c.Version
			if c, err = s.Act(ctx, c.Number, actor, cmd); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// roundTrip is the i-th action of the benchmarks' round: submit by the
// officer, then reject by the first approver, so the case stays open and its
// size the same however long they run.
func roundTrip(p people, i int) (workflow.User, workflow.Command) {
	if i%2 == 1 {
		return p.approver1, workflow.Command{Action: workflow.ActReject, Reason: "Komplettera underlaget"}
	}
	return p.officer, workflow.Command{Action: workflow.ActSubmit}
}

// BenchmarkCaseRecord reads one case as its officer sees it, as GET
// /api/v1/cases/{n} does: the case with its route, proposals, approvers,
// recipients, attachments and paragraphs, in one read transaction, from the
// database (the list cache off).
func BenchmarkCaseRecord(b *testing.B) { benchCaseRecord(b, -1) }

// BenchmarkCaseRecordCached is the same read answered by the list cache
// (case_cache.go): the database unchanged since the first.
func BenchmarkCaseRecordCached(b *testing.B) { benchCaseRecord(b, 0) }

func benchCaseRecord(b *testing.B, cachePages int) {
	s := mustOpen(b)
	s.ListCachePages = cachePages
	p := mustOrg(b, s)
	c := mustCreate(b, s, p, "Internationell redovisning 2019")
	ctx := context.Background()
	for _, name := range []string{"tjansteskrivelse.pdf", "bilaga.docx"} {
		if _, err := s.AddAttachment(ctx, c.Number, p.officer, NewAttachment{Name: name, ContentType: "application/pdf", Data: []byte("%PDF-1.4")}); err != nil {
			b.Fatal(err)
		}
	}
	r := s.As(&p.officer)
	for b.Loop() {
		if _, _, err := r.CaseRecord(ctx, c.Number); err != nil {
			b.Fatal(err)
		}
	}
}
