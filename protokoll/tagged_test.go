package protokoll

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

// The tagged PDF has a structure tree, the document's language and title.
func TestPublishTaggedPDF(t *testing.T) {
	chromium := FindChromium()
	if chromium == "" {
		t.Skip("no Chromium: the fallback is tested in TestPublishFallbackPDF")
	}
	doc := `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Protokoll ASN 2020-01-30</title></head>
<body><h1>Arbetsmarknads- och socialnämnden</h1><h2>§ 11 Internationell redovisning</h2><ul><li>Anna Ek</li></ul>
<table><tr><th scope="col">År</th></tr><tr><td>2019</td></tr></table></body></html>`
	pdf, err := TaggedPDF(context.Background(), chromium, doc, "Arbetsmarknads- och socialnämnden – 2020-01-30")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/StructTreeRoot", "/Marked true", "/Lang (sv)"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("the PDF lacks %s", want)
		}
	}
	info := pdftest.Info(t, pdf)
	if info["Tagged"] != "yes" || info["Title"] != "Protokoll ASN 2020-01-30" {
		t.Errorf("pdfinfo: %v", info)
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{"§ 11 Internationell redovisning", "Anna Ek", "sida 1 av 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}

// Without Chromium the public protokoll comes from fpdf: registration only
// for secret and withheld paragraphs.
func TestPublishFallbackPDF(t *testing.T) {
	min := minutesFixture()
	pm := workflow.Publish(min, workflow.Redaction{Withheld: []int{12}, Names: []string{"Anna Ek"}})
	pdf, err := Public(pm)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{"§ 11", "Internationell redovisning 2019", "§ 12", "Paragrafen publiceras inte på webben", "ASN-2019-18001",
		"§ 13", "Ärende som omfattas av sekretess", "ASN-2019-18002", "[namn borttaget]"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	for _, not := range []string{"Avgifter inom hemtjänsten", "bordlägger", "Hemlig placering", "avslår", "Anna Ek", "Kommunstyrelsen"} {
		if strings.Contains(text, not) {
			t.Errorf("the PDF shows %q", not)
		}
	}
}
