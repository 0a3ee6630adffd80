package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// DecodeJSON reads the body strictly: one JSON value, no unknown fields,
// and every name as the API spells it ("ACTION" is not "action";
// memberProblem).
// A body sent as anything but JSON, or without a Content-Type, is 415 (RFC
// 9110 15.5.16); syntax errors are 400; well-formed input that does not fit
// is 422.
func DecodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if (ct != "" || len(c.Body()) > 0) && !isJSON(ct) {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "Skicka JSON med Content-Type: application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return BadRequest("Felaktig JSON: det finns mer efter det första värdet")
	}
	// CheckInputText refuses a name twice before any handler; checked here
	// too, so no decoding depends on a middleware being in front of it.
	switch at, want := memberProblem(c.Body(), reflect.TypeOf(v)); {
	case at == "":
	case want == "":
		return &workflow.Error{Code: workflow.EINVALID, Message: "Uppgifterna behöver rättas",
			Fields: []workflow.FieldError{{Field: at, Message: fmt.Sprintf("Fältet %q förekommer mer än en gång", at)}}}
	default:
		return &workflow.Error{Code: workflow.EINVALID, Message: "Okänt fält",
			Fields: []workflow.FieldError{{Field: at, Message: fmt.Sprintf(
				"Okänt fält %q: fältens namn skrivs med små och stora bokstäver som i dokumentationen, här %q", at, want)}}}
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return BadRequest("Begäran saknar JSON-innehåll")
	case errors.As(err, &syn):
		return BadRequest("Felaktig JSON vid tecken %d", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return BadRequest("Felaktig JSON: innehållet tar slut för tidigt")
	case errors.As(err, &typ) && typ.Field == "":
		return &workflow.Error{Code: workflow.EINVALID, Message: fmt.Sprintf("Begärans JSON ska vara %s", jsonKind(typ.Type))}
	case errors.As(err, &typ):
		return &workflow.Error{Code: workflow.EINVALID, Message: "Fel typ i JSON",
			Fields: []workflow.FieldError{{Field: typ.Field, Message: fmt.Sprintf("Fältet %q ska vara %s", typ.Field, jsonKind(typ.Type))}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return &workflow.Error{Code: workflow.EINVALID, Message: "Okänt fält",
			Fields: []workflow.FieldError{{Field: strings.Trim(name, `"`), Message: "Okänt fält " + name}}}
	default:
		// Errors from a field's own UnmarshalJSON, such as a date that is not a date.
		return workflow.Errorf(workflow.EINVALID, "Ogiltigt värde: %v", err)
	}
}

// jsonKind names, in Swedish, what a JSON value of a Go type looks like, so a
// type error never shows a Go type to the user.
func jsonKind(t reflect.Type) string {
	if t == reflect.TypeFor[workflow.Date]() {
		return "ett datum som text, ÅÅÅÅ-MM-DD"
	}
	switch t.Kind() {
	case reflect.String:
		return "text inom citattecken"
	case reflect.Bool:
		return "true eller false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "ett heltal"
	case reflect.Float32, reflect.Float64:
		return "ett tal"
	case reflect.Slice, reflect.Array:
		return "en lista [...]"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	default:
		return "ett objekt {...}"
	}
}
