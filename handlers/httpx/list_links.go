package httpx

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
)

// Lists are read a page at a time: by ?page= (numbered, within the count's
// cap) or by ?cursor= (db.Cursor, any distance into the list). The API
// answers with the neighbours' addresses in the body (next, prev) and in a
// Link header (RFC 8288: next, prev, first, last).

// ListCursor reads ?cursor=; nil without one. A cursor together with a page
// number, or one the service did not make, is a 400.
func ListCursor(c *fiber.Ctx) (*db.Cursor, error) {
	raw := c.Query("cursor")
	if raw == "" {
		return nil, nil
	}
	if c.Query("page") != "" {
		return nil, &db.CursorError{Message: "Ange antingen page eller cursor, inte båda"}
	}
	cur, err := db.ParseCursor(raw)
	if err != nil {
		return nil, err
	}
	return &cur, nil
}

// pageAddress is the request's own address (path and query) with another
// page: by number, or (page 0) from a cursor.
func pageAddress(c *fiber.Ctx, page int, cur *db.Cursor) string {
	q := url.Values{}
	for k, v := range c.Queries() {
		if k != "page" && k != "cursor" {
			q.Set(k, v)
		}
	}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if cur != nil {
		q.Set("cursor", cur.String())
	}
	if len(q) == 0 {
		return c.Path()
	}
	return c.Path() + "?" + q.Encode()
}

// ListLinks are the addresses of a page's neighbours in the API.
type ListLinks struct {
	Next string `json:"next,omitempty"`
	Prev string `json:"prev,omitempty"`
}

// SetListLinks writes the Link header of a page of a list and returns the
// neighbours' addresses for its body: next and prev from cursors, first by
// number, last from a cursor that reads the list from its end.
func SetListLinks(c *fiber.Ctx, next, prev, last *db.Cursor) ListLinks {
	var out ListLinks
	var links []string
	add := func(rel, href string) { links = append(links, "<"+href+`>; rel="`+rel+`"`) }
	if next != nil {
		out.Next = pageAddress(c, 0, next)
		add("next", out.Next)
	}
	if prev != nil {
		out.Prev = pageAddress(c, 0, prev)
		add("prev", out.Prev)
		add("first", pageAddress(c, 0, nil))
	}
	if last != nil {
		add("last", pageAddress(c, 0, last))
	}
	if len(links) > 0 {
		c.Set(fiber.HeaderLink, strings.Join(links, ", "))
	}
	return out
}

// SetNumberLinks is setListLinks for a list read by page number only (the
// hits of a full-text search): the neighbours by number.
func SetNumberLinks(c *fiber.Ctx, page, perPage, total int, capped bool) ListLinks {
	var out ListLinks
	var links []string
	add := func(rel, href string) { links = append(links, "<"+href+`>; rel="`+rel+`"`) }
	if page < (total+perPage-1)/perPage { // page*perPage < total, without overflow
		out.Next = pageAddress(c, page+1, nil)
		add("next", out.Next)
	}
	if page > 1 {
		out.Prev = pageAddress(c, page-1, nil)
		add("prev", out.Prev)
		add("first", pageAddress(c, 0, nil))
	}
	if last := (total + perPage - 1) / perPage; !capped && page < last {
		add("last", pageAddress(c, last, nil))
	}
	if len(links) > 0 {
		c.Set(fiber.HeaderLink, strings.Join(links, ", "))
	}
	return out
}

// PageParam and cursorParam write ?page= and ?cursor= for a page's link;
// empty leaves them out.
func PageParam(page int) string {
	if page < 1 {
		return ""
	}
	return strconv.Itoa(page)
}

// CursorParam writes cur as the cursor query parameter.
func CursorParam(cur *db.Cursor) string {
	if cur == nil {
		return ""
	}
	return cur.String()
}
