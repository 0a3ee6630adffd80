package intake

import (
	"context"
	"testing"

	"github.com/kommun/beslutsgang/internal/doctest"
)

// BenchmarkParseSeed times reading the seed's text.
func BenchmarkParseSeed(b *testing.B) {
	text := readSeed(b)
	for b.Loop() {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadSeedPDF times reading the seed as a PDF: pdftotext -layout
// as a process, then the parse.
func BenchmarkReadSeedPDF(b *testing.B) {
	pdf := doctest.PDF(doctest.PDFSpec{Header: []string{"Tjänsteskrivelse\tASN-2019-17886"}, Footer: footer, Blocks: withBlanks(seedBlocks(b)[1:])})
	for b.Loop() {
		if _, err := Read(context.Background(), "seed.pdf", "", pdf); err != nil {
			b.Fatal(err)
		}
	}
}
