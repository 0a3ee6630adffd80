package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// The seed case over the API: what its tjänsteskrivelse gives, and its
// history as it happened, from December 2019 to the nämnd's decision of
// 2020-01-30 sent to kommunstyrelsen.
func TestSeedCaseAsItHappened(t *testing.T) {
	s := startServer(t)
	c := s.GetCase(officer, demo.SeedNumber)
	if c.Number != "ASN-2019-17886" || c.Board != "ASN" || c.Title != "Internationell redovisning 2019" || c.Stage != "closed" {
		t.Errorf("case = %s %s %q %s", c.Number, c.Board, c.Title, c.Stage)
	}
	if !strings.HasPrefix(c.Summary, "Arbetsmarknads- och socialnämnden har uppdragits av kommunstyrelsen") {
		t.Errorf("summary = %q", c.Summary)
	}
	if !slices.Equal(c.Proposals, []string{
		"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna redovisningen",
		"Arbetsmarknads- och socialnämnden skickar redovisningen till kommunstyrelsen"}) {
		t.Errorf("proposals = %q", c.Proposals)
	}
	for _, part := range []string{"Varje förvaltning har fått i uppdrag", "| Hela familjen | ESF | 1 680 158 SEK | 2 |", "| TOTALT | | 4 029 253 SEK | |", "Sargosa och Vanda"} {
		if !strings.Contains(c.Background, part) {
			t.Errorf("background lacks %q", part)
		}
	}
	var route []string
	for _, st := range c.Route {
		date := "-"
		if st.Date != nil {
			date = *st.Date
		}
		route = append(route, st.Body+"|"+st.BodyName+"|"+st.Kind+"|"+date+"|"+st.Status)
	}
	if want := []string{
		"ASN-PB|ASN presidieberedning|presidium|2020-01-08|done",
		"ASN-AU|ASN arbetsutskott|working_committee|2020-01-16|done",
		"ASN|Arbetsmarknads- och socialnämnden|board|2020-01-30|done",
		"KS|Kommunstyrelsen|executive_board|-|done",
	}; !slices.Equal(route, want) {
		t.Errorf("route = %q, want %q", route, want)
	}
	// Signed off in turn before the inlämningsdag, ten work days before the presidium.
	var approvers []string
	for _, a := range c.Approvers {
		signed := "-"
		if a.SignedAt != nil {
			signed = workflow.Today(*a.SignedAt).String()
		}
		approvers = append(approvers, a.Name+"|"+a.Position+"|"+a.Email+"|"+signed)
	}
	if want := []string{"Jonas Magnusson|Enhetschef|jonas.magnusson@kommun.example|2019-12-13",
		"Katarina Lindeberg|Avdelningschef|katarina.lindeberg@kommun.example|2019-12-16",
		"Britt-Marie Pettersson|Förvaltningschef|britt-marie.pettersson@kommun.example|2019-12-17"}; !slices.Equal(approvers, want) {
		t.Errorf("approvers = %q", approvers)
	}
	if len(c.Recipients) != 1 || c.Recipients[0].Name != "Kommunstyrelsen" {
		t.Errorf("recipients = %+v", c.Recipients)
	}
	var attachments []string
	for _, a := range c.Attachments {
		attachments = append(attachments, a.Name)
	}
	if want := []string{"G-Tjänsteskrivelse - ASN 200130 - Redovisning av internationellt arbete 2019",
		"Redovisning av internationellt arbete 2019, Arbetsmarknads- och socialnämnden"}; !slices.Equal(attachments, want) {
		t.Errorf("attachments = %q", attachments)
	}
	d := c.Decision
	if d == nil || d.Paragraph != "§ 1" || workflow.Today(d.DecidedAt) != workflow.MustDate("2020-01-30") ||
		d.Text != "1. Arbetsmarknads- och socialnämnden beslutar att godkänna redovisningen\n"+
			"2. Arbetsmarknads- och socialnämnden skickar redovisningen till kommunstyrelsen" ||
		d.DispatchedAt == nil || workflow.Today(*d.DispatchedAt) != workflow.MustDate("2020-01-31") {
		t.Errorf("decision = %+v", d)
	}
	if c.Officer.Email != officer || workflow.Today(c.CreatedAt) != workflow.MustDate("2019-12-10") {
		t.Errorf("officer %+v created %v", c.Officer, c.CreatedAt)
	}
	for _, who := range []string{officer, jonas, secretary} {
		if got := s.GetCase(who, demo.SeedNumber).AllowedActions; len(got) != 0 {
			t.Errorf("%s may %q on the closed case", who, got)
		}
	}
	// Its history, day by day: each meeting's justering and anslag, and the
	// publication of its protokoll on the web, are in it.
	var events []struct {
		Action string
		At     time.Time
		Actor  struct{ Name string }
	}
	s.GetJSON(officer, "/api/v1/cases/"+demo.SeedNumber+"/events", &events)
	var got []string
	for _, e := range events {
		got = append(got, workflow.Today(e.At).String()+" "+e.Action+":"+e.Actor.Name)
	}
	want := []string{"2019-12-10 create:Sara Lindqvist", "2019-12-10 attach:Sara Lindqvist", "2019-12-10 attach:Sara Lindqvist",
		"2019-12-12 submit:Sara Lindqvist", "2019-12-13 approve:Jonas Magnusson", "2019-12-16 approve:Katarina Lindeberg",
		"2019-12-17 approve:Britt-Marie Pettersson",
		"2020-01-08 advance:Erik Nyström", "2020-01-08 justering:Anna Ek", "2020-01-08 justering:Bo Ström", "2020-01-09 anslag:Erik Nyström",
		"2020-01-16 advance:Erik Nyström", "2020-01-20 justering:Anna Ek", "2020-01-20 justering:Bo Ström", "2020-01-21 anslag:Erik Nyström",
		"2020-01-21 published:Erik Nyström", // the arbetsutskott's protokoll on the web (the presidium keeps none)
		"2020-01-30 decide:Erik Nyström", "2020-01-30 justering:Anna Ek", "2020-01-30 justering:Bo Ström", "2020-01-31 anslag:Erik Nyström",
		"2020-01-31 dispatch:Erik Nyström", "2020-01-31 published:Erik Nyström", "2020-02-22 legal_force:Beslutsgång", "2020-02-24 close:Erik Nyström"}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q\nwant %q", got, want)
	}
	if c.Version != len(want) {
		t.Errorf("version %d, want one per event (%d)", c.Version, len(want))
	}
}

// A committee secretary carries the demo's draft from the officer to
// kommunstyrelsen and closes it, each step taken by its own person, and each
// body that meets moving it at its meeting, on the meeting's day.
func TestDraftFromDraftToClosed(t *testing.T) {
	s := startServer(t)
	path := "/api/v1/cases/" + demo.DraftNumber
	version := s.GetCase(officer, demo.DraftNumber).Version
	steps := []struct {
		who     string
		action  map[string]any // an action on the case, or the step's meeting handling it ("meeting": decision type)
		stage   string
		current string // body of the current route step, "" off the route
		next    []string
	}{
		{officer, map[string]any{"action": "submit"}, "approval", "", []string{"withdraw"}},
		{jonas, map[string]any{"action": "approve"}, "approval", "", []string{"reject"}},
		{katarina, map[string]any{"action": "approve"}, "approval", "", []string{"reject"}},
		{britt, map[string]any{"action": "approve"}, "presidium", "ASN-PB", nil},
		// At a body that meets, the meeting moves the case; the secretary only
		// moves it to another meeting before the kallelse, or sends it back.
		{secretary, map[string]any{"meeting": "approved", "text": "Presidiet föreslår att ärendet går vidare till arbetsutskottet."},
			"working_committee", "ASN-AU", []string{"postpone", "return", "withdraw"}},
		{secretary, map[string]any{"meeting": "approved", "text": "Arbetsutskottet föreslår nämnden att anta handlingsplanen."},
			"board", "ASN", []string{"postpone", "return", "withdraw"}},
		{secretary, map[string]any{"meeting": "approved", "text": "Arbetsmarknads- och socialnämnden antar handlingsplanen och skickar den till kommunstyrelsen."},
			"board", "ASN", []string{"withdraw"}},
		{secretary, map[string]any{"justera": true}, "board", "ASN", []string{"dispatch", "withdraw"}},
		{secretary, map[string]any{"action": "dispatch"}, "executive_board", "KS", []string{"postpone", "close", "withdraw"}},
		{secretary, map[string]any{"action": "close"}, "closed", "", nil},
	}
	var decidedOn time.Time
	for i, st := range steps {
		var c caseJSON
		switch {
		case st.action["meeting"] != nil:
			decidedOn = toMeetingDay(s, demo.DraftNumber)
			c = handleAtMeeting(s, demo.DraftNumber, st.action["meeting"].(string), st.action["text"].(string))
		case st.action["justera"] != nil:
			c = justera(s, demo.DraftNumber)
		default:
			st.action["version"] = version
			r := s.As(st.who, "POST", path+"/actions", st.action)
			if r.Status != http.StatusOK {
				t.Fatalf("step %d: %s by %s: %d %s", i, st.action["action"], st.who, r.Status, r.Body)
			}
			r.Decode(t, &c)
			if c.Version != version+1 {
				t.Fatalf("step %d: %s → version %d, want %d", i, st.action["action"], c.Version, version+1)
			}
		}
		if c.Stage != st.stage {
			t.Fatalf("step %d: %v → stage %s, want %s", i, st.action, c.Stage, st.stage)
		}
		version = c.Version
		current := ""
		for _, rs := range c.Route {
			if rs.Status == "current" {
				current = rs.Body
			}
		}
		if current != st.current {
			t.Errorf("step %d: current step %q, want %q", i, current, st.current)
		}
		if c = s.GetCase(secretary, demo.DraftNumber); st.who == secretary && !slices.Equal(c.AllowedActions, st.next) {
			t.Errorf("step %d: secretary may now %q, want %q", i, c.AllowedActions, st.next)
		}
	}
	c := s.GetCase(secretary, demo.DraftNumber)
	if c.Decision == nil || !strings.HasPrefix(c.Decision.Text, "Arbetsmarknads- och socialnämnden antar") || !c.Decision.DecidedAt.Equal(decidedOn) {
		t.Errorf("decision = %+v, want one taken %v", c.Decision, decidedOn)
	}
	for _, a := range c.Approvers {
		if a.SignedAt == nil {
			t.Errorf("%s has not signed", a.Name)
		}
	}
	for i, rs := range c.Route {
		if rs.Status != "done" {
			t.Errorf("route step %d is %s after closing", i, rs.Status)
		}
	}
	// The history: registered, two documents, the route dated, then one event per action.
	r := s.As(officer, "GET", path+"/events", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("events: %d %s", r.Status, r.Body)
	}
	var events []struct {
		Seq      int
		Action   string
		From     string `json:"from_stage"`
		To       string `json:"to_stage"`
		Actor    struct{ Name string }
		PrevHash string `json:"prev_hash"`
		Hash     string `json:"hash"`
	}
	r.Decode(t, &events)
	var got []string
	for i, e := range events {
		got = append(got, e.Action+":"+e.Actor.Name)
		if e.Seq != i+1 || e.Hash == "" || (i > 0 && e.PrevHash != events[i-1].Hash) {
			t.Errorf("event %d: seq %d, not chained", i, e.Seq)
		}
	}
	want := []string{"create:Sara Lindqvist", "attach:Sara Lindqvist", "attach:Sara Lindqvist", "update:Sara Lindqvist",
		"submit:Sara Lindqvist", "approve:Jonas Magnusson", "approve:Katarina Lindeberg", "approve:Britt-Marie Pettersson",
		"advance:Erik Nyström", "advance:Erik Nyström", "decide:Erik Nyström", "justering:Anna Ek", "justering:Bo Ström",
		"dispatch:Erik Nyström", "close:Erik Nyström"}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q\nwant %q", got, want)
	}
	if _, broken, err := s.Store.Verify(context.Background()); err != nil || len(broken) > 0 {
		t.Errorf("Verify = %v, %v", broken, err)
	}
	// Dispatch queued the decision to kommunstyrelsen.
	if n := s.Count(`SELECT COUNT(*) FROM outbox WHERE to_addr = 'kommunstyrelsen@kommun.example' AND subject = ?`,
		demo.DraftNumber+": dispatched"); n != 1 {
		t.Errorf("%d dispatch mails to kommunstyrelsen, want 1", n)
	}
}

// toMeetingDay moves the store's clock to the evening of the day the case's
// current step meets, after every body's start, and returns that time.
func toMeetingDay(s *server, number string) time.Time {
	s.T.Helper()
	for _, rs := range s.GetCase(secretary, number).Route {
		if rs.Status == "current" && rs.Date != nil {
			t := workflow.MustDate(*rs.Date).At(20, 0)
			s.At(t)
			return t
		}
	}
	s.T.Fatalf("%s waits for no meeting", number)
	return time.Time{}
}

// handleAtMeeting has the meeting of the case's current step handle it as the
// secretary does through the API: kallelse (unless sent), held, and the case
// recorded with the decision type and text; it returns the case after.
func handleAtMeeting(s *server, number, typ, text string) caseJSON {
	s.T.Helper()
	path := currentMeeting(s, number)
	s.As(secretary, "POST", path+"/notice", nil) // 409 once sent; the meeting then is past it
	if r := s.As(secretary, "POST", path+"/held", nil); r.Status != http.StatusOK && r.Status != http.StatusConflict {
		s.T.Fatalf("held: %d %s", r.Status, r.Body)
	}
	r := s.As(secretary, "POST", path+"/decisions", map[string]any{"case": number, "type": typ, "text": text})
	if r.Status != http.StatusCreated {
		s.T.Fatalf("decision at %s: %d %s", path, r.Status, r.Body)
	}
	return s.GetCase(secretary, number)
}

// justera has the protokoll of the case's current meeting justerat by the
// demo's two justerare, the chair and a ledamot.
func justera(s *server, number string) caseJSON {
	s.T.Helper()
	path := currentMeeting(s, number)
	var members []workflow.Member
	s.GetJSON(secretary, "/api/v1/bodies/ASN/members", &members)
	var att []db.AttendanceInput
	for _, mb := range members {
		att = append(att, db.AttendanceInput{Member: mb.ID, Present: true, Adjuster: mb.Role == workflow.MemberChair || mb.Name == "Bo Ström"})
	}
	if r := s.As(secretary, "PUT", path+"/attendance", map[string]any{"attendees": att}); r.Status != http.StatusOK {
		s.T.Fatalf("attendance: %d %s", r.Status, r.Body)
	}
	for _, who := range []string{"ordforande@kommun.example", "ledamot@kommun.example"} {
		if r := s.As(who, "POST", path+"/justering", map[string]any{"password": demo.Password}); r.Status != http.StatusOK {
			s.T.Fatalf("justering by %s: %d %s", who, r.Status, r.Body)
		}
	}
	return s.GetCase(secretary, number)
}

// currentMeeting is the API path of the meeting of the case's current step.
func currentMeeting(s *server, number string) string {
	s.T.Helper()
	for _, rs := range s.GetCase(secretary, number).Route {
		if rs.Status == "current" && rs.Meeting != 0 {
			return fmt.Sprintf("/api/v1/meetings/%d", rs.Meeting)
		}
	}
	s.T.Fatalf("%s is at no meeting", number)
	return ""
}
