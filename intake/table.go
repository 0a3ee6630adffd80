package intake

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/kommun/beslutsgang/texttable"
)

// Tables reach the reader in three shapes: pipe rows from a DOCX table
// ("| Hela familjen | ESF | 1 680 158 SEK | 2 |"), columns kept apart by
// runs of spaces (pdftotext -layout), and rows whose cells are separated by
// single spaces (pdftotext without -layout, or text copied from a PDF). All
// three become a texttable.Table; the last only when its columns can be told
// apart with confidence (splitPlainTable), else its rows stay lines of text
// with a warning.

// isPipeRow reports a line written as a pipe-table row.
func isPipeRow(s string) bool {
	return len(s) >= 2 && strings.HasPrefix(s, "|") && strings.HasSuffix(s, "|")
}

// pipeCells splits a pipe row into its cells; "\|" is a pipe inside a cell.
func pipeCells(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "|"), "|")
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '|':
			b.WriteByte('|')
			i++
		case s[i] == '|':
			out = append(out, collapseSpaces(b.String()))
			b.Reset()
		default:
			b.WriteByte(s[i])
		}
	}
	return append(out, collapseSpaces(b.String()))
}

// isDelimiterRow reports a GFM delimiter row ("| --- | ---: |").
func isDelimiterRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, ":-") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return len(cells) > 0
}

// layoutCells splits a layout line into cells at gutters: the runs of at
// least two columns that are blank on every line of the table.
func layoutCells(raw string, gutters [][2]int) []string {
	r := []rune(raw)
	var out []string
	start := 0
	for _, g := range gutters {
		out = append(out, cellText(r, start, g[0]))
		start = g[1]
	}
	return append(out, cellText(r, start, len(r)))
}

func cellText(r []rune, from, to int) string {
	from, to = min(from, len(r)), min(to, len(r))
	return collapseSpaces(string(r[from:to]))
}

// gutters finds the column gutters shared by every line: runs of two or more
// positions blank on all of them, inside the text (not its margins).
func gutters(lines []line) [][2]int {
	width := 0
	for _, ln := range lines {
		width = max(width, len([]rune(ln.raw)))
	}
	used := make([]bool, width)
	for _, ln := range lines {
		for i, c := range []rune(ln.raw) {
			if !unicode.IsSpace(c) {
				used[i] = true
			}
		}
	}
	var out [][2]int
	first := -1
	for i, u := range used {
		if u && first < 0 {
			first = i
		}
		if u || first < 0 {
			continue
		}
		j := i
		for j < width && !used[j] {
			j++
		}
		if j-i >= 2 && j < width {
			out = append(out, [2]int{i, j})
		}
		i = j - 1
	}
	return dedupeGutters(out)
}

func dedupeGutters(g [][2]int) [][2]int {
	var out [][2]int
	for _, x := range g {
		if len(out) > 0 && out[len(out)-1][1] >= x[0] {
			out[len(out)-1][1] = max(out[len(out)-1][1], x[1])
			continue
		}
		out = append(out, x)
	}
	return out
}

// gridTable makes a table of rows of cells. The first row is the header;
// rows under it with an empty first cell continue it (a header wrapped over
// lines). Below, a row of text only with some cells empty continues the row
// above (a wrapped cell), or the row below when that one goes on in lower
// case (a cell wrapped above the others). A last row starting "Totalt" or
// "Summa" is the total. Two neighbouring columns never filled in the same
// row are one column: a header set left over figures set right.
func gridTable(rows [][]string) (texttable.Table, bool) {
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	for i := range rows {
		for len(rows[i]) < n {
			rows[i] = append(rows[i], "")
		}
	}
	rows = joinColumns(rows)
	if len(rows) == 0 {
		return texttable.Table{}, false
	}
	n = len(rows[0])
	header := rows[0]
	i := 1
	for ; i < len(rows) && rows[i][0] == "" && countFilled(rows[i]) < n; i++ {
		for k := range header {
			header[k] = strings.TrimSpace(header[k] + " " + rows[i][k])
		}
	}
	var body [][]string
	for ; i < len(rows); i++ {
		r := rows[i]
		filled := countFilled(r)
		partial := filled > 0 && filled < n && !anyNumeric(r) && !texttable.IsTotal(r[0])
		switch {
		case filled == 0:
		case partial && i+1 < len(rows) && r[firstFilled(r)] != "" && startsLower(rows[i+1][firstFilled(r)]):
			for k := range r { // the top half of the next row's cells
				if r[k] != "" {
					rows[i+1][k] = strings.TrimSpace(r[k] + " " + rows[i+1][k])
				}
			}
		case partial && len(body) > 0:
			prev := body[len(body)-1]
			for k := range r {
				if r[k] != "" {
					prev[k] = strings.TrimSpace(prev[k] + " " + r[k])
				}
			}
		default:
			body = append(body, r)
		}
	}
	if len(body) < 1 || n < 2 {
		return texttable.Table{}, false
	}
	t := texttable.Table{Header: header}
	if last := body[len(body)-1]; len(body) > 1 && texttable.IsTotal(last[0]) {
		last[0] = strings.TrimSuffix(last[0], ":")
		t.Total = last
		body = body[:len(body)-1]
	}
	t.Rows = body
	t.Align = alignments(t)
	return t, true
}

// joinColumns joins neighbouring columns that no row fills both of.
func joinColumns(rows [][]string) [][]string {
	if len(rows) == 0 {
		return rows
	}
	for k := 0; k+1 < len(rows[0]); {
		clash := false
		for _, r := range rows {
			if r[k] != "" && r[k+1] != "" {
				clash = true
				break
			}
		}
		if clash {
			k++
			continue
		}
		for i, r := range rows {
			joined := strings.TrimSpace(r[k] + " " + r[k+1])
			rows[i] = append(append(append([]string(nil), r[:k]...), joined), r[k+2:]...)
		}
	}
	return rows
}

func countFilled(r []string) int {
	n := 0
	for _, c := range r {
		if c != "" {
			n++
		}
	}
	return n
}

func firstFilled(r []string) int {
	for i, c := range r {
		if c != "" {
			return i
		}
	}
	return 0
}

func anyNumeric(r []string) bool {
	for _, c := range r {
		if _, _, ok := texttable.Value(c); ok {
			return true
		}
	}
	return false
}

// alignments right-aligns the columns whose body cells are mostly figures.
func alignments(t texttable.Table) []texttable.Align {
	out := make([]texttable.Align, len(t.Header))
	for k := range t.Header {
		nums, filled := 0, 0
		for _, r := range t.Rows {
			if k < len(r) && r[k] != "" {
				filled++
				if _, _, ok := texttable.Value(r[k]); ok {
					nums++
				}
			}
		}
		if filled > 0 && nums*2 > filled {
			out[k] = texttable.AlignRight
		}
	}
	return out
}

// checkTotal compares each figure of the total row with the sum of its
// column (texttable.CheckTotal) and describes every mismatch, in Swedish.
func checkTotal(t texttable.Table) []string {
	var out []string
	for _, m := range t.CheckTotal() {
		out = append(out, fmt.Sprintf("summan av kolumnen %q är %s, men raden %q anger %s",
			t.Header[m.Col], swedishNumber(m.Sum), t.Total[0], swedishNumber(m.Total)))
	}
	return out
}

// swedishNumber writes a figure as Swedish texts do: "4 029 253", "12,5".
func swedishNumber(v float64) string {
	neg := v < 0
	v = math.Abs(v)
	whole := strconv.FormatInt(int64(v), 10)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	s := b.String()
	if frac := v - math.Trunc(v); frac > 0.0005 {
		s += "," + strings.TrimRight(strconv.FormatFloat(frac, 'f', 2, 64)[2:], "0")
	}
	if neg {
		s = "−" + s
	}
	return s
}

// unitRE is a unit written after a figure.
var unitRE = regexp.MustCompile(`(?i)^(?:sek|kr|tkr|mkr|mnkr|mdkr|%|st|euro|eur)$`)

// digitsRE is one group of a figure: "1", "680", "12,5", "-3".
var digitsRE = regexp.MustCompile(`^[-−]?\d+(?:,\d+)?$`)

// peelFigures splits a row written with single spaces into its text and the
// figures that end it: "Hela familjen ESF 1 680 158 SEK 2" gives the words
// of "Hela familjen ESF" and the cells "1 680 158 SEK", "2". Digit groups of
// three are joined to the figure before them (thousands), a unit closes one.
func peelFigures(words []string) (text, figures []string) {
	i := len(words)
	for i > 0 {
		j := i
		unit := ""
		if unitRE.MatchString(words[j-1]) && j >= 2 && digitsRE.MatchString(words[j-2]) {
			unit = words[j-1]
			j--
		}
		if !digitsRE.MatchString(words[j-1]) {
			break
		}
		start := j - 1
		for start > 0 && isGroup3(words[start]) && isLeadGroup(words[start-1]) {
			start--
			if !isGroup3(words[start]) {
				break
			}
		}
		cell := strings.Join(words[start:j], " ")
		if unit != "" {
			cell += " " + unit
		}
		figures = append([]string{cell}, figures...)
		i = start
	}
	return words[:i], figures
}

// isGroup3 reports a group of exactly three digits: "680" in "1 680 158".
func isGroup3(s string) bool {
	return len(s) == 3 && strings.Trim(s, "0123456789") == ""
}

// isLeadGroup reports the first group of a figure: one to three digits,
// maybe signed.
func isLeadGroup(s string) bool {
	d := strings.TrimLeft(s, "-−")
	return len(d) >= 1 && len(d) <= 3 && strings.Trim(d, "0123456789") == ""
}

// splitHeader splits a header written with single spaces into n cells: a
// cell starts at a word in upper case that does not follow a word in lower
// case ("Utbetalt till ASF 2019" is one cell, "Projektnamn EU-fond" two).
func splitHeader(s string) []string {
	words := strings.Fields(s)
	var out []string
	for i, w := range words {
		if i == 0 || (startsUpperLetter(w) && !startsLower(words[i-1])) {
			out = append(out, w)
			continue
		}
		out[len(out)-1] += " " + w
	}
	return out
}

func startsUpperLetter(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

// splitPlainTable makes a table of rows whose cells are separated by single
// spaces, the way the seed's EU table comes out of pdftotext:
//
//	Projektnamn EU-fond Utbetalt till ASF 2019 Bidrar till KF-mål
//	Hela familjen ESF 1 680 158 SEK 2
//
// The header gives the number of columns; each row's figures are peeled off
// its end (peelFigures), and the words left are shared out from the right,
// one word to each text column but the first. It succeeds only when every
// row comes out with its figures in the same columns; otherwise ok is false
// and the rows stay text.
func splitPlainTable(rows []string) (t texttable.Table, ok bool) {
	if len(rows) < 3 {
		return t, false
	}
	header := splitHeader(rows[0])
	n := len(header)
	if n < 2 || anyNumeric(header) {
		return t, false
	}
	t.Header = header
	figureCols := -1
	for _, row := range rows[1:] {
		text, figures := peelFigures(strings.Fields(row))
		textCols := n - len(figures)
		if textCols < 1 || len(text) < textCols {
			return t, false
		}
		if figureCols >= 0 && len(figures) != figureCols {
			return t, false
		}
		figureCols = len(figures)
		cellsOut := []string{strings.Join(text[:len(text)-(textCols-1)], " ")}
		cellsOut = append(cellsOut, text[len(text)-(textCols-1):]...)
		t.Rows = append(t.Rows, append(cellsOut, figures...))
	}
	if figureCols < 1 {
		return t, false
	}
	t.Align = alignments(t)
	return t, true
}

// totalRow places a total written apart from its table ("TOTALT:  4 029 253
// SEK") into the table's columns: each figure into the figure column whose
// cells share its unit, else into the figure columns from the right.
func totalRow(t texttable.Table, s string) ([]string, bool) {
	words := strings.Fields(s)
	text, figures := peelFigures(words)
	if len(text) == 0 || len(figures) == 0 || !texttable.IsTotal(strings.Join(text, " ")) {
		return nil, false
	}
	row := make([]string, len(t.Header))
	row[0] = strings.TrimSuffix(strings.Join(text, " "), ":")
	var free []int
	for k := len(t.Header) - 1; k > 0; k-- {
		if t.Align[k] == texttable.AlignRight {
			free = append(free, k)
		}
	}
	for _, f := range figures {
		_, unit, _ := texttable.Value(f)
		at := -1
		for i, k := range free {
			if unit != "" && columnUnit(t, k) == strings.ToLower(unit) {
				at = i
				break
			}
		}
		if at < 0 && len(free) > 0 {
			at = 0
		}
		if at < 0 {
			return nil, false
		}
		row[free[at]] = f
		free = append(free[:at], free[at+1:]...)
	}
	return row, true
}

// columnUnit is the unit the cells of column k share, lower case, or "".
func columnUnit(t texttable.Table, k int) string {
	unit := ""
	for _, r := range t.Rows {
		_, u, ok := texttable.Value(r[k])
		if !ok {
			continue
		}
		u = strings.ToLower(u)
		if unit != "" && u != unit {
			return ""
		}
		unit = u
	}
	return unit
}
