package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// DefaultListCachePages is how many pages of lists and searches a store
// keeps unless told otherwise (Store.ListCachePages): some 300 bytes a row,
// so 15 KB for a page of 50 cases (60 KB at most, at 200 a page).
const DefaultListCachePages = 256

// listCachePages is the cache's size in pages; 0 for none.
func (s *Store) listCachePages() int {
	switch {
	case s.ListCachePages < 0:
		return 0
	case s.ListCachePages == 0:
		return DefaultListCachePages
	}
	return s.ListCachePages
}

// listCache keeps the pages of the case list and the diary (and of their
// full-text searches) for as long as nothing is committed to the database.
// A search ranks every match before it takes its page (search_fts5.go):
// 5–20 ms for a common phrase at 100,000 cases; a page of a list costs half
// a millisecond, most of it reading its rows. The same page asked again
// (the next visitor of the public diary, a page reloaded, the way back from
// a case, a client polling) is answered from here while the database is as
// it was read (dataVersion), whoever wrote to it: this process, a command on
// the same file, another instance on PostgreSQL. Any commit of a change
// empties it; the service's bookkeeping (a session, the scheduler's lease,
// a mail marked sent) does not.
type listCache struct {
	mu      sync.Mutex
	version string // the database's version the pages were read at
	pages   *lru.Cache[string, any]
	bytes   int // of the drawn pages kept (rendered)
	// records are the case records read at version (case_cache.go), by
	// case number; recordBytes their size as counted when kept.
	records     *lru.Cache[string, caseRecord]
	recordBytes int
	// conn reads the content version on SQLite: one connection, kept, so
	// the readers keep theirs. Each connection pinned gets a number of its
	// own (pinned), part of the version.
	conn   *sql.Conn
	pinned uint64
	// db is where conn comes from on SQLite: a pool of one connection of
	// its own (Open), so the readers keep all of theirs; nil: the readers.
	db     *sql.DB
	closed bool // the store is closing: no connection is pinned again
	// hits and misses count the pages asked of it (ListCacheStats).
	hits, misses atomic.Uint64
}

// ListCacheStats is how many pages of lists and searches, and case records
// read by staff (case_cache.go), this store answered from its cache (hits)
// and read from the database (misses) since it was opened. Pages read in a
// transaction are not counted.
type ListCacheStats struct{ Hits, Misses uint64 }

// ListCacheStats reports the list cache's counts, for the metrics.
func (s *Store) ListCacheStats() ListCacheStats {
	return ListCacheStats{Hits: s.listCache.hits.Load(), Misses: s.listCache.misses.Load()}
}

// dataVersion is a value that changes whenever a change a cached page or
// case record may read is committed, by any connection or process: the
// counter of content_version (migration 0032), which every write moves in
// its transaction except the bookkeeping ones (Store.txBookkeeping). Two reads
// that return the same value saw the same pages in between. On SQLite it is
// read on a connection of its own, kept; the version also names that
// connection (a new one pinned after an error gets a number of its own), as
// when it was SQLite's per-connection PRAGMA data_version.
func (s *Store) dataVersion(ctx context.Context) (string, error) {
	const read = `SELECT n FROM content_version WHERE id = 1`
	if s.engine == PostgreSQL {
		var v string
		err := s.r.QueryRowContext(ctx, read).Scan(&v)
		return v, err
	}
	c := &s.listCache
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
	if err := c.conn.QueryRowContext(ctx, read).Scan(&v); err != nil {
		c.conn.Close() // a new one next time
		c.conn = nil
		return "", err
	}
	return strconv.FormatUint(c.pinned, 10) + ":" + strconv.FormatInt(v, 10), nil
}

// close gives back the connection that asks the version.
func (c *listCache) close() {
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
func (c *listCache) get(version, key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil || c.version != version {
		return nil, false
	}
	return c.pages.Get(key)
}

// put keeps page under key as read at version, in a cache of size pages
// (the size of its first put) whose drawn pages (rendered) together hold at
// most maxRememberedBytes: the oldest go first.
func (c *listCache) put(version, key string, page any, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil {
		// Only a size below 1 fails. The callback runs under c.mu, held
		// by whoever purges, adds or removes.
		c.pages, _ = lru.NewWithEvict(size, func(_ string, v any) { c.bytes -= renderedSize(v) })
	}
	c.setVersion(version)
	c.pages.Remove(key) // a page read again by two at once: its size once
	c.pages.Add(key, page)
	c.bytes += renderedSize(page)
	for c.bytes > maxRememberedBytes {
		c.pages.RemoveOldest()
	}
}

// setVersion empties the cache of everything read at another version than
// version. The caller holds c.mu.
func (c *listCache) setVersion(version string) {
	if c.version == version {
		return
	}
	if c.pages != nil {
		c.pages.Purge()
	}
	if c.records != nil {
		c.records.Purge()
	}
	c.version = version
}

// renderedSize is the bytes of a drawn page, 0 for anything else.
func renderedSize(v any) int {
	r, _ := v.(rendered)
	return len(r.body)
}

// pageKey names one page of a list or a search: the list (kind), for whom,
// and what it asks (parts: its filters, order and page; for a search, the
// plan's query and arguments). The viewer is part of it by value: the rows
// withhold what a secret case is about from those it does not involve, and
// a role given or taken changes what they see. Parts are written with their
// types and lengths, so two different requests never share a key; a type
// keyPart does not know is written by fmt.
func pageKey(kind string, viewer *workflow.User, parts ...any) string {
	var b strings.Builder
	b.WriteString(kind)
	if viewer != nil {
		u := viewer
		keyPart(&b, []any{u.ID, u.Email, u.Name, u.Title, u.Active, len(u.Grants)})
		for _, g := range u.Grants {
			keyPart(&b, []any{g.Board, string(g.Role)})
		}
	} else {
		b.WriteString("|public")
	}
	keyPart(&b, parts)
	return b.String()
}

// keyPart writes v to b for pageKey.
func keyPart(b *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		b.WriteString("|s")
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	case int:
		b.WriteString("|i")
		b.WriteString(strconv.Itoa(v))
	case int64:
		b.WriteString("|l")
		b.WriteString(strconv.FormatInt(v, 10))
	case bool:
		b.WriteString("|b")
		b.WriteString(strconv.FormatBool(v))
	case workflow.Stage:
		keyPart(b, string(v))
	case *Cursor:
		if v == nil {
			b.WriteString("|nocursor")
			return
		}
		b.WriteString("|cursor")
		keyPart(b, []any{v.Sort, v.Desc, v.Key, v.ID, v.Back})
	case []any:
		b.WriteString("|[")
		b.WriteString(strconv.Itoa(len(v)))
		for _, p := range v {
			keyPart(b, p)
		}
		b.WriteString("]")
	default:
		fmt.Fprintf(b, "|%T:%#v", v, v)
	}
}

// cachedPage returns the page key names as it was read at the database's
// current version, or reads it (read) and keeps a copy. Only reads through
// the store's own pool are kept: in a transaction, the snapshot may be older
// than the version (a test reads through a queryer of its own). If the
// version cannot be read, the page is read as it is. A page whose count was
// a remembered cap is kept only as long as the cap would be remembered.
func cachedPage[P cacheable[P]](ctx context.Context, s *Store, q queryer, key string, read func() (P, error)) (P, error) {
	size := s.listCachePages()
	if q != queryer(s.r) || size == 0 {
		return read()
	}
	c := &s.listCache
	get := func(v string) (P, bool) {
		p, _ := c.get(v, key)
		kept, ok := p.(P)
		return kept, ok
	}
	return cachedRead(ctx, s, get, func(v string, p P) { c.put(v, key, p, size) }, read)
}

// cachedRead is what read reads, taken from the list cache (get) while the
// database is at the version it was kept at, else read and kept (put, a
// copy); the pages and the case records (case_cache.go) each have their own
// get and put. If the version cannot be read, read runs as it is.
func cachedRead[P cacheable[P]](ctx context.Context, s *Store, get func(version string) (P, bool), put func(version string, p P), read func() (P, error)) (P, error) {
	v, err := s.dataVersion(ctx)
	if err != nil {
		return read()
	}
	if kept, ok := get(v); ok && s.stillRemembered(kept.rememberedCountKeys()) {
		s.listCache.hits.Add(1)
		noteRemembered(ctx, kept.rememberedCountKeys())
		return kept.cloneCached(), nil
	}
	s.listCache.misses.Add(1)
	p, err := read()
	if err == nil {
		put(v, p.cloneCached())
		noteRemembered(ctx, p.rememberedCountKeys())
	}
	return p, err
}

// stillRemembered reports whether every count of keys is still remembered
// as past the cap (cappedCounts).
func (s *Store) stillRemembered(keys []string) bool {
	now := time.Now()
	for _, k := range keys {
		if !s.cappedCounts.capped(k, now) {
			return false
		}
	}
	return true
}

// rememberedCounts gathers the remembered counts (their keys) the pages
// read in a RememberPage's draw were taken from, through its context: the
// page drawn from them is true only while they are remembered.
type rememberedCounts struct{ keys []string }

type rememberedCountsKey struct{}

// noteRemembered adds keys to the rememberedCounts of ctx, if any.
func noteRemembered(ctx context.Context, keys []string) {
	if r, ok := ctx.Value(rememberedCountsKey{}).(*rememberedCounts); ok && len(keys) > 0 {
		r.keys = append(r.keys, keys...)
	}
}

// cacheable is what the list cache keeps: CasePage, DiaryPage, and the
// lists and drawn pages beside them (boardList, yearList, rendered), and
// the case records (caseRecord).
type cacheable[P any] interface {
	// cloneCached copies its rows (and a page's cursors), which a caller
	// may change.
	cloneCached() P
	// rememberedCountKeys are the keys of the counts remembered as past
	// the cap that the page's totals were taken from (cappedCounts), if
	// any: the page is true only while they are remembered.
	rememberedCountKeys() []string
}

func (p CasePage) cloneCached() CasePage {
	p.Items = slices.Clone(p.Items)
	p.Next, p.Prev, p.Last = cloneCursor(p.Next), cloneCursor(p.Prev), cloneCursor(p.Last)
	return p
}

func (p CasePage) rememberedCountKeys() []string { return countKeys(p.rememberedCount) }

func (p DiaryPage) cloneCached() DiaryPage {
	p.Items = slices.Clone(p.Items)
	p.Next, p.Prev, p.Last = cloneCursor(p.Next), cloneCursor(p.Prev), cloneCursor(p.Last)
	return p
}

func (p DiaryPage) rememberedCountKeys() []string { return countKeys(p.rememberedCount) }

func countKeys(k string) []string {
	if k == "" {
		return nil
	}
	return []string{k}
}

// boardList is the boards (Boards); yearList the years of the diary
// (DiaryYears); rendered a page drawn from what the database holds
// (RememberPage).
type (
	boardList []workflow.Board
	yearList  []int
	rendered  struct {
		body   []byte
		counts []string // the remembered counts it was drawn from
	}
)

func (r rendered) cloneCached() rendered {
	return rendered{slices.Clone(r.body), slices.Clone(r.counts)}
}
func (r rendered) rememberedCountKeys() []string { return r.counts }

// RememberPage returns the page draw makes for key, kept in the list cache
// while the database is unchanged (and the counts it was drawn from are
// remembered, when draw reads its lists through the ctx it is given): for a page that shows only what the
// database holds, the same to everyone who asks with key (the public pages
// for visitors not logged in), which costs more to draw than to read. key
// must name all the page depends on besides the database (its address).
// A page over MaxRememberedPage bytes is drawn each time. Errors are
// draw's, never kept.
func (s *Store) RememberPage(ctx context.Context, key string, draw func(ctx context.Context) ([]byte, error)) ([]byte, error) {
	page, err := cachedPage(ctx, s, s.r, "page\x00"+key, func() (rendered, error) {
		counts := &rememberedCounts{}
		b, err := draw(context.WithValue(ctx, rememberedCountsKey{}, counts))
		if err == nil && len(b) > MaxRememberedPage {
			return rendered{}, tooLarge{b}
		}
		return rendered{b, counts.keys}, err
	})
	if big, ok := err.(tooLarge); ok {
		return big.page, nil
	}
	return page.body, err
}

// MaxRememberedPage bounds a page RememberPage keeps, in bytes (an OParl
// page of ASN's meetings with their agendas is about 300 KB at 100,000
// cases); maxRememberedBytes bounds all it keeps together.
const (
	MaxRememberedPage  = 1 << 20
	maxRememberedBytes = 32 << 20
)

// tooLarge carries a page too large to keep past cachedPage, as an error.
type tooLarge struct{ page []byte }

func (tooLarge) Error() string { return "page too large to keep" }

func (l boardList) cloneCached() boardList        { return slices.Clone(l) }
func (l boardList) rememberedCountKeys() []string { return nil }
func (l yearList) cloneCached() yearList          { return slices.Clone(l) }
func (l yearList) rememberedCountKeys() []string  { return nil }

func cloneCursor(c *Cursor) *Cursor {
	if c == nil {
		return nil
	}
	d := *c
	return &d
}
