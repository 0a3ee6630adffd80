package db

import (
	"math"

	"github.com/kommun/beslutsgang/workflow"
)

// maxOffset bounds how far into a list a page may reach, so an absurd page
// number (?page=9223372036854775807) is refused instead of overflowing the
// offset into page 1's rows.
const maxOffset = math.MaxInt32

// pageWindow normalises a list's page (from 1) and page size (1 to
// MaxPerPage, default 50) and returns the rows to skip. A page beyond
// maxOffset is EINVALID on the field "page".
func pageWindow(page, perPage *int) (offset int, err error) {
	if *page < 1 {
		*page = 1
	}
	if *perPage < 1 || *perPage > MaxPerPage {
		*perPage = 50
	}
	if *page-1 > maxOffset / *perPage {
		var p workflow.Problems
		p.Add("page", "Sidan %d finns inte; sidnumret är för stort", *page)
		return 0, p.Err()
	}
	return (*page - 1) * *perPage, nil
}
