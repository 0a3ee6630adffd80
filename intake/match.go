package intake

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Directory is what Input needs to know of the installation to turn the names
// in a report into references.
type Directory struct {
	Board      string // code of the board the case belongs to
	Bodies     []workflow.Body
	Users      []workflow.User
	Recipients map[string]string // known recipients: name to e-mail
}

// kindWords recognise a body's kind in how reports write its name.
var kindWords = []struct {
	word string
	kind workflow.BodyKind
}{
	{"presidie", workflow.KindPresidium},
	{"arbetsutskott", workflow.KindWorkingCommittee},
	{"kommunstyrelse", workflow.KindExecutiveBoard},
	{"fullmäktige", workflow.KindCouncil},
	{"nämnd", workflow.KindBoard},
}

// Input turns the report into input for the store. Every name that matches
// nothing is reported, all at once.
func (r Report) Input(dir Directory) (db.CaseInput, error) {
	in := db.CaseInput{Number: r.Number, Board: dir.Board, Title: r.Title, Summary: r.Summary,
		Proposals: r.Proposals, Background: r.Background}
	var p workflow.Problems
	for i, line := range r.Route {
		b, ok := dir.body(line.Body)
		if !ok {
			p.Add(fmt.Sprintf("route[%d]", i), "Inget organ heter %q", line.Body)
			continue
		}
		in.Route = append(in.Route, db.StepInput{Body: b.Code, Date: line.Date})
	}
	for i, person := range r.Responsible {
		u, ok := dir.user(person.Name)
		if !ok {
			p.Add(fmt.Sprintf("approvers[%d]", i), "%s (%s) är inte en användare", person.Name, person.Title)
			continue
		}
		in.Approvers = append(in.Approvers, db.ApproverInput{Email: u.Email, Position: person.Title})
	}
	for _, name := range r.Recipients {
		in.Recipients = append(in.Recipients, workflow.Recipient{Name: name, Email: dir.Recipients[name]})
	}
	return in, p.Err()
}

// body finds the body a report line names: by exact name or code, else by the
// kind word it contains, narrowed to a board the line mentions by code, and then
// to the case's own board ("Arbetsmarknads- och socialnämndens arbetsutskott").
func (dir Directory) body(name string) (workflow.Body, bool) {
	norm := strings.ToLower(strings.Join(strings.Fields(name), " "))
	for _, b := range dir.Bodies {
		if strings.EqualFold(b.Name, norm) || strings.EqualFold(b.Code, norm) {
			return b, true
		}
	}
	var kind workflow.BodyKind
	for _, kw := range kindWords {
		if strings.Contains(norm, kw.word) {
			kind = kw.kind
			break
		}
	}
	words := strings.Fields(norm)
	candidates := filter(dir.Bodies, func(b workflow.Body) bool { return b.Kind == kind })
	for _, narrow := range []func(workflow.Body) bool{
		func(b workflow.Body) bool { return slices.Contains(words, strings.ToLower(b.Board)) },
		func(b workflow.Body) bool { return b.Board == dir.Board },
	} {
		if len(candidates) == 1 {
			break
		}
		if n := filter(candidates, narrow); len(n) > 0 {
			candidates = n
		}
	}
	if len(candidates) == 1 {
		return candidates[0], true
	}
	return workflow.Body{}, false
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

func (dir Directory) user(name string) (workflow.User, bool) {
	for _, u := range dir.Users {
		if strings.EqualFold(strings.Join(strings.Fields(u.Name), " "), strings.Join(strings.Fields(name), " ")) {
			return u, true
		}
	}
	return workflow.User{}, false
}

// Draft maps the report's names to the installation for the review step: the
// case input the review form starts from, and a warning on every field whose
// value was guessed or could not be mapped. It never fails: a route row whose
// body is unknown keeps its date with Body "", a person who is not a user is
// left out of the approvers with a warning naming them, a recipient without
// a known address keeps Email "". The report's own warnings come first.
func (r Report) Draft(dir Directory) (db.CaseInput, []Warning) {
	warnings := append([]Warning(nil), r.Warnings...)
	warn := func(field, format string, args ...any) {
		warnings = append(warnings, Warning{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	in := db.CaseInput{Number: r.Number, Board: dir.Board, Title: r.Title, Summary: r.Summary,
		Proposals: r.Proposals, Background: r.Background}
	for i, line := range r.Route {
		b, ok := dir.body(line.Body)
		if !ok {
			warn(fmt.Sprintf("route[%d]", i), "%q i dokumentet motsvarar inget organ: välj organ", line.Body)
		}
		in.Route = append(in.Route, db.StepInput{Body: b.Code, Date: line.Date})
	}
	for _, person := range r.Responsible {
		u, ok := dir.user(person.Name)
		if !ok {
			warn(fmt.Sprintf("approvers[%d]", len(in.Approvers)), "%s (%s) under Ansvariga är inte en användare: välj godkännare", person.Name, person.Title)
		}
		in.Approvers = append(in.Approvers, db.ApproverInput{Email: u.Email, Position: person.Title})
	}
	for i, name := range r.Recipients {
		email := dir.Recipients[name]
		if email == "" {
			warn(fmt.Sprintf("recipients[%d]", i), "Ingen e-postadress känd för %q: fyll i adressen", name)
		}
		in.Recipients = append(in.Recipients, workflow.Recipient{Name: name, Email: email})
	}
	return in, warnings
}
