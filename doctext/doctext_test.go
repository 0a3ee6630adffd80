package doctext_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/doctext"
	"github.com/kommun/beslutsgang/internal/docfixture"
)

func TestExtract(t *testing.T) {
	ctx := context.Background()
	pdf := docfixture.PDF(t, "Förskoleverksamhet i Åmål", "Redovisning av EU-projekt <2019>")
	docx := docfixture.DOCX(t, "Ärendet gäller förskoleverksamhet[del:HEMLIGSTRUKEN] i Åmål.", "Andra stycket & <taggar>")
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<workbook/>"))
	zw.Close()
	for _, tc := range []struct {
		name, file, ctype string
		data              []byte
		want              []string
		not               []string
		err               error
	}{
		{name: "pdf", file: "beslut.pdf", ctype: "application/pdf", data: pdf,
			want: []string{"Förskoleverksamhet i Åmål", "EU-projekt <2019>"}},
		{name: "pdf under another name", file: "beslut", ctype: "application/octet-stream", data: pdf,
			want: []string{"Förskoleverksamhet"}},
		{name: "docx", file: "ts.docx", data: docx,
			want: []string{"Ärendet gäller förskoleverksamhet i Åmål.\nAndra stycket & <taggar>\n"}, not: []string{"HEMLIGSTRUKEN"}},
		{name: "plain text", file: "anteckning.txt", ctype: "text/plain; charset=utf-8", data: []byte("Åmål kommun"),
			want: []string{"Åmål kommun"}},
		{name: "image", file: "bild.png", ctype: "image/png", data: []byte("\x89PNG\r\n\x1a\n...."), err: doctext.ErrUnsupported},
		{name: "spreadsheet", file: "budget.xlsx", data: zipped.Bytes(), err: doctext.ErrUnsupported},
		// Notepad's "ANSI" (Windows-1252) and "Unicode" (UTF-16 with a byte order mark).
		{name: "text in Windows-1252", file: "gammal.txt", ctype: "text/plain", data: []byte("\xc5m\xe5l \x96 \xe5\xe4\xf6"),
			want: []string{"Åmål – åäö"}},
		{name: "text in UTF-16", file: "unicode.txt", data: []byte("\xff\xfe\xc5\x00m\x00\xe5\x00l\x00"), want: []string{"Åmål"}},
		{name: "text in UTF-8 with a byte order mark", file: "bom.txt", data: []byte("\xef\xbb\xbfÅmål"), want: []string{"Åmål"}, not: []string{"\ufeff"}},
		// A file named as a PDF or Word file that is not one is no text.
		{name: "text named .docx", file: "falsk.docx", ctype: "text/plain", data: []byte("PK men ingen zip"), err: doctext.ErrUnsupported},
		{name: "text named .pdf", file: "falsk.pdf", ctype: "text/plain", data: []byte("inte en pdf"), err: doctext.ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := doctext.Extract(ctx, tc.file, tc.ctype, tc.data)
			if tc.err != nil {
				if !errors.Is(err, tc.err) || got != "" {
					t.Fatalf("got %q, %v; want error %v", got, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("text %q lacks %q", got, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("text %q has %q", got, w)
				}
			}
		})
	}
}

func TestBrokenDocuments(t *testing.T) {
	ctx := context.Background()
	for name, data := range map[string][]byte{
		"pdf without its body":   []byte("%PDF-1.4\n%%EOF\n"),
		"cut docx":               docfixture.DOCX(t, "Text")[:200],
		"malformed document.xml": docfixture.DOCXPart(t, `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:t>Text</w:p></w:body></w:document>`),
	} {
		if got, err := doctext.Extract(ctx, "fil", "", data); err == nil {
			t.Errorf("%s: no error, text %q", name, got)
		}
	}
}

func TestPDFWithoutPdftotext(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := doctext.Extract(context.Background(), "a.pdf", "application/pdf", []byte("%PDF-1.4\n"))
	if !errors.Is(err, doctext.ErrNoPdftotext) {
		t.Fatalf("without pdftotext: %v", err)
	}
}

func TestTextIsBounded(t *testing.T) {
	long := strings.Repeat("å", doctext.MaxText) // 2 bytes each: twice the bound
	got, err := doctext.Extract(context.Background(), "lång.txt", "text/plain", []byte(long))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > doctext.MaxText || len(got) < doctext.MaxText-1 || !strings.HasSuffix(got, "å") {
		t.Fatalf("bounded text: %d bytes", len(got))
	}
}
