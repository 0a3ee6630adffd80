package db

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// meetingWorld is a fresh database with ASN, its arbetsutskott and nämnd, the
// staff, and two politicians who can log in and justera.
type meetingWorld struct {
	t                            *testing.T
	s                            *Store
	ctx                          context.Context
	now                          time.Time
	officer, approver, secretary workflow.User
	chair, ledamot, outsider     workflow.User
	chairMember, ledamotMember   workflow.Member
	staffMember                  workflow.Member
}

// meetingPassword is every test user's password.
const meetingPassword = "correct horse battery"

// meetingToday is the fixed "now" of the store tests: Monday 2 March 2026.
var meetingToday = workflow.MustDate("2026-03-02")

func newMeetingWorld(t *testing.T) *meetingWorld {
	t.Helper()
	return newMeetingWorldAt(t, filepath.Join(t.TempDir(), "meetings.db"))
}

// newMeetingWorldAt is newMeetingWorld in the database file at path.
func newMeetingWorldAt(t *testing.T, path string) *meetingWorld {
	t.Helper()
	BcryptCost = bcrypt.MinCost
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w := &meetingWorld{t: t, s: s, ctx: context.Background(), now: meetingToday.At(9, 0)}
	s.Now = func() time.Time { return w.now }
	w.must(s.CreateBoard(w.ctx, workflow.Board{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"}))
	for _, b := range []workflow.Body{
		{Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "ASN"},
		{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"},
	} {
		w.must(s.CreateBody(w.ctx, b))
	}
	user := func(email, name string, grants ...workflow.Grant) workflow.User {
		u, err := s.CreateUser(w.ctx, NewUser{Email: email, Name: name, Password: meetingPassword, Grants: grants})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.officer = user("sara@kommun.example", "Sara Lind", workflow.Grant{Board: "ASN", Role: workflow.RoleOfficer})
	w.approver = user("lena@kommun.example", "Lena Holm", workflow.Grant{Board: "ASN", Role: workflow.RoleApprover})
	w.secretary = user("erik@kommun.example", "Erik Nyström", workflow.Grant{Board: "ASN", Role: workflow.RoleSecretary})
	w.chair = user("anna@kommun.example", "Anna Ek")
	w.ledamot = user("bo@kommun.example", "Bo Ström")
	w.outsider = user("nils@kommun.example", "Nils Berg")
	w.chairMember = w.member("ASN", MemberInput{Role: workflow.MemberChair, User: w.chair.Email})
	w.ledamotMember = w.member("ASN", MemberInput{Role: workflow.MemberRegular, User: w.ledamot.Email})
	w.staffMember = w.member("ASN", MemberInput{Name: "Erik Nyström", Role: workflow.MemberStaff, User: w.secretary.Email})
	w.member("ASN", MemberInput{Name: "Cilla Ås", Email: "cilla@parti.example", Role: workflow.MemberSubstitute})
	return w
}

func (w *meetingWorld) must(_ any, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *meetingWorld) member(body string, in MemberInput) workflow.Member {
	w.t.Helper()
	m, err := w.s.AddMember(w.ctx, body, w.secretary, in)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

// meetingDay is a date n days from meetingToday.
func meetingDay(n int) workflow.Date { return meetingToday.AddDays(n) }

// at sets the clock to hour o'clock on d.
func (w *meetingWorld) at(d workflow.Date, hour int) { w.now = d.At(hour, 0) }

// caseOn registers a case routed AU then nämnd on the given days and brings it,
// signed off, to its first step.
func (w *meetingWorld) caseOn(title string, au, board workflow.Date) workflow.Case {
	w.t.Helper()
	c, err := w.s.CreateCase(w.ctx, CaseInput{Board: "ASN", Title: title, Proposals: []string{"Nämnden föreslås besluta att godkänna " + title},
		Route:      []StepInput{{Body: "ASN-AU", Date: au.String()}, {Body: "ASN", Date: board.String()}},
		Approvers:  []ApproverInput{{Email: w.approver.Email}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}}}, w.officer)
	if err != nil {
		w.t.Fatal(err)
	}
	c = w.act(c, w.officer, workflow.ActSubmit)
	return w.act(c, w.approver, workflow.ActApprove)
}

func (w *meetingWorld) act(c workflow.Case, u workflow.User, a workflow.Action) workflow.Case {
	w.t.Helper()
	c, err := w.s.Act(w.ctx, c.Number, u, workflow.Command{Action: a, Version: c.Version})
	if err != nil {
		w.t.Fatalf("%s on %s: %v", a, c.Number, err)
	}
	return c
}

// meetingAt is the meeting of body on d, which must exist.
func (w *meetingWorld) meetingAt(body string, d workflow.Date) workflow.Meeting {
	w.t.Helper()
	ms, err := w.s.Meetings(w.ctx, MeetingFilter{Body: body, From: d, To: d})
	if err != nil || len(ms) != 1 {
		w.t.Fatalf("meeting of %s on %s: %v, %v", body, d, ms, err)
	}
	return ms[0]
}

// hold sends the kallelse for m (unless sent) and holds it on its day.
func (w *meetingWorld) hold(m workflow.Meeting) workflow.Meeting {
	w.t.Helper()
	m, err := w.s.Meeting(w.ctx, m.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	if m.Status == workflow.MeetingPlanned {
		if _, err := w.s.MarkNoticeSent(w.ctx, m.ID, w.secretary); err != nil {
			w.t.Fatal(err)
		}
	}
	w.at(m.Date, 18)
	m, err = w.s.MarkHeld(w.ctx, m.ID, w.secretary)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

// handle takes c on from its current step the way the body does: its
// meeting gets the kallelse and is held (if not yet), and records the case as
// handled with the body's proposal. The clock is back where it was after.
func (w *meetingWorld) handle(c workflow.Case) workflow.Case {
	w.t.Helper()
	defer func(now time.Time) { w.now = now }(w.now)
	m, err := w.s.Meeting(w.ctx, c.CurrentStep().MeetingID)
	if err != nil {
		w.t.Fatal(err)
	}
	if !m.Status.AtLeast(workflow.MeetingHeld) {
		m = w.hold(m)
	}
	_, c = w.decide(m, c.Number, workflow.DecisionApproved)
	return c
}

func (w *meetingWorld) decide(m workflow.Meeting, number string, typ workflow.DecisionType) (workflow.Paragraph, workflow.Case) {
	w.t.Helper()
	p, c, err := w.s.Decide(w.ctx, m.ID, w.secretary, DecisionInput{Case: number, Type: typ, Text: "Nämnden beslutar " + string(typ) + "."})
	if err != nil {
		w.t.Fatalf("decide %s on %s: %v", typ, number, err)
	}
	return p, c
}

// counts is a fingerprint of everything a meeting action could change.
func (w *meetingWorld) counts() string {
	w.t.Helper()
	var out string
	for _, q := range []string{
		`SELECT COUNT(*) FROM meetings`, `SELECT COUNT(*) FROM agenda_items`, `SELECT COUNT(*) FROM decisions`,
		`SELECT COALESCE(SUM(last), 0) FROM paragraph_series`, `SELECT COUNT(*) FROM events`,
		`SELECT COALESCE(SUM(version), 0) FROM cases`, `SELECT group_concat(status || sequence || place, ',') FROM meetings`,
		`SELECT COUNT(*) || '/' || COUNT(signed_at) FROM attendees`, `SELECT group_concat(pos, ',') FROM agenda_items`,
	} {
		var v string
		if err := w.s.r.QueryRowContext(w.ctx, q).Scan(&v); err != nil {
			w.t.Fatal(err)
		}
		out += fmt.Sprintf("%s=%s\n", q, v)
	}
	return out
}

func wantMeetingErr(t *testing.T, err error, code string) {
	t.Helper()
	if got := workflow.ErrorCode(err); err == nil || got != code {
		t.Fatalf("err = %v (%s), want %s", err, got, code)
	}
}
