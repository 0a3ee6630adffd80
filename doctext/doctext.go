// Package doctext reads the plain text of an uploaded document, for the
// search index and for reading a tjänsteskrivelse: PDF through poppler's
// pdftotext (run as a process: it is GPL), DOCX from its word/document.xml
// (with word/numbering.xml for list numbers), and plain text as it is.
// Extract gives the text for the index, Document the text of a
// tjänsteskrivelse with its layout: columns, page breaks, lists and tables.
// Every reader is bounded in time and size, since the documents come from
// users.
package doctext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// MaxText bounds the text kept of one document, in bytes; the rest is cut
// at a character boundary.
const MaxText = 1 << 20

// maxXML bounds how much of a DOCX's document.xml is read, against zip bombs.
const maxXML = 64 << 20

// Timeout bounds one pdftotext run.
var Timeout = 30 * time.Second

var (
	// ErrUnsupported is returned for a format doctext does not read (images,
	// spreadsheets, old .doc files).
	ErrUnsupported = errors.New("doctext: formatet kan inte läsas som text")
	// ErrNoPdftotext is returned when pdftotext is not installed
	// (Debian: apt-get install poppler-utils).
	ErrNoPdftotext = errors.New("doctext: pdftotext saknas (installera poppler-utils)")
)

// Extract returns the text of a document for the search index, recognised
// by its content (PDF, DOCX) or, for plain text, by its name or content
// type. The text is UTF-8, at most MaxText bytes. An unknown format is
// ErrUnsupported; a PDF without pdftotext installed is ErrNoPdftotext; a
// damaged file is another error.
func Extract(ctx context.Context, name, contentType string, data []byte) (string, error) {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return PDF(ctx, data)
	}
	return read(ctx, name, contentType, data)
}

// Document returns the text of a tjänsteskrivelse for reading it into a
// case: the formats and errors of Extract, but with more of the layout kept.
// A PDF is read with pdftotext -layout, so that text set in columns stays
// apart by runs of spaces, and its pages are separated by a form feed "\f"
// (none after the last page), so that running headers and footers can be
// found. A DOCX is read as by DOCX: numbered lists with their numbers, tables
// as lines in pipe syntax, hard page breaks as "\f". Plain text is as it is.
func Document(ctx context.Context, name, contentType string, data []byte) (string, error) {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		out, err := pdftotext(ctx, data, "-layout")
		if err != nil {
			return "", err
		}
		// pdftotext ends every page, the last one too, with a form feed.
		return limit(strings.TrimSuffix(out, "\f")), nil
	}
	return read(ctx, name, contentType, data)
}

// read returns the text of a DOCX or a plain text file, the part Extract and
// Document share.
func read(_ context.Context, name, contentType string, data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return DOCX(data)
	case isPlainText(name, contentType):
		return limit(decodeText(data)), nil
	}
	return "", ErrUnsupported
}

// isPlainText reports a plain text file, by its name's extension or else its
// content type. A name that says PDF, Word or another binary format is never
// plain text, whatever the content type: such a file that did not start as
// its format is damaged, or not what it claims.
func isPlainText(name, contentType string) bool {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".text", ".csv", ".md":
		return true
	case ".pdf", ".docx", ".doc", ".docm", ".dotx", ".odt", ".rtf", ".xlsx", ".xls", ".pptx", ".zip", ".png", ".jpg", ".jpeg", ".tif", ".tiff":
		return false
	}
	return ct == "text/plain" || ct == "text/csv" || ct == "text/markdown"
}

// decodeText reads a text file in the encodings Swedish offices save text
// in: UTF-8 (with or without a byte order mark), UTF-16 with a byte order
// mark (Windows Notepad's "Unicode"), and, when the bytes are not UTF-8,
// Windows-1252 (which covers ISO 8859-1, "ANSI" in Notepad). Bytes that are
// mostly UTF-8 with a broken sequence stay as they are. What no
// decoding makes text (control characters, NUL) is left for the caller to
// refuse.
func decodeText(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		if out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data); err == nil {
			return string(out)
		}
	}
	if utf8.Valid(data) || multibyteUTF8(data) {
		return string(data) // UTF-8, maybe with broken bytes, which the caller refuses by line
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

// PDF returns the text of a PDF in reading order, as pdftotext gives it
// (-enc UTF-8, no -layout: a phrase that wraps stays one phrase), with page
// breaks as line breaks.
func PDF(ctx context.Context, data []byte) (string, error) {
	out, err := pdftotext(ctx, data)
	if err != nil {
		return "", err
	}
	// pdftotext separates pages with a form feed.
	return limit(strings.ReplaceAll(out, "\f", "\n")), nil
}

// pdftotext runs pdftotext -enc UTF-8 with the extra options on data and
// returns its output as valid UTF-8, cut a little over MaxText. The file
// goes through a temporary file, since pdftotext wants a seekable input.
func pdftotext(ctx context.Context, data []byte, options ...string) (string, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", ErrNoPdftotext
	}
	f, err := os.CreateTemp("", "doctext-*.pdf")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var out, stderr bytes.Buffer
	args := append(append([]string{"-q"}, options...), "-enc", "UTF-8", f.Name(), "-")
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &capped{w: &out, n: MaxText + utf8.UTFMax}, &capped{w: &stderr, n: 4096}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("doctext: pdftotext tog längre tid än %s", Timeout)
		}
		return "", fmt.Errorf("doctext: pdftotext: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.ToValidUTF8(out.String(), ""), nil
}

// limit cuts s to MaxText bytes at a character boundary.
func limit(s string) string {
	if len(s) <= MaxText {
		return s
	}
	i := MaxText
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// capped writes at most n bytes to w and drops the rest, so a runaway
// process cannot fill memory.
type capped struct {
	w io.Writer
	n int
}

func (c *capped) Write(p []byte) (int, error) {
	if c.n > 0 {
		k := min(len(p), c.n)
		if _, err := c.w.Write(p[:k]); err != nil {
			return 0, err
		}
		c.n -= k
	}
	return len(p), nil
}

// multibyteUTF8 reports bytes holding a valid UTF-8 sequence of more than one
// byte: a UTF-8 text with a broken byte, not a Windows-1252 one, in which
// "å" is one byte and "Ã¥" is never meant.
func multibyteUTF8(data []byte) bool {
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r != utf8.RuneError && size > 1 {
			return true
		}
		data = data[max(size, 1):]
	}
	return false
}
