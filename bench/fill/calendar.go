package fill

import (
	"sort"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// The meeting calendar: every body meets weekly on its day (kommunfullmäktige
// every fourth week), not in July nor over Christmas and New Year, and not on
// a day off. Each meeting runs the same course: kallelse on its last day at
// 09:00, held at its hour, justerat two work days later by the chair (10:00)
// and the vice chair (14:00), posted on the anslagstavla the work day after.

// bodyCal is a body with its meetings.
type bodyCal struct {
	body      workflow.Body
	board     *boardInfo
	weekday   time.Weekday
	start     string
	hour, min int
	place     string
	members   []workflow.Member
	meetings  []*meeting // by date
}

// meeting is one meeting's course, and its decisions as the generator counts them.
type meeting struct {
	cal                                         *bodyCal
	id                                          int64
	date                                        workflow.Date
	created, notice, held, sign1, sign2, posted time.Time
	postedOn                                    workflow.Date
	count                                       int // decisions recorded at it (the counting pass)
	base                                        int // paragraphs before it in its body's series for the year
}

// session is how long a meeting takes: its decisions are recorded within it,
// and it counts as done (every decision recorded) once it is over.
const session = 4 * time.Hour

// planCalendar lays out the meetings of every body from from to until; each
// year's meetings are planned on 1 September of the year before (or a week
// before from, or the day before asOf, whichever comes first).
func planCalendar(o *org, from, until workflow.Date, asOf time.Time) []*meeting {
	var all []*meeting
	monday := from.AddDays(-int((from.Weekday() + 6) % 7))
	for _, b := range o.boards {
		for _, bc := range b.bodies {
			week := 0
			for d := monday; !d.After(until); d, week = d.AddDays(7), week+1 {
				date := d.AddDays(int((bc.weekday + 6) % 7))
				if date.Before(from) || date.After(until) || date.Month == time.July || !workflow.IsWorkday(date) ||
					(date.Month == time.December && date.Day >= 22) || (date.Month == time.January && date.Day <= 6) {
					continue
				}
				if bc.body.Kind == workflow.KindCouncil && week%4 != 0 {
					continue
				}
				created := workflow.NewDate(date.Year-1, time.September, 1).At(10, 0)
				if early := from.AddDays(-7).At(10, 0); early.Before(created) {
					created = early
				}
				if late := asOf.Add(-24 * time.Hour); late.Before(created) {
					created = late
				}
				signed := workflow.AddWorkdays(date, 2)
				posted := workflow.AddWorkdays(signed, 1)
				m := &meeting{cal: bc, date: date, created: created,
					notice: workflow.NoticeDue(date, bc.body.NoticeDays).At(9, 0), held: date.At(bc.hour, bc.min),
					sign1: signed.At(10, 0), sign2: signed.At(14, 0), posted: posted.At(9, 0), postedOn: posted}
				bc.meetings = append(bc.meetings, m)
				all = append(all, m)
			}
		}
	}
	// Ids in the order the plans are entered: by planning day, body, date.
	sort.SliceStable(all, func(i, j int) bool { return all[i].created.Before(all[j].created) })
	for i, m := range all {
		m.id = int64(i + 1)
	}
	return all
}

// onOrAfter is the body's first meeting on or after d, or nil.
func (bc *bodyCal) onOrAfter(d workflow.Date) *meeting {
	i := sort.Search(len(bc.meetings), func(i int) bool { return !bc.meetings[i].date.Before(d) })
	if i == len(bc.meetings) {
		return nil
	}
	return bc.meetings[i]
}

// after is the body's meeting after m, or nil.
func (bc *bodyCal) after(m *meeting) *meeting { return bc.onOrAfter(m.date.AddDays(1)) }

// on is the body's meeting on d, or nil.
func (bc *bodyCal) on(d workflow.Date) *meeting {
	if m := bc.onOrAfter(d); m != nil && m.date == d {
		return m
	}
	return nil
}

// status is where the meeting is at t.
func (m *meeting) status(t time.Time) workflow.MeetingStatus {
	switch {
	case !t.Before(m.posted):
		return workflow.MeetingPosted
	case !t.Before(m.sign2):
		return workflow.MeetingJustified
	case !t.Before(m.held):
		return workflow.MeetingHeld
	case !t.Before(m.notice):
		return workflow.MeetingNoticeSent
	}
	return workflow.MeetingPlanned
}

// decided reports whether the meeting's decisions are recorded by t.
func (m *meeting) decided(t time.Time) bool { return !t.Before(m.held.Add(session)) }

// decisionAt is when the meeting records its rank-th decision.
func (m *meeting) decisionAt(rank int) time.Time {
	return m.held.Add(min(time.Minute+time.Duration(rank)*10*time.Second, session-time.Second))
}

// state is the meeting as the store shows it at t.
func (m *meeting) state(t time.Time) workflow.Meeting {
	st := m.status(t)
	out := workflow.Meeting{ID: m.id, Body: m.cal.body, Date: m.date, Start: m.cal.start, Place: m.cal.place, Status: st,
		Origin:    workflow.OriginPlan,
		CreatedAt: m.created.UTC(), UpdatedAt: m.created.UTC()}
	set := func(at time.Time, reached bool) *time.Time {
		if !reached {
			return nil
		}
		u := at.UTC()
		out.UpdatedAt = u
		return &u
	}
	out.NoticeSentAt = set(m.notice, st.AtLeast(workflow.MeetingNoticeSent))
	out.HeldAt = set(m.held, st.AtLeast(workflow.MeetingHeld))
	if st.AtLeast(workflow.MeetingHeld) {
		out.Secretary = m.cal.board.secretary().Person()
	}
	set(m.sign1, !t.Before(m.sign1))
	out.JustifiedAt = set(m.sign2, st.AtLeast(workflow.MeetingJustified))
	if set(m.posted, st == workflow.MeetingPosted) != nil {
		out.PostedOn = m.postedOn
	}
	return out
}

// bulk is the meeting as it stands at asOf, with who attended and signed.
func (m *meeting) bulk(asOf time.Time) *db.BulkMeeting {
	bm := &db.BulkMeeting{Meeting: m.state(asOf)}
	if !bm.Meeting.Status.AtLeast(workflow.MeetingHeld) {
		return bm
	}
	for _, mb := range m.cal.members {
		a := workflow.Attendee{Member: mb, Present: mb.Role != workflow.MemberSubstitute}
		for _, s := range []struct {
			user int64
			at   time.Time
		}{{m.cal.board.chair.ID, m.sign1}, {m.cal.board.vice.ID, m.sign2}} {
			if mb.UserID == s.user {
				a.Adjuster = true
				if !asOf.Before(s.at) {
					u := s.at.UTC()
					a.SignedAt = &u
				}
			}
		}
		bm.Attendees = append(bm.Attendees, a)
	}
	return bm
}

// signer is the member who signs at the meeting's i-th signature (0 or 1).
func (m *meeting) signer(i int) (workflow.User, string) {
	u := m.cal.board.chair
	if i == 1 {
		u = m.cal.board.vice
	}
	for _, mb := range m.cal.members {
		if mb.UserID == u.ID {
			return u, mb.Name
		}
	}
	return u, u.Name
}
