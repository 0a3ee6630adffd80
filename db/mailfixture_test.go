package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

// mailFixture is notifytest's world with the shorthands these tests use.
type mailFixture struct {
	t   *testing.T
	ctx context.Context
	s   *db.Store
	w   *notifytest.World
	now time.Time

	officer, approver, director, secretary, admin, outsider workflow.User
}

func newMailFixture(t *testing.T) *mailFixture {
	t.Helper()
	w := notifytest.NewWorld(t)
	f := &mailFixture{t: t, ctx: w.Ctx, s: w.Store, w: w, now: w.Clock.Now(), officer: w.Officer, approver: w.Approver,
		director: w.Director, secretary: w.Secretary, admin: w.Admin, outsider: w.Outsider}
	w.Store.Now = func() time.Time { return f.now }
	return f
}

// at sets the clock to a day and time in Stockholm.
func (f *mailFixture) at(day string, hour, min int) time.Time {
	f.now = workflow.MustDate(day).At(hour, min)
	return f.now
}

func (f *mailFixture) newCase(title, au, board string, approvers ...workflow.User) workflow.Case {
	f.t.Helper()
	return f.w.Case(title, au, board, approvers...)
}

func (f *mailFixture) act(c workflow.Case, by workflow.User, a workflow.Action) workflow.Case {
	f.t.Helper()
	return f.w.Act(c, by, workflow.Command{Action: a})
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

// outbox lists the outbox without the reminders of meeting deadlines (those
// have no case), which these tests of case deadlines leave aside.
func (f *mailFixture) outbox() []db.OutboxMail {
	f.t.Helper()
	return slices.DeleteFunc(f.w.Outbox(), func(m db.OutboxMail) bool { return m.Kind == "reminder" && m.CaseNumber == "" })
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
