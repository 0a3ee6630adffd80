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
	for _, kind := range Kinds[:len(Kinds)-2] {
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
	return nil
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
