package httpx

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// Params is the middleware of a JSON API route that reads the query
// parameters names (none when empty). A parameter the route does not read,
// or one given twice, is refused before the handler runs: a mistyped name
// (?boards=VN) or one of another list (?page=2 on a list read by cursor)
// would otherwise be ignored, and the answer would look like what was asked
// for. JSON:API 1.1, "Query Parameters", asks the same: 400 for a parameter
// the server does not know. Pages in HTML stay lenient (a link in a mail may
// carry ?utm_source=…).
//
// The error is a *ParamError (400 problem+json, one entry per parameter).
func Params(names ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var p workflow.Problems
		seen := make(map[string]bool)
		c.Request().URI().QueryArgs().VisitAll(func(k, _ []byte) {
			name := string(k)
			switch {
			case seen[name]:
				if slices.Contains(names, name) && !slices.ContainsFunc(p, func(e workflow.FieldError) bool { return e.Field == name }) {
					p.Add(name, "Parametern %s får bara anges en gång", name)
				}
			case !slices.Contains(names, name):
				shown := shownName(name)
				p.Add(shown, "%s", unknownParam(shown, names))
			}
			seen[name] = true
		})
		if len(p) > 0 {
			return &ParamError{Fields: p}
		}
		return c.Next()
	}
}

// ParamError is a request with query parameters its address does not read
// (Params): a 400 whose Fields name each one.
type ParamError struct {
	Fields workflow.Problems
}

func (e *ParamError) Error() string {
	return "Adressen tar inte emot de här parametrarna"
}

// unknownParam says, in Swedish, that the address does not read name, and
// what it reads instead.
func unknownParam(name string, names []string) string {
	switch {
	case len(names) == 0:
		return "Adressen tar inte emot några parametrar, alltså inte " + name
	case name == "page" && slices.Contains(names, "cursor"):
		return "Den här listan bläddras med cursor, inte page: följ länken next i svarets Link-huvud"
	}
	return "Adressen tar inte emot parametern " + name + "; den tar emot " + strings.Join(names, ", ")
}

// shownName is a parameter's name as a message quotes it: without control
// characters (line breaks too) or writing-direction ones, at most 40
// characters, so that a long name is not echoed back whole, and "(utan
// namn)" for one that is left empty.
func shownName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, workflow.WithoutProblemText(name))
	switch {
	case strings.TrimSpace(name) == "":
		return "(utan namn)"
	case utf8.RuneCountInString(name) > 40:
		return string([]rune(name)[:40]) + "…"
	}
	return name
}
