package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

// freeWorkday is the first work day from d on which body has no meeting;
// the search is bounded to a year.
func freeWorkday(t *testing.T, store *db.Store, body string, d workflow.Date) workflow.Date {
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

// extraMeetingCase registers a signed-off case through the presidium, the
// arbetsutskott and the nämnd, each on a nytt extra sammanträde of its own
// after the demo's today, so its agendas hold this case alone.
func extraMeetingCase(t *testing.T, store *db.Store, title string) workflow.Case {
	t.Helper()
	ctx := context.Background()
	officer, _ := store.UserByEmail(ctx, "handlaggare@kommun.example")
	chef, _ := store.UserByEmail(ctx, "chef@kommun.example")
	pb := freeWorkday(t, store, "ASN-PB", workflow.Today(store.Now()).AddDays(20))
	au := freeWorkday(t, store, "ASN-AU", pb.AddDays(1))
	board := freeWorkday(t, store, "ASN", au.AddDays(1))
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

// The presidium keeps no protokoll: the decision form says so, the notice
// names no §, the agenda shows the case handled without one, its record and
// PDF number nothing; the arbetsutskott after it gives its own §.
func TestPresidiumHandlingHasNoParagraph(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	c := extraMeetingCase(t, ms.store, "Riktlinjer för avtalsuppföljning")
	sec, _ := ms.store.UserByEmail(ctx, "sekreterare@kommun.example")
	pm, err := ms.store.MarkNoticeSent(ctx, c.Route[0].MeetingID, sec)
	if err != nil {
		t.Fatal(err)
	}
	b := ms.held(pm)
	path := meetingURL(pm.ID) + "/decisions/" + c.Number
	form := b.get(path)
	form.has(t, "ASN presidieberedning för inget protokoll, så behandlingen får ingen paragraf.")
	form.hasNot(t, "Beslutet får nästa paragraf")
	if p := b.post(path, url.Values{"version": {formOf(form).Get("version")}, "type": {"handled"}, "text": {"Presidiet har berett ärendet."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("handled at the presidium: %d\n%s", p.Status, p.Body)
	}
	page := b.get(meetingURL(pm.ID))
	page.has(t, "Behandlingen av "+c.Number+" är registrerad: Behandlat.", "Behandlat")
	page.hasNot(t, "§")
	record := b.get(meetingURL(pm.ID) + "/protokoll")
	record.has(t, `id="arende-`+c.Number+`"`, "Presidiet har berett ärendet.")
	record.hasNot(t, "§", "utdrag.pdf")
	pdf := b.get(meetingURL(pm.ID) + "/protokoll.pdf")
	if text := pdftest.Text(t, []byte(pdf.Body)); pdf.Status != 200 || strings.Contains(text, "§") || !strings.Contains(text, "Riktlinjer för avtalsuppföljning") {
		t.Errorf("the presidium's PDF (%d):\n%s", pdf.Status, text)
	}
	if p := b.get(meetingURL(pm.ID) + "/paragraphs/0/utdrag.pdf"); p.Status != http.StatusNotFound {
		t.Errorf("an extract of no §: %d", p.Status)
	}

	// The arbetsutskott numbers its own.
	moved, err := ms.store.Case(ctx, c.Number)
	if err != nil || moved.Stage != workflow.StageWorkingCommittee {
		t.Fatalf("after the presidium: %s, %v", moved.Stage, err)
	}
	am, err := ms.store.MarkNoticeSent(ctx, moved.Route[1].MeetingID, sec)
	if err != nil {
		t.Fatal(err)
	}
	b = ms.held(am)
	path = meetingURL(am.ID) + "/decisions/" + c.Number
	form = b.get(path)
	form.has(t, "Beslutet får nästa paragraf i ASN arbetsutskotts protokoll")
	if p := b.post(path, url.Values{"version": {formOf(form).Get("version")}, "type": {"handled"}, "text": {"Arbetsutskottet har berett ärendet."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("handled at the AU: %d", p.Status)
	}
	pars, err := ms.store.CaseParagraphs(ctx, c.Number)
	if err != nil || len(pars) != 1 || pars[0].Body != "ASN-AU" || pars[0].Label == "" {
		t.Fatalf("the case's paragraphs: %+v, %v", pars, err)
	}
	b.get(meetingURL(am.ID)).has(t, pars[0].Label+" för "+c.Number+" är registrerad: Behandlat.")
	// The case lists the AU's § only; its history records the presidium's handling.
	casePage := b.get("/cases/" + c.Number)
	casePage.has(t, "Protokollsparagrafer", pars[0].Label+"</a> ASN arbetsutskott")
	casePage.hasNot(t, "</a> ASN presidieberedning "+pm.Date.String()+": ")
}
