package public

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// The public diary needs no login: anyone may see what cases the municipality
// has registered (OSL 5 kap), with secret details withheld.

func (s *Server) routesDiary(app *fiber.App) {
	app.Get("/api/v1/diary", httpx.Params("q", "board", "year", "page", "per_page", "cursor"), s.PublicShare, s.apiDiary)
	app.Get("/api/v1/diary/:number", httpx.Params(), s.PublicShare, s.apiDiaryCase)
}

// diaryCase is a case as the public diary shows it.
type diaryCase struct {
	db.DiaryEntry
	ReportPublic bool             `json:"report_public"`
	Summary      string           `json:"summary,omitempty"`
	Proposals    []string         `json:"proposals,omitempty"`
	Background   string           `json:"background,omitempty"`
	Route        []httpx.StepJSON `json:"route"`
	Documents    []diaryDocument  `json:"documents"`
	Decisions    []diaryDecision  `json:"decisions"`
	Recipients   []string         `json:"recipients,omitempty"`
	Closed       bool             `json:"closed"`
	Withdrawn    bool             `json:"withdrawn"`
	Report       diaryReportBlock `json:"-"` // the report laid out for the page
}

// diaryReportBlock is the report's texts as paragraphs, lists and tables.
type diaryReportBlock struct {
	Summary, Background []httpx.TextBlock
}

// diaryDocument is a registered document: its description and date.
type diaryDocument struct {
	Name       string        `json:"name"`
	Registered workflow.Date `json:"registered"`
}

// diaryDecision is a public decision: at a meeting with its paragraph, or
// dispatched without one.
type diaryDecision struct {
	BodyName    string                `json:"body_name"`
	MeetingDate workflow.Date         `json:"meeting_date"`
	Paragraph   string                `json:"paragraph,omitempty"`
	Type        workflow.DecisionType `json:"type,omitempty"`
	TypeLabel   string                `json:"type_label,omitempty"`
	Text        string                `json:"text,omitempty"`
	// Notice says why the decision's type and text are not shown: its
	// protokoll is not yet published on the web (workflow.NotPublishedText),
	// or the secretary kept the paragraph off the web (NotOnWebText).
	Notice     string        `json:"notice,omitempty"`
	Justified  bool          `json:"justified"`
	PostedOn   workflow.Date `json:"posted_on"`
	AppealEnds workflow.Date `json:"appeal_ends"`
	LegalForce workflow.Date `json:"legal_force"`
	InForce    bool          `json:"in_force"` // the appeal period is over
	Dispatched workflow.Date `json:"dispatched"`
}

// KeptOffWeb reports whether the secretary kept the decision's paragraph
// off the web: the protokoll itself is handed out on request.
func (d diaryDecision) KeptOffWeb() bool { return d.Notice == workflow.NotOnWebText }

// Blocks is the decision's text laid out for the page (textBlocks).
func (d diaryDecision) Blocks() []httpx.TextBlock { return httpx.TextBlocks(d.Text) }

func diaryEntryOf(c *workflow.Case) db.DiaryEntry {
	e := db.DiaryEntry{Number: c.Number, Board: c.Board.Code, BoardName: c.Board.Name,
		Registered: workflow.Today(c.CreatedAt), Title: c.Title, Withheld: c.Secret, Stage: c.Stage, Officer: c.Officer.Name}
	if c.Secret {
		e.Title, e.Officer = workflow.WithheldText, ""
	}
	return e
}

// publicCase is what the diary may show of c and its paragraphs on the day
// today. pars are read as the public reads them (db.Reader.CaseRecord with
// no user): a decision in a protokoll shows its type and text only once the
// protokoll is published on the web, not withheld, with names removed; the
// §, the day of anslag and the legal dates are shown from the justering on.
func publicCase(c workflow.Case, pars []db.CaseParagraph, today workflow.Date) diaryCase {
	d := diaryCase{DiaryEntry: diaryEntryOf(&c), ReportPublic: c.ReportPublic(), Route: []httpx.StepJSON{},
		Documents: []diaryDocument{}, Decisions: []diaryDecision{}, Closed: !c.Open(),
		Withdrawn: !c.Open() && c.ClosedNote != ""}
	if d.ReportPublic {
		d.Summary, d.Proposals, d.Background = c.Summary, c.Proposals, c.Background
		d.Report = diaryReportBlock{Summary: httpx.TextBlocks(c.Summary), Background: httpx.TextBlocks(c.Background)}
		for _, r := range c.Recipients {
			d.Recipients = append(d.Recipients, r.Name)
		}
	}
	for i, st := range c.Route {
		d.Route = append(d.Route, httpx.StepJSON{Body: st.Body.Code, BodyName: st.Body.Name, Kind: st.Body.Kind,
			Date: st.Date, Status: c.StepStatus(i), Postponed: st.Postponed})
	}
	for _, a := range c.Attachments {
		name := a.Name
		if c.Secret {
			name = "Handling (sekretess)"
		}
		d.Documents = append(d.Documents, diaryDocument{Name: name, Registered: workflow.Today(a.UploadedAt)})
	}
	withParagraph := false
	for _, p := range pars {
		justified := p.MeetingStatus == workflow.MeetingJustified || p.MeetingStatus == workflow.MeetingPosted
		if !c.DecisionPublic(justified) || !justified {
			continue
		}
		withParagraph = true
		dd := diaryDecision{BodyName: p.BodyName, MeetingDate: p.MeetingDate,
			Paragraph: p.Label, Justified: true, Notice: p.PublicNotice,
			PostedOn: p.PostedOn, AppealEnds: p.AppealEnds, LegalForce: p.LegalForce,
			InForce: !p.LegalForce.IsZero() && !today.Before(p.LegalForce)}
		if p.PublicNotice == "" {
			dd.Type, dd.TypeLabel, dd.Text = p.Type, p.Type.Label(), p.Text
		}
		d.Decisions = append(d.Decisions, dd)
	}
	// A decision taken outside a meeting (no §, no protokoll) is public once
	// dispatched; one with a § only as its protokoll is (above).
	if dec := c.Decision; dec != nil && !withParagraph && dec.Paragraph == "" && c.DecisionPublic(false) {
		d.Decisions = append(d.Decisions, diaryDecision{BodyName: c.Board.Name, MeetingDate: workflow.Today(dec.DecidedAt),
			Paragraph: dec.Paragraph, Type: dec.Type, TypeLabel: dec.Type.Label(), Text: dec.Text,
			Dispatched: workflow.Today(*dec.DispatchedAt)})
	}
	return d
}

// diaryFilter reads the diary's query: board, year, q, page.
func (s *Server) diaryFilter(c *fiber.Ctx, perPage int) (db.DiaryFilter, error) {
	f := db.DiaryFilter{Board: strings.TrimSpace(c.Query("board")), Query: c.Query("q"), PerPage: perPage}
	var p workflow.Problems
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 9999 {
			p.Add("year", "Året ska skrivas med fyra siffror, t.ex. 2019")
		}
		f.Year = n
	}
	f.Page = httpx.QueryInt(c, "page", 1, &p)
	if c.Query("per_page") != "" {
		f.PerPage = httpx.QueryInt(c, "per_page", perPage, &p)
		if f.PerPage > db.MaxPerPage {
			p.Add("per_page", "Högst %d per sida", db.MaxPerPage)
		}
	}
	cur, err := httpx.ListCursor(c)
	if err != nil {
		return f, err
	}
	f.Cursor = cur
	return f, p.Err()
}

func (s *Server) apiDiary(c *fiber.Ctx) error {
	f, err := s.diaryFilter(c, 50)
	if err != nil {
		return err
	}
	page, err := s.Store.Diary(c.UserContext(), f)
	if err != nil {
		return err
	}
	links := httpx.SetListLinks(c, page.Next, page.Prev, page.Last)
	if page.NumberedOnly {
		links = httpx.SetNumberLinks(c, page.Page, page.PerPage, page.Total, page.TotalCapped)
	}
	return c.JSON(diaryPageJSON{DiaryPage: page, ListLinks: links})
}

// diaryPageJSON is a page of the diary with its neighbours' addresses.
type diaryPageJSON struct {
	db.DiaryPage
	httpx.ListLinks
}

func (s *Server) loadPublicCase(c *fiber.Ctx) (diaryCase, error) {
	cs, pars, err := s.Store.As(nil).CaseRecord(c.UserContext(), c.Params("number"))
	if err != nil {
		return diaryCase{}, err
	}
	return publicCase(cs, pars, workflow.Today(s.Store.Now())), nil
}

func (s *Server) apiDiaryCase(c *fiber.Ctx) error {
	d, err := s.loadPublicCase(c)
	if err != nil {
		return err
	}
	return c.JSON(d)
}
