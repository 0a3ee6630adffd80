package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kommun/beslutsgang/doctext"
)

// Warning is a remark on one field of a parse, shown beside the field on the
// review page and returned by POST /api/v1/intake?dry_run=1. A warning does
// not stop registering: the person reviewing decides.
type Warning struct {
	// Field is the db.CaseInput field it concerns, as the case form and the
	// API name it: "title", "number", "board", "summary", "proposals",
	// "proposals[1]", "route[0]", "approvers[2]", "recipients[0]",
	// "background", "attachments".
	Field   string `json:"field"`
	Message string `json:"message"` // Swedish, names the line where it can
}

// Sentinel errors of Read; test with errors.Is. The message of the error
// returned is Swedish and complete.
var (
	ErrUnsupported = errors.New("filen kan inte läsas: skicka en PDF, en Word-fil (.docx) eller en textfil")
	ErrNoPdftotext = errors.New("PDF-filer kan inte läsas på den här servern: programmet pdftotext saknas (Debian-paketet poppler-utils)")
	ErrEmpty       = errors.New("dokumentet innehåller ingen text")
)

// Read extracts the text of an uploaded tjänsteskrivelse and parses it. The
// format is recognised by content (PDF, DOCX) or, for plain text, by name or
// content type. PDF text comes from poppler's pdftotext -layout, DOCX text
// from word/document.xml (tables as rows of cells).
//
// The error is only about reading the file (ErrUnsupported, ErrNoPdftotext,
// ErrEmpty or a damaged file); what the text lacks is in the report's
// Warnings and in Report.Err, and the report is filled in as far as it goes.
func Read(ctx context.Context, name, contentType string, data []byte) (Report, error) {
	text, err := doctext.Document(ctx, name, contentType, data)
	switch {
	case errors.Is(err, doctext.ErrUnsupported):
		return Report{}, ErrUnsupported
	case errors.Is(err, doctext.ErrNoPdftotext):
		return Report{}, ErrNoPdftotext
	case err != nil:
		return Report{}, fmt.Errorf("filen kunde inte läsas: %w", err)
	}
	if collapseSpaces(normalize(text)) == "" {
		return Report{}, ErrEmpty
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		// In a Word document each line is a paragraph of its own; the
		// reader finds paragraphs at blank lines, as in a PDF's text.
		text = strings.ReplaceAll(text, "\n", "\n\n")
	}
	r, _ := Parse(text)
	return r, nil
}
