package handlers_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
)

// sprayed is n distinct accounts, known and unknown, none of them katarina's
// or the officer's: what someone trying one password on many accounts types.
func sprayed(n int) []string {
	out := []string{manager, admin, jonas, secretary, britt}
	for i := len(out); i < n; i++ {
		out = append(out, fmt.Sprintf("gissad%d@kommun.example", i))
	}
	return out[:n]
}

// One person behind the municipality's NAT typing a wrong password five
// times locks out that account from that address, and nobody else: a
// colleague behind the same address logs in, and so does the same person
// from home.
func TestLoginLimitNAT(t *testing.T) {
	s := startServer(t)
	const nat, home = "127.0.0.2", "127.0.0.3"
	for range 5 {
		wantProblem(t, login(s, nat, jonas, "gissning"), http.StatusUnauthorized)
	}
	wantRetryAfter(t, login(s, nat, jonas, demo.Password))
	if r := login(s, nat, katarina, demo.Password); r.Status != http.StatusCreated {
		t.Errorf("a colleague behind the same address: %d %s", r.Status, r.Body)
	}
	if r := login(s, home, jonas, demo.Password); r.Status != http.StatusCreated {
		t.Errorf("the same account from another address: %d %s", r.Status, r.Body)
	}
	wantRetryAfter(t, login(s, nat, jonas, demo.Password)) // the success at home forgave nothing at the NAT
}

// The same through the login form: two browsers on one address.
func TestLoginLimitNATForm(t *testing.T) {
	s := newSite(t)
	typist, colleague := s.Browser(), s.Browser()
	typist.Get("/login")
	for range 5 {
		typist.Post("/login", url.Values{"email": {"chef@kommun.example"}, "password": {"gissning"}})
	}
	p := typist.Post("/login", url.Values{"email": {"chef@kommun.example"}, "password": {"demo"}})
	if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" {
		t.Errorf("the typist after five wrong passwords: %d, Retry-After %q", p.Status, p.Header.Get("Retry-After"))
	}
	colleague.Get("/login")
	p = colleague.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {"/"}})
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		t.Errorf("a colleague on the same address: %d %q, want 303 to /", p.Status, p.Location)
	}
}

// Twenty failures against one account, five from each of four addresses,
// block that account from every address, and only that account. Fewer do not.
func TestLoginLimitPerAccount(t *testing.T) {
	s := startServer(t)
	for i := 2; i <= 5; i++ {
		for range 5 {
			wantProblem(t, login(s, "127.0.0."+strconv.Itoa(i), jonas, "gissning"), http.StatusUnauthorized)
		}
		if i < 5 {
			if r := login(s, "127.0.0.7", jonas, demo.Password); r.Status != http.StatusCreated {
				t.Fatalf("after %d failures: %d %s, want the owner let in", 5*(i-1), r.Status, r.Body)
			}
		}
	}
	wantRetryAfter(t, login(s, "127.0.0.7", jonas, demo.Password)) // even the right password waits
	if r := login(s, "127.0.0.7", katarina, demo.Password); r.Status != http.StatusCreated {
		t.Errorf("another account from the same address: %d %s", r.Status, r.Body)
	}
	if n := s.Count(`SELECT COUNT(*) FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE email = ?)`, jonas); n != 3 {
		t.Errorf("jonas got %d tokens, want the 3 from before the block", n)
	}
}

// Failures against ten distinct accounts from one address are password
// spraying: that address is blocked for every account, and only that address.
// Nine are not.
func TestLoginLimitSpraying(t *testing.T) {
	s := startServer(t)
	accounts := sprayed(10)
	for _, email := range accounts[:9] {
		wantProblem(t, login(s, "127.0.0.8", email, "Sommar2026!"), http.StatusUnauthorized)
	}
	if r := login(s, "127.0.0.8", officer, demo.Password); r.Status != http.StatusCreated {
		t.Errorf("after nine accounts: %d %s, want a login let in", r.Status, r.Body)
	}
	wantProblem(t, login(s, "127.0.0.8", accounts[9], "Sommar2026!"), http.StatusUnauthorized)
	wantRetryAfter(t, login(s, "127.0.0.8", katarina, demo.Password))
	wantRetryAfter(t, login(s, "127.0.0.8", "ny@kommun.example", "Sommar2026!"))
	if r := login(s, "127.0.0.9", katarina, demo.Password); r.Status != http.StatusCreated {
		t.Errorf("the same account from another address: %d %s", r.Status, r.Body)
	}
	// That success forgave the account, not the address.
	wantRetryAfter(t, login(s, "127.0.0.8", katarina, demo.Password))
}

// Guesses sent in parallel cannot slip past the limit between the count and
// the check of the password: of twenty, five are judged and fifteen refused.
func TestLoginLimitParallel(t *testing.T) {
	s := startServer(t)
	client := clientFrom("127.0.0.5")
	body := []byte(`{"email":"` + jonas + `","password":"gissning"}`)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			resp, err := client.Post(s.Base+"/api/v1/sessions", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[401] != 5 || statuses[429] != 15 {
		t.Errorf("twenty parallel guesses answered %v, want five 401 and fifteen 429", statuses)
	}
}

// settable is a Store.Now that a test moves.
type settable struct{ v atomic.Value }

func (c *settable) now() time.Time      { return c.v.Load().(time.Time) }
func (c *settable) set(t time.Time)     { c.v.Store(t) }
func (c *settable) add(d time.Duration) { c.set(c.now().Add(d)) }

// A restart does not forgive: the failures are in the database, and a new
// server on the same file still refuses, for the rest of the 15 minutes.
func TestLoginLimitSurvivesRestart(t *testing.T) {
	clk := &settable{}
	clk.set(now)
	s := newSiteWith(t, handlers.Config{}, func(st *db.Store) { st.Now = clk.now })
	b := s.Browser()
	b.Get("/login")
	for range 5 {
		b.Post("/login", url.Values{"email": {"chef@kommun.example"}, "password": {"gissning"}})
	}
	clk.add(5 * time.Minute)

	s.Store.Close()
	store, err := db.Open(s.File)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	store.Now = clk.now
	b = s.Browser()
	b.Base = s.Serve(store, "")
	b.Get("/login")
	p := b.Post("/login", url.Values{"email": {"chef@kommun.example"}, "password": {"demo"}})
	if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") != "600" {
		t.Fatalf("after a restart: %d, Retry-After %q; want 429 and the 600 seconds left", p.Status, p.Header.Get("Retry-After"))
	}
	p.Has(t, "För många misslyckade inloggningar. Försök igen om 10 minuter.")

	// Fifteen minutes after the failures, the account is let in again.
	clk.add(10 * time.Minute)
	p = b.Post("/login", url.Values{"email": {"chef@kommun.example"}, "password": {"demo"}, "next": {"/"}})
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		t.Errorf("after the window: %d %q, want 303 to /", p.Status, p.Location)
	}
}
