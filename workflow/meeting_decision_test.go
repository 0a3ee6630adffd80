package workflow

import (
	"encoding/json"
	"testing"
)

// meetingOf is the held meeting of the case's current step.
func meetingOf(c Case) Meeting {
	st := c.Route[c.Step]
	return Meeting{ID: st.MeetingID, Body: st.Body, Date: st.Date, Status: MeetingHeld}
}

func TestDecideAtMeeting(t *testing.T) {
	tests := []struct {
		name      string
		at        func(t *testing.T) Case
		typ       DecisionType
		next      string
		wantStage Stage
		wantStep  int
		wantEvent string
		decided   bool // the case holds the decision with its paragraph
	}{
		{"bifall at the nämnd", boardCase, DecisionApproved, "", StageBoard, 2, "decide", true},
		{"ändrat förslag at the nämnd", boardCase, DecisionAmended, "", StageBoard, 2, "decide", true},
		{"avslag at the nämnd", boardCase, DecisionRejected, "", StageBoard, 2, "decide", true},
		{"återremiss at the nämnd", boardCase, DecisionReturned, "", StageDraft, -1, "return", false},
		{"bordläggning at the nämnd", boardCase, DecisionTabled, "2020-02-27", StageBoard, 2, "postpone", false},
		{"bifall at the arbetsutskott goes to the nämnd", workingCommitteeCase, DecisionApproved, "", StageBoard, 2, "advance", false},
		{"avslag at the arbetsutskott is its proposal, on to the nämnd", workingCommitteeCase, DecisionRejected, "", StageBoard, 2, "advance", false},
		{"återremiss at the arbetsutskott", workingCommitteeCase, DecisionReturned, "", StageDraft, -1, "return", false},
		{"bordläggning at the presidium", presidiumCase, DecisionTabled, "2020-01-13", StagePresidium, 0, "postpone", false},
		{"bifall at kommunstyrelsen, the last step, closes", executiveBoardCase, DecisionApproved, "", StageClosed, 4, "close", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.at(t)
			m := meetingOf(c)
			env := envAt(secretary, m.Date.At(15, 0))
			if m.Body.Board == "KS" {
				env.Actor = ksSecretary
			}
			d := MeetingDecision{Type: tt.typ, Text: "Nämnden beslutar enligt ordförandens förslag.", Paragraph: 7}
			if tt.next != "" {
				d.NextDate = MustDate(tt.next)
			}
			res, err := DecideAtMeeting(c, m, d, env)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Case
			if got.Stage != tt.wantStage || got.Step != tt.wantStep {
				t.Errorf("case is in %s step %d, want %s step %d", got.Stage, got.Step, tt.wantStage, tt.wantStep)
			}
			if got.Version != c.Version+1 {
				t.Errorf("version %d, want %d", got.Version, c.Version+1)
			}
			if tt.decided && tt.at(t).Decision == nil {
				if got.Decision == nil || got.Decision.Paragraph != "§ 7" || got.Decision.Type != tt.typ {
					t.Errorf("decision = %+v, want type %s with § 7", got.Decision, tt.typ)
				}
			}
			if !tt.decided && got.Decision != nil && c.Decision == nil {
				t.Errorf("a %s set the case's decision: %+v", tt.typ, got.Decision)
			}
			if tt.typ == DecisionTabled {
				st := got.Route[got.Step]
				if st.Date != d.NextDate || st.MeetingID != 0 || len(st.Postponed) != 1 || st.Postponed[0] != m.Date {
					t.Errorf("tabled step = %+v, want moved to %s off meeting %d", st, d.NextDate, m.ID)
				}
			}
			if tt.typ == DecisionReturned && (res.Event.Reason != d.Text || got.Approvers[0].SignedAt != nil) {
				t.Errorf("return: reason %q, signatures %+v", res.Event.Reason, got.Approvers)
			}
			if res.Event.Action != tt.wantEvent {
				t.Errorf("event action %q, want %q", res.Event.Action, tt.wantEvent)
			}
			var payload map[string]any
			if err := json.Unmarshal(res.Event.Payload, &payload); err != nil {
				t.Fatal(err)
			}
			want := "§ 7"
			if !m.Body.Kind.KeepsMinutes() {
				want = "" // the presidium keeps no protokoll
			}
			if got, _ := payload["paragraph"].(string); got != want || payload["meeting"] != float64(m.ID) || payload["decision_type"] != string(tt.typ) {
				t.Errorf("event payload %v", payload)
			}
		})
	}
}

func TestDecideAtMeetingRefusals(t *testing.T) {
	c := boardCase(t)
	m := meetingOf(c)
	ok := MeetingDecision{Type: DecisionApproved, Text: decisionText, Paragraph: 1}
	env := envAt(secretary, m.Date.At(15, 0))
	tests := []struct {
		name string
		c    Case
		m    Meeting
		d    MeetingDecision
		env  Env
		code string
	}{
		{"meeting not held", c, func() Meeting { m := m; m.Status = MeetingNoticeSent; return m }(), ok, env, ECONFLICT},
		{"protokoll justerat", c, func() Meeting { m := m; m.Status = MeetingJustified; return m }(), ok, env, ECONFLICT},
		{"case at another meeting", workingCommitteeCase(t), m, ok, env, ECONFLICT},
		{"not the secretary", c, m, ok, envAt(officer, m.Date.At(15, 0)), EFORBIDDEN},
		{"another board's secretary", c, m, ok, envAt(ksSecretary, m.Date.At(15, 0)), EFORBIDDEN},
		{"stale version", c, m, MeetingDecision{Type: DecisionApproved, Text: "x", Version: c.Version - 1}, env, ECONFLICT},
		{"unknown type", c, m, MeetingDecision{Type: "maybe", Text: "x"}, env, EINVALID},
		{"no text", c, m, MeetingDecision{Type: DecisionApproved, Text: "  "}, env, EINVALID},
		{"tabled without a date", c, m, MeetingDecision{Type: DecisionTabled, Text: "Bordläggs"}, env, EINVALID},
		{"tabled to an earlier date", c, m, MeetingDecision{Type: DecisionTabled, Text: "Bordläggs", NextDate: MustDate("2020-01-29")}, env, EINVALID},
		{"already decided", decidedCase(t), m, ok, env, ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecideAtMeeting(tt.c, tt.m, tt.d, tt.env)
			wantCode(t, err, tt.code)
		})
	}
}

// The presidium keeps no protokoll, so its handling of a case takes no §,
// whatever number the store offers; every other body numbers its own.
func TestOnlyBodiesWithAProtokollNumberTheirHandling(t *testing.T) {
	for _, k := range BodyKinds {
		if got, want := k.KeepsMinutes(), k != KindPresidium; got != want {
			t.Errorf("%s keeps a protokoll: %v, want %v", k, got, want)
		}
	}
	tests := []struct {
		name  string
		at    func(t *testing.T) Case
		typ   DecisionType
		label string // the § in the event; empty: none
	}{
		{"behandlat at the presidium", presidiumCase, DecisionHandled, ""},
		{"bifall at the presidium", presidiumCase, DecisionApproved, ""},
		{"bordläggning at the presidium", presidiumCase, DecisionTabled, ""},
		{"behandlat at the arbetsutskott", workingCommitteeCase, DecisionHandled, "§ 7"},
		{"bifall at the nämnd", boardCase, DecisionApproved, "§ 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.at(t)
			m := meetingOf(c)
			d := MeetingDecision{Type: tt.typ, Text: "Behandlat.", Paragraph: 7}
			if tt.typ == DecisionTabled {
				d.NextDate = m.Date.AddDays(7)
			}
			res, err := DecideAtMeeting(c, m, d, envAt(secretary, m.Date.At(15, 0)))
			if err != nil {
				t.Fatal(err)
			}
			var payload map[string]any
			if err := json.Unmarshal(res.Event.Payload, &payload); err != nil {
				t.Fatal(err)
			}
			got, has := payload["paragraph"].(string)
			if got != tt.label || has != (tt.label != "") {
				t.Errorf("the event's paragraph = %q (present %v), want %q", got, has, tt.label)
			}
			if res.Case.Decision != nil && res.Case.Decision.Paragraph != tt.label {
				t.Errorf("the decision's paragraph = %q, want %q", res.Case.Decision.Paragraph, tt.label)
			}
		})
	}
	for n, want := range map[int]string{0: "", 1: "§ 1", 12: "§ 12"} {
		p := Paragraph{Number: n, CaseNumber: "ASN-2027-3"}
		if p.Label() != want {
			t.Errorf("Label of %d = %q, want %q", n, p.Label(), want)
		}
	}
	if a, b := (Paragraph{Number: 12}).Anchor(), (Paragraph{CaseNumber: "ASN-2027-3"}).Anchor(); a != "p12" || b != "arende-ASN-2027-3" {
		t.Errorf("anchors %q, %q", a, b)
	}
}
