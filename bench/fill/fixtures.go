package fill

import (
	"context"
	"fmt"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// The load tool's own cases, all the bench officer's drafts on ASN with the
// bench approver, routed to meetings after AsOf: drafts it can submit and
// reject again and again (one per client), and two whose histories are 10
// and 10,000 events long, to show what an action costs as a history grows.
// Nobody else is their officer, so ?officer=BenchOfficer lists exactly them.

// Fixture titles.
const (
	FixtureTransition = "Lasttest: övergångar"
	FixtureShort      = "Lasttest: kort historik"
	FixtureLong       = "Lasttest: lång historik"
	// TransitionCases is how many transition drafts there are.
	TransitionCases = 64
	// ShortHistory and LongHistory are the events of the two history cases.
	ShortHistory = 10
	LongHistory  = 10_000
)

// Fixtures are the numbers of the load tool's cases.
type Fixtures struct {
	Transitions []string
	Short, Long string
}

// addFixtures writes the load tool's cases. Their histories end just before
// AsOf; each submit/reject pair is a minute apart.
func addFixtures(ctx context.Context, s *db.Store, p *planner, l *db.BulkLoader) (Fixtures, error) {
	var out Fixtures
	officer, err := s.UserByEmail(ctx, BenchOfficer)
	if err != nil {
		return out, err
	}
	approver, err := s.UserByEmail(ctx, BenchApprover)
	if err != nil {
		return out, err
	}
	var asn *boardInfo
	for _, b := range p.o.boards {
		if b.spec.code == "ASN" {
			asn = b
		}
	}
	route := p.route(asn.bodies[1:], workflow.Today(p.asOf).AddDays(21))
	if route == nil {
		return out, fmt.Errorf("inga sammanträden efter %s", workflow.Today(p.asOf))
	}
	draft := workflow.Draft{Board: asn.board, Summary: "Ett ärende för lasttestet.", Officer: officer,
		Proposals:  []string{asn.spec.name + " föreslås besluta att godkänna lasttestet."},
		Approvers:  []workflow.DraftApprover{{User: approver, Position: "Lasttest"}},
		Recipients: []workflow.Recipient{{Name: "Lasttest", Email: BenchOfficer}}}
	for _, m := range route {
		draft.Route = append(draft.Route, workflow.RouteStep{Body: m.cal.body, Date: m.date})
	}
	add := func(title string, events int) (string, error) {
		at := p.asOf.Add(-time.Duration(events+1) * time.Minute)
		d := draft
		d.Title = title
		res, err := workflow.NewCase(d, l.Env("ASN", officer, at), false)
		if err != nil {
			return "", err
		}
		bc := &db.BulkCase{Case: res.Case, History: []db.BulkChange{db.ChangeOf(res)}}
		if events%2 == 0 {
			at = at.Add(time.Minute)
			if err := l.Attach(bc, officer, at, db.NewAttachment{Name: "Underlag.txt", ContentType: "text/plain; charset=utf-8", Data: p.files[0]}); err != nil {
				return "", err
			}
		}
		for len(bc.History) < events {
			for _, step := range []struct {
				by     workflow.User
				action workflow.Action
				reason string
			}{{officer, workflow.ActSubmit, ""}, {approver, workflow.ActReject, "Lasttest"}} {
				at = at.Add(time.Minute)
				res, err := workflow.Apply(bc.Case, workflow.Command{Action: step.action, Version: bc.Case.Version, Reason: step.reason},
					l.Env("ASN", step.by, at))
				if err != nil {
					return "", err
				}
				bc.Case = res.Case
				bc.History = append(bc.History, db.ChangeOf(res))
			}
		}
		if err := l.AddCase(bc); err != nil {
			return "", err
		}
		return bc.Case.Number, nil
	}
	for i := range TransitionCases {
		n, err := add(fmt.Sprintf("%s %d", FixtureTransition, i+1), 1)
		if err != nil {
			return out, err
		}
		out.Transitions = append(out.Transitions, n)
	}
	if out.Short, err = add(FixtureShort, ShortHistory); err != nil {
		return out, err
	}
	out.Long, err = add(FixtureLong, LongHistory)
	return out, err
}
