package handlertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// FreeWorkday is the first work day from d on which body has no meeting;
// the search is bounded to a year.
func FreeWorkday(t *testing.T, store *db.Store, body string, d workflow.Date) workflow.Date {
	t.Helper()
	for range 366 {
		d = workflow.NextWorkday(d)
		ms, err := store.Meetings(context.Background(), db.MeetingFilter{Body: body, From: d, To: d})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			return d
		}
		d = d.AddDays(1)
	}
	t.Fatalf("%s meets every work day of a year", body)
	return workflow.Date{}
}

// ExtraMeetingCase registers a signed-off case through the presidium, the
// arbetsutskott and the nämnd, each on a nytt extra sammanträde of its own
// after the demo's today, so its agendas hold this case alone.
func ExtraMeetingCase(t *testing.T, store *db.Store, title string) workflow.Case {
	t.Helper()
	ctx := context.Background()
	officer, _ := store.UserByEmail(ctx, "handlaggare@kommun.example")
	chef, _ := store.UserByEmail(ctx, "chef@kommun.example")
	pb := FreeWorkday(t, store, "ASN-PB", workflow.Today(store.Now()).AddDays(20))
	au := FreeWorkday(t, store, "ASN-AU", pb.AddDays(1))
	board := FreeWorkday(t, store, "ASN", au.AddDays(1))
	c, err := store.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: title,
		Proposals: []string{"Arbetsmarknads- och socialnämnden föreslås besluta att anta " + strings.ToLower(title)},
		Route: []db.StepInput{{Body: "ASN-PB", Date: pb.String(), ExtraMeeting: true}, {Body: "ASN-AU", Date: au.String(), ExtraMeeting: true},
			{Body: "ASN", Date: board.String(), ExtraMeeting: true}},
		Approvers:  []db.ApproverInput{{Email: chef.Email}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"}}}, officer)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = store.Act(ctx, c.Number, officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	if c, err = store.Act(ctx, c.Number, chef, workflow.Command{Action: workflow.ActApprove, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	return c
}

// Soon is a date the given number of days from today, as the forms take it.
func Soon(days int) string { return workflow.Today(time.Now()).AddDays(days).String() }

// SecretNumber is the demo's case marked sekretess; SecretWords are from its title and summary.
const SecretNumber = "ASN-2026-10"

// SecretWords are words of its title and summary, which nobody without access may see.
var SecretWords = []string{"förvaltningsrätten", "Förvaltningsrätten", "enskild"}
