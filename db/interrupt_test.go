package db

import (
	"context"
	"testing"
	"time"
)

// A read whose context ends is interrupted in SQLite, not run to its end:
// the connection is free for the next read at once. The query would count
// for minutes; the test ends when it is stopped, or after that count.
func TestReadInterrupted(t *testing.T) {
	s := mustOpen(t)
	s.r.SetMaxOpenConns(1) // the next read needs the same connection
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var n int64
	err := s.r.QueryRowContext(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000)
		SELECT COUNT(*) FROM c`).Scan(&n)
	if !Interrupted(err) {
		t.Fatalf("the long read ended with %d, %v; want it interrupted", n, err)
	}
	if err := s.r.QueryRowContext(context.Background(), `SELECT 1`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the next read: %d, %v", n, err)
	}
	if Interrupted(nil) || Interrupted(context.DeadlineExceeded) == false {
		t.Error("Interrupted misreads nil or a deadline")
	}
}
