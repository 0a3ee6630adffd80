package demo

import (
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

const (
	chair   = "ordforande@kommun.example"
	ledamot = "ledamot@kommun.example"
)

// demoMembers are the member lists: the two politicians who can log in are
// the justerare, the secretary attends as staff.
var demoMembers = map[string][]db.MemberInput{
	"ASN-PB": {{Role: workflow.MemberChair, User: chair}, {Role: workflow.MemberRegular, User: ledamot}},
	"ASN-AU": {{Role: workflow.MemberChair, User: chair}, {Role: workflow.MemberRegular, User: ledamot},
		{Name: "Cecilia Holm", Email: "cecilia.holm@parti.example", Role: workflow.MemberRegular}},
	"ASN": {{Role: workflow.MemberChair, User: chair}, {Role: workflow.MemberRegular, User: ledamot},
		{Name: "Cecilia Holm", Email: "cecilia.holm@parti.example", Role: workflow.MemberRegular},
		{Name: "Daniel Berg", Email: "daniel.berg@parti.example", Role: workflow.MemberRegular},
		{Name: "Fatima Said", Email: "fatima.said@parti.example", Role: workflow.MemberSubstitute},
		{Role: workflow.MemberStaff, User: secretary}},
	"KS": {{Name: "Karin Sjöberg", Email: "karin.sjoberg@parti.example", Role: workflow.MemberChair},
		{Name: "Lars Nord", Email: "lars.nord@parti.example", Role: workflow.MemberRegular}},
}

// places are where each body meets, and when.
var places = map[string][2]string{
	"ASN-PB": {"08:30", "Stadshuset, rum 412"},
	"ASN-AU": {"13:00", "Stadshuset, sal Malmöhus"},
	"ASN":    {"17:00", "Stadshuset, sessionssalen"},
	"KS":     {"09:00", "Rådhuset, KS-salen"},
	"KF":     {"17:00", "Rådhuset, fullmäktigesalen"},
}

func (d *seeder) members() error {
	for _, body := range []string{"ASN-PB", "ASN-AU", "ASN", "KS"} {
		for _, m := range demoMembers[body] {
			if _, err := d.s.AddMember(d.ctx, body, d.users[secretary], m); err != nil {
				return err
			}
		}
	}
	return nil
}

// schedule gives the meetings a case's route put in place their time and place.
func (d *seeder) schedule(c workflow.Case) error {
	for _, st := range c.Route {
		if st.MeetingID == 0 {
			continue
		}
		m, err := d.s.Meeting(d.ctx, st.MeetingID)
		if err != nil || m.Start != "" || m.Status != workflow.MeetingPlanned {
			continue
		}
		p := places[m.Body.Code]
		if _, err := d.s.ChangeMeeting(d.ctx, m.ID, d.users[secretary], &p[0], nil, &p[1]); err != nil {
			return err
		}
	}
	return nil
}

// decideAtMeeting runs a meeting the way the secretary does: kallelse, the
// meeting, the decision with its paragraph, justering by the chair and a
// ledamot the same evening, and anslag the next work day.
func (d *seeder) decideAtMeeting(c workflow.Case, a demoAct) (workflow.Case, error) {
	sec := d.users[secretary]
	m, err := d.s.Meeting(d.ctx, c.Route[c.Step].MeetingID)
	if err != nil {
		return c, err
	}
	d.at(workflow.NoticeDue(m.Date, m.Body.NoticeDays), 9)
	if _, err := d.s.MarkNoticeSent(d.ctx, m.ID, sec); err != nil {
		return c, err
	}
	d.at(m.Date, 17)
	if _, err := d.s.MarkHeld(d.ctx, m.ID, sec); err != nil {
		return c, err
	}
	members, err := d.s.Members(d.ctx, m.Body.Code)
	if err != nil {
		return c, err
	}
	var att []db.AttendanceInput
	for _, mb := range members {
		att = append(att, db.AttendanceInput{Member: mb.ID, Present: mb.Role != workflow.MemberSubstitute,
			Adjuster: mb.UserID == d.users[chair].ID || mb.UserID == d.users[ledamot].ID})
	}
	if _, err := d.s.SetAttendance(d.ctx, m.ID, sec, att); err != nil {
		return c, err
	}
	if _, c, err = d.s.Decide(d.ctx, m.ID, sec, db.DecisionInput{Case: c.Number, Type: workflow.DecisionApproved, Text: a.text}); err != nil {
		return c, err
	}
	for i, who := range []string{chair, ledamot} {
		d.at(m.Date, 19+i)
		if _, err := d.s.Sign(d.ctx, m.ID, d.users[who]); err != nil {
			return c, err
		}
	}
	posted := workflow.AddWorkdays(m.Date, 1)
	d.at(posted, 9)
	if _, err = d.s.Post(d.ctx, m.ID, sec, posted); err != nil {
		return c, err
	}
	return d.s.Case(d.ctx, c.Number) // justering and anslag made new versions
}

// notices sends the kallelse of every planned meeting whose notice day has
// come, and lets the kallelse deadlines of the past meetings the demo cases
// went through without a kallelse lapse, as the daily job would have.
func (d *seeder) notices() error {
	d.at(d.today, 8)
	if _, err := d.s.LapseNotices(d.ctx, d.clock); err != nil {
		return err
	}
	ms, err := d.s.Meetings(d.ctx, db.MeetingFilter{From: d.today})
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Status == workflow.MeetingPlanned && !m.Dates().NoticeDue.After(d.today) {
			if _, err := d.s.MarkNoticeSent(d.ctx, m.ID, d.users[secretary]); err != nil {
				return err
			}
		}
	}
	return nil
}
