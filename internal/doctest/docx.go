package doctest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
)

// DOCX returns a minimal valid .docx of the blocks: [Content_Types].xml,
// the package and document relationships, word/document.xml,
// word/numbering.xml (a decimal list, 1. a) i., and a bulleted one) and
// word/styles.xml (Normal, Heading 1, Table Grid).
func DOCX(blocks ...Block) []byte {
	w := &docxWriter{}
	for _, b := range blocks {
		b.docx(w)
	}
	document := xmlHeader + `<w:document xmlns:w="` + wNS + `" xmlns:r="` + rNS + `"><w:body>` + w.body.String() +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1418" w:bottom="1134" w:left="1418" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`
	var nums strings.Builder
	nums.WriteString(`<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>`)
	for i := 0; i < w.lists; i++ {
		// A list restarted at 1, as Word writes "Restart at 1".
		fmt.Fprintf(&nums, `<w:num w:numId="%d"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>`, i+2)
	}
	numbering := xmlHeader + `<w:numbering xmlns:w="` + wNS + `">` +
		`<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>` +
		lvl(0, "decimal", "%1.") + lvl(1, "lowerLetter", "%2)") + lvl(2, "lowerRoman", "%3.") + `</w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>` +
		lvl(0, "bullet", "\uf0b7") + lvl(1, "bullet", "o") + lvl(2, "bullet", "\uf0a7") + `</w:abstractNum>` +
		nums.String() + `</w:numbering>`
	files := []struct{ name, body string }{
		{"[Content_Types].xml", xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>` +
			`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
			`</Types>`},
		{"_rels/.rels", xmlHeader + `<Relationships xmlns="` + relNS + `">` +
			`<Relationship Id="rId1" Type="` + rNS + `/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", document},
		{"word/_rels/document.xml.rels", xmlHeader + `<Relationships xmlns="` + relNS + `">` +
			`<Relationship Id="rId1" Type="` + rNS + `/styles" Target="styles.xml"/>` +
			`<Relationship Id="rId2" Type="` + rNS + `/numbering" Target="numbering.xml"/></Relationships>`},
		{"word/numbering.xml", numbering},
		{"word/styles.xml", styles},
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		fw, err := zw.Create(f.name)
		if err != nil {
			panic(err)
		}
		if _, err := fw.Write([]byte(f.body)); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	wNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	rNS       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	relNS     = "http://schemas.openxmlformats.org/package/2006/relationships"
	// textWidth is the width between the margins of DOCX's A4 page, in
	// twentieths of a point.
	textWidth = 11906 - 2*1418
)

const styles = xmlHeader + `<w:styles xmlns:w="` + wNS + `">` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:lang w:val="sv-SE"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="720"/></w:pPr></w:style>` +
	`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>` +
	`<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`</w:tblBorders></w:tblPr></w:style></w:styles>`

func lvl(ilvl int, numFmt, text string) string {
	return fmt.Sprintf(`<w:lvl w:ilvl="%d"><w:start w:val="1"/><w:numFmt w:val="%s"/><w:lvlText w:val="%s"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="%d" w:hanging="360"/></w:pPr></w:lvl>`,
		ilvl, numFmt, esc(text), 720*(ilvl+1))
}

// docxWriter is a word/document.xml under construction.
type docxWriter struct {
	body  strings.Builder
	lists int // Numbered lists so far, each its own w:num
}

// runs writes text as runs: "\n" a line break, "\t" a tab.
func runs(text string, bold bool) string {
	var b strings.Builder
	rpr := ""
	if bold {
		rpr = `<w:rPr><w:b/></w:rPr>`
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:r>` + rpr + `<w:br/></w:r>`)
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString(`<w:r>` + rpr + `<w:tab/></w:r>`)
			}
			if part != "" {
				b.WriteString(`<w:r>` + rpr + `<w:t xml:space="preserve">` + esc(part) + `</w:t></w:r>`)
			}
		}
	}
	return b.String()
}

func (p Para) docx(w *docxWriter) { w.body.WriteString(`<w:p>` + runs(p.Text, p.Bold) + `</w:p>`) }

func (h Heading) docx(w *docxWriter) {
	w.body.WriteString(`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>` + runs(h.Text, false) + `</w:p>`)
}

func listItems(w *docxWriter, numID int, items []string) {
	for _, item := range items {
		level, text := depth(item)
		fmt.Fprintf(&w.body, `<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr>%s</w:p>`,
			level, numID, runs(text, false))
	}
}

func (n Numbered) docx(w *docxWriter) {
	w.lists++
	listItems(w, w.lists+1, n.Items)
}

func (b Bullets) docx(w *docxWriter) { listItems(w, 1, b.Items) }

func (t Table) docx(w *docxWriter) {
	cols := 1
	for _, row := range t.Rows {
		cols = max(cols, len(row))
	}
	colW := textWidth / cols
	w.body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>`)
	for range cols {
		fmt.Fprintf(&w.body, `<w:gridCol w:w="%d"/>`, colW)
	}
	w.body.WriteString(`</w:tblGrid>`)
	for r, row := range t.Rows {
		w.body.WriteString(`<w:tr>`)
		for c := 0; c < len(row); c++ {
			if row[c] == MergeLeft {
				continue // spanned by the cell to the left
			}
			span := 1
			for c+span < len(row) && row[c+span] == MergeLeft {
				span++
			}
			if c+span == len(row) {
				span += cols - len(row) // a short row: its last cell spans the rest
			}
			fmt.Fprintf(&w.body, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, colW*span)
			if span > 1 {
				fmt.Fprintf(&w.body, `<w:gridSpan w:val="%d"/>`, span)
			}
			text := row[c]
			switch {
			case text == MergeUp:
				w.body.WriteString(`<w:vMerge/>`)
				text = ""
			case r+1 < len(t.Rows) && c < len(t.Rows[r+1]) && t.Rows[r+1][c] == MergeUp:
				w.body.WriteString(`<w:vMerge w:val="restart"/>`)
			}
			w.body.WriteString(`</w:tcPr>`)
			for _, para := range strings.Split(text, "\n") {
				jc := ""
				if numeric(para) {
					jc = `<w:pPr><w:jc w:val="right"/></w:pPr>`
				}
				w.body.WriteString(`<w:p>` + jc + runs(para, false) + `</w:p>`)
			}
			w.body.WriteString(`</w:tc>`)
		}
		w.body.WriteString(`</w:tr>`)
	}
	w.body.WriteString(`</w:tbl>`)
}

func (c Columns) docx(w *docxWriter) {
	w.body.WriteString(`<w:p><w:pPr><w:tabs>`)
	for i := 1; i < len(c.Cells); i++ {
		if i == len(c.Cells)-1 {
			fmt.Fprintf(&w.body, `<w:tab w:val="right" w:pos="%d"/>`, textWidth)
		} else {
			fmt.Fprintf(&w.body, `<w:tab w:val="left" w:pos="%d"/>`, textWidth*i/(len(c.Cells)-1))
		}
	}
	w.body.WriteString(`</w:tabs></w:pPr>` + runs(strings.Join(c.Cells, "\t"), false) + `</w:p>`)
}

func (PageBreak) docx(w *docxWriter) {
	w.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
}

func (Blank) docx(w *docxWriter) { w.body.WriteString(`<w:p/>`) }
