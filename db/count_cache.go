package db

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// cappedTTL is how long a list's count that reached the cap is taken as
// still reaching it.
const cappedTTL = 10 * time.Second

// cappedCounts remembers, for a short time, the lists whose count reached
// the cap. Counting costs what it counts, up to the cap: a small count is
// cheap and always counted afresh, but a list of more than 10 000 would read
// 10 001 index entries on every page. A list that held more than the cap a
// few seconds ago still does, or has fallen just below it; the page then
// says "Fler än 10 000" for at most cappedTTL longer.
type cappedCounts struct {
	mu    sync.Mutex
	until map[string]time.Time
}

// maxCappedCounts bounds the lists remembered; past it they are forgotten.
const maxCappedCounts = 1000

func cappedKey(table string, where []string, args []any, cap int) string {
	return fmt.Sprintf("%s\x00%d\x00%s\x00%v", table, cap, strings.Join(where, "\x00"), args)
}

func (c *cappedCounts) capped(key string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return now.Before(c.until[key])
}

func (c *cappedCounts) remember(key string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.until == nil || len(c.until) >= maxCappedCounts {
		c.until = map[string]time.Time{}
	}
	c.until[key] = now.Add(cappedTTL)
}
