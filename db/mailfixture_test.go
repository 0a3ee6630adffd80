package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// mailFixture is a fresh database in a temporary folder with one board (ASN),
// its bodies and people, and a clock the test moves.
type mailFixture struct {
	t   *testing.T
	ctx context.Context
	s   *db.Store
	now time.Time

	officer, approver, director, secretary, admin, outsider workflow.User
}

func newMailFixture(t *testing.T) *mailFixture {
	t.Helper()
	db.BcryptCost = bcrypt.MinCost
	s, err := db.Open(filepath.Join(t.TempDir(), "beslutsgang.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &mailFixture{t: t, ctx: context.Background(), s: s,
		now: time.Date(2026, 3, 2, 9, 0, 0, 0, workflow.Stockholm)}
	s.Now = func() time.Time { return f.now }
	f.must(s.CreateBoard(f.ctx, workflow.Board{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"}))
	for _, b := range []workflow.Body{
		{Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "ASN"},
		{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"},
	} {
		f.must(s.CreateBody(f.ctx, b))
	}
	user := func(email, name string, roles ...workflow.Role) workflow.User {
		var grants []workflow.Grant
		for _, r := range roles {
			grants = append(grants, workflow.Grant{Board: "ASN", Role: r})
		}
		u, err := s.SeedUser(f.ctx, db.NewUser{Email: email, Name: name, Password: "x", Grants: grants})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.officer = user("sara@kommun.example", "Sara Lindqvist", workflow.RoleOfficer)
	f.approver = user("jonas@kommun.example", "Jonas Magnusson", workflow.RoleApprover)
	f.director = user("britt-marie@kommun.example", "Britt-Marie Pettersson", workflow.RoleApprover)
	f.secretary = user("erik@kommun.example", "Erik Nyström", workflow.RoleSecretary)
	f.admin = user("alva@kommun.example", "Alva Berg", workflow.RoleAdmin)
	f.outsider = user("nils@kommun.example", "Nils Berg")
	return f
}

func (f *mailFixture) must(_ any, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// at sets the clock to a day and time in Stockholm.
func (f *mailFixture) at(day string, hour, min int) time.Time {
	f.now = workflow.MustDate(day).At(hour, min)
	return f.now
}

// newCase registers a draft with the AU and the nämnd on the given days.
func (f *mailFixture) newCase(title, au, board string, approvers ...workflow.User) workflow.Case {
	f.t.Helper()
	in := db.CaseInput{Board: "ASN", Title: title, Proposals: []string{"Nämnden föreslås besluta att godkänna " + strings.ToLower(title)},
		Route:      []db.StepInput{{Body: "ASN-AU", Date: au}, {Body: "ASN", Date: board}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}}}
	for _, a := range approvers {
		in.Approvers = append(in.Approvers, db.ApproverInput{Email: a.Email})
	}
	c, err := f.s.CreateCase(f.ctx, in, f.officer)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *mailFixture) act(c workflow.Case, by workflow.User, a workflow.Action) workflow.Case {
	f.t.Helper()
	c, err := f.s.Act(f.ctx, c.Number, by, workflow.Command{Action: a, Version: c.Version})
	if err != nil {
		f.t.Fatalf("%s by %s: %v", a, by.Name, err)
	}
	return c
}

func (f *mailFixture) deadlines(number string) []db.DeadlineItem {
	f.t.Helper()
	ds, err := f.s.CaseDeadlines(f.ctx, number)
	if err != nil {
		f.t.Fatal(err)
	}
	return ds
}

func (f *mailFixture) events(number string) []workflow.Event {
	f.t.Helper()
	evs, err := f.s.Events(f.ctx, number)
	if err != nil {
		f.t.Fatal(err)
	}
	return evs
}

// outbox lists every message, oldest first.
func (f *mailFixture) outbox() []db.OutboxMail {
	f.t.Helper()
	page, err := f.s.Outbox(f.ctx, db.OutboxFilter{PerPage: db.MaxPerPage})
	if err != nil {
		f.t.Fatal(err)
	}
	out := page.Items
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// plainComposer writes reminders and digests as one line each, so tests can
// read what was queued; the real Swedish templates are notify's.
type plainComposer struct{}

func (plainComposer) Compose(c *workflow.Case, ev workflow.Event, n workflow.Notification) (db.Mail, error) {
	return db.Mail{To: n.To.Email, Subject: fmt.Sprintf("%s %s", n.Kind, c.Number), Text: n.Reason}, nil
}

func (plainComposer) ComposeReminder(r db.DueReminder) (db.Mail, error) {
	m := db.Mail{To: r.Deadline.Responsible.Email, Subject: fmt.Sprintf("%s %s %s", r.Deadline.CaseNumber, r.Deadline.Kind, r.On),
		Text: fmt.Sprintf("late=%v", r.Late())}
	if r.Manager != nil {
		m.Cc = []string{r.Manager.Email}
	}
	return m, nil
}

func (plainComposer) ComposeDigest(d db.Digest) (db.Mail, error) {
	return db.Mail{To: d.To.Email, Subject: fmt.Sprintf("digest %s %d", d.Day, len(d.Deadlines))}, nil
}
