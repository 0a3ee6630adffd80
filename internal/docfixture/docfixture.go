// Package docfixture makes small real documents for tests: a PDF written
// with the project's PDF library and a DOCX written as Word writes one (a zip
// with word/document.xml), so the readers are tested on files real tools
// accept.
package docfixture

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// PDF returns a one-page PDF with each line as a line of text. The core
// font is cp1252, which covers Swedish (å, ä, ö, é).
func PDF(t testing.TB, lines ...string) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	for _, l := range lines {
		pdf.CellFormat(0, 8, tr(l), "", 1, "L", false, 0, "")
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// DOCX returns a Word document with each paragraph as a w:p. A paragraph
// may hold "[del:…]" for text deleted with change tracking on, which a
// reader must leave out.
func DOCX(t testing.TB, paragraphs ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString("<w:p>")
		for i, part := range strings.Split(p, "[del:") {
			if i > 0 {
				del, rest, _ := strings.Cut(part, "]")
				body.WriteString(`<w:del w:id="1" w:author="x"><w:r><w:delText>` + esc(del) + `</w:delText></w:r></w:del>`)
				part = rest
			}
			if part != "" {
				body.WriteString(`<w:r><w:t xml:space="preserve">` + esc(part) + `</w:t></w:r>`)
			}
		}
		body.WriteString("</w:p>")
	}
	return DOCXPart(t, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+body.String()+`</w:body></w:document>`)
}

// DOCXPart returns a Word document whose word/document.xml is documentXML
// as given, well-formed or not.
func DOCXPart(t testing.TB, documentXML string) []byte {
	t.Helper()
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", documentXML},
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
