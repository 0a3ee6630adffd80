package demo

import (
	"fmt"
	"sort"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// beat is one thing that happened in the demo's past, at its time.
type beat struct {
	at  time.Time
	seq int
	run func() error
}

// cases registers the demo cases and lays out their histories, with the
// meetings that handled them, as beats for replay: each case is registered,
// submitted and signed off; each meeting sends its kallelse on its last day,
// is held at its hour, handles the cases on its agenda, is justerat the same
// evening and posted on the anslagstavla the next work day; the secretary
// dispatches and closes afterwards. Numbers follow the list.
func (d *seeder) cases() error {
	held := map[int64]bool{}
	serials := map[string]int{}
	for _, dc := range demoCases {
		c := &caseRef{}
		start := -60
		for _, a := range dc.history {
			if !a.meeting {
				start = min(start, a.day-3)
			}
		}
		created := d.dayAt(start, 9, 0)
		key := fmt.Sprintf("%s-%d", dc.board, created.Year())
		serials[key]++
		number := workflow.FormatNumber(dc.board, created.Year(), serials[key])
		d.add(created, func() error { return d.register(dc, number, c) })
		step := 0 // the route step a meeting act handles
		for _, a := range dc.history {
			if !a.meeting {
				d.add(d.dayAt(a.day, 10, 0), func() error { return d.act(c, a) })
				continue
			}
			for step < len(dc.route) && dc.route[step].slot == nil {
				step++
			}
			st := dc.route[step]
			m, ok := d.meetings[st.body+" "+d.slotDate(st.body, *st.slot).String()]
			if !ok {
				return fmt.Errorf("%s: no planned meeting for step %d", dc.title, step)
			}
			if !held[m.ID] {
				held[m.ID] = true
				d.meetingBeats(m, m.Date)
			}
			h, min := clockOf(m.Start)
			d.add(m.Date.At(h+1, min), func() error { return d.handle(c, m, a) })
			if a.action == workflow.ActAdvance || a.action == workflow.ActDecide {
				step++
			}
		}
	}
	return nil
}

// history lays out this autumn's beats besides the demo cases': the draft
// put on the plan's meetings and this year's report.
func (d *seeder) history() error {
	d.dateDraft()
	d.thisYearsReport()
	return nil
}

// add schedules a beat of the history at a time.
func (d *seeder) add(at time.Time, run func() error) {
	d.beats = append(d.beats, beat{at: at, seq: len(d.beats), run: run})
}

// replay runs the scheduled beats in the order they happened, each with the
// store's clock at its time (never later than the seeding), and clears them.
func (d *seeder) replay() error {
	d.publishBeats()
	beats := d.beats
	d.beats = nil
	sort.SliceStable(beats, func(i, j int) bool {
		if !beats[i].at.Equal(beats[j].at) {
			return beats[i].at.Before(beats[j].at)
		}
		return beats[i].seq < beats[j].seq
	})
	for _, b := range beats {
		d.clock = b.at
		if !d.clock.Before(d.now) {
			d.clock = d.now.Add(-time.Minute)
		}
		if err := b.run(); err != nil {
			return err
		}
	}
	return nil
}

// caseRef is a demo case as far as its history has gone.
type caseRef struct{ c workflow.Case }

// dayAt is a time of the work day n days from today.
func (d *seeder) dayAt(n, hour, min int) time.Time {
	return workflow.NextWorkday(d.today.AddDays(n)).At(hour, min)
}

func clockOf(hhmm string) (int, int) {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return h, m
}

// register imports a demo case under its number, on the plan's meetings.
func (d *seeder) register(dc demoCase, number string, ref *caseRef) error {
	in := db.CaseInput{Number: number, Board: dc.board, Title: dc.title, Summary: dc.summary, Proposals: dc.proposals, Secret: dc.secret,
		Background: dc.background, Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"}}}
	in.Route = d.route(dc.route)
	for _, a := range dc.approvers {
		in.Approvers = append(in.Approvers, db.ApproverInput{Email: a, Position: d.users[a].Title})
	}
	c, err := d.s.ImportCase(d.ctx, in, d.users[officer])
	ref.c = c
	return err
}

// act takes a free-standing action on a demo case, or, with a new route,
// edits the draft to it.
func (d *seeder) act(ref *caseRef, a demoAct) error {
	c, err := d.s.Case(d.ctx, ref.c.Number)
	if err != nil {
		return err
	}
	if a.reroute != nil {
		in := db.InputOf(&c)
		in.Number, in.Route = "", d.route(a.reroute)
		ref.c, err = d.s.EditDraft(d.ctx, c.Number, c.Version, in, d.users[a.by])
		return err
	}
	ref.c, err = d.s.Act(d.ctx, c.Number, d.users[a.by], workflow.Command{Action: a.action, Version: c.Version, Reason: a.reason})
	return err
}

// route is the input of a route on the plan's meetings.
func (d *seeder) route(steps []demoStep) []db.StepInput {
	var out []db.StepInput
	for _, st := range steps {
		si := db.StepInput{Body: st.body}
		if st.slot != nil {
			si.Date = d.slotDate(st.body, *st.slot).String()
		}
		out = append(out, si)
	}
	return out
}

// handle records what a meeting did with a case: the body's proposal, the
// decision, återremiss or bordläggning.
func (d *seeder) handle(ref *caseRef, m workflow.Meeting, a demoAct) error {
	in := db.DecisionInput{Case: ref.c.Number, Type: workflow.DecisionApproved, Text: a.text}
	switch a.action {
	case workflow.ActAdvance:
		in.Text = m.Body.Name + " föreslår nämnden att besluta enligt förvaltningens förslag."
		if m.Body.Kind == workflow.KindPresidium {
			in.Type, in.Text = workflow.DecisionHandled, "Presidiet har berett ärendet inför arbetsutskottet."
		}
	case workflow.ActReturn:
		in.Type, in.Text = workflow.DecisionReturned, a.reason
	case workflow.ActPostpone:
		in.Type, in.Text, in.Date = workflow.DecisionTabled, a.reason, d.slotDate(m.Body.Code, a.moveTo)
	}
	_, c, err := d.s.Decide(d.ctx, m.ID, d.users[secretary], in)
	if err != nil {
		return fmt.Errorf("%s at %s: %w", ref.c.Number, m.Title(), err)
	}
	ref.c = c
	return nil
}

// meetingBeats are a past meeting's own steps: kallelse on its last day, held
// at its hour with the members present, justerat by the chair and a ledamot
// on the evening of justered, posted on the anslagstavla the next work day,
// and for a deciding body the morning its decisions gain legal force noted
// as the daily job does.
func (d *seeder) meetingBeats(m workflow.Meeting, justered workflow.Date) {
	sec := d.users[secretary]
	d.add(workflow.NoticeDue(m.Date, m.Body.NoticeDays).At(9, 0), func() error {
		_, err := d.s.MarkNoticeSent(d.ctx, m.ID, sec)
		return err
	})
	h, min := clockOf(m.Start)
	d.add(m.Date.At(h, min), func() error {
		if _, err := d.s.MarkHeld(d.ctx, m.ID, sec); err != nil {
			return err
		}
		members, err := d.s.Members(d.ctx, m.Body.Code)
		if err != nil {
			return err
		}
		var att []db.AttendanceInput
		for _, mb := range members {
			att = append(att, db.AttendanceInput{Member: mb.ID, Present: mb.Role != workflow.MemberSubstitute,
				Adjuster: mb.UserID == d.users[chair].ID || mb.UserID == d.users[ledamot].ID})
		}
		_, err = d.s.SetAttendance(d.ctx, m.ID, sec, att)
		return err
	})
	for i, who := range []string{chair, ledamot} {
		d.add(justered.At(20, 30*i), func() error {
			_, err := d.s.Sign(d.ctx, m.ID, d.users[who])
			return err
		})
	}
	posted := workflow.AddWorkdays(justered, 1)
	d.add(posted.At(9, 0), func() error {
		_, err := d.s.Post(d.ctx, m.ID, sec, posted)
		return err
	})
	if m.Body.Kind.KeepsMinutes() {
		d.posted = append(d.posted, postedMeeting{m, posted})
	}
	switch m.Body.Kind {
	case workflow.KindBoard, workflow.KindExecutiveBoard, workflow.KindCouncil:
		if at := workflow.LegalForce(posted).At(6, 15); at.Before(d.now) {
			d.add(at, func() error {
				_, err := d.s.NoteLegalForce(d.ctx, d.clock)
				return err
			})
		}
	}
}

// postedMeeting is a meeting whose protokoll the history posts, and the day.
type postedMeeting struct {
	m      workflow.Meeting
	posted workflow.Date
}

// publishBeats let the secretary publish each posted protokoll on the web
// the morning it is posted, keeping nothing back (secret cases show as
// their registration by themselves, workflow.Publish); all but each
// body's newest of the last 30 days, which waits for the secretary's
// review, so the demo has one to try the review on
// (/meetings/{id}/publicering).
func (d *seeder) publishBeats() {
	newest := map[string]workflow.Date{}
	for _, p := range d.posted {
		if p.posted.After(newest[p.m.Body.Code]) {
			newest[p.m.Body.Code] = p.posted
		}
	}
	for _, p := range d.posted {
		if p.posted.Before(newest[p.m.Body.Code]) || p.posted.Before(d.today.AddDays(-30)) {
			id := p.m.ID
			d.add(p.posted.At(10, 0), func() error { return d.publish(id) })
		}
	}
	d.posted = nil
}

// publish puts a justerat protokoll on the web as the secretary's review
// does (db.Store.Publish), with the embedded generator's PDF: the demo
// starts no Chromium.
func (d *seeder) publish(meetingID int64) error {
	min, err := d.s.Minutes(d.ctx, meetingID)
	if err != nil {
		return err
	}
	pdf, err := protokoll.Public(workflow.Publish(min, workflow.Redaction{}))
	if err != nil {
		return err
	}
	_, err = d.s.Publish(d.ctx, meetingID, d.users[secretary], db.RedactionInput{}, db.PublishedPDF{Data: pdf})
	return err
}
