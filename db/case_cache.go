package db

import (
	"context"
	"slices"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// Bounds of the case records the list cache keeps beside its pages
// (caseRecord): at most maxCachedRecords records, together some
// maxCachedRecordBytes as caseRecord.size estimates them (a case with a
// page of text, its route and a few attachments is 4–6 KB) with their
// views (CaseView: the API's JSON of such a case is about 5 KB a reader),
// and none over maxCachedRecord.
const (
	maxCachedRecords     = 16384
	maxCachedRecordBytes = 64 << 20
	maxCachedRecord      = 256 << 10
)

// caseRecord is a case and its paragraphs as staff read them before any
// is withheld (CaseRecord): the same for every logged-in reader, so one
// copy serves them all, and whom it is withheld from is decided per
// request (workflow.Case.Sees). A case read costs some ten statements
// (the case, proposals, route, approvers, recipients, attachments,
// paragraphs), about 0.2 ms at 100,000 cases; the same case asked again
// while the database is unchanged (an officer's page reloaded, a client
// polling, the next step of a form) is answered from here.
type caseRecord struct {
	c    workflow.Case
	pars []CaseParagraph
	// kept is the size the record was counted with when kept (size), its
	// views included.
	kept int
	// views are the record drawn for readers (CaseView), by view and
	// reader (pageKey); at most maxCaseViews, never changed once kept.
	views map[string][]byte
}

// maxCaseViews bounds the views kept with one record: a case is read by a
// handful of people at a time.
const maxCaseViews = 8

// cloneCached copies everything a caller may change in place; the views
// stay with the kept record.
func (r caseRecord) cloneCached() caseRecord {
	out := caseRecord{c: r.c.Clone(), pars: slices.Clone(r.pars), kept: r.kept}
	for i := range out.pars {
		p := &out.pars[i]
		p.Proposals = slices.Clone(p.Proposals)
		p.Recipients = slices.Clone(p.Recipients)
	}
	return out
}

func (caseRecord) rememberedCountKeys() []string { return nil }

// size estimates the bytes the record holds: its texts and a fixed part
// for each row.
func (r caseRecord) size() int {
	c := r.c
	n := 1024 + len(c.Title) + len(c.Summary) + len(c.Background) + len(c.ClosedNote)
	for _, p := range c.Proposals {
		n += len(p) + 16
	}
	if c.Decision != nil {
		n += len(c.Decision.Text)
	}
	n += 256 * (len(c.Route) + len(c.Approvers) + len(c.Recipients) + len(c.Attachments))
	for _, p := range r.pars {
		n += 512 + len(p.Text) + len(p.CaseTitle)
		for _, t := range p.Proposals {
			n += len(t) + 16
		}
		n += 128 * len(p.Recipients)
	}
	return n
}

// staffRecord is the case with the given number and its paragraphs as
// staff read them (CaseRecord before withholding), from the list cache
// while the database is as it was read (dataVersion), else from the
// database in one read transaction. Errors are the database's; a case
// that does not exist is workflow.ENOTFOUND and is not kept.
func (s *Store) staffRecord(ctx context.Context, number string) (caseRecord, error) {
	read := func() (rec caseRecord, err error) {
		err = s.readTx(ctx, func(q queryer) (err error) {
			if rec.c, err = loadCase(ctx, q, number); err != nil {
				return err
			}
			rec.pars, err = caseParagraphs(ctx, q, rec.c.Number)
			return err
		})
		return rec, err
	}
	if s.listCachePages() == 0 {
		return read()
	}
	c := &s.listCache
	return cachedRead(ctx, s, func(v string) (caseRecord, bool) { return c.getRecord(v, number) },
		func(v string, rec caseRecord) { c.putRecord(v, number, rec) }, read)
}

// getRecord returns the record kept for the case number if it was read at
// version.
func (c *listCache) getRecord(version, number string) (caseRecord, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.records == nil || c.version != version {
		return caseRecord{}, false
	}
	return c.records.Get(number)
}

// putRecord keeps rec for the case number as read at version; a record of
// another version than the kept ones empties the cache (pages too), as
// put does.
func (c *listCache) putRecord(version, number string, rec caseRecord) {
	size := rec.size()
	if size > maxCachedRecord {
		return
	}
	// The number may alias a request's buffer, which Fiber reuses for the
	// next request (its Ctx values live only as long as the handler): a key
	// whose bytes change under the map is neither found nor purged again.
	number = strings.Clone(number)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.records == nil {
		// Only a size below 1 fails. The callback runs under c.mu.
		c.records, _ = lru.NewWithEvict(maxCachedRecords, func(_ string, r caseRecord) { c.recordBytes -= r.kept })
	}
	c.setVersion(version)
	c.records.Remove(number) // read again by two at once: its size once
	rec.kept = size
	c.records.Add(number, rec)
	c.recordBytes += size
	for c.recordBytes > maxCachedRecordBytes {
		c.records.RemoveOldest()
	}
}

// CaseView is the case with the given number as the reader may see it
// (CaseRecord), drawn by draw, say as the API's JSON. A staff reader's view
// is kept with the case's record while the database is unchanged, so the
// same reader asking again (the same user with the same roles: pageKey)
// gets the same bytes for the price of asking the version. view names what
// draw draws; draw must depend on nothing but the case, its paragraphs and
// the reader, and the bytes it returns are kept: neither it nor the caller
// may change them. For the public, and with the list cache off, draw runs
// each time. Errors are CaseRecord's and draw's.
func (r Reader) CaseView(ctx context.Context, number, view string, draw func(workflow.Case, []CaseParagraph) ([]byte, error)) ([]byte, error) {
	drawn := func() ([]byte, error) {
		c, pars, err := r.CaseRecord(ctx, number)
		if err != nil {
			return nil, err
		}
		return draw(c, pars)
	}
	s := r.s
	if r.as == nil || s.listCachePages() == 0 {
		return drawn()
	}
	v, err := s.dataVersion(ctx)
	if err != nil {
		return drawn()
	}
	key := pageKey("case-view:"+view, r.as)
	if b, ok := s.listCache.getView(v, number, key); ok {
		s.listCache.hits.Add(1)
		return b, nil
	}
	b, err := drawn()
	if err == nil {
		s.listCache.putView(v, number, key, b)
	}
	return b, err
}

// getView returns the view key of the case number if its record is kept
// from version.
func (c *listCache) getView(version, number, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.records == nil || c.version != version {
		return nil, false
	}
	rec, ok := c.records.Get(number)
	if !ok {
		return nil, false
	}
	b, ok := rec.views[key]
	return b, ok
}

// putView keeps b as the view key of the case number, with its record as
// kept from version; without that record (another version, or not kept)
// nothing is kept: a view is never older than its record.
func (c *listCache) putView(version, number, key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.records == nil || c.version != version || len(b) > maxCachedRecord {
		return
	}
	rec, ok := c.records.Peek(number)
	if !ok {
		return
	}
	if _, ok := rec.views[key]; ok {
		return
	}
	views := make(map[string][]byte, len(rec.views)+1)
	for k, old := range rec.views {
		if len(views) < maxCaseViews-1 {
			views[k] = old
		} else {
			rec.kept -= len(old)
			c.recordBytes -= len(old)
		}
	}
	views[strings.Clone(key)] = b
	rec.views = views
	rec.kept += len(b)
	c.recordBytes += len(b)
	// The same key: no eviction, its place refreshed. The number may alias
	// a request's buffer (putRecord), and a map stores a string key anew.
	c.records.Add(strings.Clone(number), rec)
	for c.recordBytes > maxCachedRecordBytes {
		c.records.RemoveOldest()
	}
}
