package db

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

func agendaCases(t *testing.T, items []AgendaItem) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		if it.Case != nil {
			out = append(out, it.Case.Number)
		}
	}
	return out
}

func TestRouteStepsBelongToMeetings(t *testing.T) {
	w := newMeetingWorld(t)
	au, board := meetingDay(10), meetingDay(24)
	a := w.caseOn("Riktlinjer A", au, board)
	b := w.caseOn("Riktlinjer B", au, board)

	auMeeting := w.meetingAt("ASN-AU", au)
	if a.Route[0].MeetingID != auMeeting.ID || b.Route[0].MeetingID != auMeeting.ID {
		t.Errorf("AU steps on meetings %d and %d, want %d", a.Route[0].MeetingID, b.Route[0].MeetingID, auMeeting.ID)
	}
	if auMeeting.Status != workflow.MeetingPlanned {
		t.Errorf("a meeting made by a route is %s", auMeeting.Status)
	}
	items, err := w.s.Agenda(w.ctx, auMeeting.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i, it := range items {
		kinds = append(kinds, it.Kind)
		if it.Pos != i+1 || it.Title == "" {
			t.Errorf("item %d: pos %d, title %q", i, it.Pos, it.Title)
		}
	}
	if want := []string{ItemOpening, ItemAdjusters, ItemDelegation, ItemCase, ItemCase}; !slices.Equal(kinds, want) {
		t.Errorf("agenda kinds %v, want %v", kinds, want)
	}
	if got := agendaCases(t, items); !slices.Equal(got, []string{a.Number, b.Number}) {
		t.Errorf("agenda cases %v", got)
	}

	// Postponing moves the case to the AU's later meeting, planned on the way.
	later := meetingDay(17)
	b, err = w.s.Act(w.ctx, b.Number, w.secretary, workflow.Command{Action: workflow.ActPostpone, Version: b.Version, Date: later})
	if err != nil {
		t.Fatal(err)
	}
	laterMeeting := w.meetingAt("ASN-AU", later)
	if b.Route[0].MeetingID != laterMeeting.ID {
		t.Errorf("postponed step on meeting %d, want %d", b.Route[0].MeetingID, laterMeeting.ID)
	}
	items, _ = w.s.Agenda(w.ctx, auMeeting.ID)
	if got := agendaCases(t, items); !slices.Equal(got, []string{a.Number}) {
		t.Errorf("after postponing, the first AU agenda has %v", got)
	}
	items, _ = w.s.Agenda(w.ctx, laterMeeting.ID)
	if got := agendaCases(t, items); !slices.Equal(got, []string{b.Number}) {
		t.Errorf("the later AU agenda has %v", got)
	}

	// A withdrawn case leaves the agendas of its coming meetings.
	a, err = w.s.Act(w.ctx, a.Number, w.officer, workflow.Command{Action: workflow.ActWithdraw, Version: a.Version, Reason: "Återkallat"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []workflow.Meeting{auMeeting, w.meetingAt("ASN", board)} {
		items, _ := w.s.Agenda(w.ctx, m.ID)
		if slices.Contains(agendaCases(t, items), a.Number) {
			t.Errorf("withdrawn case still on %s", m.Title())
		}
	}

	ms, err := w.s.Meetings(w.ctx, MeetingFilter{Body: "ASN-AU", From: meetingDay(0), To: meetingDay(12)})
	if err != nil || len(ms) != 1 || ms[0].ID != auMeeting.ID {
		t.Errorf("AU meetings in the next 12 days: %v, %v", ms, err)
	}
}

func TestAgendaOrder(t *testing.T) {
	w := newMeetingWorld(t)
	a := w.caseOn("A", meetingDay(10), meetingDay(24))
	w.caseOn("B", meetingDay(10), meetingDay(24))
	m := w.meetingAt("ASN-AU", meetingDay(10))
	items, err := w.s.AddAgendaItem(w.ctx, m.ID, w.secretary, ItemOther, "Information om lokalfrågan")
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for i := len(items) - 1; i >= 0; i-- {
		order = append(order, items[i].ID)
	}
	items, err = w.s.ReorderAgenda(w.ctx, m.ID, w.secretary, order)
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Title != "Information om lokalfrågan" || items[len(items)-1].Kind != ItemOpening {
		t.Errorf("reordered agenda %+v", items)
	}
	before := w.counts()
	_, err = w.s.ReorderAgenda(w.ctx, m.ID, w.secretary, order[1:])
	wantMeetingErr(t, err, workflow.EINVALID)
	_, err = w.s.ReorderAgenda(w.ctx, m.ID, w.officer, order)
	wantMeetingErr(t, err, workflow.EFORBIDDEN)
	_, err = w.s.AddAgendaItem(w.ctx, m.ID, w.secretary, ItemOther, " ")
	wantMeetingErr(t, err, workflow.EINVALID)
	var caseItem int64
	for _, it := range items {
		if it.Case != nil && it.Case.Number == a.Number {
			caseItem = it.ID
		}
	}
	_, err = w.s.RemoveAgendaItem(w.ctx, m.ID, caseItem, w.secretary)
	wantMeetingErr(t, err, workflow.ECONFLICT)
	if after := w.counts(); after != before {
		t.Errorf("refused agenda changes changed the database:\n%s\n%s", before, after)
	}
	items, err = w.s.RemoveAgendaItem(w.ctx, m.ID, items[0].ID, w.secretary)
	if err != nil || len(items) != 5 {
		t.Errorf("remove the free item: %d items, %v", len(items), err)
	}
}

// Many secretaries record decisions at once: the paragraphs are 1..n with no
// gap and no duplicate, and the series goes on at the next meeting.
func TestParagraphNumberingUnderConcurrency(t *testing.T) {
	w := newMeetingWorld(t)
	const n = 24
	au, board := meetingDay(3), meetingDay(10)
	var numbers []string
	for i := range n {
		numbers = append(numbers, w.caseOn("Ärende "+string(rune('A'+i)), au, board).Number)
	}
	m := w.hold(w.meetingAt("ASN-AU", au))
	var wg sync.WaitGroup
	got := make(chan int, n)
	errs := make(chan error, n)
	for _, number := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, _, err := w.s.Decide(w.ctx, m.ID, w.secretary, DecisionInput{Case: number, Type: workflow.DecisionApproved, Text: "Bifall"})
			if err != nil {
				errs <- err
				return
			}
			got <- p.Number
		}()
	}
	wg.Wait()
	close(got)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var paragraphs []int
	for p := range got {
		paragraphs = append(paragraphs, p)
	}
	slices.Sort(paragraphs)
	for i, p := range paragraphs {
		if p != i+1 {
			t.Fatalf("paragraphs %v: want 1..%d with no gap or duplicate", paragraphs, n)
		}
	}
	min, err := w.s.Minutes(w.ctx, m.ID)
	if err != nil || len(min.Paragraphs) != n {
		t.Fatalf("protokoll has %d paragraphs, %v", len(min.Paragraphs), err)
	}
	// Every case moved on to the nämnd, with its paragraph in its history.
	for _, number := range numbers {
		c, _ := w.s.Case(w.ctx, number)
		if c.Stage != workflow.StageBoard {
			t.Errorf("%s is in %s after bifall at the AU", number, c.Stage)
		}
	}
	// The nämnd is another body: its own series starts at § 1.
	nm := w.hold(w.meetingAt("ASN", board))
	p, _ := w.decide(nm, numbers[0], workflow.DecisionApproved)
	if p.Number != 1 {
		t.Errorf("first paragraph of the nämnd is § %d", p.Number)
	}
	// The AU's next meeting the same year goes on from § n.
	w.at(meetingToday, 9)
	later, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "ASN-AU", Date: meetingDay(12)}, w.secretary)
	if err != nil {
		t.Fatal(err)
	}
	late := w.caseOn("Sent ärende", meetingDay(12), meetingDay(30))
	w.at(meetingDay(11), 9)
	later = w.hold(later)
	if p, _ := w.decide(later, late.Number, workflow.DecisionApproved); p.Number != n+1 {
		t.Errorf("the next AU meeting's first paragraph is § %d, want § %d", p.Number, n+1)
	}
	checked, broken, err := w.s.Verify(w.ctx)
	if err != nil || len(broken) > 0 || checked == 0 {
		t.Errorf("verify: %d checked, broken %v, %v", checked, broken, err)
	}
}

func TestCaseAfterEachDecisionType(t *testing.T) {
	tests := []struct {
		typ       workflow.DecisionType
		wantStage workflow.Stage
		decided   bool
	}{
		{workflow.DecisionApproved, workflow.StageBoard, true},
		{workflow.DecisionAmended, workflow.StageBoard, true},
		{workflow.DecisionRejected, workflow.StageBoard, true},
		{workflow.DecisionReturned, workflow.StageDraft, false},
		{workflow.DecisionTabled, workflow.StageBoard, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			w := newMeetingWorld(t)
			c := w.caseOn("Ärendet", meetingDay(3), meetingDay(10))
			next, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "ASN", Date: meetingDay(24), Start: "13:00"}, w.secretary)
			if err != nil {
				t.Fatal(err)
			}
			c = w.handle(c)
			m := w.hold(w.meetingAt("ASN", meetingDay(10)))
			p, got := w.decide(m, c.Number, tt.typ)
			if got.Stage != tt.wantStage {
				t.Errorf("stage %s, want %s", got.Stage, tt.wantStage)
			}
			if tt.decided != (got.Decision != nil) || (tt.decided && (got.Decision.Paragraph != "§ 1" || got.Decision.Type != tt.typ)) {
				t.Errorf("decision %+v", got.Decision)
			}
			stored, _ := w.s.Case(w.ctx, c.Number)
			if stored.Version != got.Version || stored.Stage != got.Stage {
				t.Errorf("stored case %s v%d, returned %s v%d", stored.Stage, stored.Version, got.Stage, got.Version)
			}
			if tt.typ == workflow.DecisionTabled {
				// No date given: the nämnd's next meeting.
				if p.NextDate != next.Date || got.Route[1].MeetingID != next.ID {
					t.Errorf("tabled to %s, meeting %d; want %s, %d", p.NextDate, got.Route[1].MeetingID, next.Date, next.ID)
				}
				items, _ := w.s.Agenda(w.ctx, next.ID)
				if !slices.Contains(agendaCases(t, items), c.Number) {
					t.Error("tabled case not on the next meeting's agenda")
				}
			}
			// The case stays on the agenda where it was decided, with its paragraph.
			items, _ := w.s.Agenda(w.ctx, m.ID)
			var found *AgendaItem
			for i := range items {
				if items[i].Case != nil && items[i].Case.Number == c.Number {
					found = &items[i]
				}
			}
			if found == nil || found.Paragraph == nil || found.Paragraph.Label() != "§ 1" || found.Paragraph.Type != tt.typ {
				t.Errorf("agenda item %+v", found)
			}
			evs, _ := w.s.Events(w.ctx, c.Number)
			last := evs[len(evs)-1]
			if !slices.Contains([]string{"decide", "return", "postpone"}, last.Action) || !strings.Contains(string(last.Payload), `"paragraph":"§ 1"`) {
				t.Errorf("last event %s %s", last.Action, last.Payload)
			}
			// One decision per case and meeting.
			before := w.counts()
			_, _, err = w.s.Decide(w.ctx, m.ID, w.secretary, DecisionInput{Case: c.Number, Type: workflow.DecisionApproved, Text: "Igen"})
			if err == nil || w.counts() != before {
				t.Errorf("a second decision: %v", err)
			}
		})
	}
}

// A case is not postponed onto a meeting whose kallelse has gone out: that
// agenda is sent, so the case would sit at a meeting that never takes it up.
func TestNoPostponeOntoAMeetingAlreadyCalled(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	c = mustReach(t, s, p, c.Number, workflow.StagePresidium)
	later := datePB.AddDays(3)
	m, err := s.CreateMeeting(ctx, NewMeetingInput{Body: "ASN-PB", Date: later}, p.secretary)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkNoticeSent(ctx, m.ID, p.secretary); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s.Path())
	_, err = s.Act(ctx, c.Number, p.secretary, workflow.Command{Action: workflow.ActPostpone, Version: c.Version, Date: later})
	wantCode(t, err, workflow.ECONFLICT)
	if !strings.Contains(workflow.ErrorMessage(err), "Kallelsen") {
		t.Errorf("message %q", workflow.ErrorMessage(err))
	}
	wantUnchanged(t, s, before)
}
