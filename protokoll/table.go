package protokoll

import (
	"strings"

	"github.com/kommun/beslutsgang/texttable"
)

// Tables in a paragraph's text are set a little smaller than the text, so
// that a table of four or five columns fits the text column.
var (
	styleCell     = style{"", 9, 4.6, 0}
	styleCellHead = style{"B", 9, 4.6, 0}
)

// body writes a paragraph's text: its blank-line-separated blocks as text,
// and a block that is a table (texttable.Parse) as a table, a blank line
// from what is around it. A text without tables is written as d.text writes
// it. body reports whether the text ends in a table.
func (d *doc) body(s string) (endsInTable bool) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var run []string
	wrote := false
	gap := func() {
		if wrote {
			d.pdf.Ln(styleText.lineH)
		}
		wrote = true
	}
	flush := func() {
		if run != nil {
			gap()
			d.text(strings.Join(run, "\n\n"))
			run = nil
		}
	}
	for _, block := range strings.Split(s, "\n\n") {
		if t, ok := texttable.Parse(block); ok {
			flush()
			gap()
			d.table(t)
			endsInTable = true
			continue
		}
		if wrote && run == nil && strings.TrimSpace(block) == "" {
			continue // blank lines after a table: the gap is there already
		}
		run = append(run, block)
		endsInTable = false
	}
	flush()
	return endsInTable
}

// bodyHeight is what a heading keeps with it of the text s: the first lines
// of its text or, when s starts with a table, the table's caption, header
// and first row.
func (d *doc) bodyHeight(s string) float64 {
	first, _, _ := strings.Cut(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n")
	if t, ok := texttable.Parse(first); ok {
		return d.tableStart(t, d.columnWidths(t))
	}
	return d.textHeight(s)
}

// tableRow is one row of a table laid out: each cell's lines and alignment
// ("L", "R" or "C"), in the row's style.
type tableRow struct {
	st    style
	lines [][]string
	align []string
}

func (r tableRow) height() float64 {
	n := 1
	for _, l := range r.lines {
		n = max(n, len(l))
	}
	return float64(n) * r.st.lineH
}

var alignCode = map[texttable.Align]string{texttable.AlignLeft: "L", texttable.AlignRight: "R", texttable.AlignCenter: "C"}

func (d *doc) tableRow(t texttable.Table, cells []string, widths []float64, header bool) tableRow {
	r := tableRow{st: styleCell}
	if header {
		r.st = styleCellHead
	}
	for i, c := range cells {
		a := t.ColumnAlign(i)
		if !header {
			a = t.CellAlign(i, c)
		}
		r.lines = append(r.lines, d.wrap(r.st, c, widths[i]))
		r.align = append(r.align, alignCode[a])
	}
	return r
}

// ruleGap is the space a rule in a table takes: half above it, half below.
const ruleGap = 1.2

// tableStart is the height of t's caption, header, the rule under it and
// its first row: what stays together on a page.
func (d *doc) tableStart(t texttable.Table, widths []float64) float64 {
	h := d.tableRow(t, t.Header, widths, true).height() + ruleGap
	if t.Caption != "" {
		h += d.height(styleSmall, t.Caption, 0)
	}
	switch {
	case len(t.Rows) > 0:
		h += d.tableRow(t, t.Rows[0], widths, false).height()
	case t.Total != nil:
		h += ruleGap + d.tableRow(t, t.Total, widths, false).height()
	}
	return h
}

// table draws t from the left margin: the caption in the small style, the
// header in bold with a rule under it, the body rows, and the total row
// with a rule above it. Columns are as wide as their content where the
// text column allows; otherwise the widest are narrowed and their text
// wraps in the cell. Figures and the cells of right-aligned columns are set
// flush right (texttable.CellAlign). A row stays on one page when it fits
// on one; the caption, header and first row stay together; a page break
// inside the table repeats the header.
func (d *doc) table(t texttable.Table) {
	widths := d.columnWidths(t)
	tableW := 0.0
	for _, w := range widths {
		tableW += w
	}
	header := d.tableRow(t, t.Header, widths, true)
	d.keep(d.tableStart(t, widths))
	if t.Caption != "" {
		d.write(styleSmall, t.Caption)
	}
	drawHeader := func() {
		d.drawTableRow(header, widths)
		d.tableRule(tableW)
	}
	drawHeader()
	rows := make([]tableRow, 0, len(t.Rows)+1)
	for _, r := range t.Rows {
		rows = append(rows, d.tableRow(t, r, widths, false))
	}
	for _, r := range rows {
		page := d.pdf.PageNo()
		d.keep(r.height())
		if d.pdf.PageNo() != page {
			drawHeader()
		}
		d.drawTableRow(r, widths)
	}
	if t.Total != nil {
		total := d.tableRow(t, t.Total, widths, false)
		page := d.pdf.PageNo()
		d.keep(ruleGap + total.height())
		if d.pdf.PageNo() != page {
			drawHeader()
		}
		d.tableRule(tableW)
		d.drawTableRow(total, widths)
	}
}

// tableRule draws a rule w wide from the left margin, ruleGap/2 below the
// current line, and moves below it.
func (d *doc) tableRule(w float64) {
	y := d.pdf.GetY() + ruleGap/2
	d.pdf.SetDrawColor(120, 120, 120)
	d.pdf.Line(margin, y, margin+w, y)
	d.pdf.SetXY(margin, y+ruleGap/2)
}

// drawTableRow draws r line by line, each cell in its column; like drawRow,
// the page breaks between lines only for a row taller than a page.
func (d *doc) drawTableRow(r tableRow, widths []float64) {
	n := int(r.height()/r.st.lineH + 0.5)
	d.use(r.st)
	for i := range n {
		d.keep(r.st.lineH)
		d.use(r.st) // a new page starts in the footer's font
		y := d.pdf.GetY()
		x := margin
		for c, lines := range r.lines {
			if i < len(lines) {
				d.pdf.SetXY(x, y)
				d.pdf.CellFormat(widths[c], r.st.lineH, lines[i], "", 0, r.align[c], false, 0, "")
			}
			x += widths[c]
		}
		d.pdf.SetXY(margin, y+r.st.lineH)
	}
}

// columnWidths sizes t's columns in mm. A column is as wide as its widest
// cell when all fit in the text column. Otherwise the widest columns are
// narrowed to a common width, none below its longest word (a figure counts
// as one word), so that the table is as wide as the text column; when even
// the longest words do not fit, every column is scaled down alike.
func (d *doc) columnWidths(t texttable.Table) []float64 {
	n := len(t.Header)
	pad := 2*d.pdf.GetCellMargin() + 1 // the cell's margins and a gutter
	natural, least := make([]float64, n), make([]float64, n)
	for i := range n {
		natural[i], least[i] = pad+1, pad+1
	}
	measure := func(st style, cells []string) {
		d.use(st)
		for i, c := range cells {
			c = printable(c)
			natural[i] = max(natural[i], d.pdf.GetStringWidth(c)+pad)
			words := strings.Fields(c)
			if texttable.Numeric(c) {
				words = []string{c}
			}
			for _, w := range words {
				least[i] = max(least[i], min(natural[i], d.pdf.GetStringWidth(w)+pad))
			}
		}
	}
	measure(styleCellHead, t.Header)
	for _, r := range t.Rows {
		measure(styleCell, r)
	}
	measure(styleCell, t.Total)
	width := d.width()
	sum := func(cap float64) float64 {
		s := 0.0
		for i := range n {
			s += min(natural[i], max(least[i], cap))
		}
		return s
	}
	if sum(width*2) <= width { // every column as wide as its content
		return natural
	}
	out := make([]float64, n)
	if narrowest := sum(0); narrowest > width {
		for i := range n {
			out[i] = least[i] * width / narrowest
		}
		return out
	}
	lo, hi := 0.0, width
	for range 50 {
		mid := (lo + hi) / 2
		if sum(mid) > width {
			hi = mid
		} else {
			lo = mid
		}
	}
	for i := range n {
		out[i] = min(natural[i], max(least[i], lo))
	}
	return out
}
