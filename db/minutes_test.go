package db

import (
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// heldBoardMeeting is a held nämnd meeting with one case at it and the chair
// and a ledamot as justerare.
func heldBoardMeeting(t *testing.T, w *meetingWorld) (workflow.Meeting, workflow.Case) {
	t.Helper()
	c := w.caseOn("Internationell redovisning", meetingDay(3), meetingDay(10))
	c = w.handle(c)
	m := w.hold(w.meetingAt("ASN", meetingDay(10)))
	att, err := w.s.SetAttendance(w.ctx, m.ID, w.secretary, []AttendanceInput{
		{Member: w.chairMember.ID, Present: true, Adjuster: true},
		{Member: w.ledamotMember.ID, Present: true, Adjuster: true},
		{Member: w.staffMember.ID, Present: true},
	})
	if err != nil || len(att) != 3 {
		t.Fatalf("attendance: %v, %v", att, err)
	}
	return m, c
}

// justeratBoardMeeting is heldBoardMeeting with its case approved and the
// protokoll justerat by both justerare on meeting day 12 at 10:00, where
// the clock stays.
func justeratBoardMeeting(t *testing.T, w *meetingWorld) (workflow.Meeting, workflow.Case, workflow.Paragraph) {
	t.Helper()
	m, c := heldBoardMeeting(t, w)
	par, _ := w.decide(m, c.Number, workflow.DecisionApproved)
	w.at(meetingDay(12), 10)
	w.must(w.s.Sign(w.ctx, m.ID, w.chair))
	w.must(w.s.Sign(w.ctx, m.ID, w.ledamot))
	return m, c, par
}

func TestMarkHeldEntersTheMembers(t *testing.T) {
	w := newMeetingWorld(t)
	w.caseOn("A", meetingDay(3), meetingDay(10))
	m := w.hold(w.meetingAt("ASN", meetingDay(10)))
	min, err := w.s.Minutes(w.ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(min.Attendees) != 4 || !min.Attendees[0].Present || min.Attendees[0].Member.Role != workflow.MemberChair {
		t.Errorf("attendees %+v", min.Attendees)
	}
	if min.Meeting.Secretary.ID != w.secretary.ID {
		t.Errorf("protokoll kept by %+v", min.Meeting.Secretary)
	}
}

func TestJusteringAndAnslag(t *testing.T) {
	w := newMeetingWorld(t)
	m, c := heldBoardMeeting(t, w)
	w.decide(m, c.Number, workflow.DecisionApproved)

	w.at(meetingDay(12), 10)
	m, err := w.s.Sign(w.ctx, m.ID, w.chair)
	if err != nil || m.Status != workflow.MeetingHeld {
		t.Fatalf("first signature: %s, %v", m.Status, err)
	}
	// Attendance is fixed once justering has begun.
	_, err = w.s.SetAttendance(w.ctx, m.ID, w.secretary, []AttendanceInput{{Member: w.chairMember.ID, Present: true, Adjuster: true}})
	wantMeetingErr(t, err, workflow.ECONFLICT)

	w.at(meetingDay(13), 15)
	m, err = w.s.Sign(w.ctx, m.ID, w.ledamot)
	if err != nil || m.Status != workflow.MeetingJustified || m.JustifiedOn() != meetingDay(13) {
		t.Fatalf("second signature: %+v, %v", m, err)
	}
	w.at(meetingDay(14), 9)
	m, err = w.s.Post(w.ctx, m.ID, w.secretary, meetingDay(14))
	if err != nil || m.Status != workflow.MeetingPosted {
		t.Fatalf("anslag: %+v, %v", m, err)
	}

	pars, err := w.s.CaseParagraphs(w.ctx, c.Number)
	if err != nil || len(pars) != 2 || pars[0].Body != "ASN-AU" {
		t.Fatalf("case paragraphs: the AU's and the nämnd's, got %+v, %v", pars, err)
	}
	// Anslag Monday 16 March 2026; three weeks on is Monday 6 April, annandag
	// påsk, so the appeal period ends Tuesday 7 April and laga kraft is the 8th.
	p := pars[1]
	if p.Label != "§ 1" || p.PostedOn != meetingDay(14) || p.AppealEnds != workflow.MustDate("2026-04-07") ||
		p.LegalForce != workflow.MustDate("2026-04-08") {
		t.Errorf("paragraph %+v", p)
	}
	evs, _ := w.s.Events(w.ctx, c.Number)
	var actions []string
	for _, e := range evs[len(evs)-3:] {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "justering,justering,anslag" {
		t.Errorf("last events %v", actions)
	}
	if !strings.Contains(string(evs[len(evs)-2].Payload), `"adjuster":"Bo Ström"`) || evs[len(evs)-2].Actor.ID != w.ledamot.ID {
		t.Errorf("justering event %+v %s", evs[len(evs)-2].Actor, evs[len(evs)-2].Payload)
	}
	if _, broken, err := w.s.Verify(w.ctx); err != nil || len(broken) > 0 {
		t.Errorf("verify: %v %v", broken, err)
	}
}

// Every refusal of the "bad input" list is a clear error and leaves
// the database exactly as it was.
func TestMeetingRefusalsChangeNothing(t *testing.T) {
	w := newMeetingWorld(t)
	c := w.caseOn("Ärendet", meetingDay(3), meetingDay(10))
	other := w.caseOn("Annat ärende", meetingDay(4), meetingDay(11))
	au := w.meetingAt("ASN-AU", meetingDay(3))
	if _, err := w.s.MarkNoticeSent(w.ctx, au.ID, w.secretary); err != nil {
		t.Fatal(err)
	}
	runRefusals(t, w, []refusal{
		{"a decision at a meeting not yet held", func() error {
			_, _, err := w.s.Decide(w.ctx, au.ID, w.secretary, DecisionInput{Case: c.Number, Type: workflow.DecisionApproved, Text: "Bifall"})
			return err
		}, workflow.ECONFLICT},
		{"holding a meeting before its day", func() error { _, err := w.s.MarkHeld(w.ctx, au.ID, w.secretary); return err }, workflow.ECONFLICT},
		{"a new meeting in the past", func() error {
			_, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "ASN", Date: meetingDay(-1)}, w.secretary)
			return err
		}, workflow.EINVALID},
		{"a second meeting of a body on one day", func() error {
			_, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "ASN-AU", Date: meetingDay(3)}, w.secretary)
			return err
		}, workflow.ECONFLICT},
		{"a meeting of an unknown body", func() error {
			_, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "XYZ", Date: meetingDay(3)}, w.secretary)
			return err
		}, workflow.EINVALID},
		{"a meeting planned by an officer", func() error {
			_, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "ASN", Date: meetingDay(30)}, w.officer)
			return err
		}, workflow.EFORBIDDEN},
		{"a new case with a meeting date in the past", func() error {
			_, err := w.s.CreateCase(w.ctx, CaseInput{Board: "ASN", Title: "För sent", Route: []StepInput{{Body: "ASN", Date: meetingDay(-7).String()}}}, w.officer)
			return err
		}, workflow.EINVALID},
		{"signing a protokoll of a meeting not held", func() error { _, err := w.s.Sign(w.ctx, au.ID, w.chair); return err }, workflow.ECONFLICT},
		{"posting before justering", func() error { _, err := w.s.Post(w.ctx, au.ID, w.secretary, meetingDay(0)); return err }, workflow.ECONFLICT},
		{"a member from nowhere", func() error {
			_, err := w.s.AddMember(w.ctx, "ASN", w.secretary, MemberInput{Name: "X", Role: "boss"})
			return err
		}, workflow.EINVALID},
		{"members kept by an officer", func() error {
			_, err := w.s.AddMember(w.ctx, "ASN", w.officer, MemberInput{Name: "X", Role: workflow.MemberRegular})
			return err
		}, workflow.EFORBIDDEN},
	})

	// At a held meeting: a case not on its agenda, a justerare who is not
	// one, a signature from someone else, an anslag before justering.
	m, atBoard := heldBoardMeeting(t, w)
	runRefusals(t, w, []refusal{
		{"a decision for a case not on the agenda", func() error {
			_, _, err := w.s.Decide(w.ctx, m.ID, w.secretary, DecisionInput{Case: other.Number, Type: workflow.DecisionApproved, Text: "Bifall"})
			return err
		}, workflow.EINVALID},
		{"a decision for a case that does not exist", func() error {
			_, _, err := w.s.Decide(w.ctx, m.ID, w.secretary, DecisionInput{Case: "ASN-2026-999", Type: workflow.DecisionApproved, Text: "Bifall"})
			return err
		}, workflow.EINVALID},
		{"a decision by the officer", func() error {
			_, _, err := w.s.Decide(w.ctx, m.ID, w.officer, DecisionInput{Case: atBoard.Number, Type: workflow.DecisionApproved, Text: "Bifall"})
			return err
		}, workflow.EFORBIDDEN},
		{"a decision without text", func() error {
			_, _, err := w.s.Decide(w.ctx, m.ID, w.secretary, DecisionInput{Case: atBoard.Number, Type: workflow.DecisionApproved})
			return err
		}, workflow.EINVALID},
		// Still at the AU, it is on no agenda of the nämnd yet.
		{"a decision for a case still at the AU", func() error {
			_, _, err := w.s.Decide(w.ctx, m.ID, w.secretary, DecisionInput{Case: c.Number, Type: workflow.DecisionApproved, Text: "Bifall"})
			return err
		}, workflow.EINVALID},
		{"signing by someone not a justerare", func() error { _, err := w.s.Sign(w.ctx, m.ID, w.outsider); return err }, workflow.EFORBIDDEN},
		{"signing by the secretary", func() error { _, err := w.s.Sign(w.ctx, m.ID, w.secretary); return err }, workflow.EFORBIDDEN},
		{"posting before justering", func() error { _, err := w.s.Post(w.ctx, m.ID, w.secretary, meetingDay(10)); return err }, workflow.ECONFLICT},
		{"a justerare who is staff", func() error {
			_, err := w.s.SetAttendance(w.ctx, m.ID, w.secretary, []AttendanceInput{{Member: w.staffMember.ID, Present: true, Adjuster: true}})
			return err
		}, workflow.EINVALID},
		{"an attendee who is not a member", func() error {
			_, err := w.s.SetAttendance(w.ctx, m.ID, w.secretary, []AttendanceInput{{Member: 999, Present: true}})
			return err
		}, workflow.EINVALID},
		{"changing the time of a held meeting", func() error {
			s := "10:00"
			_, err := w.s.ChangeMeeting(w.ctx, m.ID, w.secretary, &s, nil, nil)
			return err
		}, workflow.ECONFLICT},
	})
}

// refusal is an action that must fail with code.
type refusal struct {
	name string
	do   func() error
	code string
}

// runRefusals checks each refusal's code and that it left the database as it was.
func runRefusals(t *testing.T, w *meetingWorld, rs []refusal) {
	t.Helper()
	for _, r := range rs {
		t.Run(r.name, func(t *testing.T) {
			before := w.counts()
			wantMeetingErr(t, r.do(), r.code)
			if after := w.counts(); after != before {
				t.Errorf("the database changed:\n%s\n%s", before, after)
			}
		})
	}
}
