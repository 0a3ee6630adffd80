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
func CheckInputText(c *fiber.Ctx) error {
	var p workflow.Problems
	check := func(field, value string) {
		if why := workflow.TextProblem(value); why != "" {
			p.Add(field, "Fältet %q %s", field, why)
		}
	}
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) { check(string(k), string(v)) })
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		c.Request().PostArgs().VisitAll(func(k, v []byte) { check(string(k), string(v)) })
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		form, err := c.MultipartForm()
		if err != nil {
			// The parser's own words are English and name its internals.
			return BadRequest("Formuläret kunde inte läsas: ett fältnamn eller filnamn innehåller otillåtna tecken, eller så är innehållet trasigt")
		}
		for k, vs := range form.Value {
			for _, v := range vs {
				check(k, v)
			}
		}
		for k, fs := range form.File {
			for _, f := range fs {
				if why := workflow.TextProblem(f.Filename); why != "" {
					p.Add(k, "Filnamnet %q %s", strings.ToValidUTF8(f.Filename, "?"), why)
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
				p.Add(dup, "Fältet %q förekommer mer än en gång", dup)
			}
		}
	}
	if err := p.Err(); err != nil {
		if isPageForm(c) {
			// A page's form: the page group says it as a page
			// (InputTextProblems), in the words of the page's labels.
			c.Locals(inputTextProblem{}, p)
			return c.Next()
		}
		return err
	}
	return c.Next()
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

// InputTextProblems are the problems CheckInputText found in a page's form
// (a urlencoded or multipart POST outside /api/), which it let through for
// the pages to refuse as a page; none for any other request.
func InputTextProblems(c *fiber.Ctx) workflow.Problems {
	p, _ := c.Locals(inputTextProblem{}).(workflow.Problems)
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
	dec := json.NewDecoder(bytes.NewReader(body))
	var walk func(path string) string
	walk = func(path string) string {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return ""
				}
				k, _ := kt.(string)
				name := k
				if path != "" {
					name = path + "." + k
				}
				if seen[k] {
					return name
				}
				seen[k] = true
				if d := walk(name); d != "" {
					return d
				}
			}
			dec.Token() // the closing brace
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if d := walk(fmt.Sprintf("%s[%d]", path, i)); d != "" {
					return d
				}
			}
			dec.Token()
		}
		return ""
	}
	return walk("")
}
