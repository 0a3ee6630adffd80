package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// wordNS is the namespace of WordprocessingML's elements.
const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// mcNS is the namespace of markup compatibility (mc:AlternateContent).
const mcNS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

// DOCX returns the text of a Word document's body as Word shows it:
//
//   - each paragraph a line; a tab is "\t", a line break "\n", a hard page
//     break (w:br w:type="page", w:pageBreakBefore) a form feed "\f";
//   - a numbered or bulleted paragraph starts with its number as Word
//     displays it ("1. ", "a) ", "2.1 ") or "• ", from word/numbering.xml,
//     also when the numbering comes with the paragraph's style;
//   - a table is set off by blank lines, each row one line in pipe syntax,
//     "| cell 1 | cell 2 |", a cell's paragraphs joined by a space and "|"
//     in a cell written "\|"; a cell merged across columns is followed by an
//     empty cell for each extra column, a cell merged with the one above is
//     empty, and a table inside a cell is flattened into the cell's text.
//
// Deleted (tracked) and moved-away text, field codes and the fallback copy
// of text boxes are left out; headers, footers and comments are not read.
// A zip that is not a Word document is ErrUnsupported.
func DOCX(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", ErrUnsupported
	}
	var doc, numbering, styles *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			doc = f
		case "word/numbering.xml":
			numbering = f
		case "word/styles.xml":
			styles = f
		}
	}
	if doc == nil {
		return "", ErrUnsupported // a zip, but not a Word document (xlsx, odt, ...)
	}
	r := &docxReader{counters: map[string]*counter{}}
	// Numbering and styles only add list numbers: a document whose
	// numbering.xml is damaged is still read, without them.
	var nx numberingXML
	if unmarshalPart(numbering, &nx) == nil {
		r.numbering = nx.index()
	}
	var sx stylesXML
	if unmarshalPart(styles, &sx) == nil {
		r.styles = sx.index()
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("doctext: docx: %w", err)
	}
	defer rc.Close()
	if err := r.read(xml.NewDecoder(io.LimitReader(rc, maxXML))); err != nil {
		return "", fmt.Errorf("doctext: docx: %w", err)
	}
	return limit(r.out.String()), nil
}

// unmarshalPart decodes the XML of a part of the zip into v, at most maxXML
// bytes of it. A missing part is an error.
func unmarshalPart(f *zip.File, v any) error {
	if f == nil {
		return errors.New("no part")
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxXML)).Decode(v)
}

// frame kinds: the containers whose text the reader collects.
const (
	framePara = iota
	frameTable
	frameRow
	frameCell
)

// frame is an open paragraph, table, row or cell of document.xml.
type frame struct {
	kind int

	// paragraph
	text      strings.Builder
	style     string
	numID     string // "" when the paragraph sets none
	ilvl      int    // -1 when the paragraph sets none
	pageFirst bool   // w:pageBreakBefore

	// table: its rows, each a line, or for a nested table its cells' text
	rows  []string
	cells []string // row: its cells' text

	// cell
	paras  []string
	span   int  // w:gridSpan
	vMerge bool // continues the cell above
}

// docxReader turns the elements of document.xml into text.
type docxReader struct {
	numbering map[string]numDef   // by w:numId
	styles    map[string]styleDef // by w:styleId; "" is the default paragraph style
	counters  map[string]*counter // by list (see numDef.list)

	out   strings.Builder
	stack []*frame
	size  int // bytes collected in all frames and out, against MaxText

	skip  int // depth inside an element whose content is not the document's text
	inT   int // depth inside w:t
	inRun int // depth inside w:r
	inPPr int // depth inside w:pPr
}

// skipped are the elements whose content is not the text Word shows: tracked
// deletions and moves, earlier properties kept for tracked changes, and the
// second copy of content given in two forms.
var skipped = map[string]bool{
	"del": true, "moveFrom": true, "pPrChange": true, "rPrChange": true,
	"tblPrChange": true, "trPrChange": true, "tcPrChange": true,
	"sectPrChange": true, "numberingChange": true, "instrText": true, "delInstrText": true,
}

func (r *docxReader) read(dec *xml.Decoder) error {
	for r.size <= MaxText {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if r.skip > 0 || (t.Name.Space == wordNS && skipped[t.Name.Local]) ||
				(t.Name.Space == mcNS && t.Name.Local == "Fallback") {
				r.skip++
				continue
			}
			if t.Name.Space == wordNS {
				r.start(t)
			}
		case xml.EndElement:
			if r.skip > 0 {
				r.skip--
				continue
			}
			if t.Name.Space == wordNS {
				r.end(t.Name.Local)
			}
		case xml.CharData:
			if r.skip == 0 && r.inT > 0 && r.inContent() {
				r.write(string(t))
			}
		}
	}
	// Text cut at MaxText: close what is open, so that its text is kept.
	for len(r.stack) > 0 {
		r.end([]string{"p", "tbl", "tr", "tc"}[r.top().kind])
	}
	return nil
}

func (r *docxReader) top() *frame {
	if len(r.stack) == 0 {
		return nil
	}
	return r.stack[len(r.stack)-1]
}

// para returns the innermost open paragraph, or nil.
func (r *docxReader) para() *frame {
	if f := r.top(); f != nil && f.kind == framePara {
		return f
	}
	return nil
}

// write adds s to the text of the open paragraph.
func (r *docxReader) write(s string) {
	if p := r.para(); p != nil {
		p.text.WriteString(s)
		r.size += len(s)
	}
}

// inContent reports whether a w:tab, w:br or w:t is the content of a run,
// not a property (w:tab in w:tabs is a tab stop).
func (r *docxReader) inContent() bool { return r.inRun > 0 && r.inPPr == 0 }

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// on reports whether an on/off property (w:pageBreakBefore, ...) is on.
func on(t xml.StartElement) bool {
	switch attr(t, "val") {
	case "0", "false", "off":
		return false
	}
	return true
}

func (r *docxReader) start(t xml.StartElement) {
	switch t.Name.Local {
	case "p":
		r.stack = append(r.stack, &frame{kind: framePara, ilvl: -1})
	case "tbl":
		r.stack = append(r.stack, &frame{kind: frameTable})
	case "tr":
		r.stack = append(r.stack, &frame{kind: frameRow})
	case "tc":
		r.stack = append(r.stack, &frame{kind: frameCell, span: 1})
	case "r":
		r.inRun++
	case "pPr":
		r.inPPr++
	case "t":
		r.inT++
	case "tab", "ptab":
		if r.inContent() {
			r.write("\t")
		}
	case "br":
		if r.inContent() {
			if attr(t, "type") == "page" {
				r.write("\f")
			} else {
				r.write("\n")
			}
		}
	case "cr":
		if r.inContent() {
			r.write("\n")
		}
	case "noBreakHyphen":
		if r.inContent() {
			r.write("-")
		}
	case "pStyle":
		if p := r.para(); p != nil && r.inPPr > 0 {
			p.style = attr(t, "val")
		}
	case "numId":
		if p := r.para(); p != nil && r.inPPr > 0 {
			p.numID = attr(t, "val")
		}
	case "ilvl":
		if p := r.para(); p != nil && r.inPPr > 0 {
			p.ilvl = level(attr(t, "val"))
		}
	case "pageBreakBefore":
		if p := r.para(); p != nil && r.inPPr > 0 {
			p.pageFirst = on(t)
		}
	case "gridSpan":
		if c := r.top(); c != nil && c.kind == frameCell {
			if n, err := strconv.Atoi(attr(t, "val")); err == nil && n > 1 {
				c.span = min(n, 64) // a table has at most 63 columns
			}
		}
	case "vMerge":
		if c := r.top(); c != nil && c.kind == frameCell {
			c.vMerge = attr(t, "val") != "restart"
		}
	}
}

// frameKinds are the frame kinds by element name.
var frameKinds = map[string]int{"p": framePara, "tbl": frameTable, "tr": frameRow, "tc": frameCell}

func (r *docxReader) end(local string) {
	switch local {
	case "r":
		r.inRun = max(0, r.inRun-1)
		return
	case "pPr":
		r.inPPr = max(0, r.inPPr-1)
		return
	case "t":
		r.inT = max(0, r.inT-1)
		return
	}
	k, ok := frameKinds[local]
	if !ok {
		return
	}
	f := r.top()
	if f == nil || f.kind != k {
		return // cannot happen with balanced XML, whose p, tbl, tr and tc match
	}
	r.stack = r.stack[:len(r.stack)-1]
	switch k {
	case framePara:
		r.endPara(f)
	case frameCell:
		r.endCell(f)
	case frameRow:
		r.endRow(f)
	case frameTable:
		r.endTable(f)
	}
}

// cell returns the innermost open table cell, or nil.
func (r *docxReader) cell() *frame {
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i].kind == frameCell {
			return r.stack[i]
		}
	}
	return nil
}

func (r *docxReader) endPara(p *frame) {
	text := p.text.String()
	prefix := r.number(p)
	r.size += len(prefix)
	if c := r.cell(); c != nil {
		c.paras = append(c.paras, prefix+text)
		return
	}
	if p.pageFirst && r.out.Len() > 0 {
		r.out.WriteByte('\f')
	}
	// A paragraph that is only a page break is the break between the lines
	// before and after, as pdftotext writes it.
	if text != "" && strings.Trim(text, "\f") == "" && prefix == "" {
		r.out.WriteString(text)
		return
	}
	r.out.WriteString(prefix)
	r.out.WriteString(text)
	r.out.WriteByte('\n')
	r.size++
}

// cellEscaper writes a cell's text on one line of a row.
var cellEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "\f", " ", "\t", " ", "\r", " ")

func (r *docxReader) endCell(c *frame) {
	text := ""
	if !c.vMerge {
		var parts []string
		for _, p := range c.paras {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		text = strings.Join(parts, " ")
	}
	row := r.top()
	if row == nil || row.kind != frameRow {
		// A cell outside a row: keep its text as a paragraph.
		p := &frame{kind: framePara, ilvl: -1}
		p.text.WriteString(text)
		r.endPara(p)
		return
	}
	row.cells = append(row.cells, text)
	for i := 1; i < c.span; i++ {
		row.cells = append(row.cells, "")
	}
}

func (r *docxReader) endRow(row *frame) {
	tbl := r.top()
	if tbl == nil || tbl.kind != frameTable {
		tbl = &frame{kind: frameTable}
		defer r.endTable(tbl)
	}
	if r.cell() != nil {
		// A table inside a cell: its cells are only text.
		tbl.rows = append(tbl.rows, row.cells...)
		return
	}
	var b strings.Builder
	b.WriteString("|")
	for _, c := range row.cells {
		if c = strings.TrimSpace(cellEscaper.Replace(c)); c != "" {
			b.WriteString(" " + c)
		}
		b.WriteString(" |")
	}
	tbl.rows = append(tbl.rows, b.String()) // its text is counted in r.size already
}

func (r *docxReader) endTable(tbl *frame) {
	if c := r.cell(); c != nil {
		// Flattened into the cell that holds it.
		var parts []string
		for _, s := range tbl.rows {
			if s = strings.TrimSpace(s); s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			c.paras = append(c.paras, strings.Join(parts, " "))
		}
		return
	}
	if len(tbl.rows) == 0 {
		return
	}
	if s := r.out.String(); s != "" && !strings.HasSuffix(s, "\n\n") {
		if !strings.HasSuffix(s, "\n") {
			r.out.WriteByte('\n')
		}
		r.out.WriteByte('\n')
	}
	for _, row := range tbl.rows {
		r.out.WriteString(row)
		r.out.WriteByte('\n')
	}
	r.out.WriteByte('\n')
	r.size += 2
}
