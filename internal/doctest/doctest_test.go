package doctest_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/doctext"
	"github.com/kommun/beslutsgang/internal/doctest"
)

// cases are the blocks, each with the text doctext.Document reads from its
// DOCX and patterns the text of its PDF (pdftotext -layout) must match.
var cases = []struct {
	name  string
	block doctest.Block
	docx  string
	pdf   []string
}{
	{"para", doctest.Para{Text: "Ärendet gäller förskolan i Åmål.\nNy rad\tmed tab"},
		"Ärendet gäller förskolan i Åmål.\nNy rad\tmed tab\n",
		[]string{`(?m)^Ärendet gäller förskolan i Åmål\.$`, `(?m)^Ny rad +med tab$`}},
	{"bold para", doctest.Para{Text: "Beslutet är fattat", Bold: true},
		"Beslutet är fattat\n", []string{`(?m)^Beslutet är fattat$`}},
	{"heading", doctest.Heading{Text: "Förslag till beslut"},
		"Förslag till beslut\n", []string{`(?m)^Förslag till beslut$`}},
	{"numbered", doctest.Numbered{Items: []string{"Första", "\tUnder", "\t\tDjupast", "\tUnder två", "Andra"}},
		"1. Första\na) Under\ni. Djupast\nb) Under två\n2. Andra\n",
		[]string{`(?m)^ *1\. Första$`, `(?m)^ +a\) Under$`, `(?m)^ +i\. Djupast$`, `(?m)^ +b\) Under två$`, `(?m)^ *2\. Andra$`}},
	{"bullets", doctest.Bullets{Items: []string{"Ett", "Två"}},
		"• Ett\n• Två\n", []string{`(?m)^ *• +Ett$`, `(?m)^ *• +Två$`}},
	{"table", doctest.Table{Rows: [][]string{{"Post", "Belopp", "Not"}, {"Hyra", "12 500 kr", "kall\nhyra"}, {"Summa", doctest.MergeLeft, "c"}, {"Ny", "3,5 %", doctest.MergeUp}, {"Kort rad"}}},
		"| Post | Belopp | Not |\n| Hyra | 12 500 kr | kall hyra |\n| Summa | | c |\n| Ny | 3,5 % | |\n| Kort rad | | |\n\n",
		[]string{`(?m)^Post {3,}Belopp {3,}Not$`, `(?m)^Hyra {3,}12 500 kr {3,}kall hyra$`, `(?m)^Ny {3,}3,5 %$`}},
	{"columns", doctest.Columns{Cells: []string{"Anna Andersson", "Förvaltningschef"}},
		"Anna Andersson\tFörvaltningschef\n", []string{`(?m)^Anna Andersson {3,}Förvaltningschef$`}},
	{"three columns", doctest.Columns{Cells: []string{"SIGNERAD", "Bo Ek", "2026-01-15"}},
		"SIGNERAD\tBo Ek\t2026-01-15\n", []string{`(?m)^SIGNERAD {3,}Bo Ek {3,}2026-01-15$`}},
	{"blank", doctest.Blank{}, "\n", nil},
}

func document(t *testing.T, data []byte) string {
	t.Helper()
	text, err := doctext.Document(context.Background(), "", "", data)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func TestDOCX(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := document(t, doctest.DOCX(doctest.Para{Text: "Före"}, tc.block))
			want := "Före\n" + tc.docx
			if strings.HasPrefix(tc.docx, "|") {
				want = "Före\n\n" + tc.docx // a table is set off by a blank line
			}
			if got != want {
				t.Errorf("text %q, want %q", got, want)
			}
		})
	}
	// Each Numbered list starts at 1; a page break is a form feed.
	got := document(t, doctest.DOCX(doctest.Numbered{Items: []string{"a", "b"}}, doctest.PageBreak{}, doctest.Numbered{Items: []string{"c"}}))
	if want := "1. a\n2. b\n\f1. c\n"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
}

func TestPDF(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := document(t, doctest.PDF(doctest.PDFSpec{Blocks: []doctest.Block{tc.block}}))
			for _, re := range tc.pdf {
				if !regexp.MustCompile(re).MatchString(got) {
					t.Errorf("text lacks %s:\n%s", re, got)
				}
			}
		})
	}
}

func TestPDFPages(t *testing.T) {
	var blocks []doctest.Block
	for i := 1; i <= 60; i++ { // more than a page
		blocks = append(blocks, doctest.Para{Text: fmt.Sprintf("Stycke %d om förskolan.", i)})
	}
	blocks = append(blocks, doctest.PageBreak{}, doctest.Para{Text: "Sista sidan"})
	spec := doctest.PDFSpec{
		Header: []string{"Tjänsteskrivelse", "ASN-2026-900"},
		Footer: func(page, pages int) []string {
			return []string{"Exempelkommun\tSida " + fmt.Sprint(page) + " (" + fmt.Sprint(pages) + ")"}
		},
		Blocks: blocks,
	}
	pdf := doctest.PDF(spec)
	if !bytes.Equal(pdf, doctest.PDF(spec)) {
		t.Error("the same spec gives other bytes")
	}
	pages := strings.Split(document(t, pdf), "\f")
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	for i, p := range pages {
		lines := strings.Split(strings.TrimSpace(p), "\n")
		if lines[0] != "Tjänsteskrivelse" || lines[1] != "ASN-2026-900" {
			t.Errorf("page %d starts %q", i+1, lines[:2])
		}
		if re := fmt.Sprintf(`^Exempelkommun {3,}Sida %d \(3\)$`, i+1); !regexp.MustCompile(re).MatchString(lines[len(lines)-1]) {
			t.Errorf("page %d ends %q", i+1, lines[len(lines)-1])
		}
	}
	if !strings.Contains(pages[1], "Stycke 60 om förskolan.") || !strings.Contains(pages[2], "Sista sidan") {
		t.Errorf("pages:\n%s", strings.Join(pages, "\n----\n"))
	}
}
