package doctext_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kommun/beslutsgang/doctext"
	"github.com/kommun/beslutsgang/internal/doctest"
)

// tjänsteskrivelse is the body of a small tjänsteskrivelse with what the
// readers must keep: lists, a table with merged cells, a page break and
// text in columns.
var tjänsteskrivelse = []doctest.Block{
	doctest.Heading{Text: "Förslag till beslut"},
	doctest.Numbered{Items: []string{"Nämnden godkänner förslaget.", "\tmed villkor ett", "\tmed villkor två", "Nämnden avslår övrigt."}},
	doctest.Para{Text: "Bakgrund"},
	doctest.Bullets{Items: []string{"Förskolan i Åmål", "Skolan i Säffle"}},
	doctest.Table{Rows: [][]string{
		{"Post", "Belopp", "Kommentar"},
		{"Lokaler", "1 200 000", "Hyra | el"},
		{"Summa", doctest.MergeLeft, "Ökning"},
		{"Personal", "800 000", doctest.MergeUp},
	}},
	doctest.PageBreak{},
	doctest.Columns{Cells: []string{"Anna Andersson", "Förvaltningschef"}},
	doctest.Numbered{Items: []string{"Ny lista"}},
}

func TestDocumentDOCX(t *testing.T) {
	got, err := doctext.Document(context.Background(), "ts.docx", "", doctest.DOCX(tjänsteskrivelse...))
	if err != nil {
		t.Fatal(err)
	}
	want := "Förslag till beslut\n" +
		"1. Nämnden godkänner förslaget.\n" +
		"a) med villkor ett\n" +
		"b) med villkor två\n" +
		"2. Nämnden avslår övrigt.\n" +
		"Bakgrund\n" +
		"• Förskolan i Åmål\n" +
		"• Skolan i Säffle\n" +
		"\n" +
		"| Post | Belopp | Kommentar |\n" +
		"| Lokaler | 1 200 000 | Hyra \\| el |\n" +
		"| Summa | | Ökning |\n" +
		"| Personal | 800 000 | |\n" +
		"\n" +
		"\fAnna Andersson\tFörvaltningschef\n" +
		"1. Ny lista\n"
	if got != want {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
	// The search index reads a DOCX the same way.
	if ext, err := doctext.Extract(context.Background(), "ts.docx", "", doctest.DOCX(tjänsteskrivelse...)); err != nil || ext != got {
		t.Errorf("Extract: %q, %v", ext, err)
	}
}

func TestDocumentPDF(t *testing.T) {
	pdf := doctest.PDF(doctest.PDFSpec{
		Header: []string{"Tjänsteskrivelse\tASN-2026-900"},
		Footer: func(page, pages int) []string {
			return []string{"Exempelkommun", fmt.Sprintf("Sida %d (%d)", page, pages)}
		},
		Blocks: tjänsteskrivelse,
	})
	got, err := doctext.Document(context.Background(), "ts.pdf", "application/pdf", pdf)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(got, "\f")
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2 separated by a form feed:\n%s", len(pages), got)
	}
	for i, p := range pages {
		for _, re := range []string{
			`Tjänsteskrivelse {3,}ASN-2026-900\n`,
			fmt.Sprintf(`\nExempelkommun\n *Sida %d \(2\)\n`, i+1),
		} {
			if !regexp.MustCompile(re).MatchString(p) {
				t.Errorf("page %d lacks %s:\n%s", i+1, re, p)
			}
		}
	}
	for _, re := range []string{
		`(?m)^ *1\. Nämnden godkänner förslaget\.$`,
		`(?m)^ *a\) med villkor ett$`,
		`(?m)^ *• Förskolan i Åmål$`,
		`(?m)^Lokaler {3,}1 200 000 {3,}Hyra \| el$`,
	} {
		if !regexp.MustCompile(re).MatchString(pages[0]) {
			t.Errorf("page 1 lacks %s:\n%s", re, pages[0])
		}
	}
	if !regexp.MustCompile(`(?m)^Anna Andersson {3,}Förvaltningschef$`).MatchString(pages[1]) {
		t.Errorf("page 2 does not keep the columns apart:\n%s", pages[1])
	}
	// The search index's text has neither form feeds nor layout.
	ext, err := doctext.Extract(context.Background(), "ts.pdf", "application/pdf", pdf)
	if err != nil || strings.Contains(ext, "\f") || strings.Contains(ext, "Andersson   ") || !strings.Contains(ext, "Förvaltningschef") {
		t.Errorf("Extract: %q, %v", ext, err)
	}
}

// docx returns a Word document of the given parts, document.xml's body
// (without its w:document and w:body) and numbering.xml's content.
func docx(t testing.TB, body, numbering, styles string) []byte {
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, s := range map[string]string{
		"word/document.xml":  `<w:document ` + w + ` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` + body + `</w:body></w:document>`,
		"word/numbering.xml": `<w:numbering ` + w + `>` + numbering + `</w:numbering>`,
		"word/styles.xml":    `<w:styles ` + w + `>` + styles + `</w:styles>`,
	} {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(s))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func p(numID, ilvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + ilvl + `"/><w:numId w:val="` + numID + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func TestDOCXNumbering(t *testing.T) {
	numbering := `<w:abstractNum w:abstractNumId="7">` +
		`<w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl>` +
		`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>` +
		`<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%3:"/><w:suff w:val="nothing"/></w:lvl>` +
		`</w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>` +
		`<w:num w:numId="2"><w:abstractNumId w:val="7"/></w:num>` +
		`<w:num w:numId="3"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>` +
		`<w:num w:numId="4"><w:abstractNumId w:val="8"/></w:num>`
	styles := `<w:style w:type="paragraph" w:styleId="Lista"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Lista2"><w:basedOn w:val="Lista"/></w:style>`
	body := p("1", "0", "tre") + p("1", "1", "tre ett") + p("1", "2", "romersk") + p("1", "2", "romersk två") +
		p("1", "1", "tre två") + p("2", "0", "fyra (samma lista)") + p("2", "1", "fyra ett") +
		p("3", "0", "omstart") + p("0", "0", "ingen lista") + p("99", "0", "okänd lista") +
		`<w:p><w:pPr><w:pStyle w:val="Lista2"/></w:pPr><w:r><w:t>stilens lista</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Lista"/></w:pPr><w:r><w:t>B-punkt</w:t></w:r></w:p>`
	got, err := doctext.DOCX(docx(t, body, numbering, styles))
	if err != nil {
		t.Fatal(err)
	}
	want := "3) tre\n3.1 tre ett\nI:romersk\nII:romersk två\n3.2 tre två\n4) fyra (samma lista)\n4.1 fyra ett\n" +
		"1) omstart\ningen lista\nokänd lista\nA. stilens lista\nB. B-punkt\n"
	if got != want {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
	// Without numbering.xml, or with a damaged one, the text is still read.
	got, err = doctext.DOCX(docx(t, body, `<w:abstractNum>`, styles))
	if err != nil || !strings.HasPrefix(got, "tre\ntre ett\n") {
		t.Errorf("damaged numbering.xml: %q, %v", got, err)
	}
}

func TestDOCXStructure(t *testing.T) {
	run := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	cell := func(s ...string) string {
		var b strings.Builder
		b.WriteString("<w:tc>")
		for _, x := range s {
			b.WriteString("<w:p>" + x + "</w:p>")
		}
		b.WriteString("</w:tc>")
		return b.String()
	}
	body := `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="4000"/></w:tabs></w:pPr>` + run("Namn") + `<w:r><w:tab/></w:r>` + run("Titel") + `</w:p>` +
		`<w:p>` + run("rad ett") + `<w:r><w:br/></w:r>` + run("rad två") + `<w:r><w:lastRenderedPageBreak/></w:r></w:p>` +
		`<w:p><w:pPr><w:pageBreakBefore/></w:pPr>` + run("ny sida") + `<w:del w:id="1"><w:r><w:tab/><w:delText>struket</w:delText></w:r></w:del>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` + run(" 2") + `<w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`<w:moveFrom w:id="2">` + run("flyttat härifrån") + `</w:moveFrom></w:p>` +
		`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p>` + run("textruta") + `</w:p></w:txbxContent></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><w:txbxContent><w:p>` + run("textruta") + `</w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
		`<w:tbl><w:tr>` + `<w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr><w:p>` + run("A") + `</w:p><w:p>` + run("och B") + `</w:p></w:tc>` + cell(run("C")) + `</w:tr>` +
		`<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc>` +
		`<w:tc><w:tbl><w:tr>` + cell(run("inre 1")) + cell(run("inre 2")) + `</w:tr><w:tr>` + cell(run("inre 3")) + `</w:tr></w:tbl><w:p>` + run("efter") + `</w:p></w:tc></w:tr></w:tbl>` +
		`<w:tbl><w:tr>` + cell(run("andra tabellen")) + `</w:tr></w:tbl>` +
		`<w:p>` + run("slut") + `</w:p>`
	got, err := doctext.DOCX(docx(t, body, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	want := "Namn\tTitel\nrad ett\nrad två\n\fny sida 2\ntextruta\n\n" +
		"| A och B | | C |\n| | | inre 1 inre 2 inre 3 efter |\n\n" +
		"| andra tabellen |\n\nslut\n"
	if got != want {
		t.Errorf("text:\n%q\nwant\n%q", got, want)
	}
}

func TestDOCXIsBounded(t *testing.T) {
	cell := `<w:tc><w:p><w:r><w:t>` + strings.Repeat("å", 1000) + `</w:t></w:r></w:p></w:tc>`
	body := `<w:tbl>` + strings.Repeat(`<w:tr>`+cell+cell+`</w:tr>`, 1000) + `</w:tbl>`
	got, err := doctext.DOCX(docx(t, body, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > doctext.MaxText || len(got) < doctext.MaxText/2 || !utf8.ValidString(got) || !strings.HasPrefix(got, "| ååå") {
		t.Fatalf("%d bytes, starting %q", len(got), got[:min(len(got), 20)])
	}
}

func FuzzDOCX(f *testing.F) {
	f.Add(`<w:p><w:pPr><w:numPr><w:ilvl w:val="8"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>`,
		`<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="8"><w:start w:val="99999999999"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%9%1%"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`)
	f.Add(`<w:tc><w:tr><w:p><w:tcPr><w:gridSpan w:val="-3"/></w:tcPr></w:p></w:tr></w:tc><w:tbl><w:tc/></w:tbl>`, ``)
	f.Add(`<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:br w:type="page"/></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>`, `<w:num`)
	f.Fuzz(func(t *testing.T, body, numbering string) {
		got, err := doctext.DOCX(docx(t, body, numbering, ""))
		if err == nil && (len(got) > doctext.MaxText || !utf8.ValidString(got)) {
			t.Fatalf("%d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
		}
		doctext.DOCX([]byte(body)) // garbage as the whole file
	})
}
