package intake

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// routeDateRE finds a route line's date at its end or its start:
// "ASN arbetsutskott 2020-01-16", "2020-01-16 ASN arbetsutskott",
// "ASN arbetsutskott, 16 januari 2020".
var (
	routeDateEndRE   = regexp.MustCompile(`(?i)(?:^|[\s,:;–-])(\d{4}-\d{1,2}-\d{1,2}|(?:den\s+)?\d{1,2}\s+[a-zåäö]+\s+\d{4})$`)
	routeDateStartRE = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2})(?:[\s,:;–-]|$)`)
)

// routeHeaderRE is a column header row over a route table: "Organ  Datum".
var routeHeaderRE = regexp.MustCompile(`(?i)^(?:organ|instans|beslutsinstans|politiskt organ)\s+(?:datum|sammanträdesdatum|sammanträde|mötesdatum)$`)

// undatedRE is what a route row writes where its date is not yet set.
var undatedRE = regexp.MustCompile(`(?i)(?:\s+|[,:;–-]\s*)(?:datum\s+ej\s+(?:fastställt|bestämt|satt)|ej\s+fastställt|inte\s+fastställt|datum\s+saknas|prel\.?|preliminärt|ÅÅÅÅ-MM-DD|xxxx-xx-xx|[-–]+)$`)

// readRoute reads the Beslutsplanering: one step per line, "Body date",
// "date Body", or "Body" alone when the meeting is not yet set. A line that
// is prose ("Kommunstyrelsens arbetsutskott har berett ärendet 190912,
// § 200") is no step: it is returned as a note, kept as text. A date that is
// no real day leaves the step undated, with a warning naming the line, and
// is an error (ErrBadRoute) for a registration without review.
func readRoute(lines []line) (route []RouteLine, notes []string, warnings []Warning, errs []error) {
	for _, ln := range lines {
		if ln.text == "" || routeHeaderRE.MatchString(collapseSpaces(ln.text)) {
			continue
		}
		text, _ := cutBullet(ln.text)
		if n, ok := cutNumber(text); ok && n != "" {
			text = n
		}
		if isProse(text) {
			if len(notes) > 0 && startsLower(text) {
				notes[len(notes)-1] += " " + text
			} else {
				notes = append(notes, text)
			}
			warnings = append(warnings, Warning{Field: "route", Message: fmt.Sprintf("Rad %d i beslutsplaneringen är en mening, inget steg; den står kvar som text under Ärendet: %q", ln.no, collapseSpaces(text))})
			continue
		}
		field := fmt.Sprintf("route[%d]", len(route))
		body, date := text, ""
		if m := routeDateEndRE.FindStringSubmatchIndex(text); m != nil {
			body, date = text[:m[2]], text[m[2]:m[3]]
		} else if m := routeDateStartRE.FindStringSubmatchIndex(text); m != nil {
			body, date = text[m[1]:], text[m[2]:m[3]]
		} else {
			body = undatedRE.ReplaceAllString(text, "")
		}
		body = collapseSpaces(strings.Trim(body, " \t,;:–-"))
		if date != "" {
			d, ok := routeDate(date)
			if !ok {
				warnings = append(warnings, Warning{Field: field, Message: fmt.Sprintf("Rad %d i beslutsplaneringen: %s är inget giltigt datum; steget står utan datum", ln.no, date)})
				errs = append(errs, fmt.Errorf("%w: rad %d: %q: %s är inget giltigt datum", ErrBadRoute, ln.no, collapseSpaces(ln.text), date))
			}
			date = d
		}
		if body == "" {
			warnings = append(warnings, Warning{Field: "route", Message: fmt.Sprintf("Rad %d i beslutsplaneringen namnger inget organ före datumet %s; raden är utelämnad", ln.no, date)})
			continue
		}
		route = append(route, RouteLine{Body: body, Date: date})
	}
	return route, notes, warnings, errs
}

// routeDate reads a route date in ISO form (one-digit month and day
// allowed) or written out in Swedish.
func routeDate(s string) (string, bool) {
	if d, ok := swedishDate(s); ok {
		return d, true
	}
	t, err := time.Parse("2006-1-2", s)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// isProse reports a line that is a sentence, not a body's name: it ends a
// sentence, carries a paragraph sign, or is long.
func isProse(s string) bool {
	return strings.HasSuffix(s, ".") || strings.Contains(s, "§") ||
		utf8.RuneCountInString(s) > 90 || len(strings.Fields(s)) > 10 ||
		proseVerbRE.MatchString(" "+s+" ")
}

// proseVerbRE finds a verb that makes a route line a sentence.
var proseVerbRE = regexp.MustCompile(`\s(?:har|hade|ska|skall|kommer|beslutade|beslutat|beredde|berett|behandlade|behandlat)\s`)
