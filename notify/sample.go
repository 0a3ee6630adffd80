package notify

import (
	"fmt"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// check renders every template with sample data, so a template that names a
// field that does not exist fails at start with the template's name.
func (c *Composer) check() error {
	cs, ev := sampleCase()
	for _, kind := range NotificationKinds {
		n := workflow.Notification{Kind: workflow.NotificationKind(kind), To: cs.Officer, Reason: "Komplettera med ekonomiska konsekvenser"}
		if _, err := c.Compose(&cs, ev, n); err != nil {
			return fmt.Errorf("e-postmallen %s: %w", kind, err)
		}
	}
	manager := cs.Approvers[0].Person
	r := db.DueReminder{Reminder: workflow.Reminder{Slot: "2020-01-08/overdue-2020-01-10", On: workflow.MustDate("2020-01-10"), Offset: 2, CopyManager: true},
		Deadline: workflow.Deadline{CaseNumber: cs.Number, Kind: workflow.DeadlineCustom, Due: workflow.MustDate("2020-01-08"),
			Responsible: cs.Officer, Note: "Stäm av med ekonomienheten", State: workflow.DeadlineOpen},
		CaseTitle: cs.Title, Board: cs.Board, Manager: &manager, SentAt: time.Date(2020, 1, 13, 9, 0, 0, 0, workflow.Stockholm)}
	if _, err := c.ComposeReminder(r); err != nil {
		return fmt.Errorf("e-postmallen reminder: %w", err)
	}
	dg := db.Digest{To: cs.Officer, Day: workflow.MustDate("2020-01-09"), Deadlines: []db.DeadlineItem{{Deadline: r.Deadline, CaseTitle: cs.Title}}}
	if _, err := c.ComposeDigest(dg); err != nil {
		return fmt.Errorf("e-postmallen digest: %w", err)
	}
	r.Deadline.CaseNumber, r.Deadline.MeetingID, r.MeetingTitle = "", 7, "Arbetsmarknads- och socialnämnden 2020-01-30"
	if _, err := c.ComposeReminder(r); err != nil {
		return fmt.Errorf("e-postmallen reminder (sammanträde): %w", err)
	}
	notice, min := sampleMeeting(cs)
	if _, err := c.ComposeNotice(notice, notice.To[0]); err != nil {
		return fmt.Errorf("e-postmallen notice: %w", err)
	}
	n := workflow.Notification{Kind: workflow.NotifyDispatched, To: workflow.Person{Name: cs.Recipients[0].Name, Email: cs.Recipients[0].Email}}
	if _, err := c.ComposeExtract(&cs, ev, n, db.Extract{Minutes: min, Paragraph: min.Paragraphs[0]}); err != nil {
		return fmt.Errorf("e-postmallen dispatched (med protokollsutdrag): %w", err)
	}
	return nil
}

// sampleMeeting is the seed case's nämnd meeting: its kallelse, and its
// protokoll justerat and posted.
func sampleMeeting(cs workflow.Case) (db.Notice, workflow.Minutes) {
	justified := time.Date(2020, 2, 3, 16, 0, 0, 0, workflow.Stockholm)
	m := workflow.Meeting{ID: 7, Body: cs.Route[0].Body, Date: workflow.MustDate("2020-01-30"), Start: "17:00", End: "19:00",
		Place: "Stadshuset", Status: workflow.MeetingPosted, JustifiedAt: &justified, PostedOn: workflow.MustDate("2020-02-04")}
	chair := workflow.Member{ID: 1, Name: "Anna Ek", Email: "anna.ek@kommun.example", Role: workflow.MemberChair, UserID: 20}
	notice := db.Notice{Meeting: m, To: []workflow.Member{chair}, Secretary: workflow.Person{Name: "Erik Nyström"},
		Agenda: []db.AgendaItem{{Pos: 1, Kind: db.ItemOpening, Title: "Mötets öppnande"},
			{Pos: 2, Kind: db.ItemCase, Title: cs.Title, Case: &db.AgendaCase{Number: cs.Number, Title: cs.Title}}}}
	min := workflow.Minutes{Meeting: m, Attendees: []workflow.Attendee{{Member: chair, Present: true, Adjuster: true, SignedAt: &justified}},
		Paragraphs: []workflow.Paragraph{{Number: 12, Year: 2020, MeetingID: m.ID, CaseNumber: cs.Number, CaseTitle: cs.Title,
			Type: workflow.DecisionApproved, Text: cs.Decision.Text}}}
	return notice, min
}

// sampleCase is the seed case ASN-2019-17886 at the nämnd, decided.
func sampleCase() (workflow.Case, workflow.Event) {
	at := time.Date(2020, 1, 30, 15, 0, 0, 0, workflow.Stockholm)
	board := workflow.Board{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"}
	body := workflow.Body{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"}
	officer := workflow.Person{ID: 1, Name: "Sara Lindqvist", Email: "sara@kommun.example"}
	cs := workflow.Case{Number: "ASN-2019-17886", Board: board, Title: "Internationell redovisning 2019",
		Stage: workflow.StageBoard, Step: 0, Officer: officer,
		Route:      []workflow.RouteStep{{Body: body, Date: workflow.MustDate("2020-01-30")}},
		Approvers:  []workflow.Approver{{Person: workflow.Person{ID: 2, Name: "Jonas Magnusson", Email: "jonas@kommun.example"}, Position: "Enhetschef"}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}},
		Decision: &workflow.Decision{Type: workflow.DecisionApproved, Text: "Nämnden godkänner redovisningen.", DecidedAt: at,
			Paragraph: "§ 12", DispatchedAt: &at}}
	ev := workflow.Event{CaseNumber: cs.Number, Seq: 9, At: at, Actor: workflow.Person{ID: 3, Name: "Erik Nyström"}, Action: "dispatch"}
	return cs, ev
}
