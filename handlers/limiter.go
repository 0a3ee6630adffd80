package handlers

import (
	"sync"
	"time"
)

// limiter counts failed attempts per key (an account, an address) in a fixed
// window. It lives in memory: a restart forgives, which is acceptable for a
// brake on password guessing.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	hits   map[string]window
	now    func() time.Time
}

type window struct {
	start time.Time
	count int
}

func newLimiter(max int, d time.Duration) *limiter {
	return &limiter{max: max, window: d, hits: map[string]window{}, now: time.Now}
}

// blocked reports whether any key has used up its attempts, and when it may try again.
func (l *limiter) blocked(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		w, ok := l.hits[k]
		if ok && now.Sub(w.start) < l.window && w.count >= l.max {
			return true, l.window - now.Sub(w.start)
		}
	}
	return false, 0
}

// fail counts one failed attempt against each key.
func (l *limiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		w := l.hits[k]
		if now.Sub(w.start) >= l.window {
			w = window{start: now}
		}
		w.count++
		l.hits[k] = w
	}
	if len(l.hits) > 100_000 {
		l.sweep(now)
	}
}

// reset forgets a key after a successful login.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}

func (l *limiter) sweep(now time.Time) {
	for k, w := range l.hits {
		if now.Sub(w.start) >= l.window {
			delete(l.hits, k)
		}
	}
}
