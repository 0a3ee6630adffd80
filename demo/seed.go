package demo

import (
	"fmt"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/intake"
	"github.com/kommun/beslutsgang/workflow"
)

// seedMeetings are the meetings the seed's beslutsplanering names, as the
// secretary planned them for the start of 2020, with the day each protokoll
// was justerat: the arbetsutskott's after the weekend; the nämnd's that
// evening, so the decision went to kommunstyrelsen the next day, the day the
// workflow expects the case to have moved on from its meeting.
var seedMeetings = []struct{ body, date, justered string }{
	{"ASN-PB", "2020-01-08", "2020-01-08"},
	{"ASN-AU", "2020-01-16", "2020-01-20"},
	{"ASN", "2020-01-30", "2020-01-30"},
}

// seedHistory lays out ASN-2019-17886 as it happened, from its
// tjänsteskrivelse: registered in December 2019 and signed off by the three
// managers it names before its inlämningsdag, handled by the presidium on
// 2020-01-08 and the arbetsutskott on 2020-01-16, decided by the nämnd on
// 2020-01-30 (the first § of the nämnd's 2020 series, as the store numbers
// it: the document names no §), justerat, posted, dispatched to
// kommunstyrelsen and closed once the decision had gained legal force, since
// kommunstyrelsen takes the redovisning up in a case of its own. The
// meetings are planned at once, in the autumn of 2019; the rest are beats.
func (d *seeder) seedHistory() error {
	r, err := intake.Parse(seedText)
	if err != nil {
		return err
	}
	if r.Number != SeedNumber {
		return fmt.Errorf("the seed report is numbered %q, want %s", r.Number, SeedNumber)
	}
	d.at(workflow.MustDate("2019-11-15"), 9)
	meetings := map[string]workflow.Meeting{}
	for _, sm := range seedMeetings {
		where := places[sm.body]
		m, err := d.s.CreateMeeting(d.ctx, db.NewMeetingInput{Body: sm.body, Date: workflow.MustDate(sm.date), Start: where[0], Place: where[1]},
			d.users[secretary])
		if err != nil {
			return err
		}
		meetings[sm.body] = m
		d.meetingBeats(m, workflow.MustDate(sm.justered))
	}

	ref := &caseRef{}
	d.add(workflow.MustDate("2019-12-10").At(10, 17), func() error { return d.registerSeed(r, ref) })
	d.add(workflow.MustDate("2019-12-12").At(10, 0), func() error {
		return d.act(ref, demoAct{by: officer, action: workflow.ActSubmit})
	})
	for i, who := range []string{"jonas.magnusson@kommun.example", "katarina.lindeberg@kommun.example", director} {
		approved := workflow.AddWorkdays(workflow.MustDate("2019-12-12"), i+1)
		d.add(approved.At(14, 0), func() error { return d.act(ref, demoAct{by: who, action: workflow.ActApprove}) })
	}
	for _, m := range []workflow.Meeting{meetings["ASN-PB"], meetings["ASN-AU"]} {
		h, min := clockOf(m.Start)
		d.add(m.Date.At(h+1, min), func() error { return d.handle(ref, m, demoAct{action: workflow.ActAdvance}) })
	}
	board := meetings["ASN"]
	h, min := clockOf(board.Start)
	d.add(board.Date.At(h+1, min), func() error {
		return d.handle(ref, board, demoAct{action: workflow.ActDecide, text: workflow.DecisionDraft(r.Proposals)})
	})
	// Dispatched to kommunstyrelsen once the anslag is up, so the
	// protokollsutdrag carries the appeal period; closed the first work day
	// after the decision gained legal force.
	posted := workflow.AddWorkdays(workflow.MustDate(seedMeetings[2].justered), 1)
	d.add(posted.At(10, 0), func() error { return d.act(ref, demoAct{by: secretary, action: workflow.ActDispatch}) })
	d.add(workflow.NextWorkday(workflow.LegalForce(posted)).At(10, 0), func() error {
		return d.act(ref, demoAct{by: secretary, action: workflow.ActClose})
	})
	return nil
}

// registerSeed registers ASN-2019-17886 from its tjänsteskrivelse with its
// documents: its route on the meetings of 2020, then kommunstyrelsen, which
// the report sends the decision to without a meeting date.
func (d *seeder) registerSeed(r intake.Report, ref *caseRef) error {
	bodies, err := d.s.Bodies(d.ctx)
	if err != nil {
		return err
	}
	users, err := d.s.Users(d.ctx)
	if err != nil {
		return err
	}
	in, err := r.Input(intake.Directory{Board: "ASN", Bodies: bodies, Users: users,
		Recipients: map[string]string{"Kommunstyrelsen": "kommunstyrelsen@kommun.example"}})
	if err != nil {
		return err
	}
	in.Route = append(in.Route, db.StepInput{Body: "KS"})
	off := d.users[officer]
	if ref.c, err = d.s.ImportCase(d.ctx, in, off); err != nil {
		return err
	}
	for _, name := range r.Attachments {
		if _, err := d.s.AddAttachment(d.ctx, SeedNumber, off, db.NewAttachment{Name: name}); err != nil {
			return err
		}
	}
	return nil
}
