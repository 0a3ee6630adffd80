package db

import (
	"context"
	"testing"
)

// TestStatementsAreNotReplanned runs statements of the case read as
// go-sqlite3 runs them from its statement cache: without the query planner
// stability guarantee (driver.go) SQLite re-prepared each of them on every
// run, because a bound "col = ?", a join on it or a "LIMIT ?" marked the
// plan as depending on the value.
func TestStatementsAreNotReplanned(t *testing.T) {
	sqliteOnly(t, "go-sqlite3's statement cache")
	s := mustOpen(t)
	p := mustOrg(t, s)
	mustCreate(t, s, p, "Internationell redovisning 2019")
	for _, q := range []struct {
		sql     string
		nparams int
	}{
		{`SELECT text FROM case_proposals WHERE case_id = ? ORDER BY pos`, 1},
		{`SELECT users.id FROM case_approvers JOIN users ON users.id = case_approvers.user_id WHERE case_id = ? ORDER BY pos`, 1},
		{`SELECT cases.id FROM cases ORDER BY cases.updated_at DESC, cases.id DESC LIMIT ?`, 1},
		{`SELECT c.id FROM decisions d JOIN cases c ON c.id = d.case_id WHERE c.id = ? ORDER BY d.id`, 1},
	} {
		n, err := reprepares(s.Path(), q.sql, q.nparams, 50)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: re-prepared %d times in 50 runs, want 0", q.sql, n)
		}
	}
	// And through the pools themselves: the reads still answer.
	if _, err := loadProposals(context.Background(), s.r, 1); err != nil {
		t.Fatal(err)
	}
}
