package web

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// casePage is the case page: the tjänsteskrivelse laid out as the document,
// the route as a timeline, the history, and what the viewer may do.
type casePage struct {
	Case       workflow.Case
	Summary    []httpx.TextBlock
	Background []httpx.TextBlock
	Decision   []httpx.TextBlock
	Timeline   []timelineStep
	Approvers  []approverRow
	Events     []eventRow
	Buttons    []workflow.Action // actions taken with one click
	Forms      []workflow.Action // actions that ask for a reason, a date or a text first
	CanEdit    bool
	CanAttach  bool
	Deadlines  *caseDeadlines
	Paragraphs []paragraphRow // the decisions taken on the case at meetings
}

// timelineStep is one step of the beslutsplanering as the timeline shows it.
type timelineStep struct {
	Body        string
	Date        string   // 2020-01-30, or "datum ej bestämt"
	Status      string   // done, current, planned: the CSS class
	StatusLabel string   // the same in words, so colour is never the only sign
	Postponed   []string // earlier meeting dates, oldest first
}

var stepStatusLabels = map[workflow.StepStatus]string{
	workflow.StepDone:    "Klart",
	workflow.StepCurrent: "Pågår",
	workflow.StepPlanned: "Planerat",
}

func timelineOf(c *workflow.Case) []timelineStep {
	out := make([]timelineStep, len(c.Route))
	for i, st := range c.Route {
		status := c.StepStatus(i)
		ts := timelineStep{Body: st.Body.Name, Date: httpx.FormatDate(st.Date), Status: string(status),
			StatusLabel: stepStatusLabels[status]}
		for _, d := range st.Postponed {
			ts.Postponed = append(ts.Postponed, d.String())
		}
		out[i] = ts
	}
	return out
}

// approverRow is an ansvarig chef with where their signature stands.
type approverRow struct {
	Name     string
	Position string
	Status   string // signed, next, waiting: the CSS class
	Label    string // e.g. "Godkänt 2026-11-26 14:05"
}

func approversOf(c *workflow.Case) []approverRow {
	next := c.NextApprover()
	out := make([]approverRow, len(c.Approvers))
	for i, a := range c.Approvers {
		r := approverRow{Name: a.Name, Position: a.Position}
		if r.Position == "" {
			r.Position = a.Title
		}
		switch {
		case a.SignedAt != nil:
			r.Status, r.Label = "signed", "Godkänt "+httpx.FormatTime(*a.SignedAt)
		case i == next:
			r.Status, r.Label = "next", "Väntar på godkännande"
		default:
			r.Status, r.Label = "waiting", "Ej godkänt"
		}
		out[i] = r
	}
	return out
}

// eventRow is one line of the history.
type eventRow struct {
	At      string
	Actor   string
	Label   string
	From    string
	To      string
	Reason  string
	Details []detail
}

type detail struct {
	Label string
	Value string
}

// payloadLabels name the event details worth showing, in the order shown.
var payloadLabels = []struct{ key, label string }{
	{"approver", "Godkänt av"},
	{"step", "Till steg"},
	{"date", "Sammanträde"},
	{"from", "Från datum"},
	{"to", "Nytt datum"},
	{"moved", "Flyttade steg"},
	{"type", "Beslutstyp"},
	{"decision", "Beslut"},
	{"previous_type", "Tidigare beslutstyp"},
	{"previous_decision", "Tidigare lydelse"},
	{"paragraph", "Paragraf"},
	{"body", "Organ"},
	{"meeting_date", "Sammanträde"},
	{"adjuster", "Justerare"},
	{"posted_on", "Anslaget"},
	{"appeal_ends", "Överklagande senast"},
	{"legal_force", "Laga kraft"},
	{"recipients", "Mottagare"},
	{"fields", "Ändrade uppgifter"},
	{"name", "Fil"},
	{"due", "Bevakningsdatum"},
	{"responsible", "Ansvarig"},
	{"note", "Anteckning"},
}

// fieldLabels name a case's fields, as the history lists what an edit
// changed and as a refused form names the field it means: the case's own
// fields, and the form's row fields.
var fieldLabels = map[string]string{
	"title": "rubrik", "summary": "sammanfattning", "proposals": "förslag till beslut",
	"background": "ärendet", "secret": "sekretess", "officer": "handläggare", "route": "beslutsplanering",
	"approvers": "ansvariga", "recipients": "mottagare", "board": "nämnd",
	"route_body": "organ", "route_date": "sammanträdesdatum", "approver_email": "ansvarig chef",
	"approver_position": "befattning", "recipient_name": "mottagare", "recipient_email": "mottagarens e-post",
	"decision": "beslutets text", "reason": "skäl", "note": "anteckning",
	"withheld": "paragrafer", "names": "namn att ta bort", "q": "sök",
}

// eventsOf lists the history newest first; bodies named by code in the
// events are shown by the names the case's route gives them.
func eventsOf(evs []workflow.Event, route []workflow.RouteStep) []eventRow {
	names := map[string]string{}
	for _, st := range route {
		names[st.Body.Code] = st.Body.Name
	}
	out := make([]eventRow, len(evs))
	for i, e := range evs {
		label := workflow.EventLabels[e.Action]
		if label == "" {
			label = e.Action
		}
		if e.Action == "attach" && listedOnly(e.Payload) {
			label = "Beslutsunderlag förtecknat (utan fil)"
		}
		r := eventRow{At: httpx.FormatTime(e.At), Actor: e.Actor.Name, Label: label, Reason: e.Reason,
			To: e.To.Label(), Details: detailsOf(e.Payload, names)}
		if e.From != "" && e.From != e.To {
			r.From = e.From.Label()
		}
		out[len(evs)-1-i] = r // newest first
	}
	return out
}

// listedOnly reports whether an "attach" event's payload is of a document
// listed by name, without a file (a tjänsteskrivelse's Beslutsunderlag).
func listedOnly(payload json.RawMessage) bool {
	var p struct {
		SHA256 *string `json:"sha256"`
	}
	return json.Unmarshal(payload, &p) == nil && p.SHA256 != nil && *p.SHA256 == ""
}

func detailsOf(payload json.RawMessage, bodyNames map[string]string) []detail {
	if len(payload) == 0 {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(payload, &m) != nil {
		return nil
	}
	var out []detail
	for _, pl := range payloadLabels {
		v, ok := m[pl.key]
		if !ok {
			continue
		}
		var value string
		switch v := v.(type) {
		case string:
			value = v
			switch {
			case pl.key == "type" || pl.key == "previous_type":
				value = workflow.DecisionType(v).Label()
			case (pl.key == "step" || pl.key == "body") && bodyNames[v] != "":
				value = bodyNames[v]
			}
		case []any:
			parts := make([]string, len(v))
			for i, x := range v {
				parts[i] = fmt.Sprint(x)
				if pl.key == "fields" && fieldLabels[parts[i]] != "" {
					parts[i] = fieldLabels[parts[i]]
				}
			}
			value = strings.Join(parts, ", ")
		default:
			value = fmt.Sprint(v)
		}
		if value != "" {
			out = append(out, detail{pl.label, value})
		}
	}
	return out
}

// needsForm reports whether an action asks for input before it is taken.
func needsForm(a workflow.Action) bool {
	return a.NeedsReason() || a == workflow.ActPostpone || a == workflow.ActDecide
}

func newCasePage(c workflow.Case, evs []workflow.Event, u workflow.User) *casePage {
	p := &casePage{Case: c, Summary: httpx.TextBlocks(c.Summary), Background: httpx.TextBlocks(c.Background),
		Timeline: timelineOf(&c), Approvers: approversOf(&c), Events: eventsOf(evs, c.Route)}
	if c.Decision != nil {
		p.Decision = httpx.TextBlocks(c.Decision.Text)
	}
	for _, a := range workflow.Allowed(&c, u) {
		if needsForm(a) {
			p.Forms = append(p.Forms, a)
		} else {
			p.Buttons = append(p.Buttons, a)
		}
	}
	p.CanEdit = c.Stage == workflow.StageDraft && (u.ID == c.Officer.ID || u.Has(c.Board.Code, workflow.RoleSecretary)) && u.Active
	p.CanAttach = mayAttach(&c, u)
	return p
}

// mayAttach mirrors the store's rule, so the upload form shows only where it works.
func mayAttach(c *workflow.Case, u workflow.User) bool {
	officer := u.Active && u.ID == c.Officer.ID && c.Stage == workflow.StageDraft
	secretary := u.Has(c.Board.Code, workflow.RoleSecretary) && c.Open() && c.Decision == nil
	return officer || secretary
}

// fieldLabel is a form field's label (fieldLabels), or its name when it
// has none.
func fieldLabel(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return httpx.Capitalize(l)
	}
	return field
}
