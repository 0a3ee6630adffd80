// Package intake reads the plain text of a tjänsteskrivelse, as extracted from
// its PDF, into a Report: title, case number and the sections Sammanfattning,
// Förslag till beslut, Beslutsunderlag, Beslutsplanering, Beslutet skickas
// till, Ärendet and Ansvariga.
//
// The reader is lenient about what PDF extraction does to a text (CRLF, form
// feeds, trailing spaces, private-use bullet glyphs, decomposed å/ä/ö,
// non-breaking spaces, a stray footer) and strict only about what a case
// cannot do without: a title, at least one proposal, and route lines that
// each end with a real date.
package intake

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Report is one tjänsteskrivelse read into plain fields.
type Report struct {
	Title       string      // "Internationell redovisning 2019"
	Number      string      // "ASN-2019-17886": a number in this service's form, "" otherwise
	Reference   string      // the diarienummer as written, any form: "Dnr KS/2017:96" gives "KS/2017:96"
	Date        string      // the document's date, YYYY-MM-DD, "" if it has none
	Summary     string      // Sammanfattning: paragraphs joined with "\n\n", each re-flowed to one line
	Proposals   []string    // Förslag till beslut, without their "1. " prefix
	Attachments []string    // Beslutsunderlag, one per item, bullet stripped
	Route       []RouteLine // Beslutsplanering, in document order
	Recipients  []string    // Beslutet skickas till
	Background  string      // Ärendet, see Parse for its layout
	Responsible []Person    // Ansvariga, in document order
	Warnings    []Warning   // what was guessed or could not be read, per field

	errs []error // what Err reports
}

// RouteLine is one step of the Beslutsplanering: the body that handles the
// case and the date of its meeting, written YYYY-MM-DD; an undated step (the
// meeting not yet set) has Date "".
type RouteLine struct {
	Body string // "ASN presidieberedning"
	Date string // "2020-01-08" or ""
}

// Person is one line of Ansvariga.
type Person struct {
	Name  string // "Jonas Magnusson"
	Title string // "Enhetschef"
}

// Errors that Parse wraps; test for them with errors.Is. Parse joins every
// problem it finds (errors.Join), so one call reports all of them.
var (
	ErrNoTitle     = errors.New("tjänsteskrivelsen saknar rubrik")
	ErrNoProposals = errors.New("tjänsteskrivelsen saknar förslag till beslut")
	ErrBadRoute    = errors.New("felaktig rad i beslutsplaneringen")
)

// Section headings, as written in the document.
const (
	headSummary     = "Sammanfattning"
	headProposals   = "Förslag till beslut"
	headAttachments = "Beslutsunderlag"
	headRoute       = "Beslutsplanering"
	headRecipients  = "Beslutet skickas till"
	headBackground  = "Ärendet"
	headResponsible = "Ansvariga"
)

var headings = []string{
	headSummary, headProposals, headAttachments, headRoute,
	headRecipients, headBackground, headResponsible,
}

// docType is the first line of the document, a marker and not the title.
const docType = "Tjänsteskrivelse"

// numberRE matches a case number line: "ASN-2019-17886", also written
// "Dnr ASN-2019-17886" or "Diarienummer: ASN-2019-17886".
var numberRE = regexp.MustCompile(`^(?:(?i:dnr|diarienr|diarienummer)\.?:?\s*)?([A-ZÅÄÖ]{2,5}-\d{4}-\d+)$`)

// dateAtEndRE finds the date that ends a route line.
var dateAtEndRE = regexp.MustCompile(`(?:^|\s)(\d{4}-\d{2}-\d{2})$`)

// section is the lines under one heading.
type section struct {
	line  int // line number of the heading
	lines []line
}

// Parse reads the text of a tjänsteskrivelse.
//
// Headings are the lines Sammanfattning, Förslag till beslut,
// Beslutsunderlag, Beslutsplanering, Beslutet skickas till, Ärendet and
// Ansvariga, matched case-insensitively after trimming (a final colon is
// allowed). The first occurrence of a heading opens its section; a heading
// seen again is a page header or footer and is dropped, except inside Ärendet,
// where it is kept as a line of text. Lines before the first heading are the
// preamble: a first line "Tjänsteskrivelse" is skipped, a line like
// ASN-2019-17886 is the number, and the first other line is the title.
//
// Summary and Background are prose: the lines of a paragraph are re-joined
// with single spaces, paragraphs are separated by a blank line, bullet items
// become lines starting "- ", a short line without final punctuation that is
// followed by the start of a paragraph is a sub-heading on its own, and a
// block whose lines mostly end in a figure is a table kept one row per line
// (a row whose first cell wrapped onto the next line is re-joined).
//
// The error, if any, names every problem found: no title, no proposals, a
// route line that does not end with a valid date. The report is filled in as
// far as the text goes, also on error.
func Parse(text string) (Report, error) {
	lines := splitLines(normalize(text))

	var preamble []line
	sections := map[string]*section{}
	var cur string
	for _, ln := range lines {
		if h, ok := headingOf(ln.text); ok {
			if _, seen := sections[h]; !seen {
				sections[h] = &section{line: ln.no}
				cur = h
				continue
			}
			if cur != headBackground {
				continue // a repeated heading: page header or footer
			}
		}
		if cur == "" {
			preamble = append(preamble, ln)
		} else {
			sections[cur].lines = append(sections[cur].lines, ln)
		}
	}

	var r Report
	var errs []error

	r.Title, r.Number = readPreamble(preamble)
	if r.Title == "" {
		errs = append(errs, fmt.Errorf("%w: en rubrikrad ska stå efter %q, före första avsnittets rubrik", ErrNoTitle, docType))
	}

	if s := sections[headProposals]; s == nil {
		errs = append(errs, fmt.Errorf("%w: avsnittet %q saknas", ErrNoProposals, headProposals))
	} else if r.Proposals = readProposals(s.lines); len(r.Proposals) == 0 {
		errs = append(errs, fmt.Errorf("%w: avsnittet %q (rad %d) är tomt", ErrNoProposals, headProposals, s.line))
	}

	if s := sections[headRoute]; s != nil {
		var routeErrs []error
		r.Route, routeErrs = readRoute(s.lines)
		errs = append(errs, routeErrs...)
	}

	if s := sections[headSummary]; s != nil {
		r.Summary = readProse(s.lines)
	}
	if s := sections[headAttachments]; s != nil {
		r.Attachments = readList(s.lines)
	}
	if s := sections[headRecipients]; s != nil {
		r.Recipients = readList(s.lines)
	}
	if s := sections[headBackground]; s != nil {
		r.Background = readProse(s.lines)
	}
	if s := sections[headResponsible]; s != nil {
		r.Responsible = readPersons(s.lines)
	}

	r.errs = errs
	return r, r.Err()
}

// Err returns what a case cannot be registered without, all problems joined
// (ErrNoTitle, ErrNoProposals, ErrBadRoute), or nil.
func (r Report) Err() error { return errors.Join(r.errs...) }

// headingOf reports which section heading s is, if any.
func headingOf(s string) (string, bool) {
	s = strings.TrimLeftFunc(s, isPrivateUse)
	s = strings.TrimSuffix(strings.TrimSpace(s), ":")
	s = collapseSpaces(s)
	if len(s) > 40 {
		return "", false
	}
	for _, h := range headings {
		if strings.EqualFold(s, h) {
			return h, true
		}
	}
	return "", false
}

// readPreamble finds the title and the number among the lines before the
// first heading.
func readPreamble(lines []line) (title, number string) {
	first := true
	for _, ln := range lines {
		if ln.text == "" {
			continue
		}
		t := collapseSpaces(strings.TrimLeftFunc(ln.text, isPrivateUse))
		if first {
			first = false
			if strings.EqualFold(t, docType) {
				continue
			}
		}
		if m := numberRE.FindStringSubmatch(t); m != nil {
			if number == "" {
				number = m[1]
			}
			continue
		}
		if title == "" && t != "" {
			title = t
		}
	}
	return title, number
}

// readProposals reads numbered items ("1. ", "2) ") or bullet items. A line
// without a number or bullet continues the item above it, unless a blank line
// separates them.
func readProposals(lines []line) []string {
	var items []string
	open := false // the last item may take continuation lines
	for _, ln := range lines {
		if ln.text == "" {
			open = false
			continue
		}
		text, numbered := cutNumber(ln.text)
		if !numbered {
			text, numbered = cutBullet(ln.text)
		}
		switch {
		case numbered:
			if text == "" {
				open = false // a bare "1." or bullet: the text follows
				continue
			}
			items = append(items, text)
		case open:
			items[len(items)-1] += " " + text
		default:
			items = append(items, text)
		}
		open = true
	}
	return items
}

// readList reads one item per line, bullets stripped. A line that starts with
// a lower-case letter directly under an item continues it (a wrapped line).
func readList(lines []line) []string {
	var items []string
	open := false
	for _, ln := range lines {
		if ln.text == "" {
			open = false
			continue
		}
		text, bullet := cutBullet(ln.text)
		if text == "" {
			open = false
			continue
		}
		if !bullet && open && startsLower(text) {
			items[len(items)-1] += " " + text
			continue
		}
		items = append(items, text)
		open = true
	}
	return items
}

// readRoute reads lines "Body YYYY-MM-DD". Every non-empty line must end with
// a valid date.
func readRoute(lines []line) ([]RouteLine, []error) {
	var route []RouteLine
	var errs []error
	for _, ln := range lines {
		if ln.text == "" {
			continue
		}
		text, _ := cutBullet(ln.text)
		m := dateAtEndRE.FindStringSubmatchIndex(text)
		if m == nil {
			errs = append(errs, fmt.Errorf("%w: rad %d: %q slutar inte med ett datum ÅÅÅÅ-MM-DD", ErrBadRoute, ln.no, ln.text))
			continue
		}
		date := text[m[2]:m[3]]
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			errs = append(errs, fmt.Errorf("%w: rad %d: %q: %s är inget giltigt datum", ErrBadRoute, ln.no, ln.text, date))
			continue
		}
		body := strings.TrimRight(text[:m[2]], " \t,;:–-")
		body = collapseSpaces(body)
		if body == "" {
			errs = append(errs, fmt.Errorf("%w: rad %d: %q namnger inget organ före datumet", ErrBadRoute, ln.no, ln.text))
			continue
		}
		route = append(route, RouteLine{Body: body, Date: date})
	}
	return route, errs
}

// columnGapRE separates name and title in an Ansvariga line.
var columnGapRE = regexp.MustCompile(`\t+\s*|\s{2,}`)

// readPersons reads "Name  Title" lines (two or more spaces or a tab between
// them); without such a gap the last word is the title.
func readPersons(lines []line) []Person {
	var people []Person
	for _, ln := range lines {
		text, _ := cutBullet(ln.text)
		if text == "" {
			continue
		}
		var p Person
		if parts := columnGapRE.Split(text, -1); len(parts) >= 2 {
			p.Name = collapseSpaces(parts[0])
			rest := make([]string, 0, len(parts)-1)
			for _, s := range parts[1:] {
				if s = collapseSpaces(s); s != "" {
					rest = append(rest, s)
				}
			}
			p.Title = strings.Join(rest, ", ")
		} else {
			words := strings.Fields(text)
			if len(words) == 1 {
				p.Name = words[0]
			} else {
				p.Name = strings.Join(words[:len(words)-1], " ")
				p.Title = words[len(words)-1]
			}
		}
		people = append(people, p)
	}
	return people
}
