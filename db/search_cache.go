package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// DefaultSearchCachePages is how many pages of searches a store keeps
// unless told otherwise (Store.SearchCachePages): at most about 10 KB each,
// a page of 20 rows with their snippets (100 rows at most: 50 KB).
const DefaultSearchCachePages = 256

// searchCachePages is the cache's size in pages; 0 for none.
func (s *Store) searchCachePages() int {
	switch {
	case s.SearchCachePages < 0:
		return 0
	case s.SearchCachePages == 0:
		return DefaultSearchCachePages
	}
	return s.SearchCachePages
}

// searchCache keeps the pages of recent full-text searches for as long as
// nothing is committed to the database. A search ranks every match before it
// takes its page (search_fts5.go): 5–20 ms for a common phrase at 100,000
// cases, where a page of the list costs a fraction of a millisecond. The same
// search asked again (the next visitor of the public diary, a page reloaded,
// the way back from a case) is answered from here while the database is as
// it was read (dataVersion), whoever wrote to it: this process, a command on
// the same file, another instance on PostgreSQL.
type searchCache struct {
	mu      sync.Mutex
	version string // the database's version the pages were read at
	pages   *lru.Cache[string, any]
	// conn asks SQLite's PRAGMA data_version, which counts the commits of
	// other connections than the one that asks: one connection, kept. Its
	// count means nothing on another connection, so each connection pinned
	// gets a number of its own (pinned), part of the version.
	conn   *sql.Conn
	pinned uint64
	// db is where conn comes from on SQLite: a pool of one connection of
	// its own (Open), so the readers keep all of theirs; nil: the readers.
	db     *sql.DB
	closed bool // the store is closing: no connection is pinned again
	// hits and misses count the pages asked of it (SearchCacheStats).
	hits, misses atomic.Uint64
}

// SearchCacheStats is how many search pages this store answered from its
// cache (hits) and read from the database (misses) since it was opened.
// Searches in a transaction are not counted.
type SearchCacheStats struct{ Hits, Misses uint64 }

// SearchCacheStats reports the search cache's counts, for the metrics.
func (s *Store) SearchCacheStats() SearchCacheStats {
	return SearchCacheStats{Hits: s.searchCache.hits.Load(), Misses: s.searchCache.misses.Load()}
}

// dataVersion is a value that changes whenever a change is committed to
// the database, by any connection or process; two reads that return the same
// value saw the same data in between. On SQLite it is PRAGMA data_version on
// a connection of its own, which never writes
// (https://sqlite.org/pragma.html#pragma_data_version); on PostgreSQL the
// current snapshot (pg_current_snapshot: its xmax and running transactions),
// which any commit in the server moves, so it changes more often than the
// data. On SQLite, the version names the connection it was read on: a
// connection pinned after an error starts its own count, which may repeat
// the old one's number though commits came between.
func (s *Store) dataVersion(ctx context.Context) (string, error) {
	if s.engine == PostgreSQL {
		var v string
		err := s.r.QueryRowContext(ctx, `SELECT pg_current_snapshot()::text`).Scan(&v)
		return v, err
	}
	c := &s.searchCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return "", sql.ErrConnDone
	}
	if c.conn == nil {
		from := c.db
		if from == nil {
			from = s.r
		}
		conn, err := from.Conn(ctx)
		if err != nil {
			return "", err
		}
		c.conn = conn
		c.pinned++
	}
	var v int64
	if err := c.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		c.conn.Close() // a new one next time
		c.conn = nil
		return "", err
	}
	return strconv.FormatUint(c.pinned, 10) + ":" + strconv.FormatInt(v, 10), nil
}

// close gives back the connection that asks the version.
func (c *searchCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	if c.db != nil {
		c.db.Close()
	}
}

// get returns the page kept under key if it was read at version; pages of
// another version are never returned (put empties them).
func (c *searchCache) get(version, key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil || c.version != version {
		return nil, false
	}
	return c.pages.Get(key)
}

// put keeps page under key as read at version, in a cache of size pages
// (the size of its first put).
func (c *searchCache) put(version, key string, page any, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil {
		c.pages, _ = lru.New[string, any](size) // only a size below 1 fails
	}
	if c.version != version {
		c.pages.Purge()
		c.version = version
	}
	c.pages.Add(key, page)
}

// searchKey names one search page: what it matches (the plan's query and
// arguments), for whom, and which page in which order (parts). The viewer
// is part of it by value: the rows withhold what a secret case is about
// from those it does not involve.
func searchKey(kind string, search searchPlan, viewer *workflow.User, parts ...any) string {
	var who any
	if viewer != nil {
		who = *viewer
	}
	return fmt.Sprintf("%s\x00%s\x00%#v\x00%#v\x00%#v", kind, search.with, search.withArgs, who, parts)
}

// cachedSearch returns the page of the search key names as it was read at
// the database's current version, or reads it (read) and keeps a copy.
// Only reads through the store's own pool are kept: in a transaction, the
// snapshot may be older than the version (a test reads through a queryer of
// its own). If the version cannot be read, the page is read as it is.
func cachedSearch[P any](ctx context.Context, s *Store, q queryer, key string, read func() (P, error), clone func(P) P) (P, error) {
	size := s.searchCachePages()
	if q != queryer(s.r) || size == 0 {
		return read()
	}
	v, err := s.dataVersion(ctx)
	if err != nil {
		return read()
	}
	if p, ok := s.searchCache.get(v, key); ok {
		s.searchCache.hits.Add(1)
		return clone(p.(P)), nil
	}
	s.searchCache.misses.Add(1)
	p, err := read()
	if err == nil {
		s.searchCache.put(v, key, clone(p), size)
	}
	return p, err
}

// cloneCasePage and cloneDiaryPage copy a page's rows, which a caller may
// change.
func cloneCasePage(p CasePage) CasePage    { p.Items = slices.Clone(p.Items); return p }
func cloneDiaryPage(p DiaryPage) DiaryPage { p.Items = slices.Clone(p.Items); return p }
