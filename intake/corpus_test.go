package intake

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/doctest"
)

// The corpus: tjänsteskrivelser in the layouts municipalities use, as text,
// PDF and DOCX. Most PDFs and DOCX files are made by the test from the blocks
// below (internal/doctest); two are files of other tools (Chromium's print
// to PDF with its header and footer, a DOCX written with Python's zipfile); read back through doctext.Document (pdftotext
// -layout, word/document.xml) and parsed; each parse is compared with its
// golden file testdata/corpus/<name>.golden.json. After a change to the
// reader, look at the differences and, when they are right, write them:
//
//	go test -tags sqlite_fts5 ./intake -run Corpus -update

var update = flag.Bool("update", false, "write the corpus's golden files")

// corpusDoc is one document of the corpus.
type corpusDoc struct {
	name string
	kind string // "txt", "pdf", "docx", or "file": a file of its own in testdata/corpus (name with extension)
	text string // for txt
	pdf  doctest.PDFSpec
	docx []doctest.Block
}

func (d corpusDoc) bytes() (file string, data []byte) {
	switch d.kind {
	case "pdf":
		return d.name + ".pdf", doctest.PDF(d.pdf)
	case "docx":
		return d.name + ".docx", doctest.DOCX(d.docx...)
	case "file":
		b, err := os.ReadFile(filepath.Join("testdata", "corpus", d.name))
		if err != nil {
			panic(err)
		}
		return d.name, b
	}
	return d.name + ".txt", []byte(d.text)
}

// golden is what a golden file holds: the report's exported fields.
type golden struct {
	Report
	Err string `json:"error,omitempty"`
}

func TestCorpus(t *testing.T) {
	docs := corpus(t)
	if len(docs) < 12 {
		t.Fatalf("the corpus has %d documents, want at least 12", len(docs))
	}
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			file, data := d.bytes()
			r, err := Read(context.Background(), file, "", data)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			g := golden{Report: r}
			if err := r.Err(); err != nil {
				g.Err = err.Error()
			}
			got, err := json.MarshalIndent(g, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "corpus", strings.TrimSuffix(d.name, filepath.Ext(d.name))+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (write it with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from its golden file:\n%s", d.name, lineDiff(string(want), string(got)))
			}
		})
	}
}

// lineDiff shows the lines that differ, numbered.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "line %d:\n  want %s\n   got %s\n", i+1, a, c)
		}
	}
	return b.String()
}
