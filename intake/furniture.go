package intake

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Page furniture is what a word processor repeats on every page: running
// headers and footers, page numbers, signature stamps. It is not part of the
// sections, and where it interrupts a paragraph or a list item the two halves
// are joined again.

// pageNumberRE matches a line that is only a page number: "Sida 2 (5)",
// "Sida 2 av 5", "2 (5)", "2(5)", "2/5", "Sida 2", "- 2 -", "Page 2 of 5".
var pageNumberRE = regexp.MustCompile(`(?i)^(?:(?:sida|sid\.|page)\s*\d{1,3}(?:\s*(?:\(\s*\d{1,3}\s*\)|(?:av|of|/)\s*\d{1,3}))?|\d{1,3}\s*\(\s*\d{1,3}\s*\)|\d{1,3}\s*/\s*\d{1,3}|[-–]\s*\d{1,3}\s*[-–])$`)

// trailingPageNumberRE matches a page number set at the right of a line
// that also holds other furniture: "Exempelkommun            Sida 1 (2)".
var trailingPageNumberRE = regexp.MustCompile(`(?i)\s{2,}(?:(?:sida|sid\.|page)\s*\d{1,3}(?:\s*(?:\(\s*\d{1,3}\s*\)|(?:av|of|/)\s*\d{1,3}))?|\d{1,3}\s*\(\s*\d{1,3}\s*\)|\d{1,3}/\d{1,3})$`)

// stampRE matches the stamp an e-signature service prints where a manager
// signed: "SIGNERAD", "Signerad 2020-01-10", "Digitalt signerad".
var stampRE = regexp.MustCompile(`(?i)^(?:digitalt\s+|elektroniskt\s+)?signerad(?:\s+(?:digitalt|elektroniskt))?(?:\s+\d{4}-\d{2}-\d{2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)?$`)

// stampsOnly reports a line of signature stamps side by side, maybe with the
// dates of signing: "SIGNERAD        SIGNERAD", "2026-11-20      2026-11-21"
// under them is kept (a date line is skipped where it matters).
func stampsOnly(raw string) bool {
	cs := cells(raw)
	if len(cs) < 2 {
		return false
	}
	for _, c := range cs {
		if !stampRE.MatchString(c) {
			return false
		}
	}
	return true
}

// zone is how many non-empty lines at the top and the bottom of a page are
// looked at for running headers and footers.
const zone = 4

// furnitureKey is what two occurrences of a running header have in common:
// case, spacing and figures (page numbers, dates) aside.
func furnitureKey(s string) string {
	s = strings.ToLower(collapseSpaces(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '#'
		}
		return r
	}, s)
}

// dropFurniture removes page numbers, stamps and running headers and footers.
// A running header or footer is a short line found near two or more page
// boundaries: the top or bottom lines of two pages when the text has form
// feeds, or the lines around two page numbers, or at the document's start,
// when it has not. On the first page the lines the preamble needs (the
// document type, the number, a date) are kept; the others removed there are
// returned, as a last resort for the title. The line after a removed piece
// is marked brk, and blank lines at a break inside a sentence are dropped,
// so a paragraph or a list item that went over a page is one again.
func dropFurniture(lines []line) (kept []line, firstPage []string) {
	drop := make([]bool, len(lines))
	for i := range lines {
		t := lines[i].text
		switch {
		case pageNumberRE.MatchString(t), stampRE.MatchString(t), stampsOnly(lines[i].raw):
			drop[i] = true
		case trailingPageNumberRE.MatchString(lines[i].raw):
			// Keep the rest, which the repetition test below may drop.
			rest := trailingPageNumberRE.ReplaceAllString(lines[i].raw, "")
			lines[i].raw = rest
			lines[i].text = strings.TrimSpace(rest)
			if lines[i].text == "" {
				drop[i] = true
			}
		}
	}

	// The name of the municipality or office printed beside a page number
	// is furniture even on a single page.
	for i := range lines {
		if !drop[i] || !pageNumberRE.MatchString(lines[i].text) {
			continue
		}
		for _, step := range []int{-1, 1} {
			for j, seen := i+step, 0; j >= 0 && j < len(lines) && seen < 2; j += step {
				if lines[j].text == "" || drop[j] {
					continue
				}
				seen++
				if isOrgName(lines[j].text) {
					drop[j] = true
				}
			}
		}
	}

	// The groups of lines near each page boundary.
	var groups [][]int
	if len(lines) == 0 {
		return nil, nil
	}
	if last := lines[len(lines)-1].page; last > 0 {
		for p := 0; p <= last; p++ {
			var idx []int
			for i, ln := range lines {
				if ln.page == p && ln.text != "" && !drop[i] {
					idx = append(idx, i)
				}
			}
			groups = append(groups, edges(idx))
		}
	} else {
		// Without form feeds, the page numbers mark the page boundaries, and
		// without those there is nothing to compare.
		var idx []int
		for i, ln := range lines {
			if ln.text != "" && !drop[i] {
				idx = append(idx, i)
			}
		}
		groups = append(groups, zoneHead(idx))
		for i, ln := range lines {
			if drop[i] && pageNumberRE.MatchString(ln.text) {
				var around []int
				for _, j := range idx {
					if j < i {
						around = append(around, j)
					}
				}
				before := zoneTail(around)
				var after []int
				for _, j := range idx {
					if j > i && len(after) < zone {
						after = append(after, j)
					}
				}
				groups = append(groups, append(before, after...))
			}
		}
	}
	// A key is furniture when two different lines with it lie near two
	// different boundaries.
	seen := map[string]map[int]int{} // key → line → a group it is near
	for g, idx := range groups {
		for _, i := range idx {
			if t := collapseSpaces(lines[i].text); utf8.RuneCountInString(t) <= 90 && !isHeadingLine(t) {
				k := furnitureKey(t)
				if seen[k] == nil {
					seen[k] = map[int]int{}
				}
				seen[k][i] = g
			}
		}
	}
	for k, at := range seen {
		distinct := map[int]bool{}
		for _, g := range at {
			distinct[g] = true
		}
		if len(at) >= 2 && len(distinct) >= 2 {
			for i := range at {
				if furnitureKey(lines[i].text) == k {
					drop[i] = true
				}
			}
		}
	}

	brk := false
	// trimAtBreak drops the blank lines before a break when the text before
	// it stops inside a sentence.
	trimAtBreak := func() {
		if endsSentence(lastText(kept)) {
			return
		}
		for len(kept) > 0 && kept[len(kept)-1].text == "" {
			kept = kept[:len(kept)-1]
		}
	}
	for i, ln := range lines {
		if drop[i] || ln.brk {
			trimAtBreak()
		}
		if drop[i] {
			if ln.page == 0 && ln.text != "" && !pageNumberRE.MatchString(ln.text) && !stampRE.MatchString(ln.text) {
				if preambleMaterial(ln.text) && !firstPageKept(kept, ln.text) {
					kept = append(kept, ln)
					continue
				}
				firstPage = append(firstPage, ln.text)
			}
			brk = true
			continue
		}
		if ln.brk {
			brk = true
		}
		ln.brk = brk
		if brk && ln.text == "" && len(kept) > 0 && !endsSentence(lastText(kept)) {
			continue // a blank line at a break inside a sentence
		}
		if ln.text != "" {
			brk = false
		}
		kept = append(kept, ln)
	}
	return kept, firstPage
}

// firstPageKept reports whether text is already among the kept lines (a
// running header's first occurrence is kept once).
func firstPageKept(kept []line, text string) bool {
	for _, k := range kept {
		if furnitureKey(k.text) == furnitureKey(text) {
			return true
		}
	}
	return false
}

func lastText(lines []line) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].text != "" {
			return lines[i].text
		}
	}
	return ""
}

func zoneHead(idx []int) []int { return idx[:min(zone, len(idx))] }
func zoneTail(idx []int) []int { return idx[max(0, len(idx)-zone):] }

// edges is the top and bottom zone of a page's lines.
func edges(idx []int) []int {
	if len(idx) <= 2*zone {
		return idx
	}
	return append(append([]int(nil), zoneHead(idx)...), zoneTail(idx)...)
}

// joinWrapped drops a blank line that pdftotext -layout puts inside a
// paragraph when the document's line spacing is wide: the blank between a
// line that fills the text width without ending a sentence and the line that
// continues it. With lowerOnly, only before a line starting in lower case
// (safe in every section); else also before one in upper case (in prose,
// where "… projektägare för fyra" / "EU-finansierade projekt …" is one
// sentence). Table rows, headings, list items and numbered lines are never
// joined.
func joinWrapped(lines []line, lowerOnly bool) []line {
	width := 0 // of the text: the widest line that is not in columns
	for _, ln := range lines {
		if len(cells(ln.raw)) == 1 {
			width = max(width, utf8.RuneCountInString(ln.raw))
		}
	}
	full := func(ln line) bool {
		return utf8.RuneCountInString(ln.raw)*10 >= width*7 && !endsSentence(ln.text) && len(cells(ln.raw)) == 1
	}
	starts := func(ln line) bool {
		if isHeadingLine(ln.text) || isBulletLine(ln.text) || isPipeRow(ln.text) || len(cells(ln.raw)) > 1 {
			return false
		}
		if _, numbered := cutNumber(ln.text); numbered {
			return false
		}
		return startsLower(ln.text) || !lowerOnly
	}
	out := make([]line, 0, len(lines))
	for i, ln := range lines {
		if ln.text == "" && len(out) > 0 && i+1 < len(lines) && out[len(out)-1].text != "" &&
			full(out[len(out)-1]) && lines[i+1].text != "" && starts(lines[i+1]) {
			continue
		}
		out = append(out, ln)
	}
	return out
}
