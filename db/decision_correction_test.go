package db

import (
	"encoding/json"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// A decision recorded at a held meeting can be corrected by the secretary
// until a justerare signs: the protokoll's paragraph and the case's own
// decision take the new text and type, keeping their §, the history notes
// the correction with the earlier wording, and the search finds the new
// words. Before, a typo in a decision stood in the protokoll the justerare
// were asked to sign.
func TestCorrectDecisionBeforeJustering(t *testing.T) {
	w := newMeetingWorld(t)
	later := w.handle(w.caseOn("Riktlinjer för bistånd", meetingDay(3), meetingDay(10)))
	m, c := heldBoardMeeting(t, w)
	par, c := w.decide(m, c.Number, workflow.DecisionApproved)
	const text = "Arbetsmarknads- och socialnämnden beslutar att anta redovisningen med tillägget om sommarjobb."
	in := DecisionCorrectionInput{Case: c.Number, Type: workflow.DecisionAmended, Text: "  " + text + " ", Version: c.Version}

	// Refused: another than the body's secretary, a type that moves the
	// case, a stale version, and a case without a decision here.
	_, err := w.s.CorrectDecision(w.ctx, m.ID, w.outsider, in)
	wantMeetingErr(t, err, workflow.EFORBIDDEN)
	tabled := in
	tabled.Type = workflow.DecisionTabled
	_, err = w.s.CorrectDecision(w.ctx, m.ID, w.secretary, tabled)
	wantMeetingErr(t, err, workflow.EINVALID)
	stale := in
	stale.Version = c.Version - 1
	_, err = w.s.CorrectDecision(w.ctx, m.ID, w.secretary, stale)
	wantMeetingErr(t, err, workflow.ECONFLICT)
	other := in
	other.Case = "ASN-2026-999"
	_, err = w.s.CorrectDecision(w.ctx, m.ID, w.secretary, other)
	wantMeetingErr(t, err, workflow.ENOTFOUND)
	if evs, _ := w.s.Events(w.ctx, c.Number); evs[len(evs)-1].Action == "decision_corrected" {
		t.Fatal("a refused correction was noted")
	}

	got, err := w.s.CorrectDecision(w.ctx, m.ID, w.secretary, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != par.Number || got.Type != workflow.DecisionAmended || got.Text != text {
		t.Errorf("corrected: %+v", got)
	}
	min, err := w.s.Minutes(w.ctx, m.ID)
	if err != nil || len(min.Paragraphs) != 1 || min.Paragraphs[0].Text != text || min.Paragraphs[0].Type != workflow.DecisionAmended ||
		min.Paragraphs[0].Number != par.Number || !min.Paragraphs[0].DecidedAt.Equal(par.DecidedAt) {
		t.Errorf("the protokoll: %+v, %v", min.Paragraphs, err)
	}
	after, err := w.s.Case(w.ctx, c.Number)
	if err != nil || after.Decision == nil || after.Decision.Text != text || after.Decision.Type != workflow.DecisionAmended ||
		after.Decision.Paragraph != c.Decision.Paragraph || after.Version != c.Version+1 {
		t.Errorf("the case: %+v, version %d (was %d), %v", after.Decision, after.Version, c.Version, err)
	}
	evs, err := w.s.Events(w.ctx, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	ev := evs[len(evs)-1]
	var payload map[string]any
	if err := json.Unmarshal(ev.Payload, &payload); err != nil || ev.Action != "decision_corrected" || ev.Actor.ID != w.secretary.ID ||
		payload["previous_decision"] != par.Text || payload["decision"] != text || payload["previous_type"] != "approved" ||
		payload["type"] != "amended" || payload["paragraph"] != workflow.ParagraphLabel(par.Number) {
		t.Errorf("the event: %s %s, %v", ev.Action, ev.Payload, err)
	}
	if _, broken, err := w.s.Verify(w.ctx); err != nil || len(broken) > 0 {
		t.Errorf("the histories' chains: %v, %v", broken, err)
	}
	found, err := w.s.Cases(w.ctx, CaseFilter{Query: "sommarjobb", Viewer: &w.secretary})
	if err != nil || len(found.Items) != 1 || found.Items[0].Number != c.Number {
		t.Errorf("the search for the new words: %+v, %v", found.Items, err)
	}

	// The same again changes nothing, and notes nothing.
	in.Version = 0
	if _, err := w.s.CorrectDecision(w.ctx, m.ID, w.secretary, in); err != nil {
		t.Fatal(err)
	}
	if again, _ := w.s.Events(w.ctx, c.Number); len(again) != len(evs) {
		t.Errorf("an unchanged correction added %d events", len(again)-len(evs))
	}

	// Once a justerare has signed, the protokoll is what was signed: no
	// correction, and no new paragraph either (one was added after the
	// first signature before).
	w.must(w.s.Sign(w.ctx, m.ID, w.chair))
	in.Text = "Nämnden beslutar något annat."
	_, err = w.s.CorrectDecision(w.ctx, m.ID, w.secretary, in)
	wantMeetingErr(t, err, workflow.ECONFLICT)
	_, _, err = w.s.Decide(w.ctx, m.ID, w.secretary, DecisionInput{Case: later.Number, Type: workflow.DecisionApproved, Text: "Nämnden beslutar att anta riktlinjerna."})
	wantMeetingErr(t, err, workflow.ECONFLICT)
	if min, _ := w.s.Minutes(w.ctx, m.ID); min.Paragraphs[0].Text != text {
		t.Errorf("after the signature: %q", min.Paragraphs[0].Text)
	}
}
