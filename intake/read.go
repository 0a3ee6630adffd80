package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kommun/beslutsgang/doctext"
	"github.com/kommun/beslutsgang/workflow"
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
	ErrEmpty       = errors.New("dokumentet innehåller ingen text (en inskannad PDF utan textlager kan inte läsas: spara dokumentet som PDF eller Word-fil från ordbehandlaren)")
	// ErrBadText is text no person typed: control characters, NUL, or the
	// characters that turn the writing direction (workflow.TextProblem).
	// The error returned wraps it and names the first lines.
	ErrBadText = errors.New("texten kan inte läsas in")
)

// Read extracts the text of an uploaded tjänsteskrivelse and parses it. The
// format is recognised by content (PDF, DOCX) or, for plain text, by name or
// content type. PDF text comes from poppler's pdftotext -layout, DOCX text
// from word/document.xml (tables as rows of cells).
//
// The error is only about reading the file (ErrUnsupported, ErrNoPdftotext,
// ErrEmpty, ErrBadText or a damaged file); what the text lacks is in the report's
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
	if err := checkText(text, !bytes.HasPrefix(data, []byte("%PDF-"))); err != nil {
		return Report{}, err
	}
	docx := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	if docx {
		// In a Word document each line is a paragraph of its own; the
		// reader finds paragraphs at blank lines, as in a PDF's text.
		text = strings.ReplaceAll(text, "\n", "\n\n")
	}
	r, _ := Parse(text)
	if docx {
		for i := range r.Warnings {
			r.Warnings[i].Message = paragraphNumbers(r.Warnings[i].Message)
		}
	}
	return r, nil
}

// lineRE is a line number in a message: "Rad 7", "rad 12".
var lineRE = regexp.MustCompile(`\b([Rr])ad (\d+)`)

// paragraphNumbers turns the line numbers of a Word document's messages
// into its paragraphs' numbers: Read put a blank line after each paragraph,
// so paragraph n is line 2n-1.
func paragraphNumbers(msg string) string {
	return lineRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := lineRE.FindStringSubmatch(m)
		n, _ := strconv.Atoi(sub[2])
		word := "stycke"
		if sub[1] == "R" {
			word = "Stycke"
		}
		return fmt.Sprintf("%s %d", word, (n+1)/2)
	})
}

// checkText refuses text as the web and the API refuse what is typed
// (workflow.TextProblem), naming up to three lines; the form feeds between
// pages are allowed. In a PDF's text U+FFFD is a glyph pdftotext could not
// map (a bullet in a symbol font), not a broken encoding, and is allowed
// there only (strict false).
func checkText(text string, strict bool) error {
	var out []string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(strings.ReplaceAll(line, "\f", ""), "\r")
		if !strict {
			line = strings.ReplaceAll(line, "\uFFFD", "")
		}
		if why := workflow.TextProblem(line); why != "" {
			out = append(out, fmt.Sprintf("rad %d %s", i+1, why))
			if len(out) == 3 {
				break
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBadText, strings.Join(out, "; "))
}
