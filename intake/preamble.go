package intake

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// preamble is what the lines before the first heading say.
type preamble struct {
	title        string
	titleGuessed bool   // taken from the lines dropped as running header
	number       string // in this service's form
	reference    string // the diarienummer as written
	date         string // YYYY-MM-DD
}

// ourNumberRE is a case number in this service's form: ASN-2019-17886.
var ourNumberRE = regexp.MustCompile(`^[A-ZÅÄÖ]{2,6}-\d{4}-\d+$`)

// dnrLabelRE is a diarienummer's label: "Dnr", "Dnr.", "Diarienummer:",
// "Vårt dnr", "Ärendenummer", "Beteckning".
var dnrLabelRE = regexp.MustCompile(`(?i)^(?:vårt\s+|er\s+)?(?:dnr|diarienr|diarienummer|diarie\s?nr|ärendenr|ärendenummer|beteckning|reg\.?\s?nr)\.?\s*:?\s*`)

// dnrRE is a diarienummer in the forms municipalities use:
//
//	ASN-2019-17886         Beslutsgång, W3D3-style prefix-year-serial
//	KS 2018/124            prefix, year / serial
//	KS/2017:96             prefix / year : serial
//	KS-2014/742.912        prefix-year / serial . classification
//	IFN 2018/00256-1.6.1   prefix year / serial - classification
//	2023/KS 0362           year / prefix serial
//
// The prefix, when there is one, is the first group in either position.
var dnrRE = regexp.MustCompile(`^(?:([A-ZÅÄÖ]{1,8})[ /-]?(\d{4})[/:-]\d{1,6}(?:[.:-][\d.]+)*|(\d{4})/([A-ZÅÄÖ]{1,8})[ -]?\d{1,6}(?:[.:-][\d.]+)*)$`)

// DnrPrefix returns the letters of a diarienummer that name its registry,
// usually the board's code: "KS" for "KS/2017:96" and "2023/KS 0362", ""
// when it has none.
func DnrPrefix(dnr string) string {
	m := dnrRE.FindStringSubmatch(dnr)
	switch {
	case m == nil:
		return ""
	case m[1] != "":
		return m[1]
	}
	return m[4]
}

// readDnr reports the diarienummer a preamble cell holds: "Dnr KS/2017:96",
// "ASN-2019-17886". A cell with a label may hold nothing else; a cell without
// one must be the number alone.
func readDnr(cell string) (string, bool) {
	s := cell
	labelled := false
	if loc := dnrLabelRE.FindStringIndex(s); loc != nil && loc[1] > 0 {
		s, labelled = strings.TrimSpace(s[loc[1]:]), true
	}
	s = strings.TrimRight(s, ".,;")
	if dnrRE.MatchString(s) || ourNumberRE.MatchString(s) {
		return s, true
	}
	if labelled && s != "" && len(s) <= 30 && strings.ContainsAny(s, "0123456789") && !strings.Contains(s, "  ") {
		return s, true // an unusual form, but labelled: kept as written
	}
	return "", false
}

// dateLabelRE is a date's label in a preamble: "Datum", "Datum:".
var dateLabelRE = regexp.MustCompile(`(?i)^(?:datum|upprättad|upprättat|daterad)\s*:?\s*`)

// readDate reports the date a preamble cell holds: "2017-03-01",
// "Datum: 2017-03-01", "1 mars 2017".
func readDate(cell string) (string, bool) {
	s := strings.TrimSpace(dateLabelRE.ReplaceAllString(cell, ""))
	if d, ok := isoDate(s); ok {
		return d, true
	}
	return swedishDate(s)
}

func isoDate(s string) (string, bool) {
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return s, true
	}
	return "", false
}

var months = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// swedishDateRE is a date written out: "1 mars 2017", "den 12 januari 2020".
var swedishDateRE = regexp.MustCompile(`(?i)^(?:den\s+)?(\d{1,2})\s+([a-zåäö]+)\s+(\d{4})$`)

func swedishDate(s string) (string, bool) {
	m := swedishDateRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	for i, name := range months {
		if strings.EqualFold(m[2], name) {
			t, err := time.Parse("2006-1-2", fmt.Sprintf("%s-%d-%s", m[3], i+1, m[1]))
			if err != nil {
				return "", false
			}
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// docTypeRE is the document type that heads the page: "Tjänsteskrivelse",
// "TJÄNSTESKRIVELSE", "Tjänsteutlåtande", "Tjänsteskrivelse, förslag".
var docTypeRE = regexp.MustCompile(`(?i)^(?:tjänsteskrivelse|tjänsteutlåtande|tjänsteyttrande|promemoria|pm|beslutsförslag|missiv)\b`)

// notTitleRE is a preamble line that addresses or signs the document
// rather than naming the case: the officer's contact details.
var notTitleRE = regexp.MustCompile(`(?i)^(?:till\s|handläggare\b|vår referens\b|er referens\b|referens\b|kontaktperson\b|telefon\b|tel\.?\s|e-post\b|epost\b|mobil\b|sida\b)|@`)

// timestampRE is a date or time in a form no title takes, as a browser
// prints it in a running header: "11/30/26, 10:34 AM", "30.11.2026 10:34".
var timestampRE = regexp.MustCompile(`(?i)^[\d/.:\-, ]+(?:am|pm)?$`)

// orgSuffixRE ends the name of an organisation: the receiving body, the
// office, the municipality.
var orgSuffixRE = regexp.MustCompile(`(?i)(?:nämnden|nämnd|styrelsen|styrelse|fullmäktige|förvaltningen|förvaltning|utskott|utskottet|presidiet|presidium|avdelningen|enheten|kontoret|kommun|stad|region|regionen)s?$`)

// isOrgName reports a line that is only the name of an organisation:
// "Kommunstyrelsen", "Arbetsmarknads- och socialnämnden", "Malmö stad".
// "Internkontrollplan för nämnden" is not: "för" is no part of a name.
func isOrgName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 5 || !orgSuffixRE.MatchString(words[len(words)-1]) {
		return false
	}
	for _, w := range words {
		if w != "och" && !startsUpper(w) && !orgSuffixRE.MatchString(w) {
			return false
		}
	}
	return true
}

// preambleMaterial reports a first-page header line the preamble needs,
// kept there even when it repeats on every page.
func preambleMaterial(s string) bool {
	for _, cell := range cells(s) {
		if _, ok := readDnr(cell); ok {
			return true
		}
		if _, ok := readDate(cell); ok {
			return true
		}
		if docTypeRE.MatchString(cell) {
			return true
		}
	}
	return false
}

// cells splits a line at its column gaps (two or more spaces, a tab): a
// layout line "Tjänsteskrivelse            2017-03-01" is two cells.
func cells(s string) []string {
	var out []string
	for _, c := range columnGapRE.Split(strings.TrimSpace(s), -1) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// readPreamble finds the title, number and date among the lines before the
// first heading: each cell is a document type (skipped), a date, a
// diarienummer, an addressee or contact line (skipped), or the title; a
// title that wraps onto a line starting in lower case is joined. When no
// line is left for the title, the first-page lines dropped as running header
// are tried.
func readPreamble(lines []line, firstPage []string) preamble {
	var p preamble
	var titleLines []string
	titleOpen := false
	consider := func(cell string, guessed bool) bool {
		cell = collapseSpaces(strings.TrimLeftFunc(cell, isPrivateUse))
		switch {
		case cell == "":
			return false
		case docTypeRE.MatchString(cell) && len(strings.Fields(cell)) <= 3:
			return false
		}
		if d, ok := readDnr(cell); ok {
			if p.reference == "" {
				p.reference = d
				if ourNumberRE.MatchString(d) {
					p.number = d
				}
			}
			return false
		}
		if d, ok := readDate(cell); ok {
			if p.date == "" {
				p.date = d
			}
			return false
		}
		if notTitleRE.MatchString(cell) || isOrgName(cell) || timestampRE.MatchString(cell) {
			return false
		}
		if p.title == "" {
			p.title, p.titleGuessed = cell, guessed
			return true
		}
		return false
	}
	for _, ln := range lines {
		if ln.text == "" {
			titleOpen = false
			continue
		}
		cs := cells(ln.raw)
		if titleOpen && len(cs) == 1 && startsLower(cs[0]) {
			titleLines = append(titleLines, cs[0])
			continue
		}
		titleOpen = false
		for _, c := range cs {
			if consider(c, false) {
				titleLines = append(titleLines, p.title)
				titleOpen = len(cs) == 1
			}
		}
	}
	if p.title == "" {
		for _, s := range firstPage {
			for _, c := range cells(s) {
				if consider(c, true) {
					titleLines = append(titleLines, p.title)
				}
			}
		}
	}
	if len(titleLines) > 0 {
		p.title = strings.Join(titleLines, " ")
	}
	return p
}
