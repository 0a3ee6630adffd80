package workflow

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes: a small vocabulary the HTTP layer maps to status codes in one place.
const (
	EINVALID      = "invalid"      // 422: input breaks a rule
	ECONFLICT     = "conflict"     // 409: stale version, or not allowed in this stage
	ENOTFOUND     = "not_found"    // 404
	EUNAUTHORIZED = "unauthorized" // 401: not logged in
	EFORBIDDEN    = "forbidden"    // 403: logged in, but not this person's action
	ETOOLARGE     = "too_large"    // 413
	EINTERNAL     = "internal"     // 500
)

// FieldError says what is wrong with one input field, in Swedish, so a form can
// show it beside the field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"detail"`
}

// Error is a domain error a person can act on.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Message
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors from outside the domain.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of err; internal errors are not
// shown to users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "Ett internt fel inträffade. Försök igen, och kontakta support om det kvarstår."
}

// Problems collects field errors; Err returns nil when there are none.
type Problems []FieldError

func (p *Problems) Add(field, format string, args ...any) {
	*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Uppgifterna behöver rättas", Fields: p}
}
