package demo

import (
	"fmt"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// DraftNumber is the demo's draft that is ready to go: a report the officer
// has written, on the route of the plan's meetings, that nobody has
// submitted yet. It was the first ASN case of 2025, so its number does not
// depend on the day the demo is made.
const DraftNumber = "ASN-2025-1"

// The draft's report, approvers and documents.
var (
	draftInput = db.CaseInput{Board: "ASN", Title: "Handlingsplan mot hemlöshet 2027–2030",
		Summary: "Kommunstyrelsen har gett arbetsmarknads- och socialnämnden i uppdrag att ta fram en handlingsplan mot hemlöshet " +
			"för 2027–2030. Förvaltningen har tagit fram ett förslag tillsammans med fastighets- och gatuförvaltningen och de kommunala bostadsbolagen.",
		Proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att anta handlingsplanen mot hemlöshet 2027–2030",
			"Arbetsmarknads- och socialnämnden skickar handlingsplanen till kommunstyrelsen"},
		Background: "Antalet personer i akut hemlöshet har minskat sedan 2020, men fler barnfamiljer bor i tillfälliga lösningar.\n\n" +
			"Handlingsplanen har tre mål: ingen ska behöva sova ute, ingen barnfamilj ska bo i akutboende längre än tre månader, " +
			"och fler ska gå från boende med stöd till ett eget förstahandskontrakt.",
		Route: []db.StepInput{{Body: "ASN-PB"}, {Body: "ASN-AU"}, {Body: "ASN"}, {Body: "KS"}},
		Approvers: []db.ApproverInput{{Email: "jonas.magnusson@kommun.example", Position: "Enhetschef"},
			{Email: "katarina.lindeberg@kommun.example", Position: "Avdelningschef"},
			{Email: "britt-marie.pettersson@kommun.example", Position: "Förvaltningschef"}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"}}}
	draftAttachments = []string{"Tjänsteskrivelse – Handlingsplan mot hemlöshet 2027–2030",
		"Handlingsplan mot hemlöshet 2027–2030, förslag"}
	// draftRoute is where the draft goes: meetings far enough ahead that its
	// inlämningsdag is still to come.
	draftRoute = []demoStep{{"ASN-PB", slot(3)}, {"ASN-AU", slot(3)}, {"ASN", slot(3)}, {"KS", nil}}
)

// registerDraft registers the draft when kommunstyrelsen's uppdrag came in,
// in January 2025, with its bodies but no meetings yet.
func (d *seeder) registerDraft() error {
	d.at(workflow.MustDate("2025-01-13"), 10)
	c, err := d.s.CreateCase(d.ctx, draftInput, d.users[officer])
	if err != nil {
		return err
	}
	if c.Number != DraftNumber {
		return fmt.Errorf("the draft was numbered %s, want %s", c.Number, DraftNumber)
	}
	for _, name := range draftAttachments {
		if _, err := d.s.AddAttachment(d.ctx, DraftNumber, d.users[officer], db.NewAttachment{Name: name}); err != nil {
			return err
		}
	}
	return nil
}

// dateDraft has the officer put the finished draft on the plan's meetings,
// three weeks ago.
func (d *seeder) dateDraft() {
	ref := &caseRef{c: workflow.Case{Number: DraftNumber}}
	d.add(d.dayAt(-21, 11, 0), func() error { return d.act(ref, demoAct{by: officer, reroute: draftRoute}) })
}
