// Package texttable reads and writes the tables inside a case's text: a
// block of GitHub-Flavored-Markdown pipe-table rows, optionally with a
// caption line directly above it, and the Swedish figures in its cells.
//
//	Utbetalda EU-medel 2019
//	| Projektnamn | EU-fond | Utbetalt |
//	| --- | --- | ---: |
//	| Hela familjen | ESF | 1 680 158 SEK |
//	| TOTALT | | 1 680 158 SEK |
//
// The text stays one string; a table is one of its blank-line-separated
// blocks. Nothing here knows about HTML or PDF.
package texttable

import (
	"regexp"
	"strings"
)

// Align is how a column's cells are set, from its delimiter cell.
type Align int

// The alignments of a column: "---" and ":---" are left, "---:" right,
// ":---:" centre.
const (
	AlignLeft Align = iota
	AlignRight
	AlignCenter
)

// Table is one table of a text. Every row of Rows, the Header and Total
// (when there is one) have len(Header) cells; Align has one entry a column.
// Cells are plain text with surrounding spaces trimmed and "\|" read as "|".
type Table struct {
	Caption string     // the line above the header; "" if none
	Header  []string   // the first row
	Align   []Align    // from the delimiter row
	Rows    [][]string // the body rows, without the total row
	Total   []string   // the last row when it is a total row (see IsTotal); nil if none
}

// delimCell is one cell of the delimiter row: "---", ":---", "---:", ":---:".
var delimCell = regexp.MustCompile(`^:?-+:?$`)

// totalLabel matches the first cell of a total row.
var totalLabel = regexp.MustCompile(`(?i)^(totalt|summa|total|sammanlagt)(:|\s|$)`)

// IsTotal reports whether a row whose first cell is first is a total row:
// the cell starts with the word Totalt, Summa, Total or Sammanlagt, in any
// case, maybe followed by a colon ("TOTALT", "Summa:", "Totalt 2019").
func IsTotal(first string) bool { return totalLabel.MatchString(strings.TrimSpace(first)) }

// Parse reads block, the lines of one blank-line-separated block of a text,
// as a table: an optional caption line, a header row, a delimiter row with
// as many cells as the header, and body rows. A row is a line with a "|"
// that is not escaped as "\|"; its leading and trailing pipes are optional.
// A body row with fewer cells than the header is padded with empty cells;
// cells beyond the header's width are dropped. A line of a block without
// any pipe below the delimiter row is a row of one cell, as in GFM. When
// the last body row is a total row (IsTotal) it is Total, not in Rows.
// Parse reports false, and a zero Table, when block is not such a table.
func Parse(block string) (Table, bool) {
	block = strings.ReplaceAll(strings.ReplaceAll(block, "\r\n", "\n"), "\r", "\n")
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	var t Table
	if len(lines) > 0 && !isRow(lines[0]) {
		t.Caption = unescape(lines[0])
		lines = lines[1:]
	}
	if len(lines) < 2 || !isRow(lines[0]) || !isRow(lines[1]) {
		return Table{}, false
	}
	t.Header = cells(lines[0])
	delim := cells(lines[1])
	if len(t.Header) == 0 || len(delim) != len(t.Header) {
		return Table{}, false
	}
	for _, c := range delim {
		if !delimCell.MatchString(c) {
			return Table{}, false
		}
		left, right := strings.HasPrefix(c, ":"), strings.HasSuffix(c, ":")
		switch {
		case left && right:
			t.Align = append(t.Align, AlignCenter)
		case right:
			t.Align = append(t.Align, AlignRight)
		default:
			t.Align = append(t.Align, AlignLeft)
		}
	}
	for _, l := range lines[2:] {
		t.Rows = append(t.Rows, fit(cells(l), len(t.Header)))
	}
	if n := len(t.Rows); n > 0 && IsTotal(t.Rows[n-1][0]) {
		t.Total = t.Rows[n-1]
		t.Rows = t.Rows[:n-1]
		if len(t.Rows) == 0 {
			t.Rows = nil
		}
	}
	return t, true
}

// isRow reports a line with an unescaped pipe in it.
func isRow(line string) bool {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			if i+1 < len(line) && line[i+1] == '|' {
				i++
			}
		case '|':
			return true
		}
	}
	return false
}

// cells splits a row at its unescaped pipes, dropping the leading and the
// trailing one; each cell is trimmed and its "\|" read as "|".
func cells(line string) []string {
	var out []string
	var cur strings.Builder
	endsInPipe := false
	for i := 0; i < len(line); i++ {
		endsInPipe = false
		switch c := line[i]; {
		case c == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case c == '|':
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
			endsInPipe = true
		default:
			cur.WriteByte(c)
		}
	}
	out = append(out, strings.TrimSpace(cur.String()))
	if strings.HasPrefix(line, "|") {
		out = out[1:]
	}
	if endsInPipe && len(out) > 0 {
		out = out[:len(out)-1]
	}
	return out
}

// unescape reads "\|" as "|" and leaves every other backslash as it is.
func unescape(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, `\|`, "|"))
}

// fit pads row with empty cells, or cuts it, to n cells.
func fit(row []string, n int) []string {
	out := make([]string, n)
	copy(out, row)
	return out
}

// String writes t as canonical text: the caption line (when there is one),
// "| a | b |" rows, the delimiter row ("---", "---:", ":---:"), the body rows
// and the total row. Pipes in cells and the caption are escaped as "\|",
// line breaks in them become spaces, and rows are padded or cut to the
// header's width. Parse(t.String()) gives t back for every t Parse returns.
// A table without header cells is "".
func (t Table) String() string {
	n := len(t.Header)
	if n == 0 {
		return ""
	}
	var b strings.Builder
	if c := clean(t.Caption); c != "" {
		b.WriteString(escape(c))
		b.WriteByte('\n')
	}
	row := func(cells []string) {
		b.WriteByte('|')
		for _, c := range fit(cells, n) {
			if c = clean(c); c != "" {
				b.WriteString(" " + escape(c))
			}
			b.WriteString(" |")
		}
		b.WriteByte('\n')
	}
	row(t.Header)
	b.WriteByte('|')
	for i := range n {
		switch t.align(i) {
		case AlignRight:
			b.WriteString(" ---: |")
		case AlignCenter:
			b.WriteString(" :---: |")
		default:
			b.WriteString(" --- |")
		}
	}
	b.WriteByte('\n')
	for _, r := range t.Rows {
		row(r)
	}
	if t.Total != nil {
		row(t.Total)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (t Table) align(col int) Align {
	if col < len(t.Align) {
		return t.Align[col]
	}
	return AlignLeft
}

func clean(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s))
}

// escape writes every "|" of s as "\|". Since a backslash escapes only a
// pipe, unescape(escape(s)) == s for every s.
func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// ColumnAlign is how column col is set: right or centre as its delimiter
// cell says, otherwise right when every non-empty body cell of the column
// is a figure (Numeric) and there is at least one, otherwise left.
func (t Table) ColumnAlign(col int) Align {
	if a := t.align(col); a != AlignLeft {
		return a
	}
	figures := 0
	for _, r := range t.Rows {
		if col >= len(r) || r[col] == "" {
			continue
		}
		if !Numeric(r[col]) {
			return AlignLeft
		}
		figures++
	}
	if figures > 0 {
		return AlignRight
	}
	return AlignLeft
}

// CellAlign is how the cell s of column col is set: right when s is a
// figure, otherwise as the column (ColumnAlign).
func (t Table) CellAlign(col int, s string) Align {
	if Numeric(s) {
		return AlignRight
	}
	return t.ColumnAlign(col)
}
