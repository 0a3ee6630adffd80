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
		if due := m.Dates().NoticeDue; m.Status == workflow.MeetingPlanned && !due.After(d.today) {
			d.at(due, 9) // sent on its last day, as the secretary did: not late
			if _, err := d.s.MarkNoticeSent(d.ctx, m.ID, d.users[secretary]); err != nil {
				return err
			}
		}
	}
	d.at(d.today, 8)
	return nil
}
