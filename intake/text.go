package intake

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// line is one line of the input.
type line struct {
	no       int    // 1-based line number in the input
	text     string // trimmed both ends
	indented bool   // the raw line began with white space
}

// normalizer undoes what PDF extraction does to a text: Windows and old Mac
// line ends, page breaks, non-breaking and zero-width spaces, soft hyphens,
// and the decomposed Swedish letters some extractors emit.
var normalizer = strings.NewReplacer(
	"\r\n", "\n",
	"\r", "\n",
	"\f", "\n",
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

func splitLines(text string) []line {
	raw := strings.Split(text, "\n")
	lines := make([]line, len(raw))
	for i, s := range raw {
		t := strings.TrimSpace(s)
		lines[i] = line{
			no:       i + 1,
			text:     t,
			indented: t != "" && len(t) < len(s) && strings.IndexFunc(s, notSpace) > 0,
		}
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
	unitTable
)

type unit struct {
	kind  unitKind
	lines []string
}

func (u unit) String() string {
	switch u.kind {
	case unitBullet:
		return "- " + strings.Join(u.lines, " ")
	case unitTable:
		return strings.Join(u.lines, "\n")
	}
	return strings.Join(u.lines, " ")
}

// readProse renders the lines of Sammanfattning or Ärendet: paragraphs
// re-flowed and separated by a blank line, bullet items as consecutive lines
// "- item", sub-headings and tables on their own.
func readProse(lines []line) string {
	var units []unit
	for _, block := range blocks(lines) {
		if isTable(block) {
			units = append(units, unit{kind: unitTable, lines: tableRows(block)})
			continue
		}
		units = append(units, blockUnits(block)...)
	}
	var b strings.Builder
	for i, u := range units {
		if i > 0 {
			if u.kind == unitBullet && units[i-1].kind == unitBullet {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(u.String())
	}
	return b.String()
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
			continue
		}
		if cur != nil && cur.kind == unitBullet && !ln.indented && startsLower(text) {
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
	if !startsUpper(text) || endsPunct(text) || i+1 >= len(block) {
		return false
	}
	next := block[i+1].text
	_, bullet := cutBullet(next)
	r, _ := utf8.DecodeRuneInString(next)
	return !bullet && unicode.IsUpper(r) // not a digit: "uppgått till" / "4 029 253 SEK ..." is one sentence
}
