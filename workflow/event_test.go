package workflow

import (
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
	"time"
)

func TestApplyEvent(t *testing.T) {
	const reason = "Underlaget behöver kompletteras"
	tests := []struct {
		name     string
		build    func(t *testing.T) Case
		by       User
		cmd      Command
		from, to Stage
		reason   string
		payload  map[string]any // nil: no payload
	}{
		{"submit", draftCase, officer, Command{Action: ActSubmit},
			StageDraft, StageApproval, "", nil},
		{"first approval names the approver", func(t *testing.T) Case { return approvalCase(t, 0) }, approver1,
			Command{Action: ActApprove}, StageApproval, StageApproval, "",
			map[string]any{"approver": "Jonas Magnusson"}},
		{"last approval names the approver and the first step", func(t *testing.T) Case { return approvalCase(t, 2) }, approver3,
			Command{Action: ActApprove}, StageApproval, StagePresidium, "",
			map[string]any{"approver": "Britt-Marie Pettersson", "step": "ASN-PR", "date": "2020-01-08"}},
		{"reject keeps the reason", func(t *testing.T) Case { return approvalCase(t, 1) }, approver2,
			Command{Action: ActReject, Reason: " " + reason + " "}, StageApproval, StageDraft, reason, nil},
		{"advance names the new step", func(t *testing.T) Case {
			return dispatchedCaseOn(t, append(undatedKSRoute(), RouteStep{Body: bodyKF}))
		}, secretary, Command{Action: ActAdvance},
			StageExecutiveBoard, StageCouncil, "", map[string]any{"step": "KF"}},
		{"postpone names both dates and the steps it moved", presidiumCase, secretary,
			Command{Action: ActPostpone, Date: MustDate("2020-01-22"), Reason: "Ärendet hann inte beredas"},
			StagePresidium, StagePresidium, "Ärendet hann inte beredas",
			map[string]any{"from": "2020-01-08", "to": "2020-01-22",
				"moved": []any{"ASN-AU 2020-01-30", "ASN 2020-02-13", "KS 2020-02-19"}}},
		{"postpone that moves nothing else", presidiumCase, secretary,
			Command{Action: ActPostpone, Date: MustDate("2020-01-09")},
			StagePresidium, StagePresidium, "", map[string]any{"from": "2020-01-08", "to": "2020-01-09"}},
		{"return keeps the reason", boardCase, secretary, Command{Action: ActReturn, Reason: reason},
			StageBoard, StageDraft, reason, nil},
		{"dispatch names the recipients and the next step", decidedCase, secretary, Command{Action: ActDispatch},
			StageBoard, StageExecutiveBoard, "", map[string]any{"step": "KS", "date": "2020-02-05",
				"recipients": []any{"Kommunstyrelsen", "Arbetsmarknads- och socialförvaltningen"}}},
		{"close", func(t *testing.T) Case { return dispatchedCaseOn(t, undatedKSRoute()) }, secretary, Command{Action: ActClose},
			StageExecutiveBoard, StageClosed, "", nil},
		{"withdraw keeps the reason", workingCommitteeCase, officer, Command{Action: ActWithdraw, Reason: reason},
			StageWorkingCommittee, StageClosed, reason, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			tt.cmd.Version = c.Version
			res, err := Apply(c, tt.cmd, envFor(tt.by))
			if err != nil {
				t.Fatal(err)
			}
			ev := res.Event
			want := Event{CaseNumber: "ASN-2019-17886", At: clock, Actor: tt.by.Person(), Action: string(tt.cmd.Action),
				From: tt.from, To: tt.to, Reason: tt.reason}
			got := ev
			got.Payload = nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("event = %+v\nwant    %+v", got, want)
			}
			if tt.payload == nil {
				if ev.Payload != nil {
					t.Errorf("payload = %s, want none", ev.Payload)
				}
				return
			}
			var p map[string]any
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				t.Fatalf("payload %s: %v", ev.Payload, err)
			}
			if !reflect.DeepEqual(p, tt.payload) {
				t.Errorf("payload = %v, want %v", p, tt.payload)
			}
		})
	}
}

func TestEveryActionHasLabels(t *testing.T) {
	for _, a := range Actions {
		if a.Label() == "" {
			t.Errorf("action %s has no label", a)
		}
		if EventLabels[string(a)] == "" {
			t.Errorf("action %s has no event label", a)
		}
	}
	for _, a := range []string{"create", "update"} {
		if EventLabels[a] == "" {
			t.Errorf("event %s has no label", a)
		}
	}
}

func TestComputeHash(t *testing.T) {
	at := time.Date(2020, time.January, 8, 14, 5, 6, 123456000, Stockholm)
	base := func() Event {
		return Event{CaseNumber: "ASN-2019-17886", Seq: 4, At: at, Actor: secretary.Person(), Action: "postpone",
			From: StagePresidium, To: StagePresidium, Reason: "Ärendet hann inte beredas",
			Payload: json.RawMessage(`{"from":"2020-01-08","to":"2020-01-22"}`)}
	}
	const prev = "5d41402abc4b2a76b9719d911017c592"
	h := base().ComputeHash(prev)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(h) {
		t.Fatalf("hash %q is not hex SHA-256", h)
	}
	if again := base().ComputeHash(prev); again != h {
		t.Fatalf("hash of equal input differs: %s, %s", h, again)
	}
	// The stored hashes take no part in the hash itself.
	e := base()
	e.PrevHash, e.Hash = "something", "else"
	if got := e.ComputeHash(prev); got != h {
		t.Errorf("PrevHash and Hash fields changed the hash")
	}
	// The same instant in another zone is the same event.
	e = base()
	e.At = at.UTC()
	if got := e.ComputeHash(prev); got != h {
		t.Errorf("the zone of At changed the hash")
	}

	changes := []struct {
		name   string
		change func(e *Event)
		prev   string
	}{
		{"reason", func(e *Event) { e.Reason = "Ärendet hann inte beredas." }, prev},
		{"no reason", func(e *Event) { e.Reason = "" }, prev},
		{"seq", func(e *Event) { e.Seq = 5 }, prev},
		{"actor name", func(e *Event) { e.Actor.Name = "Eva Nilson" }, prev},
		{"actor id", func(e *Event) { e.Actor.ID = 99 }, prev},
		{"payload", func(e *Event) { e.Payload = json.RawMessage(`{"from":"2020-01-08","to":"2020-01-23"}`) }, prev},
		{"no payload", func(e *Event) { e.Payload = nil }, prev},
		{"at, by a microsecond", func(e *Event) { e.At = e.At.Add(time.Microsecond) }, prev},
		{"at, by a day", func(e *Event) { e.At = e.At.AddDate(0, 0, 1) }, prev},
		{"action", func(e *Event) { e.Action = "advance" }, prev},
		{"from stage", func(e *Event) { e.From = StageWorkingCommittee }, prev},
		{"to stage", func(e *Event) { e.To = StageBoard }, prev},
		{"case number", func(e *Event) { e.CaseNumber = "ASN-2019-17887" }, prev},
		{"prev", func(e *Event) {}, "5d41402abc4b2a76b9719d911017c593"},
		{"no prev", func(e *Event) {}, ""},
	}
	seen := map[string]string{h: "base"}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			e := base()
			c.change(&e)
			got := e.ComputeHash(c.prev)
			if got == h {
				t.Errorf("changing %s left the hash unchanged", c.name)
			}
			if other, dup := seen[got]; dup {
				t.Errorf("changing %s gives the same hash as %s", c.name, other)
			}
			seen[got] = c.name
		})
	}
}

func TestComputeHashSurvivesStorage(t *testing.T) {
	// The store writes At with FormatTime and reads it back with time.Parse; a
	// time with nanoseconds must hash the same after the round trip.
	for _, at := range []time.Time{
		time.Date(2020, time.January, 8, 14, 5, 6, 123456789, Stockholm),
		time.Date(2020, time.March, 29, 2, 30, 0, 999, time.UTC), // the night clocks go forward
		clock,
	} {
		e := Event{CaseNumber: "ASN-2019-17886", Seq: 1, At: at, Actor: officer.Person(), Action: "create", To: StageDraft}
		s := FormatTime(e.At)
		back, err := time.Parse(TimeLayout, s)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		stored := e
		stored.At = back
		if got, want := stored.ComputeHash(""), e.ComputeHash(""); got != want {
			t.Errorf("%v: hash after a round trip through %q differs", at, s)
		}
		if !back.Equal(at.Truncate(time.Microsecond)) {
			t.Errorf("%v read back as %v", at, back)
		}
	}
}

func TestChainedHashes(t *testing.T) {
	// Each event's hash covers the previous one's, so an altered event breaks
	// every hash after it.
	c := draftCase(t)
	var events []Event
	for _, step := range []struct {
		by  User
		cmd Command
	}{
		{officer, Command{Action: ActSubmit}},
		{approver1, Command{Action: ActApprove}},
		{approver2, Command{Action: ActReject, Reason: "Komplettera"}},
	} {
		step.cmd.Version = c.Version
		res, err := Apply(c, step.cmd, envFor(step.by))
		if err != nil {
			t.Fatal(err)
		}
		c = res.Case
		events = append(events, res.Event)
	}
	chain := func(evs []Event) []string {
		prev, out := "", []string(nil)
		for i, e := range evs {
			e.Seq = i + 1
			prev = e.ComputeHash(prev)
			out = append(out, prev)
		}
		return out
	}
	orig := chain(events)
	events[1].Reason = "efterhandsändrat"
	altered := chain(events)
	if orig[0] != altered[0] {
		t.Errorf("the event before the altered one changed hash")
	}
	for i := 1; i < len(orig); i++ {
		if orig[i] == altered[i] {
			t.Errorf("event %d kept its hash after event 2 was altered", i+1)
		}
	}
}
