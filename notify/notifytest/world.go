package notifytest

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// Clock is a time tests set and move; the store reads it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// At sets the clock to a day and time in Stockholm and returns it.
func (c *Clock) At(day string, hour, min int) time.Time {
	t := workflow.MustDate(day).At(hour, min)
	c.Set(t)
	return t
}

// Add moves the clock on.
func (c *Clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// World is a fresh database file in a temporary folder with the seed's board,
// ASN, its arbetsutskott and nämnd, and the people of a case, on a test clock
// that starts on Monday 2 March 2026 at 09:00.
type World struct {
	t     *testing.T
	Ctx   context.Context
	Store *db.Store
	Path  string
	Clock *Clock

	Officer, Approver, Director, Secretary, Admin, Outsider workflow.User
}

// NewWorld builds the world for a test; the database closes when it ends.
func NewWorld(t *testing.T) *World {
	t.Helper()
	return NewWorldAt(t, filepath.Join(t.TempDir(), "beslutsgang.db"))
}

// NewWorldAt is NewWorld on the database dsn names (db.Open), e.g. a
// PostgreSQL database that several instances share.
func NewWorldAt(t *testing.T, dsn string) *World {
	t.Helper()
	db.BcryptCost = bcrypt.MinCost
	w := &World{t: t, Ctx: context.Background(), Path: dsn, Clock: &Clock{}}
	w.Clock.At("2026-03-02", 9, 0)
	s, err := db.Open(w.Path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = w.Clock.Now
	w.Store = s
	if _, err := s.CreateBoard(w.Ctx, workflow.Board{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []workflow.Body{
		{Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "ASN"},
		{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"},
	} {
		if _, err := s.CreateBody(w.Ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	w.Officer = w.User("sara@kommun.example", "Sara Lindqvist", workflow.RoleOfficer)
	w.Approver = w.User("jonas.magnusson@kommun.example", "Jonas Magnusson", workflow.RoleApprover)
	w.Director = w.User("britt-marie.pettersson@kommun.example", "Britt-Marie Pettersson", workflow.RoleApprover)
	w.Secretary = w.User("erik@kommun.example", "Erik Nyström", workflow.RoleSecretary)
	w.Admin = w.User("alva@kommun.example", "Alva Berg", workflow.RoleAdmin)
	w.Outsider = w.User("nils@kommun.example", "Nils Berg")
	return w
}

// Password is every world user's password.
const Password = "lösenord för test"

// User adds a user with roles on ASN.
func (w *World) User(email, name string, roles ...workflow.Role) workflow.User {
	w.t.Helper()
	var grants []workflow.Grant
	for _, r := range roles {
		grants = append(grants, workflow.Grant{Board: "ASN", Role: r})
	}
	u, err := w.Store.SeedUser(w.Ctx, db.NewUser{Email: email, Name: name, Password: Password, Grants: grants})
	if err != nil {
		w.t.Fatal(err)
	}
	return u
}

// Case registers a draft by the officer with the AU and the nämnd on the
// given days, sent on to kommunstyrelsen.
func (w *World) Case(title, au, board string, approvers ...workflow.User) workflow.Case {
	w.t.Helper()
	in := db.CaseInput{Board: "ASN", Title: title,
		Proposals:  []string{"Nämnden föreslås besluta att godkänna " + strings.ToLower(title)},
		Route:      []db.StepInput{{Body: "ASN-AU", Date: au}, {Body: "ASN", Date: board}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}}}
	for _, a := range approvers {
		in.Approvers = append(in.Approvers, db.ApproverInput{Email: a.Email})
	}
	c, err := w.Store.CreateCase(w.Ctx, in, w.Officer)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// Act takes an action and fails the test if it is refused.
func (w *World) Act(c workflow.Case, by workflow.User, cmd workflow.Command) workflow.Case {
	w.t.Helper()
	cmd.Version = c.Version
	c, err := w.Store.Act(w.Ctx, c.Number, by, cmd)
	if err != nil {
		w.t.Fatalf("%s by %s: %v", cmd.Action, by.Name, err)
	}
	return c
}

// Outbox lists every message in the outbox, oldest first.
func (w *World) Outbox() []db.OutboxMail {
	w.t.Helper()
	page, err := w.Store.Outbox(w.Ctx, db.OutboxFilter{PerPage: db.MaxPerPage})
	if err != nil {
		w.t.Fatal(err)
	}
	out := page.Items
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Handle has the meeting of the case's current step handle it, as a body
// does: the kallelse (unless sent), the meeting held that evening, and the
// case recorded with typ and text. The clock is left at the meeting.
func (w *World) Handle(c workflow.Case, typ workflow.DecisionType, text string) workflow.Case {
	w.t.Helper()
	st := c.CurrentStep()
	m, err := w.Store.Meeting(w.Ctx, st.MeetingID)
	if err != nil {
		w.t.Fatal(err)
	}
	if m.Status == workflow.MeetingPlanned {
		if m, err = w.Store.MarkNoticeSent(w.Ctx, m.ID, w.Secretary); err != nil {
			w.t.Fatal(err)
		}
	}
	w.Clock.At(m.Date.String(), 19, 0)
	if !m.Status.AtLeast(workflow.MeetingHeld) {
		if _, err := w.Store.MarkHeld(w.Ctx, m.ID, w.Secretary); err != nil {
			w.t.Fatal(err)
		}
	}
	_, c, err = w.Store.Decide(w.Ctx, m.ID, w.Secretary, db.DecisionInput{Case: c.Number, Type: typ, Text: text})
	if err != nil {
		w.t.Fatalf("%s at %s: %v", typ, m.Title(), err)
	}
	return c
}

// Justera has the protokoll holding the case's decision justerat that
// evening, with the approver as its one justerare (added to the body's
// members after the kallelse, so it mails nobody).
func (w *World) Justera(c workflow.Case) workflow.Case {
	w.t.Helper()
	st := c.CurrentStep()
	mb, err := w.Store.AddMember(w.Ctx, st.Body.Code, w.Secretary, db.MemberInput{Role: workflow.MemberChair, User: w.Approver.Email})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.Store.SetAttendance(w.Ctx, st.MeetingID, w.Secretary, []db.AttendanceInput{{Member: mb.ID, Present: true, Adjuster: true}}); err != nil {
		w.t.Fatal(err)
	}
	w.Clock.Add(time.Hour)
	if _, err := w.Store.Sign(w.Ctx, st.MeetingID, w.Approver); err != nil {
		w.t.Fatal(err)
	}
	if c, err = w.Store.Case(w.Ctx, c.Number); err != nil {
		w.t.Fatal(err)
	}
	return c
}

// DecideAt runs meeting id up to the decision on c: its kallelse, the
// meeting held on day at 19:00 with every member present and the approver
// (when a member) as justerare, and the decision with text as bifall.
func (w *World) DecideAt(id int64, c workflow.Case, day, text string) (workflow.Paragraph, workflow.Case) {
	w.t.Helper()
	if _, err := w.Store.MarkNoticeSent(w.Ctx, id, w.Secretary); err != nil {
		w.t.Fatal(err)
	}
	w.Clock.At(day, 19, 0)
	if _, err := w.Store.MarkHeld(w.Ctx, id, w.Secretary); err != nil {
		w.t.Fatal(err)
	}
	members, err := w.Store.Members(w.Ctx, "ASN")
	if err != nil {
		w.t.Fatal(err)
	}
	var att []db.AttendanceInput
	for _, m := range members {
		att = append(att, db.AttendanceInput{Member: m.ID, Present: true, Adjuster: m.UserID == w.Approver.ID})
	}
	if _, err := w.Store.SetAttendance(w.Ctx, id, w.Secretary, att); err != nil {
		w.t.Fatal(err)
	}
	par, c, err := w.Store.Decide(w.Ctx, id, w.Secretary, db.DecisionInput{Case: c.Number, Type: workflow.DecisionApproved, Text: text})
	if err != nil {
		w.t.Fatal(err)
	}
	return par, c
}
