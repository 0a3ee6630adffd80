package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/templates"
	"github.com/kommun/beslutsgang/workflow"
)

// View is what every page template gets: the frame (who is logged in, the CSRF
// token, messages) and the page's own data in Page.
type View struct {
	Title   string // the page's <title> and, unless the page says otherwise, its h1
	Section string // which main menu item is current: home, cases, new, admin
	User    workflow.User
	CSRF    string
	Notice  string // a confirmation, e.g. after an action
	Alert   string // what went wrong, shown at the top of the page
	Errors  FormErrors
	Page    any
}

// LoggedIn reports whether someone is logged in.
func (v *View) LoggedIn() bool { return v.User.ID != 0 }

// CanCreate reports whether the user may start cases (officer or secretary somewhere).
func (v *View) CanCreate() bool { return CanCreate(v.User) }

// CanAdmin reports whether the user may open the admin pages.
func (v *View) CanAdmin() bool { return v.User.HasAnywhere(workflow.RoleAdmin) }

// RoleLabels names the user's roles for the page header, e.g. "Handläggare (ASN, KS)".
func (v *View) RoleLabels() string {
	boards := map[workflow.Role][]string{}
	for _, g := range v.User.Grants {
		boards[g.Role] = append(boards[g.Role], g.Board)
	}
	var parts []string
	for _, r := range workflow.Roles {
		if b := boards[r]; len(b) > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s)", r.Label(), strings.Join(b, ", ")))
		}
	}
	return strings.Join(parts, ", ")
}

// CanCreate reports whether u may start cases (officer or secretary somewhere).
func CanCreate(u workflow.User) bool {
	return u.HasAnywhere(workflow.RoleOfficer) || u.HasAnywhere(workflow.RoleSecretary)
}

// Render writes a page inside the layout with the given status.
func (s *Server) Render(c *fiber.Ctx, status int, name string, v *View) error {
	if p := formTextProblems(c); len(p) > 0 && name != "error" {
		// A form with text nobody types comes back, whatever its handler
		// made of the rest, with those messages first and as 422.
		var merged FormErrors
		for _, f := range p {
			if !slices.Contains(v.Errors, f) {
				merged = append(merged, f)
			}
		}
		v.Errors = append(merged, v.Errors...)
		if status < 400 {
			status = fiber.StatusUnprocessableEntity
		}
	}
	v.User = CurrentUser(c)
	v.CSRF = CSRFToken(c)
	c.Status(status)
	return c.Render(name, v, "layout")
}

// RenderPublic draws the public page name with status 200, as Render does.
// For a visitor who is not logged in, the page is the same for everyone who
// asks for its address, and it comes from the store's list cache
// (db.Store.RememberPage) while the database is unchanged: drawing a page of
// 50 rows costs more than reading them. fill reads what the page shows into
// v, through ctx (which tells the cache what the page was drawn from); it is
// called only when the page is drawn, and its error is returned.
// A page whose query has text nobody types is drawn each time (422).
func (s *Server) RenderPublic(c *fiber.Ctx, name string, v *View, fill func(ctx context.Context, v *View) error) error {
	if CurrentUser(c).ID != 0 || len(formTextProblems(c)) > 0 {
		if err := fill(c.UserContext(), v); err != nil {
			return err
		}
		return s.Render(c, fiber.StatusOK, name, v)
	}
	body, err := s.Store.RememberPage(c.UserContext(), name+"\x00"+c.OriginalURL(), func(ctx context.Context) ([]byte, error) {
		if err := fill(ctx, v); err != nil {
			return nil, err
		}
		var b bytes.Buffer
		err := c.App().Config().Views.Render(&b, name, v, "layout")
		return b.Bytes(), err
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(fiber.StatusOK).Send(body)
}

// formTextProblemsKey is the Locals key of SetFormTextProblems.
type formTextProblemsKey struct{}

// SetFormTextProblems makes every page rendered for this request show p
// beside their fields, and answer 422: the messages on text nobody types
// in the form posted (InputTextProblems, worded by the pages).
func SetFormTextProblems(c *fiber.Ctx, p workflow.Problems) { c.Locals(formTextProblemsKey{}, p) }

func formTextProblems(c *fiber.Ctx) workflow.Problems {
	p, _ := c.Locals(formTextProblemsKey{}).(workflow.Problems)
	return p
}

// FormErrors are the field errors of a submitted form, in the order the
// workflow reported them.
type FormErrors []workflow.FieldError

// ErrorsOf returns the field errors of err, and the message to show above the
// form when err is not about fields.
func ErrorsOf(err error) (FormErrors, string) {
	var we *workflow.Error
	if !errors.As(err, &we) {
		return nil, workflow.ErrorMessage(err)
	}
	if len(we.Fields) == 0 {
		return nil, we.Message
	}
	return FormErrors(we.Fields), ""
}

// Of returns the messages for a field, each to be shown on its own line.
func (e FormErrors) Of(field string) Messages {
	var msgs Messages
	for _, f := range e {
		if f.Field == field {
			msgs = append(msgs, f.Message)
		}
	}
	return msgs
}

// At returns the messages for row i of a list field, e.g. At("route", 1) for
// "route[1]"; messages about the whole list go with its first row.
func (e FormErrors) At(list string, i int) Messages {
	msgs := e.Of(fmt.Sprintf("%s[%d]", list, i))
	if i == 0 {
		msgs = append(e.Of(list), msgs...)
	}
	return msgs
}

// Has reports whether there is any error.
func (e FormErrors) Has() bool { return len(e) > 0 }

// ErrorLink is one line of the error summary: the message and the id of the
// input it is about.
type ErrorLink struct {
	Anchor  string
	Message string
}

// IndexedField reads a field error's row: "route[1]" is route, 1.
var IndexedField = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]$`)

// listFields are the form fields that hold rows; an error about the whole list
// points at its first row.
var listFields = []string{"proposals", "route", "approvers", "recipients"}

// Links lists the errors with the ids of the inputs they belong to.
func (e FormErrors) Links() []ErrorLink {
	out := make([]ErrorLink, len(e))
	for i, f := range e {
		out[i] = ErrorLink{Anchor: FieldAnchor(f.Field), Message: f.Message}
	}
	return out
}

// FieldAnchor is the id of the input a field error is about: "route[1]" is
// "route-1", a list as a whole is its first row.
func FieldAnchor(field string) string {
	if m := IndexedField.FindStringSubmatch(field); m != nil {
		return m[1] + "-" + m[2]
	}
	if slices.Contains(listFields, field) {
		return field + "-0"
	}
	return field
}

// PageViews loads the page templates once at start; a template that does not
// parse is a programming error, found by any test that starts the server.
func PageViews() *Pages {
	v, err := NewPages(templates.Pages(), template.FuncMap{
		"date":   FormatDate,
		"time":   FormatTime,
		"cases":  workflow.CountCases,
		"static": func(name string) string { return "/static/" + name + "?v=" + templates.StaticVersion },
		"add":    func(a, b int) int { return a + b },
		"count":  workflow.FormatCount,
		"size":   SizeText,
		"anchor": FieldAnchor,
		"field":  field,
		"warn":   warn,
	})
	if err != nil {
		panic(fmt.Sprintf("page templates: %v", err))
	}
	return v
}

// FormatDate writes a meeting date as 2020-01-30, or says that none is set.
func FormatDate(d workflow.Date) string {
	if d.IsZero() {
		return "datum ej bestämt"
	}
	return d.String()
}

// FormatTime writes an instant in Stockholm time, e.g. 2026-11-26 14:05.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(workflow.Stockholm).Format("2006-01-02 15:04")
}

// formField is one labelled input as the field partials draw it.
type formField struct {
	ID, Name, Label, Value, Hint, Type, Autocomplete string
	Error                                            Messages
	Warning                                          Messages // remarks to check (the review of an uploaded document)
	Required, Autofocus                              bool
}

// DescribedBy is the field's aria-describedby: the ids of its hint, its
// error and its warning, those it has, or "".
func (f formField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if len(f.Error) > 0 {
		ids = append(ids, f.ID+"-error")
	}
	if len(f.Warning) > 0 {
		ids = append(ids, f.ID+"-warning")
	}
	return strings.Join(ids, " ")
}

// warn gives a formField the warnings to show beside it.
func warn(f formField, warnings Messages) formField {
	f.Warning = warnings
	return f
}

// field builds a formField for the templates; errs is the field's messages
// (from Errors.Of or Errors.At) or one message as a string; opts are
// "hint=...", "type=...", "autocomplete=...", "required" and "autofocus=true".
func field(id, name, label, value string, errs any, opts ...string) formField {
	f := formField{ID: id, Name: name, Label: label, Value: value, Error: messagesOf(errs), Type: "text"}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "hint":
			f.Hint = v
		case "type":
			f.Type = v
		case "autocomplete":
			f.Autocomplete = v
		case "required":
			f.Required = true
		case "autofocus":
			f.Autofocus = v == "true"
		}
	}
	return f
}

// Messages are the error messages of one form field, in the order the
// workflow reported them. The field partials show each on its own line;
// printed as a whole (a row's error inside a table cell) they are joined.
type Messages []string

func (m Messages) String() string { return strings.Join(m, " ") }

// messagesOf reads what a template gives the field function as a field's
// error: its messages, one message, or nothing.
func messagesOf(v any) Messages {
	switch v := v.(type) {
	case Messages:
		return v
	case []string:
		return Messages(v)
	case string:
		if v != "" {
			return Messages{v}
		}
	}
	return nil
}
