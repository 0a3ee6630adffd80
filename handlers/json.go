package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

var sprintf = fmt.Sprintf

// decodeJSON reads the body strictly: one JSON value, no unknown fields.
// Syntax errors are 400; well-formed input that does not fit is 422.
func decodeJSON(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.HasSuffix(strings.SplitN(ct, ";", 2)[0], "+json") {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "Skicka JSON med Content-Type: application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("Felaktig JSON: det finns mer efter det första värdet")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("Begäran saknar JSON-innehåll")
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("Felaktig JSON: %v", err)
	case errors.As(err, &typ):
		return &workflow.Error{Code: workflow.EINVALID, Message: "Fel typ i JSON",
			Fields: []workflow.FieldError{{Field: typ.Field, Message: fmt.Sprintf("Fältet %q ska vara %s", typ.Field, typ.Type)}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return &workflow.Error{Code: workflow.EINVALID, Message: "Okänt fält",
			Fields: []workflow.FieldError{{Field: strings.Trim(name, `"`), Message: "Okänt fält " + name}}}
	default:
		// Errors from a field's own UnmarshalJSON, such as a date that is not a date.
		return workflow.Errorf(workflow.EINVALID, "Ogiltigt värde: %v", err)
	}
}
