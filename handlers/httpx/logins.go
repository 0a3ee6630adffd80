package httpx

import (
	"context"
	"time"

	"github.com/kommun/beslutsgang/db"
)

// The default login limits, each per LoginWindow (15 minutes, sliding).
// They follow the OWASP Authentication Cheat Sheet: count failures against
// the account, not only the address, since many people share an address
// (a municipal NAT) and one attacker has many; and keep the harm a stranger
// can do by locking someone out small. And NIST SP 800-63B section 5.2.2
// (rate limiting): the failed attempts on one account are limited, by making
// the guesser wait rather than by locking the account until an administrator
// acts. The window is a throttle, not NIST's ceiling of 100 consecutive
// failures: 20 per 15 minutes is at most 1,920 guesses a day on one account.
const (
	// DefaultLoginLimit is the failures one account gets from one address:
	// someone mistyping their password five times waits, from that address
	// only, while colleagues behind the same NAT log in as usual.
	DefaultLoginLimit = 5
	// DefaultLoginAccountLimit is the failures one account gets from all
	// addresses together: guessing spread over many addresses gets 20 tries
	// per window, while a stranger needs four times the per-address limit,
	// from at least four addresses, to lock the owner out.
	DefaultLoginAccountLimit = 20
	// DefaultLoginSprayLimit is how many distinct accounts may fail from one
	// address: one password tried on many accounts (password spraying) is
	// stopped after ten, while a shared address where a few people mistype
	// now and then stays open.
	DefaultLoginSprayLimit = 10
	// DefaultLoginWindow is how long a failure counts.
	DefaultLoginWindow = 15 * time.Minute
)

// limiter is the brake on password guessing. It counts failed logins in a
// sliding window, in the database (db.LoginFailures), so a restart forgives
// nothing, and refuses an attempt while any of three limits is reached: per
// account and address, per account, and distinct accounts per address. A
// right password clears that account's failures from that address, so a
// colleague who mistyped and then got in does not count towards the
// address's limit.
type limiter struct {
	store                     *db.Store
	pair, account, sprayLimit int
	window                    time.Duration
}

func newLimiter(store *db.Store, cfg Config) *limiter {
	return &limiter{store: store, pair: cfg.LoginLimit, account: cfg.LoginAccountLimit,
		sprayLimit: cfg.LoginSprayLimit, window: cfg.LoginWindow}
}

// begin starts a login attempt of acct from addr. It returns how long the
// attempt must wait if a limit is reached; otherwise the attempt counts as a
// failure at once, until end says how it went.
func (l *limiter) begin(ctx context.Context, acct, addr string) (attempt int64, wait time.Duration, err error) {
	return l.store.LoginFailures().Attempt(ctx, acct, addr, l.window, l.wait)
}

// wait is how long until every limit is clear again: until enough of the
// failures that reach a limit have left the window.
func (l *limiter) wait(c db.LoginFailureCounts) time.Duration {
	return max(l.until(c.Now, c.Pair, l.pair), l.until(c.Now, c.Account, l.account),
		l.until(c.Now, c.Accounts, l.sprayLimit))
}

// until is how long until fewer than limit of times (oldest first) are in
// the window; 0 if that is so now.
func (l *limiter) until(now time.Time, times []time.Time, limit int) time.Duration {
	if len(times) < limit {
		return 0
	}
	return max(times[len(times)-limit].Add(l.window).Sub(now), time.Second)
}

// end records how an attempt that begin let through went: a wrong password
// stays a failure, the right one clears the account's failures from that
// address, and an attempt whose password was never judged is forgotten.
func (l *limiter) end(ctx context.Context, attempt int64, acct, addr string, judged, right bool) error {
	// The request may be gone; the record of it must still be finished.
	ctx = context.WithoutCancel(ctx)
	lf := l.store.LoginFailures()
	switch {
	case !judged:
		return lf.Forget(ctx, attempt)
	case right:
		return lf.Succeeded(ctx, acct, addr)
	default:
		return lf.Failed(ctx, attempt)
	}
}
