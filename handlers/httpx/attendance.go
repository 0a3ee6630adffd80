package httpx

import (
	"slices"

	"github.com/kommun/beslutsgang/workflow"
)

// AttendeeGroup is a heading of the protokoll and those present under it.
type AttendeeGroup struct {
	Label     string
	Attendees []workflow.Attendee
}

// attendanceGroups are the protokoll's headings for those present.
var attendanceGroups = []struct {
	label string
	roles []workflow.MemberRole
}{
	{"Ledamöter", []workflow.MemberRole{workflow.MemberChair, workflow.MemberRegular}},
	{"Ersättare", []workflow.MemberRole{workflow.MemberSubstitute}},
	{"Övriga närvarande", []workflow.MemberRole{workflow.MemberStaff}},
}

// AttendeeGroups are those present in attendees under the protokoll's
// headings (attendanceGroups); a heading without anyone is left out.
func AttendeeGroups(attendees []workflow.Attendee) []AttendeeGroup {
	var out []AttendeeGroup
	for _, g := range attendanceGroups {
		grp := AttendeeGroup{Label: g.label}
		for _, a := range attendees {
			if a.Present && slices.Contains(g.roles, a.Member.Role) {
				grp.Attendees = append(grp.Attendees, a)
			}
		}
		if len(grp.Attendees) > 0 {
			out = append(out, grp)
		}
	}
	return out
}
