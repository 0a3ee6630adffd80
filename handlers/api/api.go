// Package api is the JSON API for staff under /api/v1: cases, meetings,
// deadlines, intake of documents and the outbox, for a bearer token from
// POST /api/v1/sessions. Errors are problem+json (httpx.Problem).
package api

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// Server is the API's handlers over the audiences' common server.
type Server struct {
	*httpx.Server
}

// New is the API over s.
func New(s *httpx.Server) *Server { return &Server{Server: s} }

// noParams is the middleware of a GET route that reads no query parameter:
// one given is refused (httpx.Params). Every GET of the API names what it
// reads this way, except the health probes, which monitors call as they like.
var noParams = httpx.Params()

// Routes registers the API under /api/v1, with its own catch-all: an address
// under /api/v1 that the API does not have is 404 in problem+json, never a page.
func (s *Server) Routes(app *fiber.App) {
	api := app.Group("/api/v1")
	api.Get("/healthz", s.Healthz)
	api.Get("/readyz", s.Readyz)
	api.Post("/sessions", s.createSession)
	auth := api.Group("", s.RequireToken)
	auth.Delete("/sessions", s.deleteSession)
	auth.Get("/me", noParams, s.apiMe)
	auth.Get("/boards", noParams, s.apiBoards)
	auth.Get("/bodies", noParams, s.apiBodies)
	auth.Get("/cases", httpx.Params("q", "stage", "board", "officer", "sort", "order", "page", "per_page", "cursor"), s.apiListCases)
	auth.Post("/cases", s.apiCreateCase)
	auth.Post("/intake", s.apiIntake)
	auth.Get("/cases/:number", noParams, s.apiGetCase)
	auth.Patch("/cases/:number", s.apiPatchCase)
	auth.Post("/cases/:number/actions", s.apiAct)
	auth.Get("/cases/:number/events", noParams, s.apiEvents)
	auth.Post("/cases/:number/attachments", s.apiUpload)
	auth.Get("/cases/:number/attachments/:id", noParams, s.apiDownload)
	s.routesMeetings(auth)
	s.routesMail(auth)
	api.Use(func(c *fiber.Ctx) error {
		return fiber.NewError(fiber.StatusNotFound, "Det finns ingen sådan adress i API:t")
	})
}

func (s *Server) apiMe(c *fiber.Ctx) error { return c.JSON(httpx.CurrentUser(c)) }

func (s *Server) apiBoards(c *fiber.Ctx) error {
	boards, err := s.Store.Boards(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(orEmpty(boards))
}

func (s *Server) apiBodies(c *fiber.Ctx) error {
	bodies, err := s.Store.Bodies(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(orEmpty(bodies))
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// caseJSON is a case as the API shows it, with what the caller may do to it.
type caseJSON struct {
	workflow.Case
	Board          string            `json:"board"`
	BoardName      string            `json:"board_name"`
	Route          []httpx.StepJSON  `json:"route"`
	AllowedActions []workflow.Action `json:"allowed_actions"`
	// Paragraphs are the decisions taken on the case at meetings, with the
	// dates of justering, anslag and laga kraft (GET of one case only).
	Paragraphs []db.CaseParagraph `json:"paragraphs,omitempty"`
	// Warnings say, after a change, that it made an extra meeting on a day
	// that is not a work day (a Saturday, a holiday, julafton).
	Warnings []string `json:"warnings,omitempty"`
}

func toCaseJSON(c workflow.Case, u workflow.User) caseJSON {
	out := caseJSON{Case: c, Board: c.Board.Code, BoardName: c.Board.Name, Route: []httpx.StepJSON{},
		AllowedActions: orEmpty(workflow.Allowed(&c, u)), Warnings: c.ExtraMeetingWarnings()}
	out.Proposals = orEmpty(c.Proposals)
	out.Approvers = orEmpty(c.Approvers)
	out.Recipients = orEmpty(c.Recipients)
	out.Attachments = orEmpty(c.Attachments)
	for i, st := range c.Route {
		out.Route = append(out.Route, httpx.StepJSON{Body: st.Body.Code, BodyName: st.Body.Name, Kind: st.Body.Kind,
			Date: st.Date, Status: c.StepStatus(i), Postponed: st.Postponed, MeetingID: st.MeetingID,
			ExtraMeeting: st.MeetingOrigin == workflow.OriginExtra})
	}
	return out
}

func (s *Server) apiListCases(c *fiber.Ctx) error {
	f := db.CaseFilter{Stage: workflow.Stage(c.Query("stage")), Board: c.Query("board"), Query: c.Query("q"),
		Sort: c.Query("sort"), Desc: c.Query("order") == "desc"}
	var p workflow.Problems
	if f.Stage != "" && !f.Stage.Valid() {
		p.Add("stage", "Okänt steg %q", f.Stage)
	}
	if f.Sort != "" && !slices.Contains(db.CaseSorts, f.Sort) {
		p.Add("sort", "Okänd sortering %q; välj %s", f.Sort, strings.Join(db.CaseSorts, ", "))
	}
	if o := c.Query("order"); o != "" && o != "asc" && o != "desc" {
		p.Add("order", "Ordningen %q finns inte; välj asc eller desc", o)
	}
	if f.Board != "" {
		if _, err := s.Store.Board(c.UserContext(), f.Board); err != nil {
			p.Add("board", "Det finns ingen nämnd med koden %s", f.Board)
		}
	}
	if o := c.Query("officer"); o != "" {
		u, err := s.Store.UserByEmail(c.UserContext(), o)
		if err != nil {
			p.Add("officer", "Det finns ingen användare med e-postadressen %s", o)
		}
		f.OfficerID = u.ID
	}
	f.Page = httpx.QueryInt(c, "page", 1, &p)
	f.PerPage = httpx.QueryInt(c, "per_page", 50, &p)
	if f.PerPage > db.MaxPerPage {
		p.Add("per_page", "Högst %d per sida", db.MaxPerPage)
	}
	cur, err := httpx.ListCursor(c)
	if err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	f.Cursor = cur
	page, err := s.Read(c).Cases(c.UserContext(), f)
	if err != nil {
		return err
	}
	links := httpx.SetListLinks(c, page.Next, page.Prev, page.Last)
	if page.NumberedOnly {
		links = httpx.SetNumberLinks(c, page.Page, page.PerPage, page.Total, page.TotalCapped)
	}
	return c.JSON(casePageJSON{CasePage: page, ListLinks: links})
}

// casePageJSON is a page of the case list with its neighbours' addresses.
type casePageJSON struct {
	db.CasePage
	httpx.ListLinks
}

func (s *Server) apiCreateCase(c *fiber.Ctx) error {
	var in db.CaseInput
	if err := httpx.DecodeJSON(c, &in); err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	// An Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) makes a
	// request sent again, after a lost answer, return the case it made.
	// The key may come as a Structured Field string ("…"), as the draft writes it.
	var key db.SubmissionKey
	if k := strings.Trim(c.Get("Idempotency-Key"), `"`); k != "" {
		key = db.SubmissionKey("api:" + k)
	}
	cs, created, err := s.Store.CreateCaseOnce(c.UserContext(), key, in, u)
	if err != nil {
		return err
	}
	c.Location("/api/v1/cases/" + url.PathEscape(cs.Number))
	if created {
		return c.Status(fiber.StatusCreated).JSON(toCaseJSON(cs, u))
	}
	// Sent again: the case as the caller may see it now.
	if cs, err = s.Read(c).Case(c.UserContext(), cs.Number); err != nil {
		return err
	}
	return c.Status(fiber.StatusOK).JSON(toCaseJSON(cs, u))
}

// apiGetCase is GET /cases/{number}: the case as the user may see it, with
// the actions they may take. Its JSON is kept with the case while the
// database is unchanged (db.Reader.CaseView): it depends on the case and
// the user only.
func (s *Server) apiGetCase(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	body, err := s.Read(c).CaseView(c.UserContext(), c.Params("number"), "api", func(cs workflow.Case, pars []db.CaseParagraph) ([]byte, error) {
		out := toCaseJSON(cs, u)
		out.Paragraphs = pars
		return c.App().Config().JSONEncoder(out)
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(body)
}

// casePatch is PATCH /cases/{number}: the fields to change, and the version
// they were edited on. Absent fields keep their value.
type casePatch struct {
	Version    *int                  `json:"version"`
	Title      *string               `json:"title"`
	Summary    *string               `json:"summary"`
	Proposals  *[]string             `json:"proposals"`
	Background *string               `json:"background"`
	Secret     *bool                 `json:"secret"`
	Route      *[]db.StepInput       `json:"route"`
	Approvers  *[]db.ApproverInput   `json:"approvers"`
	Recipients *[]workflow.Recipient `json:"recipients"`
	Officer    *string               `json:"officer"`
}

func (p casePatch) apply(in *db.CaseInput) {
	set(&in.Title, p.Title)
	set(&in.Summary, p.Summary)
	set(&in.Proposals, p.Proposals)
	set(&in.Background, p.Background)
	set(&in.Secret, p.Secret)
	set(&in.Route, p.Route)
	set(&in.Approvers, p.Approvers)
	set(&in.Recipients, p.Recipients)
	set(&in.Officer, p.Officer)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func (s *Server) apiPatchCase(c *fiber.Ctx) error {
	var patch casePatch
	if err := httpx.DecodeJSON(c, &patch); err != nil {
		return err
	}
	if patch.Version == nil {
		return &workflow.Error{Code: workflow.EINVALID, Message: "Uppgifterna behöver rättas",
			Fields: []workflow.FieldError{{Field: "version", Message: "Ange den version av ärendet som ändringen gäller"}}}
	}
	u := httpx.CurrentUser(c)
	cur, err := s.Store.Case(c.UserContext(), c.Params("number"))
	if err != nil {
		return err
	}
	in := db.InputOf(&cur)
	in.Officer = ""
	patch.apply(&in)
	cs, err := s.Store.EditDraft(c.UserContext(), cur.Number, *patch.Version, in, u)
	if err != nil {
		return err
	}
	return c.JSON(toCaseJSON(cs, u))
}

func (s *Server) apiAct(c *fiber.Ctx) error {
	var cmd workflow.Command
	if err := httpx.DecodeJSON(c, &cmd); err != nil {
		return err
	}
	if cmd.Version < 1 { // missing (0) or none a case has: versions start at 1
		return &workflow.Error{Code: workflow.EINVALID, Message: "Uppgifterna behöver rättas",
			Fields: []workflow.FieldError{{Field: "version", Message: "Ange den version av ärendet som åtgärden gäller (ett heltal från 1)"}}}
	}
	u := httpx.CurrentUser(c)
	cs, err := s.Store.Act(c.UserContext(), c.Params("number"), u, cmd)
	if err != nil {
		return err
	}
	return c.JSON(toCaseJSON(cs, u))
}

func (s *Server) apiEvents(c *fiber.Ctx) error {
	evs, err := s.Read(c).Events(c.UserContext(), c.Params("number"))
	if err != nil {
		return err
	}
	return c.JSON(evs)
}
