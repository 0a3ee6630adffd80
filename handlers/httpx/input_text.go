package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// CheckInputText refuses a request any of whose text (query parameters, form
// fields, uploaded file names, JSON strings) is not text a person could have
// typed (workflow.TextProblem): broken UTF-8, control characters, or the
// characters that reverse the writing direction. It runs before every route,
// so nothing is stored from such a request: 400 for a body that is not
// UTF-8 at all, else 422 naming the field.
//
// A form posted to a page (a urlencoded or multipart POST outside /api/)
// goes on instead, with those characters taken out of its fields and the
// problems kept for the pages (InputTextProblems): the pages' group lets no
// change of such a request be kept (db.WithVeto) and shows the form again,
// as typed less those characters, with the messages beside the fields.
func CheckInputText(c *fiber.Ctx) error {
	if isOParlRead(c) {
		// OParl's read-only API checks its own parameters and answers a bad
		// one with OParl's Error and the CORS header (handlers/public/oparl.go).
		return c.Next()
	}
	var found []InputTextProblem
	check := func(field, value string) {
		if why := workflow.TextProblem(value); why != "" {
			found = append(found, InputTextProblem{Field: field, Why: why})
		}
	}
	// An address with text nobody types names nothing here, and such text
	// must not reach the database either: PostgreSQL refuses a NUL in a
	// parameter outright (a 500 before this). OParl answers its own paths
	// with its Error object.
	if path := string(c.Request().URI().Path()); !strings.HasPrefix(path, "/oparl/") && workflow.TextProblem(path) != "" {
		return workflow.Errorf(workflow.ENOTFOUND, "Adressen finns inte: den innehåller tecken som ingen skriver")
	}
	page := isPageForm(c) || isPageQuery(c)
	query := c.Request().URI().QueryArgs()
	queryDirty := false
	query.VisitAll(func(k, v []byte) {
		check(string(k), string(v))
		queryDirty = queryDirty || workflow.TextProblem(string(v)) != ""
	})
	if isPageQuery(c) && queryDirty {
		// A search typed into a page comes back as typed, less what nobody types.
		cleaned := map[string][]string{}
		var keys []string
		query.VisitAll(func(k, v []byte) {
			if _, ok := cleaned[string(k)]; !ok {
				keys = append(keys, string(k))
			}
			cleaned[string(k)] = append(cleaned[string(k)], workflow.WithoutProblemText(string(v)))
		})
		query.Reset()
		for _, k := range keys {
			for _, v := range cleaned[k] {
				query.Add(k, v)
			}
		}
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		args := c.Request().PostArgs()
		type kv struct{ k, v string }
		var all []kv
		dirty := false
		args.VisitAll(func(k, v []byte) {
			check(string(k), string(v))
			all = append(all, kv{string(k), string(v)})
			dirty = dirty || workflow.TextProblem(string(v)) != ""
		})
		if page && dirty {
			// The form comes back as typed, less what nobody types.
			args.Reset()
			for _, e := range all {
				args.Add(e.k, workflow.WithoutProblemText(e.v))
			}
		}
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		form, err := c.MultipartForm()
		if err != nil {
			// The parser's own words are English and name its internals.
			return BadRequest("Formuläret kunde inte läsas: ett fältnamn eller filnamn innehåller otillåtna tecken, eller så är innehållet trasigt")
		}
		for k, vs := range form.Value {
			for i, v := range vs {
				check(k, v)
				if page {
					vs[i] = workflow.WithoutProblemText(v)
				}
			}
		}
		for k, fs := range form.File {
			for _, f := range fs {
				if why := workflow.TextProblem(f.Filename); why != "" {
					found = append(found, InputTextProblem{Field: k, Why: why, File: strings.ToValidUTF8(f.Filename, "?")})
				}
			}
		}
	case isJSON(ct) && len(c.Body()) > 0:
		if !utf8.Valid(c.Body()) {
			return BadRequest("Innehållet är inte giltig UTF-8")
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(c.Body()))
		dec.UseNumber()
		if dec.Decode(&v) == nil {
			walkJSON("", v, check)
			if dup := duplicateKey(c.Body()); dup != "" {
				found = append(found, InputTextProblem{Field: dup, Why: "förekommer mer än en gång"})
			}
		}
	}
	if len(found) == 0 {
		return c.Next()
	}
	if page {
		c.Locals(inputTextProblem{}, found)
		return c.Next()
	}
	var p workflow.Problems
	for _, f := range found {
		if f.File != "" {
			p.Add(f.Field, "Filnamnet %q %s", f.File, f.Why)
		} else {
			p.Add(f.Field, "Fältet %q %s", f.Field, f.Why)
		}
	}
	return p.Err()
}

// InputTextProblem is text of one field that nobody types: the field's
// name, why (workflow.TextProblem: "innehåller styrtecknet U+0001, …"), and
// for an uploaded file its name.
type InputTextProblem struct {
	Field, Why, File string
}

// inputTextProblem is the Locals key of a page form's refused text.
type inputTextProblem struct{}

// isPageForm reports a form posted to a page rather than to the API: a
// urlencoded or multipart POST outside /api/.
func isPageForm(c *fiber.Ctx) bool {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	return c.Method() == fiber.MethodPost && !strings.HasPrefix(c.Path(), "/api/") &&
		(strings.HasPrefix(ct, fiber.MIMEApplicationForm) || strings.HasPrefix(ct, fiber.MIMEMultipartForm))
}

// isOParlRead reports a read of the OParl API (GET, HEAD or OPTIONS under
// /oparl/): nothing is stored from it, and its failures must be OParl's
// Error object, which the API's group writes.
func isOParlRead(c *fiber.Ctx) bool {
	m := c.Method()
	return (m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions) &&
		(c.Path() == "/oparl" || strings.HasPrefix(c.Path(), "/oparl/"))
}

// isPageQuery reports a browser asking for a page with a query (a search
// on the case list or the diary): a GET outside /api/ and /oparl/ that
// accepts HTML. Its query comes back cleaned, as a page form does.
func isPageQuery(c *fiber.Ctx) bool {
	p := c.Path()
	return (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) &&
		!strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/oparl/") &&
		strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMETextHTML)
}

// InputTextProblems are the problems CheckInputText found in a page's form
// (a urlencoded or multipart POST outside /api/), whose fields it cleaned and
// let through for the pages to refuse as a page; none for any other request.
func InputTextProblems(c *fiber.Ctx) []InputTextProblem {
	p, _ := c.Locals(inputTextProblem{}).([]InputTextProblem)
	return p
}

// PageInputProblems are the messages, each on its field, for the problems
// InputTextProblems found in a page's form, the fields named by label
// (a field's label in the form, or "" for "Texten").
func PageInputProblems(c *fiber.Ctx, label func(field string) string) workflow.Problems {
	var p workflow.Problems
	for _, f := range InputTextProblems(c) {
		why := strings.Replace(strings.Replace(f.Why, "innehåller ", "innehöll ", 1), "är inte ", "var inte ", 1)
		if f.File != "" {
			p.Add(f.Field, "Filnamnet ”%s” %s. Byt namn på filen och välj den igen.", f.File, f.Why)
			continue
		}
		name := "Texten"
		if l := label(f.Field); l != "" {
			name = "”" + l + "”"
		}
		again := "spara igen"
		if c.Method() != fiber.MethodPost {
			again = "sök igen"
		}
		p.Add(f.Field, "%s %s. Tecknet är borttaget ur fältet: kontrollera texten och %s.", name, why, again)
	}
	return p
}

// walkJSON calls check on every string in v, and on every key, with its path
// as a form would name the field: "title", "proposals[0]", "route[1].body".
func walkJSON(path string, v any, check func(field, value string)) {
	switch v := v.(type) {
	case string:
		check(path, v)
	case []any:
		for i, e := range v {
			walkJSON(fmt.Sprintf("%s[%d]", path, i), e, check)
		}
	case map[string]any:
		for k, e := range v {
			name := k
			if path != "" {
				name = path + "." + k
			}
			check(name, k)
			walkJSON(name, e, check)
		}
	}
}

// isJSON reports whether a Content-Type (lower case) is JSON: application/json
// or a +json type such as application/merge-patch+json.
func isJSON(ct string) bool {
	mt := strings.TrimSpace(strings.SplitN(ct, ";", 2)[0])
	return mt == fiber.MIMEApplicationJSON || strings.HasSuffix(mt, "+json")
}

// duplicateKey is the path of the first key that occurs twice in one JSON
// object, or "": encoding/json would silently keep the last, so
// {"action":"withdraw","action":"submit"} would submit (RFC 8259 4: names
// SHOULD be unique). The body is valid JSON when this is called.
func duplicateKey(body []byte) string {
	path, _ := memberProblem(body, nil)
	return path
}
