package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// CaseInput is a tjänsteskrivelse as a form or the API sends it: references by
// code and e-mail, dates as text. Resolve looks them up.
type CaseInput struct {
	Number     string               `json:"number,omitempty"`
	Board      string               `json:"board"`
	Title      string               `json:"title"`
	Summary    string               `json:"summary"`
	Proposals  []string             `json:"proposals"`
	Background string               `json:"background"`
	Secret     bool                 `json:"secret"`
	Route      []StepInput          `json:"route"`
	Approvers  []ApproverInput      `json:"approvers"`
	Recipients []workflow.Recipient `json:"recipients"`
	Officer    string               `json:"officer,omitempty"`   // e-mail; empty: the one who creates it
	Reference  string               `json:"reference,omitempty"` // the document's own diarienummer when not this service's, as written; kept at registration only
	// Documents are attached to the case, in order and before any other
	// attachment, in the transaction that registers it (CreateCase,
	// ImportCase, CreateCaseFromUpload): the tjänsteskrivelse the case was
	// read from, then the beslutsunderlag it lists by name (Data nil). Each
	// is an "attach" event of its own after the "create". Not part of the
	// API's JSON; EditDraft ignores it.
	Documents []NewAttachment `json:"-"`
}

// StepInput is a route step: body code and meeting date. The date is one of
// the body's meetings unless ExtraMeeting asks for a nytt extra sammanträde
// that day (workflow.ChooseMeeting).
type StepInput struct {
	Body         string `json:"body"`
	Date         string `json:"date"`
	ExtraMeeting bool   `json:"extra_meeting,omitempty"`
}

// ApproverInput names an approver by e-mail, with the position the report gives.
type ApproverInput struct {
	Email    string `json:"email"`
	Position string `json:"position,omitempty"`
}

// InputOf is the input that would recreate c's content, the starting point of an edit.
func InputOf(c *workflow.Case) CaseInput {
	in := CaseInput{Number: c.Number, Board: c.Board.Code, Title: c.Title, Summary: c.Summary,
		Proposals: c.Proposals, Background: c.Background, Secret: c.Secret, Recipients: c.Recipients,
		Officer: c.Officer.Email}
	for _, s := range c.Route {
		in.Route = append(in.Route, StepInput{Body: s.Body.Code, Date: s.Date.String()})
	}
	for _, a := range c.Approvers {
		in.Approvers = append(in.Approvers, ApproverInput{Email: a.Email, Position: a.Position})
	}
	return in
}

// resolve looks up the references of in. Problems it finds are field errors, so
// a form can show them beside the field.
func resolve(ctx context.Context, q queryer, in CaseInput, actor workflow.User, now time.Time) (workflow.Draft, workflow.Problems) {
	var p workflow.Problems
	d := workflow.Draft{Number: strings.TrimSpace(in.Number), Title: in.Title, Summary: in.Summary,
		Proposals: in.Proposals, Background: in.Background, Secret: in.Secret, Recipients: in.Recipients,
		Reference: strings.TrimSpace(in.Reference)}
	board, err := boardByCode(ctx, q, strings.TrimSpace(in.Board))
	switch {
	case err != nil && strings.TrimSpace(in.Board) == "":
		p.Add("board", "Välj en nämnd")
	case err != nil:
		p.Add("board", "Välj en nämnd som finns (%q finns inte)", in.Board)
	}
	d.Board = board
	d.Officer = actor
	if in.Officer != "" && !strings.EqualFold(in.Officer, actor.Email) {
		if u, err := userByEmail(ctx, q, in.Officer); err != nil {
			p.Add("officer", "Det finns ingen användare med e-postadressen %s", in.Officer)
		} else {
			d.Officer = u
		}
	}
	for i, s := range in.Route {
		field := fmt.Sprintf("route[%d]", i)
		body, err := bodyByCode(ctx, q, strings.TrimSpace(s.Body))
		if err != nil {
			p.Add(field, "Organet %q finns inte", s.Body)
			continue
		}
		var date workflow.Date // empty: the meeting is not yet planned
		if ds := strings.TrimSpace(s.Date); ds != "" {
			date, err = workflow.ParseDate(ds)
		}
		if err != nil {
			p.Add(field, "Datumet för %s: %v", body.Name, err)
			continue
		}
		if !date.IsZero() {
			// The date is one of the body's meetings, or an explicit extra
			// one; linkMeetings makes it when the case is saved.
			days, err := meetingDaysAround(ctx, q, body.ID, date)
			if err != nil {
				p.Add(field, "Datumet för %s kunde inte kontrolleras", body.Name)
				continue
			}
			if _, refusal := workflow.ChooseMeeting(body, date, s.ExtraMeeting, days, workflow.Today(now)); refusal != "" {
				p.Add(field, "%s", refusal)
				continue
			}
		}
		d.Route = append(d.Route, workflow.RouteStep{Body: body, Date: date, ExtraMeeting: s.ExtraMeeting})
	}
	for i, a := range in.Approvers {
		u, err := userByEmail(ctx, q, a.Email)
		switch {
		case strings.TrimSpace(a.Email) == "":
			p.Add(fmt.Sprintf("approvers[%d]", i), "Välj vem som är ansvarig chef (%s)", orPosition(a.Position))
		case err != nil:
			p.Add(fmt.Sprintf("approvers[%d]", i), "%s är inte en användare i Beslutsgång", a.Email)
		}
		if err != nil || strings.TrimSpace(a.Email) == "" {
			// Kept as an empty row, so the workflow's messages about the
			// rows after it name them by their own numbers.
			d.Approvers = append(d.Approvers, workflow.DraftApprover{Position: strings.TrimSpace(a.Position)})
			continue
		}
		d.Approvers = append(d.Approvers, workflow.DraftApprover{User: u, Position: strings.TrimSpace(a.Position)})
	}
	return d, p
}

func orPosition(position string) string {
	if strings.TrimSpace(position) == "" {
		return "raden saknar namn"
	}
	return "raden ”" + strings.TrimSpace(position) + "”"
}
