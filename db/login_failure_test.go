package db

import (
	"context"
	"sync"
	"testing"
	"time"
)

// attempt records a provisional failure unless the counts already reach
// limit; it hands back the counts it saw.
func attempt(t *testing.T, lf *LoginFailures, account, address string, limit int) (int64, LoginFailureCounts, time.Duration) {
	t.Helper()
	var seen LoginFailureCounts
	id, wait, err := lf.Attempt(context.Background(), account, address, 15*time.Minute, func(c LoginFailureCounts) time.Duration {
		seen = c
		if len(c.Pair) >= limit {
			return c.Pair[len(c.Pair)-limit].Add(15 * time.Minute).Sub(c.Now)
		}
		return 0
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, seen, wait
}

func fail(t *testing.T, lf *LoginFailures, account, address string) {
	t.Helper()
	id, _, wait := attempt(t, lf, account, address, 1000)
	if wait != 0 || id == 0 {
		t.Fatalf("attempt refused: %d, %v", id, wait)
	}
	if err := lf.Failed(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}

func TestLoginFailures(t *testing.T) {
	s, clk := mustOpenClock(t)
	ctx := context.Background()
	lf := s.LoginFailures()
	const nat, home = "192.0.2.1", "198.51.100.7"

	for range 3 {
		fail(t, lf, "anna@kommun.example", nat)
	}
	clk.Set(start.Add(time.Minute))
	fail(t, lf, "anna@kommun.example", home)
	fail(t, lf, "bo@kommun.example", nat)
	fail(t, lf, "cecilia@kommun.example", nat)
	fail(t, lf, "cecilia@kommun.example", nat)

	_, c, _ := attempt(t, lf, "anna@kommun.example", nat, 1000)
	if len(c.Pair) != 3 || len(c.Account) != 4 || len(c.Accounts) != 3 {
		t.Errorf("counts for anna from the NAT: pair %d, account %d, accounts %d; want 3, 4, 3",
			len(c.Pair), len(c.Account), len(c.Accounts))
	}
	// Times are the store's clock, in UTC, oldest first; an account that failed
	// several times counts once among the accounts, at its last failure.
	if !c.Now.Equal(start.Add(time.Minute)) || c.Now.Location() != time.UTC {
		t.Errorf("Now = %v, want the store's clock in UTC", c.Now)
	}
	if !c.Pair[0].Equal(start) || c.Pair[0].Location() != time.UTC || !c.Account[3].Equal(start.Add(time.Minute)) {
		t.Errorf("pair %v, account %v", c.Pair, c.Account)
	}
	if !c.Accounts[0].Equal(start) || !c.Accounts[2].Equal(start.Add(time.Minute)) {
		t.Errorf("accounts %v", c.Accounts)
	}
	raw := rawDB(t, s.Path())
	if n := count(t, raw, `SELECT COUNT(*) FROM login_failures WHERE at NOT LIKE '%Z'`); n != 0 {
		t.Errorf("%d times not kept in UTC", n)
	}
	// What people typed is not kept in clear: an e-mail field may hold a password.
	if n := count(t, raw, `SELECT COUNT(*) FROM login_failures WHERE account_hash LIKE '%@%' OR address_hash LIKE '%.%'`); n != 0 {
		t.Errorf("%d rows keep the account or the address in clear", n)
	}

	// That attempt is pending: it counts for anna's own limits at once, not
	// yet among the address's accounts. Forgetting it leaves no trace.
	id, c, _ := attempt(t, lf, "anna@kommun.example", nat, 1000)
	if len(c.Pair) != 4 || len(c.Account) != 5 || len(c.Accounts) != 3 {
		t.Errorf("with one pending: pair %d, account %d, accounts %d; want 4, 5, 3", len(c.Pair), len(c.Account), len(c.Accounts))
	}
	if err := lf.Forget(ctx, id); err != nil {
		t.Fatal(err)
	}
	// A limit reached: no row is written, and the wait runs from the oldest failure.
	before := count(t, raw, `SELECT COUNT(*) FROM login_failures`)
	if id, _, wait := attempt(t, lf, "anna@kommun.example", nat, 3); id != 0 || wait != 14*time.Minute {
		t.Errorf("at the limit: id %d, wait %v; want 0, 14m", id, wait)
	}
	if after := count(t, raw, `SELECT COUNT(*) FROM login_failures`); after != before {
		t.Errorf("%d rows, want %d: the forgotten attempt gone, no new one", after, before)
	}

	// A right password clears the account's failures from that address only.
	if err := lf.Succeeded(ctx, "anna@kommun.example", nat); err != nil {
		t.Fatal(err)
	}
	_, c, _ = attempt(t, lf, "anna@kommun.example", nat, 1000)
	if len(c.Pair) != 0 || len(c.Account) != 1 || len(c.Accounts) != 2 {
		t.Errorf("after a success: pair %d, account %d, accounts %d; want 0, 1, 2", len(c.Pair), len(c.Account), len(c.Accounts))
	}

	// The window slides: 15 minutes after the first failures they no longer
	// count, and the sweep removes them.
	clk.Set(start.Add(15 * time.Minute))
	_, c, _ = attempt(t, lf, "cecilia@kommun.example", nat, 1000)
	if len(c.Pair) != 2 || len(c.Accounts) != 2 {
		t.Errorf("at 15 minutes: pair %d, accounts %d; want 2, 2", len(c.Pair), len(c.Accounts))
	}
	clk.Set(start.Add(16 * time.Minute))
	n, err := lf.Sweep(ctx, 15*time.Minute)
	if err != nil || n != 5 {
		t.Errorf("Sweep = %d, %v; want 5", n, err)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM login_failures`); n != 1 {
		t.Errorf("%d rows after the sweep, want cecilia's pending one", n)
	}
}

// Parallel guesses cannot slip past the limit between count and record.
func TestLoginFailuresParallel(t *testing.T) {
	s, _ := mustOpenClock(t)
	lf := s.LoginFailures()
	var mu sync.Mutex
	admitted := 0
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			id, wait, err := lf.Attempt(context.Background(), "anna@kommun.example", "192.0.2.1", 15*time.Minute,
				func(c LoginFailureCounts) time.Duration {
					if len(c.Pair) >= 5 {
						return time.Minute
					}
					return 0
				})
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				admitted++
				mu.Unlock()
				if err := lf.Failed(context.Background(), id); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if admitted != 5 {
		t.Errorf("%d of 20 parallel attempts admitted, want 5", admitted)
	}
}

// The failures are rows in the file: opening it again keeps them.
func TestLoginFailuresSurviveReopen(t *testing.T) {
	s, clk := mustOpenClock(t)
	fail(t, s.LoginFailures(), "anna@kommun.example", "192.0.2.1")
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	s2.Now = clk.Now
	_, c, _ := attempt(t, s2.LoginFailures(), "anna@kommun.example", "192.0.2.1", 1000)
	if len(c.Pair) != 1 || c.Pair[0].Location() != time.UTC {
		t.Errorf("after reopening: %v", c.Pair)
	}
}
