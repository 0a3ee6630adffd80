package demo

import (
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// The sammanträdesplan of the demo: the nämnd meets every other week, today
// (or the next work day) among them; its presidium a week before its
// arbetsutskott, the arbetsutskott the week before the nämnd, kommunstyrelsen
// the week after, and fullmäktige every fourth week. Slot 0 is the current
// round, negative slots are past ones.
var planOffsets = map[string]struct{ every, offset, from, to int }{
	"ASN-PB": {14, -15, -4, 4},
	"ASN-AU": {14, -8, -4, 4},
	"ASN":    {14, 0, -4, 4},
	"KS":     {14, 9, -4, 4},
	"KF":     {28, 2, -2, 2},
}

// slotDate is the day of body's meeting in slot k.
func (d *seeder) slotDate(body string, k int) workflow.Date {
	p := planOffsets[body]
	return workflow.NextWorkday(d.today.AddDays(p.every*k + p.offset))
}

// plan enters each body's meetings for the slots of the plan, with their
// time and place, as a secretary does at the start of the period.
func (d *seeder) plan() error {
	d.at(d.today.AddDays(-90), 8)
	for _, body := range []string{"ASN-PB", "ASN-AU", "ASN", "KS", "KF"} {
		p, where := planOffsets[body], places[body]
		for k := p.from; k <= p.to; k++ {
			m, err := d.s.CreateMeeting(d.ctx, db.NewMeetingInput{Body: body, Date: d.slotDate(body, k), Start: where[0], Place: where[1]},
				d.users[secretary])
			if err != nil {
				return err
			}
			d.meetings[body+" "+m.Date.String()] = m
		}
	}
	return nil
}
