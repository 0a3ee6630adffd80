package intake

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kommun/beslutsgang/texttable"
)

// line is one line of the input.
type line struct {
	no       int    // 1-based line number in the input
	text     string // trimmed both ends
	raw      string // as written, less the page's common left margin: columns keep their places
	indented bool   // the raw line began with white space
	page     int    // 0-based page, counted by form feeds
	brk      bool   // a page break or dropped page furniture came just before this line
}

// normalizer undoes what PDF extraction does to a text: Windows and old Mac
// line ends, page breaks, non-breaking and zero-width spaces, soft hyphens,
// and the decomposed Swedish letters some extractors emit.
var normalizer = strings.NewReplacer(
	"\r\n", "\n",
	"\r", "\n",
	"\f", "\n\f\n", // a page break is a line of its own; splitLines takes it out
	"\v", "\n",
	"\u2028", "\n",
	"\u2029", "\n",
	"\u0085", "\n",
	"\u00a0", " ",
	"\u202f", " ",
	"\u2007", " ",
	"\ufeff", "",
	"\u200b", "",
	"\u00ad", "",
	"a\u030a", "å", "A\u030a", "Å",
	"a\u0308", "ä", "A\u0308", "Ä",
	"o\u0308", "ö", "O\u0308", "Ö",
	"u\u0308", "ü", "U\u0308", "Ü",
	"e\u0301", "é", "E\u0301", "É",
)

func normalize(text string) string {
	return normalizer.Replace(strings.ToValidUTF8(text, "\uFFFD"))
}

// splitLines splits a normalized text into lines, numbered as the input's
// lines are, and takes out the page breaks, counting pages. The first line
// of each page after the first is marked brk.
func splitLines(text string) []line {
	raw := strings.Split(text, "\n")
	lines := make([]line, 0, len(raw))
	no, page := 0, 0
	for i, s := range raw {
		if s == "\f" {
			page++
			continue
		}
		if i == 0 || raw[i-1] != "\f" { // the "\n" added around a form feed is not a line
			no++
		}
		s = strings.TrimRightFunc(strings.ReplaceAll(s, "\t", "    "), unicode.IsSpace)
		brk := page > 0 && len(lines) > 0 && lines[len(lines)-1].page != page
		lines = append(lines, line{no: no, text: strings.TrimSpace(s), raw: s, page: page, brk: brk})
	}
	return lines
}

// cutMargins cuts each page's common left margin off its lines (pdftotext
// -layout keeps the page's), so that "indented" means indented within the
// text. The margin is that of the lines in one column: a running header kept
// on the first page, set further left in columns, does not count. It runs
// after dropFurniture, for the same reason.
func cutMargins(lines []line) []line {
	for start := 0; start < len(lines); {
		end := start
		margin, anyMargin := -1, -1 // of lines of one column, of all lines
		for end < len(lines) && lines[end].page == lines[start].page {
			if lines[end].text != "" {
				ind := strings.IndexFunc(lines[end].raw, notSpace)
				if anyMargin < 0 || ind < anyMargin {
					anyMargin = ind
				}
				if (margin < 0 || ind < margin) && len(cells(lines[end].raw)) == 1 {
					margin = ind
				}
			}
			end++
		}
		if margin < 0 {
			margin = anyMargin
		}
		for i := start; i < end; i++ {
			if lines[i].text != "" && margin > 0 {
				lines[i].raw = lines[i].raw[min(margin, strings.IndexFunc(lines[i].raw, notSpace)):]
			}
			lines[i].indented = lines[i].text != "" && strings.IndexFunc(lines[i].raw, notSpace) > 0
		}
		start = end
	}
	return lines
}

func notSpace(r rune) bool { return !unicode.IsSpace(r) }

// isPrivateUse reports a private-use code point: PDF extraction turns Symbol
// and Wingdings bullets into these (U+F0B7, U+F0A7, ...).
func isPrivateUse(r rune) bool { return unicode.Is(unicode.Co, r) }

// isBulletGlyph reports a rune that is a bullet wherever it starts a line.
func isBulletGlyph(r rune) bool {
	switch r {
	case '•', '▪', '■', '◦', '●', '○', '·', '‣', '⁃', '∙', '➢', '►', '✓', '\uFFFD':
		return true
	}
	return isPrivateUse(r)
}

// isBulletDash reports a rune that is a bullet only when followed by a space.
func isBulletDash(r rune) bool {
	switch r {
	case '-', '*', '–', '—':
		return true
	}
	return false
}

// cutBullet strips a leading bullet from a trimmed line. "-", "*" and dashes
// count as bullets only when a space follows them (so "-och" is a word).
func cutBullet(s string) (rest string, ok bool) {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case size == 0:
		return s, false
	case isBulletGlyph(r):
		for { // "  text" or "•• text"
			s = s[size:]
			r, size = utf8.DecodeRuneInString(s)
			if size == 0 || !isBulletGlyph(r) {
				break
			}
		}
		return strings.TrimSpace(s), true
	case isBulletDash(r):
		next, _ := utf8.DecodeRuneInString(s[size:])
		if next == ' ' || next == '\t' {
			return strings.TrimSpace(s[size:]), true
		}
	}
	return s, false
}

// cutNumber strips a leading item number "1. " or "2) " from a trimmed line.
// A number followed by a digit ("1.5 miljoner") is not an item number.
func cutNumber(s string) (rest string, ok bool) {
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i == 3 || i >= len(s) || (s[i] != '.' && s[i] != ')') {
		return s, false
	}
	rest = s[i+1:]
	if rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return s, false
	}
	return strings.TrimSpace(rest), true
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// endsSentence reports a line whose last character closes a sentence or
// introduces what follows.
func endsSentence(s string) bool {
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, ":") ||
		strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// endsPunct reports a line that ends with punctuation no heading ends with.
func endsPunct(s string) bool {
	return endsSentence(s) || strings.HasSuffix(s, ",") || strings.HasSuffix(s, ";")
}

// A unit is one piece of rendered prose.
type unitKind int

const (
	unitParagraph unitKind = iota
	unitHeading
	unitBullet
	unitRows  // a table whose columns could not be told apart: one row per line
	unitTable // a table, in table
)

type unit struct {
	kind  unitKind
	lines []string
	table texttable.Table
	no    int // the input line it starts on
}

func (u unit) String() string {
	switch u.kind {
	case unitBullet:
		return "- " + strings.Join(u.lines, " ")
	case unitRows:
		return strings.Join(u.lines, "\n")
	case unitTable:
		return u.table.String()
	}
	return strings.Join(u.lines, " ")
}

// readProse renders the lines of Sammanfattning or Ärendet: paragraphs
// re-flowed and separated by a blank line, bullet items as consecutive lines
// "- item", sub-headings on their own, and tables as texttable pipe tables
// with a caption: the short line directly above the table, else the nearest
// sub-heading above it. A total row is checked against its column's sum.
// Warnings name field, the section's field in the case form.
func readProse(lines []line, field string) (string, []Warning) {
	lines = joinWrapped(lines, false)
	var units []unit
	var warnings []Warning
	warn := func(format string, args ...any) {
		warnings = append(warnings, Warning{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	var prose []line
	flush := func() {
		units = append(units, proseUnits(prose, warn)...)
		prose = nil
	}
	for i := 0; i < len(lines); {
		rows, next := tableRun(lines, i)
		if next == i {
			prose = append(prose, lines[i])
			i++
			continue
		}
		t, ok := gridTable(rows)
		if !ok {
			prose = append(prose, lines[i:next]...)
			i = next
			continue
		}
		if n := len(prose); n > 0 && prose[n-1].text != "" && isCaption(prose[n-1].text) {
			t.Caption = collapseSpaces(prose[n-1].text)
			prose = prose[:n-1]
		}
		flush()
		units = append(units, unit{kind: unitTable, table: t, no: lines[i].no})
		i = next
	}
	flush()

	// Totals written apart from their table, captions, and the sums.
	var out []unit
	heading := ""
	for i := 0; i < len(units); i++ {
		u := units[i]
		if isHeadingUnit(u) {
			heading = u.lines[0]
		}
		if u.kind != unitTable {
			out = append(out, u)
			continue
		}
		if u.table.Total == nil && i+1 < len(units) && (units[i+1].kind == unitParagraph || units[i+1].kind == unitHeading) && len(units[i+1].lines) == 1 {
			if row, ok := totalRow(u.table, units[i+1].lines[0]); ok {
				u.table.Total = row
				i++
			}
		}
		if u.table.Caption == "" {
			if n := len(out); n > 0 && isHeadingUnit(out[n-1]) {
				u.table.Caption = out[n-1].lines[0]
				out = out[:n-1]
			} else {
				u.table.Caption = heading
			}
		}
		for _, problem := range checkTotal(u.table) {
			warn("Tabellen %q: %s", tableName(u.table), problem)
		}
		out = append(out, u)
	}

	var b strings.Builder
	for i, u := range out {
		if i > 0 {
			if u.kind == unitBullet && out[i-1].kind == unitBullet {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(u.String())
	}
	return b.String(), warnings
}

// isHeadingUnit reports a sub-heading, or a paragraph of one short line
// that reads as one (a Word document's heading, which has no paragraph after
// it in the same block).
func isHeadingUnit(u unit) bool {
	if u.kind == unitHeading {
		return true
	}
	if u.kind != unitParagraph || len(u.lines) != 1 {
		return false
	}
	s := u.lines[0]
	return utf8.RuneCountInString(s) <= 100 && len(strings.Fields(s)) <= 12 && startsUpper(s) && !endsPunct(s) &&
		!texttable.IsTotal(s)
}

func tableName(t texttable.Table) string {
	if t.Caption != "" {
		return t.Caption
	}
	return strings.Join(t.Header, " ")
}

// isCaption reports a line that can caption the table below it: short, and
// not the end of a sentence.
func isCaption(s string) bool {
	return utf8.RuneCountInString(s) <= 100 && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, ",")
}

// tableRun finds a table starting at line i: pipe rows (a DOCX table), or at
// least three lines in columns with gutters shared by all of them
// (pdftotext -layout). It returns the rows' cells and the index after the
// table; next == i when no table starts there, and rows is nil when the
// lines from i to next are in columns but share no gutter. Blank lines between rows
// belong to the table; a short single-cell line between rows is a wrapped
// cell.
func tableRun(lines []line, i int) (rows [][]string, next int) {
	if isPipeRow(lines[i].text) {
		j := i
		for j < len(lines) && (isPipeRow(lines[j].text) || lines[j].text == "" && j+1 < len(lines) && isPipeRow(lines[j+1].text)) {
			if lines[j].text != "" {
				if c := pipeCells(lines[j].text); !isDelimiterRow(c) {
					rows = append(rows, c)
				}
			}
			j++
		}
		return rows, j
	}
	columns := func(k int) int { return len(cells(lines[k].raw)) }
	if columns(i) < 2 || isBulletLine(lines[i].text) {
		return nil, i
	}
	var run []line
	multi := 0
	j := i
	for j < len(lines) {
		switch {
		case lines[j].text == "":
			if j+1 < len(lines) && columns(j+1) >= 2 {
				j++
				continue
			}
		case columns(j) >= 2 && !isBulletLine(lines[j].text):
			run = append(run, lines[j])
			multi++
			j++
			continue
		case utf8.RuneCountInString(lines[j].text) <= 40 && j+1 < len(lines) && columns(j+1) >= 2 && !endsSentence(lines[j].text):
			run = append(run, lines[j])
			j++
			continue
		}
		break
	}
	if multi < 3 {
		return nil, i
	}
	g := gutters(run)
	if len(g) == 0 {
		return nil, j // lines in columns that are no table: prose, all of them
	}
	for _, ln := range run {
		rows = append(rows, layoutCells(ln.raw, g))
	}
	return rows, j
}

func isBulletLine(s string) bool {
	_, ok := cutBullet(s)
	return ok
}

// proseUnits splits prose lines into blocks at blank lines, and blocks into
// paragraphs, bullet items, sub-headings and tables written with single
// spaces.
func proseUnits(lines []line, warn func(string, ...any)) []unit {
	var units []unit
	for _, block := range blocks(lines) {
		if isTable(block) {
			rows := tableRows(block)
			if t, ok := splitPlainTable(rows); ok {
				units = append(units, unit{kind: unitTable, table: t, no: block[0].no})
				continue
			}
			warn("Tabellen på rad %d kunde inte delas i kolumner; raderna står som text: kontrollera dem", block[0].no)
			units = append(units, unit{kind: unitRows, lines: rows, no: block[0].no})
			continue
		}
		units = append(units, blockUnits(block)...)
	}
	return units
}

// blocks splits lines at blank lines.
func blocks(lines []line) [][]line {
	var out [][]line
	var cur []line
	for _, ln := range lines {
		if ln.text == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, ln)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// figureEndRE matches a line that ends in a figure: a number, maybe with a
// unit ("172 286 SEK", "12 %", "2").
var figureEndRE = regexp.MustCompile(`(?i)\d(?:\s*(?:%|sek|kr|tkr|mkr|mnkr|mdkr|st|h|tim))?$`)

// isTable reports a block of at least three lines of which more than half end
// in a figure and none ends a sentence: the rows of a flattened table.
func isTable(block []line) bool {
	if len(block) < 3 {
		return false
	}
	figures := 0
	for _, ln := range block {
		if strings.HasSuffix(ln.text, ".") {
			return false
		}
		if _, bullet := cutBullet(ln.text); bullet {
			return false
		}
		if figureEndRE.MatchString(ln.text) {
			figures++
		}
	}
	return figures*2 > len(block)
}

// tableRows keeps the rows of a table as they are, except that a line with no
// figure followed by a line starting in lower case is one cell wrapped over
// two lines, and is joined to the next.
func tableRows(block []line) []string {
	var rows []string
	for i := 0; i < len(block); i++ {
		row := block[i].text
		for i+1 < len(block) && !strings.ContainsAny(row, "0123456789") && startsLower(block[i+1].text) {
			i++
			row += " " + block[i].text
		}
		rows = append(rows, row)
	}
	return rows
}

// blockUnits splits one block of prose into paragraphs, bullet items and
// sub-headings.
func blockUnits(block []line) []unit {
	var units []unit
	var cur *unit
	flush := func() {
		if cur != nil {
			units = append(units, *cur)
			cur = nil
		}
	}
	pendingBullet := false // a bullet glyph alone on its line
	bulletIndent := 0      // where the open bullet item's text starts, in runes
	for i, ln := range block {
		// A sub-heading can only come where a paragraph could start.
		atBreak := i == 0 || ln.indented || cur == nil || cur.kind != unitParagraph ||
			endsSentence(block[i-1].text)
		text, bullet := cutBullet(ln.text)
		if bullet || pendingBullet {
			flush()
			if text == "" {
				pendingBullet = true
				continue
			}
			pendingBullet = false
			cur = &unit{kind: unitBullet, lines: []string{text}}
			bulletIndent = textIndent(ln.raw, text)
			continue
		}
		// A wrapped item: in lower case at the margin (text), or set under
		// the item's text (a PDF's layout).
		if cur != nil && cur.kind == unitBullet && (!ln.indented && startsLower(text) ||
			ln.indented && runeIndent(ln.raw) >= bulletIndent) {
			cur.lines = append(cur.lines, text) // a wrapped bullet item
			continue
		}
		if atBreak && isSubheading(block, i) {
			flush()
			units = append(units, unit{kind: unitHeading, lines: []string{text}})
			continue
		}
		if cur == nil || cur.kind != unitParagraph || ln.indented {
			flush()
			cur = &unit{kind: unitParagraph}
		}
		cur.lines = append(cur.lines, text)
	}
	flush()
	return units
}

// isSubheading reports whether line i of a block, standing where a paragraph
// could start, is a sub-heading: a short line that starts in upper case, has
// no final punctuation and is followed by a line that starts a paragraph
// (an upper-case letter, not a bullet).
func isSubheading(block []line, i int) bool {
	text := block[i].text
	if utf8.RuneCountInString(text) > 100 || len(strings.Fields(text)) > 12 {
		return false
	}
	if !startsUpper(text) || endsPunct(text) || i+1 >= len(block) || endsFunctionWord(text) {
		return false
	}
	next := block[i+1].text
	_, bullet := cutBullet(next)
	r, _ := utf8.DecodeRuneInString(next)
	return !bullet && unicode.IsUpper(r) // not a digit: "uppgått till" / "4 029 253 SEK ..." is one sentence
}

// functionWords are words a heading does not end with but a wrapped line
// often does: conjunctions, prepositions, articles, auxiliaries, numerals.
var functionWords = map[string]bool{
	"och": true, "eller": true, "samt": true, "men": true, "att": true, "som": true, "om": true,
	"av": true, "för": true, "från": true, "i": true, "på": true, "till": true, "med": true, "vid": true,
	"under": true, "efter": true, "inom": true, "mellan": true, "utan": true, "genom": true, "mot": true,
	"en": true, "ett": true, "de": true, "det": true, "den": true, "är": true, "har": true, "var": true,
	"kan": true, "ska": true, "skall": true, "kommer": true, "två": true, "tre": true, "fyra": true,
	"fem": true, "sex": true, "sju": true, "åtta": true, "nio": true, "tio": true,
}

// endsFunctionWord reports a line whose last word is a function word.
func endsFunctionWord(s string) bool {
	w := strings.Fields(s)
	return len(w) > 0 && functionWords[strings.ToLower(w[len(w)-1])]
}

// runeIndent is how many runes of white space start s.
func runeIndent(s string) int {
	return utf8.RuneCountInString(s[:max(strings.IndexFunc(s, notSpace), 0)])
}

// textIndent is where text starts in raw, in runes.
func textIndent(raw, text string) int {
	i := strings.Index(raw, text)
	if i < 0 {
		return runeIndent(raw)
	}
	return utf8.RuneCountInString(raw[:i])
}
