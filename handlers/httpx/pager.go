package httpx

import (
	"strconv"

	"github.com/kommun/beslutsgang/db"
)

// Pager is one page of a list and the ways to its neighbours; the pagination
// partial draws it. Pages are numbered while the list is counted in full;
// past the count's cap (db.DefaultCountCap), and for a page reached by a
// cursor, the links carry a cursor instead (db.Cursor), so no page costs
// more to read than the first.
type Pager struct {
	Page  int // 0: reached by a cursor, its number unknown
	Pages int // 0: unknown, the list has more rows than were counted
	// The links to the neighbours; empty where there is none.
	PrevLink, NextLink, FirstLink, LastLink string
}

// listLink writes the address of a page of a list: by number, or (page 0)
// from a cursor.
type listLink func(page int, c *db.Cursor) string

// NewPager is the pager of a page of a list: page is its number (0: read
// from a cursor), total the rows counted (capped: there are more), next and
// prev the cursors around it, last the cursor of the list's last page (nil:
// this is the last).
func NewPager(page, total int, capped bool, perPage int, next, prev, last *db.Cursor, link listLink) Pager {
	p := Pager{Page: page}
	if !capped {
		p.Pages = max(1, (total+perPage-1)/perPage)
	}
	switch {
	case page > 1:
		p.PrevLink = link(page-1, nil)
	case page == 0 && prev != nil:
		p.PrevLink, p.FirstLink = link(0, prev), link(1, nil)
	}
	switch {
	case page > 0 && page < (total+perPage-1)/perPage: // page*perPage < total, without overflow
		p.NextLink = link(page+1, nil)
	case next != nil:
		p.NextLink = link(0, next)
	}
	if capped && last != nil && p.NextLink != "" {
		p.LastLink = link(0, last)
	}
	return p
}

// Where is Label for the pager itself: "Sida 2 av 3".
func (p Pager) Where() string {
	if l := p.Label(); l != "" {
		return "S" + l[1:]
	}
	return ""
}

// Label says where the page is: "sida 2 av 3", "sida 2" when the pages are
// not all counted, or nothing for a list of one page or a page reached by
// a cursor.
func (p Pager) Label() string {
	switch {
	case p.Page == 0, p.Pages == 1:
		return ""
	case p.Pages == 0:
		return "sida " + strconv.Itoa(p.Page)
	}
	return "sida " + strconv.Itoa(p.Page) + " av " + strconv.Itoa(p.Pages)
}
