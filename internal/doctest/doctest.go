// Package doctest builds documents for tests, as an officer's word processor
// would write them: a .docx (DOCX) and a PDF (PDF) from the same blocks of
// content (paragraphs, headings, lists, tables, text in columns, page
// breaks), so that a reader of tjänsteskrivelser can be tested on both.
// The builders panic on an error: they are for tests only.
package doctest

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// Block is a piece of a document's body: Para, Heading, Numbered, Bullets,
// Table, Columns, PageBreak or Blank.
type Block interface {
	docx(w *docxWriter)
	pdf(w *pdfWriter)
}

// Para is a paragraph. In its text "\n" is a line break and "\t" a tab.
type Para struct {
	Text string
	Bold bool
}

// Heading is a heading (Word's style Heading 1, "Rubrik 1").
type Heading struct {
	Text string
}

// Numbered is a numbered list, 1. 2. 3. An item that starts with tabs is on
// a deeper level, one a tab: a) b) c) on the second level, i. ii. on the
// third. Each Numbered list starts again at 1.
type Numbered struct {
	Items []string
}

// Bullets is a bulleted list, "•" before each item; leading tabs indent an
// item as in Numbered.
type Bullets struct {
	Items []string
}

// MergeLeft and MergeUp, as a Table cell's text, merge the cell: MergeLeft
// with the cell to its left (w:gridSpan; in a PDF the left cell's text may
// run across both), MergeUp with the cell above (w:vMerge; empty in a PDF).
const (
	MergeLeft = "<<"
	MergeUp   = "^^"
)

// Table is a table, row by row. A row may have fewer cells than the table
// has columns; a cell's text may hold "\n" for a new paragraph in the cell.
// In a PDF the columns are at fixed positions and a numeric cell (digits,
// spaces, ",", ".", "-", "%", "kr") is right-aligned, so that pdftotext
// -layout keeps the columns apart.
type Table struct {
	Rows [][]string
}

// Columns is one line of text in columns across the page: the first cell at
// the left margin, the last one ending at the right margin, the others
// spread between, as a name and a title, a "SIGNERAD" stamp or a date at the
// right margin are set. In a DOCX the cells are separated by tabs, at tab
// stops.
type Columns struct {
	Cells []string
}

// PageBreak starts a new page.
type PageBreak struct{}

// Blank is an empty line (an empty paragraph).
type Blank struct{}

// depth splits an item's leading tabs, its list level (0 to 2), off it.
func depth(item string) (int, string) {
	text := strings.TrimLeft(item, "\t")
	return min(len(item)-len(text), 2), text
}

// listNumber is the number of a Numbered item as Word shows it with the
// numbering of DOCX's numbering.xml: "1.", "a)", "i.".
func listNumber(level, n int) string {
	switch level {
	case 0:
		return strconv.Itoa(n) + "."
	case 1:
		return string(rune('a'+(n-1)%26)) + ")"
	}
	romans := []string{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
	if n <= len(romans) {
		return romans[n-1] + "."
	}
	return strconv.Itoa(n) + "."
}

// numeric reports whether a table cell holds a number (an amount, a
// percentage, a date), which is right-aligned.
func numeric(s string) bool {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "kr"))
	if s == "" {
		return false
	}
	digit := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(" \u00a0,.-−%", r):
		default:
			return false
		}
	}
	return digit
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
