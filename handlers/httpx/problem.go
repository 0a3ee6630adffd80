package httpx

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Problem is an RFC 9457 problem detail.
type Problem struct {
	Type     string                `json:"type"`
	Title    string                `json:"title"`
	Status   int                   `json:"status"`
	Detail   string                `json:"detail"`
	Instance string                `json:"instance,omitempty"`
	Errors   []workflow.FieldError `json:"errors,omitempty"`
}

// StatusOf maps the domain's error vocabulary to HTTP, in this one place.
var StatusOf = map[string]int{
	workflow.EINVALID:      fiber.StatusUnprocessableEntity,
	workflow.ECONFLICT:     fiber.StatusConflict,
	workflow.ENOTFOUND:     fiber.StatusNotFound,
	workflow.EUNAUTHORIZED: fiber.StatusUnauthorized,
	workflow.EFORBIDDEN:    fiber.StatusForbidden,
	workflow.ETOOLARGE:     fiber.StatusRequestEntityTooLarge,
	workflow.EINTERNAL:     fiber.StatusInternalServerError,
}

// Titles are the problem titles by status.
var Titles = map[int]string{
	400: "Felaktig begäran",
	401: "Inte inloggad",
	403: "Inte behörig",
	404: "Finns inte",
	405: "Metoden stöds inte",
	409: "Konflikt",
	413: "För stor",
	415: "Fel innehållstyp",
	422: "Ogiltiga uppgifter",
	429: "För många försök",
	431: "För stora rubriker",
	500: "Internt fel",
	503: "Inte tillgänglig",
}

// ToProblem describes any error as a problem. Internal errors are logged by the
// caller and shown without their text.
func ToProblem(err error) Problem {
	p := toProblem(err)
	// A message may quote what was asked for ("Ärendet … finns inte"): never
	// with a control character or one that turns the writing direction, which
	// would make the page or the JSON show text a link's author reversed.
	p.Detail = workflow.WithoutProblemText(p.Detail)
	p.Errors = slices.Clone(p.Errors) // the error's own fields stay as they are
	for i := range p.Errors {
		p.Errors[i].Field = workflow.WithoutProblemText(p.Errors[i].Field)
		p.Errors[i].Message = workflow.WithoutProblemText(p.Errors[i].Message)
	}
	return p
}

func toProblem(err error) Problem {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		detail := fe.Message
		switch fe.Code {
		case fiber.StatusRequestEntityTooLarge:
			detail = "Begäran är för stor"
		case fiber.StatusNotFound:
			if strings.HasPrefix(detail, "Cannot ") {
				detail = "Sidan eller resursen finns inte"
			}
		case fiber.StatusMethodNotAllowed:
			detail = "Metoden stöds inte för den här adressen"
		}
		// The HTTP server's own words when it cannot read a request
		// ("cannot read multipart/form-data body: …", "error when reading
		// request headers: small read buffer …") are English.
		if strings.HasPrefix(detail, "cannot ") || strings.HasPrefix(detail, "error when") || fe.Code == fiber.StatusRequestHeaderFieldsTooLarge {
			detail = "Begäran kunde inte läsas: den är felaktigt uppbyggd eller har för stora rubriker, t.ex. ett filnamn eller fältnamn med otillåtna tecken"
		}
		return Problem{Type: "about:blank", Title: Titles[fe.Code], Status: fe.Code, Detail: detail}
	}
	if db.Interrupted(err) {
		return Problem{Type: "urn:beslutsgang:problem:timeout", Title: Titles[fiber.StatusServiceUnavailable], Status: fiber.StatusServiceUnavailable,
			Detail: "Det tog för lång tid att ta fram svaret, så sökningen avbröts. Smalna av urvalet, eller försök igen om en stund."}
	}
	if db.Unavailable(err) {
		return Problem{Type: "urn:beslutsgang:problem:unavailable", Title: Titles[fiber.StatusServiceUnavailable], Status: fiber.StatusServiceUnavailable,
			Detail: "Databasen går inte att nå just nu. Försök igen om en stund."}
	}
	var ce *db.CursorError
	if errors.As(err, &ce) {
		return Problem{Type: "urn:beslutsgang:problem:bad_cursor", Title: Titles[fiber.StatusBadRequest], Status: fiber.StatusBadRequest,
			Detail: ce.Message, Errors: []workflow.FieldError{{Field: "cursor", Message: ce.Message}}}
	}
	var pe *ParamError
	if errors.As(err, &pe) {
		p := Problem{Type: "urn:beslutsgang:problem:bad_parameter", Title: Titles[fiber.StatusBadRequest], Status: fiber.StatusBadRequest,
			Detail: pe.Error(), Errors: pe.Fields}
		if len(pe.Fields) == 1 {
			p.Detail = pe.Fields[0].Message
		}
		return p
	}
	code := workflow.ErrorCode(err)
	status := StatusOf[code]
	p := Problem{Type: "urn:beslutsgang:problem:" + code, Title: Titles[status], Status: status,
		Detail: workflow.ErrorMessage(err)}
	var we *workflow.Error
	if errors.As(err, &we) {
		p.Detail = we.Message
		p.Errors = we.Fields
		if len(we.Fields) == 1 {
			p.Detail = we.Fields[0].Message
		}
	}
	return p
}

// HandleError is the app's error handler for what no page's own handling
// caught, such as a request the server refused before any route (a body
// over the limit: 413). It answers as problem+json, except to a browser
// (WantsPage): a Swedish error page with the same status.
func (s *Server) HandleError(c *fiber.Ctx, err error) error {
	p := ToProblem(err)
	if p.Status >= 500 {
		Log(c).Error("request failed", "method", c.Method(), "route", c.Route().Path, "err", err)
	}
	p.Instance = c.OriginalURL()
	if p.Type == "urn:beslutsgang:problem:unavailable" {
		c.Set(fiber.HeaderRetryAfter, "30")
	}
	if WantsPage(c) {
		detail := p.Detail
		if p.Status == fiber.StatusRequestEntityTooLarge {
			detail = fmt.Sprintf("Det du skickade är för stort att ta emot. En fil får vara högst %s. Gå tillbaka och välj en mindre fil.",
				SizeText(db.MaxAttachmentSize))
			if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationForm) {
				// A form of text only: no file to choose.
				detail = "Det du skickade är för stort att ta emot: texten i formuläret är för lång. Gå tillbaka, korta texten och försök igen."
			}
		}
		v := &View{Title: p.Title, Page: NewErrorPage(c, p.Status, detail)}
		if rerr := s.Render(c, p.Status, "error", v); rerr == nil {
			return nil
		}
	}
	return WriteProblem(c, p)
}

// ErrorPage is what the error page (templates/pages/error.html) says.
type ErrorPage struct {
	Status int
	Detail string
	Kept   []KeptText // the texts of a form refused for its security code, to copy
}

// NewErrorPage is the error page of the request c with the status and the
// message given, and the texts of the form if the CSRF guard refused it.
func NewErrorPage(c *fiber.Ctx, status int, detail string) *ErrorPage {
	return &ErrorPage{Status: status, Detail: detail, Kept: keptText(c)}
}

// WantsPage reports whether a request comes from a browser and should get
// an HTML page rather than problem+json: it accepts text/html, carries no
// bearer token, and is not for the JSON APIs under /api/ and /oparl/.
func WantsPage(c *fiber.Ctx) bool {
	p := c.Path()
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/oparl/") && c.Get(fiber.HeaderAuthorization) == "" &&
		strings.Contains(strings.ToLower(c.Get(fiber.HeaderAccept)), "text/html")
}

// WriteProblem answers with p as application/problem+json.
func WriteProblem(c *fiber.Ctx, p Problem) error {
	c.Status(p.Status)
	c.Set(fiber.HeaderContentType, "application/problem+json; charset=utf-8")
	return c.JSON(p, "application/problem+json; charset=utf-8")
}

// BadRequest is a 400 for input that is not even well-formed.
func BadRequest(format string, args ...any) error {
	return fiber.NewError(fiber.StatusBadRequest, fmt.Sprintf(format, args...))
}
