package web

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// attendancePage is who attended a meeting and who justerar the protokoll:
// one row per member of the body, and those recorded who have since left it.
type attendancePage struct {
	Meeting workflow.Meeting
	Rows    []attendanceRow
	CanEdit bool // the secretary, until the first justerare signs
}

type attendanceRow struct {
	Member   workflow.Member
	Present  bool
	Adjuster bool
	Signed   bool
}

// showAttendancePage is GET /meetings/:id/attendance.
func (w *web) showAttendancePage(c *fiber.Ctx) error {
	return w.renderAttendance(c, fiber.StatusOK, nil, &httpx.View{})
}

// renderAttendance shows the form; chosen, when given, is what was submitted.
func (w *web) renderAttendance(c *fiber.Ctx, status int, chosen []db.AttendanceInput, v *httpx.View) error {
	min, err := w.MinutesOf(c)
	if err != nil {
		return err
	}
	members, err := w.Store.Members(c.UserContext(), min.Meeting.Body.Code)
	if err != nil {
		return err
	}
	m := min.Meeting
	p := &attendancePage{Meeting: m, CanEdit: workflow.IsMeetingSecretary(m.Body, httpx.CurrentUser(c)) &&
		m.Status.AtLeast(workflow.MeetingHeld) && !m.Status.AtLeast(workflow.MeetingJustified) &&
		!slices.ContainsFunc(min.Attendees, func(a workflow.Attendee) bool { return a.SignedAt != nil })}
	for _, a := range min.Attendees {
		p.Rows = append(p.Rows, attendanceRow{Member: a.Member, Present: a.Present, Adjuster: a.Adjuster, Signed: a.SignedAt != nil})
	}
	for _, mb := range members {
		if !slices.ContainsFunc(p.Rows, func(r attendanceRow) bool { return r.Member.ID == mb.ID }) {
			p.Rows = append(p.Rows, attendanceRow{Member: mb})
		}
	}
	if chosen != nil {
		for i := range p.Rows {
			j := slices.IndexFunc(chosen, func(a db.AttendanceInput) bool { return a.Member == p.Rows[i].Member.ID })
			p.Rows[i].Present = j >= 0 && chosen[j].Present
			p.Rows[i].Adjuster = j >= 0 && chosen[j].Adjuster
		}
	}
	v.Title, v.Section, v.Page = "Närvaro och justerare – "+m.Title(), "meetings", p
	return w.Render(c, status, "meeting_attendance", v)
}

// submitAttendance is POST /meetings/:id/attendance: a row per member with
// the checkboxes present and adjuster, each carrying the member's id.
func (w *web) submitAttendance(c *fiber.Ctx) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	present, adjuster := idSet(formValues(c, "present")), idSet(formValues(c, "adjuster"))
	var in []db.AttendanceInput
	rows := map[int64]bool{}
	for _, s := range formValues(c, "member") {
		mid, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return workflow.Errorf(workflow.EINVALID, "Ledamoten %q finns inte", s)
		}
		rows[mid] = true
		in = append(in, db.AttendanceInput{Member: mid, Present: present[mid], Adjuster: adjuster[mid]})
	}
	// A ticked box names a row of the form; one that does not was edited
	// or is stale, and would otherwise be dropped without a word.
	for _, v := range append(formValues(c, "present"), formValues(c, "adjuster")...) {
		if mid, err := strconv.ParseInt(v, 10, 64); err != nil || !rows[mid] {
			return workflow.Errorf(workflow.EINVALID, "Ledamoten %q finns inte bland formulärets rader; läs in sidan igen", v)
		}
	}
	if _, err := w.Store.SetAttendance(c.UserContext(), id, httpx.CurrentUser(c), in); err != nil {
		code := workflow.ErrorCode(err)
		if code != workflow.EINVALID && code != workflow.ECONFLICT && code != workflow.EFORBIDDEN {
			return err
		}
		errs, alert := httpx.ErrorsOf(err)
		return w.renderAttendance(c, httpx.StatusOf[code], in, &httpx.View{Errors: errs, Alert: alert})
	}
	return c.Redirect(meetingPath(id, "attendance"), fiber.StatusSeeOther)
}

func idSet(vals []string) map[int64]bool {
	out := map[int64]bool{}
	for _, v := range vals {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			out[id] = true
		}
	}
	return out
}
