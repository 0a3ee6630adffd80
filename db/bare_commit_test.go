package db

import (
	"context"
	"testing"
	"time"
)

func TestBareCommitsCommitEachRow(t *testing.T) {
	sqliteOnly(t, "the bare SQLite commit of the benchmarks")
	s := mustOpen(t)
	times, err := s.BareCommits(context.Background(), 25, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(times) != 25 {
		t.Fatalf("%d commits timed, want 25", len(times))
	}
	if n := count(t, rawDB(t, s.Path()), `SELECT COUNT(*) FROM bench_commits`); n != 25 {
		t.Fatalf("%d rows committed, want 25", n)
	}
}
