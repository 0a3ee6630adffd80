package intake

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// columnGapRE separates the columns of a layout line: two or more spaces
// (a tab was made four spaces by splitLines).
var columnGapRE = regexp.MustCompile(`\t+\s*|\s{2,}`)

// titleWordRE is a word that is a position, as Ansvariga write them:
// "Enhetschef", "förvaltningsdirektör", "Nämndsekreterare".
var titleWordRE = regexp.MustCompile(`(?i)^(?:[a-zåäö-]*(?:chef|direktör|handläggare|sekreterare|strateg|controller|ekonom|jurist|utredare|samordnare|ansvarig|specialist|rådgivare|planerare|ingenjör|arkitekt|kommunikatör|administratör|assistent|koordinator|analytiker|ledare|föreståndare|rektor|revisor|registrator|utvecklare|sakkunnig|konsult|läkare|direktor)|vd|t\.f\.|tf\.?|biträdande|bitr\.?|stf\.?)[,.]?$`)

// contactRE is a line of contact details under a name.
var contactRE = regexp.MustCompile(`@|^(?i:tel|telefon|mobil|e-post|epost)\b|^\+?\d[\d\s-]{6,}$`)

// isTitle reports text that reads as a position: it starts with a title word
// or in lower case ("enhetschef").
func isTitle(s string) bool {
	w := strings.Fields(s)
	return len(w) > 0 && (titleWordRE.MatchString(w[0]) || startsLower(s))
}

// isName reports text that reads as a person's name: two to four words in
// upper case first (particles "af", "von", "de", "van" allowed), no figures.
func isName(s string) bool {
	w := strings.Fields(s)
	if len(w) < 2 || len(w) > 4 || isTitle(s) {
		return false
	}
	for _, x := range w {
		switch x {
		case "af", "von", "de", "van", "der", "la", "di":
			continue
		}
		r := []rune(x)
		if !unicode.IsUpper(r[0]) || strings.ContainsAny(x, "0123456789@:") {
			return false
		}
	}
	return true
}

// readPersons reads Ansvariga in the forms tjänsteskrivelser use:
//
//	Jonas Magnusson  Enhetschef          name and title in columns
//	Jonas Magnusson, enhetschef          name, title
//	Jonas Magnusson Enhetschef           the title recognised by its word
//	Jonas Magnusson                      name, and the title on the line below
//	Enhetschef
//	Jonas Magnusson    Katarina Lindeberg   two signatures side by side,
//	Enhetschef         Avdelningschef       titles on the line below
//
// Stamps ("SIGNERAD") are gone already (dropFurniture); dates and contact
// lines are skipped. A name without a title is kept, with a warning.
func readPersons(lines []line) ([]Person, []Warning) {
	var rows []line
	for _, ln := range lines {
		text, _ := cutBullet(ln.text)
		if text == "" || contactRE.MatchString(text) {
			continue
		}
		if _, ok := readDate(text); ok {
			continue
		}
		rows = append(rows, ln)
	}
	var people []Person
	var warnings []Warning
	add := func(p Person, no int) {
		if p.Title == "" {
			warnings = append(warnings, Warning{Field: fmt.Sprintf("approvers[%d]", len(people)),
				Message: fmt.Sprintf("Rad %d under Ansvariga: ingen titel hittades för %s", no, p.Name)})
		}
		people = append(people, p)
	}
	for i := 0; i < len(rows); i++ {
		ln := rows[i]
		text, _ := cutBullet(ln.text)
		cs := cells(strings.TrimLeftFunc(ln.raw, func(r rune) bool { return unicode.IsSpace(r) || isBulletGlyph(r) }))
		var next []string
		if i+1 < len(rows) {
			next = cells(rows[i+1].raw)
		}
		switch {
		case len(cs) >= 2 && all(cs, isName) && len(next) == len(cs) && all(next, isTitle):
			for k := range cs { // side by side
				add(Person{Name: cs[k], Title: next[k]}, ln.no)
			}
			i++
		case len(cs) >= 2:
			add(Person{Name: cs[0], Title: strings.Join(cs[1:], ", ")}, ln.no)
		case strings.Contains(text, ","):
			name, title, _ := strings.Cut(text, ",")
			add(Person{Name: collapseSpaces(name), Title: collapseSpaces(title)}, ln.no)
		case len(next) == 1 && isName(text) && isTitle(next[0]) && !isName(next[0]):
			add(Person{Name: collapseSpaces(text), Title: next[0]}, ln.no)
			i++
		default:
			words := strings.Fields(text)
			j := 1
			for j < len(words) && !titleWordRE.MatchString(words[j]) && !startsLower(words[j]) {
				j++
			}
			add(Person{Name: strings.Join(words[:j], " "), Title: strings.Join(words[j:], " ")}, ln.no)
		}
	}
	return people, warnings
}

func all(list []string, ok func(string) bool) bool {
	for _, s := range list {
		if !ok(s) {
			return false
		}
	}
	return true
}

// listSepRE separates recipients written on one line.
var listSepRE = regexp.MustCompile(`\s*[;,]\s*`)

// readRecipients reads Beslutet skickas till: one recipient per line, or
// several on a line separated by commas or semicolons.
func readRecipients(lines []line) []string {
	var out []string
	for _, item := range readList(lines) {
		for _, part := range listSepRE.Split(item, -1) {
			if part = strings.TrimSpace(strings.TrimSuffix(part, ".")); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}
