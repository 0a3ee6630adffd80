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

	"github.com/kommun/beslutsgang/workflow"
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
	// ErrBadRoute is a Beslutsplanering row whose date is no real day. On
	// the review page the step is undated with a warning; without review
	// (import, the API) it stops the registration, naming the line.
	ErrBadRoute = errors.New("felaktig rad i beslutsplaneringen")
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

// section is the lines under one heading.
type section struct {
	line  int // line number of the heading
	lines []line
}

// Parse reads the text of a tjänsteskrivelse, as pdftotext (with or without
// -layout), doctext's DOCX reader or a person typing gives it.
//
// Page furniture goes first (dropFurniture): page numbers, signature stamps,
// running headers and footers; a paragraph or list item broken by a page is
// joined again. Headings are the section headings of the genre and their
// aliases (headingOf), in any order, in any case, with or without a colon,
// alone on their line or followed by the section's first text. The first
// occurrence of a heading opens its section; a heading seen again is a page
// header and is dropped, except inside Ärendet, where it is kept as text,
// and where weak aliases ("Bakgrund", "Bilagor") are sub-headings. Lines
// before the first heading are the preamble (readPreamble): document type,
// date, diarienummer, addressee and title.
//
// Summary and Background are prose (readProse): paragraphs re-flowed and
// separated by a blank line, bullet items as lines "- item", sub-headings on
// their own, and tables as texttable pipe tables.
//
// The error, if any, names every problem a case cannot be registered with:
// no title, no proposals, a route date that is no real day. Everything else that was guessed or could not be
// read is a Warning. The report is filled in as far as the text goes, also
// on error.
func Parse(text string) (Report, error) {
	lines, firstPage := dropFurniture(splitLines(normalize(text)))
	lines = joinWrapped(cutMargins(lines), true)

	var preamble []line
	sections := map[string]*section{}
	var cur string
	for _, ln := range lines {
		if h, rest, weak, ok := headingKind(ln.text); ok && !(weak && cur == headBackground) {
			if _, seen := sections[h]; !seen {
				sections[h] = &section{line: ln.no}
				cur = h
				if rest != "" {
					sections[h].lines = append(sections[h].lines, line{no: ln.no, text: rest, raw: rest})
				}
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
	warn := func(field, format string, args ...any) {
		r.Warnings = append(r.Warnings, Warning{Field: field, Message: fmt.Sprintf(format, args...)})
	}

	p := readPreamble(preamble, firstPage)
	r.Title, r.Number, r.Reference, r.Date = p.title, p.number, p.reference, p.date
	if r.Title == "" {
		r.errs = append(r.errs, fmt.Errorf("%w: en rubrikrad ska stå före första avsnittets rubrik", ErrNoTitle))
		warn("title", "Ingen rubrik hittades före första avsnittet: skriv ärendets rubrik")
	} else if p.titleGuessed {
		warn("title", "Rubriken %q är gissad (den stod bland sidhuvudets rader): kontrollera", r.Title)
	}
	if r.Reference != "" && r.Number == "" {
		warn("number", "Diarienumret %s är inte ett nummer i Beslutsgångs form (nämnd-år-löpnummer): ärendet får ett nytt nummer, och %s sparas som dokumentets diarienummer", r.Reference, r.Reference)
	}

	if s := sections[headProposals]; s == nil {
		r.errs = append(r.errs, fmt.Errorf("%w: avsnittet %q saknas", ErrNoProposals, headProposals))
		warn("proposals", "Avsnittet %q saknas i dokumentet: skriv förslagen", headProposals)
	} else if r.Proposals = readProposals(s.lines); len(r.Proposals) == 0 {
		r.errs = append(r.errs, fmt.Errorf("%w: avsnittet %q (rad %d) är tomt", ErrNoProposals, headProposals, s.line))
		warn("proposals", "Avsnittet %q (rad %d) är tomt: skriv förslagen", headProposals, s.line)
	}

	var notes []string // route lines that are prose
	if s := sections[headRoute]; s != nil {
		var ws []Warning
		var bad []error
		r.Route, notes, ws, bad = readRoute(s.lines)
		r.Warnings = append(r.Warnings, ws...)
		r.errs = append(r.errs, bad...)
	}
	if s := sections[headSummary]; s != nil {
		var ws []Warning
		r.Summary, ws = readProse(s.lines, "summary")
		r.Warnings = append(r.Warnings, ws...)
	}
	if s := sections[headAttachments]; s != nil {
		r.Attachments = readList(s.lines)
	}
	if s := sections[headRecipients]; s != nil {
		r.Recipients = readRecipients(s.lines)
	}
	if s := sections[headBackground]; s != nil {
		var ws []Warning
		r.Background, ws = readProse(s.lines, "background")
		r.Warnings = append(r.Warnings, ws...)
	}
	if len(notes) > 0 {
		// Kept as text, where a reader of the case looks for its history.
		note := "Beredning: " + strings.Join(notes, " ")
		if r.Background != "" {
			note = r.Background + "\n\n" + note
		}
		r.Background = note
	}
	if s := sections[headResponsible]; s != nil {
		var ws []Warning
		r.Responsible, ws = readPersons(s.lines)
		r.Warnings = append(r.Warnings, ws...)
	}
	r.capLists()
	return r, r.Err()
}

// capLists keeps at most workflow.MaxListItems of each list, as a case
// holds, with a warning naming what was left out: a document that is not a
// tjänsteskrivelse can make hundreds of "persons" or "steps".
func (r *Report) capLists() {
	for _, l := range []struct {
		field, name string
		n           int
		cut         func(int)
	}{
		{"proposals", "förslag", len(r.Proposals), func(n int) { r.Proposals = r.Proposals[:n] }},
		{"attachments", "beslutsunderlag", len(r.Attachments), func(n int) { r.Attachments = r.Attachments[:n] }},
		{"route", "steg i beslutsplaneringen", len(r.Route), func(n int) { r.Route = r.Route[:n] }},
		{"recipients", "mottagare", len(r.Recipients), func(n int) { r.Recipients = r.Recipients[:n] }},
		{"approvers", "ansvariga", len(r.Responsible), func(n int) { r.Responsible = r.Responsible[:n] }},
	} {
		if l.n > workflow.MaxListItems {
			l.cut(workflow.MaxListItems)
			r.Warnings = append(r.Warnings, Warning{Field: l.field, Message: fmt.Sprintf(
				"Dokumentet har %d %s; ett ärende rymmer %d, och de första %d är med: kontrollera att det är en tjänsteskrivelse", l.n, l.name, workflow.MaxListItems, workflow.MaxListItems)})
		}
	}
}

// Err returns what a case cannot be registered without, all problems joined
// (ErrNoTitle, ErrNoProposals, ErrBadRoute), or nil.
func (r Report) Err() error { return errors.Join(r.errs...) }

// readProposals reads numbered items ("1. ", "2) "), bullet items, or "att …"
// clauses. A line without a number, bullet or "att" continues the item above
// it, unless a blank line separates them. Lines before the first marked item
// that end as an introduction ("Nämnden föreslås besluta", "… beslutar:")
// are the introduction: an item that is an "att" clause gets it in front, so
// each proposal reads as the sentence the protokoll will carry ("Nämnden
// föreslås besluta att godkänna redovisningen"); the clause's joining ", och"
// or ";" is dropped.
func readProposals(lines []line) []string {
	type item struct {
		text   string
		marked bool
	}
	var items []item
	open := false // the last item may take continuation lines
	for _, ln := range lines {
		if ln.text == "" {
			open = false
			continue
		}
		text, marked := cutNumber(ln.text)
		if !marked {
			text, marked = cutBullet(ln.text)
		}
		if !marked && strings.HasPrefix(text, "att ") {
			marked = true
		}
		switch {
		case marked:
			if text == "" {
				open = false // a bare "1." or bullet: the text follows
				continue
			}
			items = append(items, item{text, true})
		case open:
			items[len(items)-1].text += " " + text
		default:
			items = append(items, item{text, false})
		}
		open = true
	}
	intro := ""
	if len(items) > 1 && !items[0].marked && items[1].marked && introRE.MatchString(items[0].text) {
		intro = strings.TrimSuffix(strings.TrimSpace(items[0].text), ":")
		items = items[1:]
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		text := it.text
		switch {
		case strings.HasPrefix(text, "att "):
			text = clauseEndRE.ReplaceAllString(text, "")
			if intro != "" {
				text = strings.TrimSuffix(intro, " att") + " " + text
			}
		case intro != "" && strings.HasSuffix(intro, " att") && startsLower(text):
			text = intro + " " + clauseEndRE.ReplaceAllString(text, "") // "… besluta att" / "• godkänna …"
		}
		out = append(out, text)
	}
	return out
}

// introRE ends the line that introduces the proposals.
var introRE = regexp.MustCompile(`(?i)(?:besluta|beslutar|beslut|föreslår|föreslås|följande|att)\s*:?$|:$`)

// clauseEndRE is how an "att" clause joins the next: ", och", ";", ",", " samt".
var clauseEndRE = regexp.MustCompile(`(?:\s*[,;]?\s+(?:och|samt)|\s*[,;])$`)

// readList reads one item per line, bullets stripped. A line directly under
// an item continues it (a wrapped line) when it starts in lower case, or
// when it is set under the text of a bulleted item, as a PDF's layout keeps
// a bulleted item's second line. Items without bullets (a browser's list
// markers are no text in its PDF) are one a line.
func readList(lines []line) []string {
	var items []string
	open := false
	indent := -1 // where the open item's text starts, in runes, when it has a bullet
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
		if !bullet && open && (startsLower(text) || indent >= 0 && ln.indented && runeIndent(ln.raw) >= indent) {
			items[len(items)-1] += " " + text
			continue
		}
		items = append(items, text)
		open, indent = true, -1
		if bullet {
			indent = textIndent(ln.raw, text)
		}
	}
	return items
}
