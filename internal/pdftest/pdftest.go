// Package pdftest reads the text of a PDF in tests with poppler's pdftotext,
// which also proves that a real reader accepts the bytes.
package pdftest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Text returns the text of pdf, laid out as on the page. A missing pdftotext
// fails the test with how to install it.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (apt-get install poppler-utils), as .ci/run does")
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[max(0, len(pdf)-32):], []byte("%%EOF")) {
		t.Fatalf("not a PDF: starts %q", pdf[:min(len(pdf), 16)])
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}

// Info returns what poppler's pdfinfo says of pdf, field by field
// ("Tagged": "yes", "Title": ...). A missing pdfinfo fails the test.
func Info(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		t.Fatal("pdfinfo is missing: install poppler-utils (apt-get install poppler-utils), as .ci/run does")
	}
	path := filepath.Join(t.TempDir(), "info.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, out)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return info
}
