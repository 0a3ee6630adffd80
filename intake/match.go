package intake

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Directory is what mapping a report needs to know of the installation to
// turn the names in it into references.
type Directory struct {
	Board      string // code of the board the case belongs to; "" to take it from the diarienummer
	Bodies     []workflow.Body
	Users      []workflow.User
	Recipients map[string]string // known recipients: name to e-mail
}

// kindWords recognise a body's kind in how reports write its name, most
// specific first: "Kommunstyrelsens arbetsutskott" is an arbetsutskott.
var kindWords = []struct {
	word string
	kind workflow.BodyKind
}{
	{"presidie", workflow.KindPresidium},
	{"arbetsutskott", workflow.KindWorkingCommittee},
	{"au", workflow.KindWorkingCommittee},
	{"kommunstyrelse", workflow.KindExecutiveBoard},
	{"fullmäktige", workflow.KindCouncil},
	{"nämnd", workflow.KindBoard},
}

// Input turns the report into input for the store, strictly: every name that
// matches nothing, or more than one thing, is an error, all at once. It is
// Draft for callers without a review step (the demo's seed).
func (r Report) Input(dir Directory) (db.CaseInput, error) {
	m := r.mapTo(dir)
	return m.in, m.unmapped.Err()
}

// Draft maps the report's names to the installation for the review step: the
// case input the review form starts from, and a warning on every field whose
// value was guessed or could not be mapped. It never fails: a route row whose
// body is unknown or ambiguous keeps its date with Body "", a person under
// Ansvariga who is not a user keeps the title with Email "", a recipient
// without a known address keeps Email "". The report's own warnings come
// first.
func (r Report) Draft(dir Directory) (db.CaseInput, []Warning) {
	m := r.mapTo(dir)
	return m.in, append(append([]Warning(nil), r.Warnings...), m.warnings...)
}

// mapping is a report mapped to the installation.
type mapping struct {
	in       db.CaseInput
	warnings []Warning
	unmapped workflow.Problems // what Input refuses
}

func (m *mapping) warn(field, format string, args ...any) {
	m.warnings = append(m.warnings, Warning{Field: field, Message: fmt.Sprintf(format, args...)})
}

// fail is a warning that leaves the field empty.
func (m *mapping) fail(field, format string, args ...any) {
	m.warn(field, format, args...)
	m.unmapped.Add(field, format, args...)
}

func (r Report) mapTo(dir Directory) mapping {
	m := mapping{in: db.CaseInput{Number: r.Number, Board: dir.Board, Title: r.Title, Summary: r.Summary,
		Proposals: r.Proposals, Background: r.Background}}
	if r.Number == "" {
		m.in.Reference = r.Reference // another registry's number, kept as written
	}
	if prefix := DnrPrefix(r.Reference); prefix != "" && dir.hasBoard(prefix) {
		switch {
		case dir.Board == "":
			m.in.Board = prefix
			m.warn("board", "Nämnden %s är tagen från diarienumret %s: kontrollera", prefix, r.Reference)
		case !strings.EqualFold(prefix, dir.Board):
			m.warn("board", "Diarienumret %s hör till %s, men ärendet registreras i %s: kontrollera nämnden", r.Reference, prefix, dir.Board)
		}
	}
	dir.Board = m.in.Board
	for i, line := range r.Route {
		field := fmt.Sprintf("route[%d]", i)
		b, problem := dir.body(line.Body)
		if problem != "" {
			m.fail(field, "%s", problem)
		}
		m.in.Route = append(m.in.Route, db.StepInput{Body: b.Code, Date: line.Date})
	}
	for i, person := range r.Responsible {
		field := fmt.Sprintf("approvers[%d]", i)
		u, problem := dir.user(person.Name)
		switch {
		case problem != "":
		case !u.Active:
			u, problem = workflow.User{}, fmt.Sprintf("%s är inte en aktiv användare: välj godkännare", u.Email)
		case dir.Board != "" && !u.Has(dir.Board, workflow.RoleApprover):
			u, problem = workflow.User{}, fmt.Sprintf("användaren %s är inte ansvarig chef (godkännare) för %s: välj godkännare", u.Email, dir.Board)
		}
		if problem != "" {
			m.fail(field, "%s (%s) under Ansvariga: %s", person.Name, orNone(person.Title), problem)
		}
		m.in.Approvers = append(m.in.Approvers, db.ApproverInput{Email: u.Email, Position: person.Title})
	}
	for i, name := range r.Recipients {
		email := dir.recipient(name)
		if email == "" {
			m.warn(fmt.Sprintf("recipients[%d]", i), "Ingen e-postadress känd för %q: fyll i adressen, eller lämna den tom om beslutet skickas på annat sätt", name)
		}
		m.in.Recipients = append(m.in.Recipients, workflow.Recipient{Name: name, Email: email})
	}
	return m
}

func orNone(s string) string {
	if s == "" {
		return "utan titel"
	}
	return s
}

func (dir Directory) hasBoard(code string) bool {
	return slices.ContainsFunc(dir.Bodies, func(b workflow.Body) bool { return strings.EqualFold(b.Board, code) })
}

// upperBoards are the boards above every nämnd: those of kommunstyrelsen
// and kommunfullmäktige.
func (dir Directory) upperBoards() []string {
	var out []string
	for _, b := range dir.Bodies {
		if (b.Kind == workflow.KindExecutiveBoard || b.Kind == workflow.KindCouncil) && !slices.Contains(out, b.Board) {
			out = append(out, b.Board)
		}
	}
	return out
}

// body finds the body a Beslutsplanering row names, among the bodies of the
// case's board and of the boards above it (KS, KF) only. An exact name or
// code wins. Otherwise the row's words give a kind ("arbetsutskott") and a
// board: a board's code ("ASN arbetsutskott"), kommunstyrelsen or
// fullmäktige by name, or the start of a nämnd's name in any inflection
// ("Arbetsmarknads- och socialnämndens arbetsutskott"). One body of that
// kind and board is the match; none or several is a problem, in Swedish,
// naming the candidates: an ambiguous name is not guessed.
func (dir Directory) body(name string) (workflow.Body, string) {
	norm := strings.ToLower(collapseSpaces(name))
	upper := dir.upperBoards()
	allowed := filter(dir.Bodies, func(b workflow.Body) bool {
		return dir.Board == "" || strings.EqualFold(b.Board, dir.Board) || slices.Contains(upper, b.Board)
	})
	for _, b := range dir.Bodies {
		if strings.EqualFold(b.Name, norm) || strings.EqualFold(b.Code, norm) {
			if !slices.Contains(allowed, b) {
				return workflow.Body{}, fmt.Sprintf("%q hör till nämnden %s, inte till ärendets nämnd %s eller kommunstyrelsen och fullmäktige: välj organ", name, b.Board, dir.Board)
			}
			return b, ""
		}
	}
	words := strings.FieldsFunc(norm, func(r rune) bool { return r == ' ' || r == ',' || r == ':' })
	for _, b := range dir.Bodies { // another nämnd's body, by its code or name
		if !slices.Contains(allowed, b) && b.Kind == workflow.KindBoard &&
			(slices.Contains(words, strings.ToLower(b.Board)) || strings.HasPrefix(norm, nameStem(b.Name))) {
			return workflow.Body{}, fmt.Sprintf("%q hör till nämnden %s, inte till ärendets nämnd %s eller kommunstyrelsen och fullmäktige: välj organ", name, b.Board, dir.Board)
		}
	}
	var kind workflow.BodyKind
	for _, kw := range kindWords {
		if kw.word == "au" && slices.Contains(words, "au") || kw.word != "au" && strings.Contains(norm, kw.word) {
			kind = kw.kind
			break
		}
	}
	board := ""
	for _, b := range allowed {
		switch {
		case slices.Contains(words, strings.ToLower(b.Board)):
			board = b.Board
		case b.Kind == workflow.KindExecutiveBoard && strings.Contains(norm, "kommunstyrelse"),
			b.Kind == workflow.KindCouncil && strings.Contains(norm, "fullmäktige"),
			(b.Kind == workflow.KindBoard || b.Kind == workflow.KindExecutiveBoard) && strings.HasPrefix(norm, nameStem(b.Name)):
			board = b.Board
		}
		if board != "" {
			break
		}
	}
	candidates := filter(allowed, func(b workflow.Body) bool {
		return (kind == "" || b.Kind == kind) && (board == "" || b.Board == board)
	})
	switch {
	case kind == "" && board == "":
		return workflow.Body{}, fmt.Sprintf("%q i dokumentet liknar inget organ: välj organ", name)
	case len(candidates) == 1:
		return candidates[0], ""
	case len(candidates) == 0:
		return workflow.Body{}, fmt.Sprintf("%q i dokumentet motsvarar inget organ hos ärendets nämnd, kommunstyrelsen eller fullmäktige: välj organ", name)
	}
	names := make([]string, len(candidates))
	for i, b := range candidates {
		names[i] = b.Name + " (" + b.Code + ")"
	}
	return workflow.Body{}, fmt.Sprintf("%q i dokumentet kan vara %s: välj organ", name, strings.Join(names, " eller "))
}

// nameStem is a body's name without its inflection, lower case:
// "Arbetsmarknads- och socialnämnden" gives "arbetsmarknads- och
// socialnämnd", which "socialnämndens" also starts with.
func nameStem(name string) string {
	s := strings.ToLower(collapseSpaces(name))
	for _, suffix := range []string{"en", "n"} {
		if t, ok := strings.CutSuffix(s, suffix); ok && len(t) > 3 {
			return t
		}
	}
	return s
}

func filter[T any](list []T, keep func(T) bool) []T {
	var out []T
	for _, v := range list {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}

// user finds the user a name under Ansvariga names: by name, ignoring case
// and spacing. None or several is a problem, in Swedish.
func (dir Directory) user(name string) (workflow.User, string) {
	key := strings.ToLower(collapseSpaces(name))
	found := filter(dir.Users, func(u workflow.User) bool { return strings.ToLower(collapseSpaces(u.Name)) == key })
	switch len(found) {
	case 1:
		return found[0], ""
	case 0:
		return workflow.User{}, "ingen användare heter så: välj godkännare"
	}
	emails := make([]string, len(found))
	for i, u := range found {
		emails[i] = u.Email
	}
	return workflow.User{}, fmt.Sprintf("flera användare heter så (%s): välj godkännare", strings.Join(emails, ", "))
}

// recipient finds a recipient's address: the known recipients first, by
// name ignoring case, then a body or user of that name is not an address.
func (dir Directory) recipient(name string) string {
	if e := dir.Recipients[name]; e != "" {
		return e
	}
	for n, e := range dir.Recipients {
		if strings.EqualFold(collapseSpaces(n), collapseSpaces(name)) {
			return e
		}
	}
	return ""
}
