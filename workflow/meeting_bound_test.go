package workflow

import (
	"strings"
	"testing"
	"time"
)

func TestDecisionDraft(t *testing.T) {
	for _, tt := range []struct {
		proposals []string
		want      string
	}{
		{[]string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna redovisningen"},
			"Arbetsmarknads- och socialnämnden beslutar att godkänna redovisningen"},
		{[]string{"Nämnden föreslås att anta avgifterna", "Arbetsmarknads- och socialnämnden skickar redovisningen till kommunstyrelsen"},
			"1. Nämnden beslutar att anta avgifterna\n2. Arbetsmarknads- och socialnämnden skickar redovisningen till kommunstyrelsen"},
		{[]string{"  ", ""}, ""},
	} {
		got := DecisionDraft(tt.proposals)
		if got != tt.want {
			t.Errorf("DecisionDraft(%q) = %q, want %q", tt.proposals, got, tt.want)
		}
		if StillProposed(got) {
			t.Errorf("%q still proposes", got)
		}
	}
	if !StillProposed("Nämnden föreslås besluta att godkänna") || StillProposed("Nämnden beslutar att godkänna förslaget") {
		t.Error("StillProposed reads föreslås wrong")
	}
}

// A meeting is held from its start time, not before: marking it held at 16:59
// for a 17:00 meeting is refused.
func TestMarkHeldNotBeforeTheStartTime(t *testing.T) {
	m := Meeting{ID: 1, Body: bodyBoard, Date: MustDate("2020-01-30"), Start: "17:00", Status: MeetingNoticeSent}
	if _, err := MarkHeld(m, envAt(secretary, m.Date.At(16, 59))); ErrorCode(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), "17:00") {
		t.Errorf("held at 16:59: %v", err)
	}
	if got, err := MarkHeld(m, envAt(secretary, m.Date.At(17, 0))); err != nil || got.Status != MeetingHeld {
		t.Errorf("held at 17:00: %v", err)
	}
	m.Start = ""
	if _, err := MarkHeld(m, envAt(secretary, m.Date.At(8, 0))); err != nil {
		t.Errorf("a meeting without a time, held in the morning: %v", err)
	}
}

// A kallelse sent after its last day is recorded as late.
func TestLateKallelse(t *testing.T) {
	m := Meeting{ID: 1, Body: bodyBoard, Date: MustDate("2020-01-30"), Status: MeetingPlanned}
	due := m.Dates().NoticeDue
	for _, tt := range []struct {
		sent time.Time
		late bool
	}{{due.At(16, 0), false}, {due.AddDays(1).At(8, 0), true}} {
		got, err := MarkNoticeSent(m, envAt(secretary, tt.sent))
		if err != nil {
			t.Fatal(err)
		}
		if d := got.Dates(); d.NoticeLate != tt.late || d.NoticeSentOn != Today(tt.sent) {
			t.Errorf("kallelse sent %s (due %s): late %v, sent on %s", tt.sent, due, d.NoticeLate, d.NoticeSentOn)
		}
	}
}

// "Behandlat" moves a case on from a preparing body; the deciding body
// decides instead, so there it is refused.
func TestHandledAtAPreparingBodyOnly(t *testing.T) {
	c := presidiumCase(t)
	res, err := DecideAtMeeting(c, heldMeeting(c.Route[0]), MeetingDecision{Type: DecisionHandled, Text: "Presidiet har berett ärendet.", Paragraph: 3},
		envAt(secretary, c.Route[0].Date.At(19, 0)))
	if err != nil || res.Case.Stage != StageWorkingCommittee {
		t.Fatalf("handled at the presidium: %v, %s", err, res.Case.Stage)
	}
	b := boardCase(t)
	_, err = DecideAtMeeting(b, heldMeeting(b.Route[2]), MeetingDecision{Type: DecisionHandled, Text: "Behandlat.", Paragraph: 4},
		envAt(secretary, b.Route[2].Date.At(19, 0)))
	wantFields(t, err, "type")
}

// Every kind of step at every state of its meeting, and what the secretary
// may do there without the meeting: nothing moves a case past a meeting that
// has it; before the kallelse, or after a meeting that did not handle it, it
// may still go to a later meeting or back to the officer.
func TestFreeStandingActionsByStepAndMeeting(t *testing.T) {
	steps := map[string]func(*testing.T) Case{
		"presidium": presidiumCase, "working committee": workingCommitteeCase, "board": boardCase,
	}
	for name, build := range steps {
		for _, status := range []MeetingStatus{MeetingPlanned, MeetingNoticeSent, MeetingHeld} {
			c := withMeeting(build(t), status)
			movable := status != MeetingNoticeSent
			for _, tt := range []struct {
				cmd Command
				ok  bool
			}{
				{Command{Action: ActAdvance}, false},
				{Command{Action: ActDecide, Decision: decisionText}, false},
				{Command{Action: ActClose}, false},
				{Command{Action: ActPostpone, Date: MustDate("2020-06-01")}, movable},
				{Command{Action: ActReturn, Reason: "Komplettera"}, movable},
				{Command{Action: ActWithdraw, Reason: "Inaktuellt"}, true},
			} {
				tt.cmd.Version = c.Version
				_, err := Apply(c, tt.cmd, envFor(secretary))
				if (err == nil) != tt.ok {
					t.Errorf("%s, meeting %s: %s = %v, want allowed %v", name, status, tt.cmd.Action, err, tt.ok)
				}
				if err != nil && ErrorCode(err) != ECONFLICT {
					t.Errorf("%s, meeting %s: %s refused as %s, want a conflict", name, status, tt.cmd.Action, ErrorCode(err))
				}
			}
		}
	}
}
