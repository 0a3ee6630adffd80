package db

import (
	"encoding/json"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// The presidium keeps no protokoll: what it handles is recorded (the case
// moves on, the meeting's agenda shows it handled) but takes no §, and its
// body has no series. The arbetsutskott and the nämnd each keep their own
// series from § 1, and a case lists only the § of protokoll.
func TestPresidiumTakesNoParagraph(t *testing.T) {
	w := newMeetingWorld(t)
	w.must(w.s.CreateBody(w.ctx, workflow.Body{Code: "ASN-PB", Name: "ASN presidieberedning", Kind: workflow.KindPresidium, Board: "ASN"}))
	pb, au, board := meetingDay(2), meetingDay(3), meetingDay(10)
	var cases []workflow.Case
	for _, title := range []string{"Riktlinjer", "Avgifter"} {
		c, err := w.s.CreateCase(w.ctx, CaseInput{Board: "ASN", Title: title, Proposals: []string{"Nämnden föreslås besluta att anta " + title},
			Route:      []StepInput{{Body: "ASN-PB", Date: pb.String()}, {Body: "ASN-AU", Date: au.String()}, {Body: "ASN", Date: board.String()}},
			Approvers:  []ApproverInput{{Email: w.approver.Email}},
			Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}}}, w.officer)
		if err != nil {
			t.Fatal(err)
		}
		c = w.act(c, w.officer, workflow.ActSubmit)
		cases = append(cases, w.act(c, w.approver, workflow.ActApprove))
	}
	pm := w.hold(w.meetingAt("ASN-PB", pb))
	for i, c := range cases {
		p, next, err := w.s.Decide(w.ctx, pm.ID, w.secretary, DecisionInput{Case: c.Number, Type: workflow.DecisionHandled, Text: "Presidiet har berett ärendet."})
		if err != nil {
			t.Fatal(err)
		}
		if p.Number != 0 || p.Label() != "" || next.Stage != workflow.StageWorkingCommittee {
			t.Errorf("presidium handling %d: § %d %q, case in %s", i, p.Number, p.Label(), next.Stage)
		}
		cases[i] = next
	}
	raw := rawDB(t, w.s.Path())
	if n := count(t, raw, `SELECT COUNT(*) FROM decisions WHERE meeting_id = ? AND paragraph IS NULL`, pm.ID); n != 2 {
		t.Errorf("%d presidium decisions without a §, want 2", n)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM paragraph_series ps JOIN bodies b ON b.id = ps.body_id WHERE b.code = 'ASN-PB'`); n != 0 {
		t.Errorf("the presidium has a § series")
	}
	items, err := w.s.Agenda(w.ctx, pm.ID)
	if err != nil {
		t.Fatal(err)
	}
	handled := 0
	for _, it := range items {
		if it.Case != nil && it.Paragraph != nil && it.Paragraph.Number == 0 && it.Paragraph.Type == workflow.DecisionHandled {
			handled++
		}
	}
	if handled != 2 {
		t.Errorf("the presidium's agenda shows %d cases handled, want 2: %+v", handled, items)
	}
	min, err := w.s.Minutes(w.ctx, pm.ID)
	if err != nil || len(min.Paragraphs) != 2 || min.Paragraphs[0].Number != 0 || min.Paragraphs[0].Anchor() != "arende-"+cases[0].Number {
		t.Errorf("the presidium's record: %+v, %v", min.Paragraphs, err)
	}
	if _, err := w.s.Extract(w.ctx, pm.ID, 0); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("an extract of no § at the presidium: %v", err)
	}
	evs, err := w.s.Events(w.ctx, cases[0].Number)
	if err != nil {
		t.Fatal(err)
	}
	var payload map[string]any
	if err := json.Unmarshal(evs[len(evs)-1].Payload, &payload); err != nil {
		t.Fatal(err)
	}
	if _, has := payload["paragraph"]; has || payload["decision_type"] != string(workflow.DecisionHandled) {
		t.Errorf("the presidium's event: %v", payload)
	}

	// The AU's own series, then the nämnd's, each from § 1.
	am := w.hold(w.meetingAt("ASN-AU", au))
	for i, c := range cases {
		p, next := w.decide(am, c.Number, workflow.DecisionApproved)
		if p.Number != i+1 {
			t.Errorf("AU paragraph %d is § %d", i, p.Number)
		}
		cases[i] = next
	}
	bm := w.hold(w.meetingAt("ASN", board))
	if p, _ := w.decide(bm, cases[1].Number, workflow.DecisionApproved); p.Label() != "§ 1" {
		t.Errorf("the nämnd's first paragraph is %q", p.Label())
	}
	pars, err := w.s.CaseParagraphs(w.ctx, cases[1].Number)
	if err != nil || len(pars) != 2 || pars[0].Body != "ASN-AU" || pars[0].Label != "§ 2" || pars[1].Body != "ASN" || pars[1].Label != "§ 1" {
		t.Errorf("the case's paragraphs: %+v, %v", pars, err)
	}
	if _, broken, err := w.s.Verify(w.ctx); err != nil || len(broken) > 0 {
		t.Errorf("verify: %v %v", broken, err)
	}
}
