package handlers

// pager is one page of a list and the way to its neighbours; the pagination
// partial draws it.
type pager struct {
	Page, Pages int
	link        func(page int) string
}

// newPager is page of a list of total rows, perPage a page; link writes the
// address of another page.
func newPager(page, total, perPage int, link func(page int) string) pager {
	return pager{Page: page, Pages: max(1, (total+perPage-1)/perPage), link: link}
}

// PageLink is the address of another page.
func (p pager) PageLink(page int) string { return p.link(page) }

// Prev and Next are the neighbouring pages, 0 where there is none.
func (p pager) Prev() int { return p.Page - 1 }

func (p pager) Next() int {
	if p.Page < p.Pages {
		return p.Page + 1
	}
	return 0
}
