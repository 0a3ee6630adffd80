package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// The bordläggning form (postpone) chooses among the body's meetings: a day
// without one is refused beside the date, naming the nearest, and changes
// nothing; "Nytt extra sammanträde den dagen" ticked, the meeting is made and
// the notice names it and warns of a Saturday.
func TestPostponeFormAsksForAnExtraMeeting(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	today := workflow.Today(time.Now())
	au, err := ms.Store.Meetings(ctx, db.MeetingFilter{Body: "ASN-AU", From: today.AddDays(1)})
	if err != nil || len(au) == 0 {
		t.Fatalf("the arbetsutskott's coming meetings: %v, %v", au, err)
	}
	officer, _ := ms.Store.UserByEmail(ctx, "handlaggare@kommun.example")
	chef, _ := ms.Store.UserByEmail(ctx, "chef@kommun.example")
	cs, err := ms.Store.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: "Avgifter", Proposals: []string{"Nämnden föreslås besluta att anta avgifterna"},
		Route: []db.StepInput{{Body: "ASN-AU", Date: au[0].Date.String()}, {Body: "ASN"}}, Approvers: []db.ApproverInput{{Email: chef.Email}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}}}, officer)
	if err == nil {
		cs, err = ms.Store.Act(ctx, cs.Number, officer, workflow.Command{Action: workflow.ActSubmit, Version: cs.Version})
	}
	if err == nil {
		cs, err = ms.Store.Act(ctx, cs.Number, chef, workflow.Command{Action: workflow.ActApprove, Version: cs.Version})
	}
	if err != nil {
		t.Fatal(err)
	}
	b := ms.Login("sekreterare@kommun.example")
	path := "/cases/" + cs.Number + "/actions/postpone"
	b.Get(path).Has(t, `name="extra_meeting"`, "Nytt extra sammanträde den dagen")
	off := freeWorkday(t, ms.Store, "ASN-AU", au[0].Date.AddDays(1))
	version := itoa(int64(cs.Version))
	before := ms.MeetingFingerprint()
	p := b.Post(path, url.Values{"version": {version}, "date": {off.String()}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("date"), "ASN arbetsutskott har inget sammanträde "+off.String()+". Närmaste planerade: ") {
		t.Errorf("postponed to a day without a meeting: %d %q", p.Status, p.FieldError("date"))
	}
	ms.UnchangedMeetings(before)

	sat := nextWeekday(au[0].Date, time.Saturday)
	p = b.Post(path, url.Values{"version": {version}, "date": {sat.String()}, "extra_meeting": {"1"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("postponed to an extra meeting: %d\n%s", p.Status, p.Body)
	}
	b.Get(p.Location).Has(t, html.EscapeString(cs.Number+" är flyttad till ASN arbetsutskott "+sat.String()),
		html.EscapeString("Ett nytt extra sammanträde är planerat: ASN arbetsutskott "+sat.String()+
			". Obs! Det extra sammanträdet ASN arbetsutskott "+sat.String()+" hålls en lördag, som inte är en arbetsdag"))
	got, err := ms.Store.Case(ctx, cs.Number)
	if err != nil || got.Route[0].Date != sat || got.Route[0].MeetingOrigin != workflow.OriginExtra {
		t.Errorf("the case after: %+v, %v", got.Route, err)
	}
}

// At a held meeting, bordläggning to a day without a meeting of the body is
// refused (no §, nothing changed) unless "Nytt extra sammanträde den dagen"
// is ticked; then the notice names the new meeting and warns of a Sunday.
func TestTabledToAnExtraMeetingAtTheMeeting(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	c := extraMeetingCase(t, ms.Store, "Riktlinjer för föreningsbidrag")
	sec, _ := ms.Store.UserByEmail(ctx, "sekreterare@kommun.example")
	// The case goes on from the presidium to the arbetsutskott, and is held there.
	pm, err := ms.Store.MarkNoticeSent(ctx, c.Route[0].MeetingID, sec)
	if err != nil {
		t.Fatal(err)
	}
	ms.At(pm.Date.At(19, 0))
	if _, err := ms.Store.MarkHeld(ctx, pm.ID, sec); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ms.Store.Decide(ctx, pm.ID, sec, db.DecisionInput{Case: c.Number, Type: workflow.DecisionHandled, Text: "Berett."}); err != nil {
		t.Fatal(err)
	}
	am, err := ms.Store.MarkNoticeSent(ctx, c.Route[1].MeetingID, sec)
	if err != nil {
		t.Fatal(err)
	}
	b := ms.Held(am)
	path := meetingURL(am.ID) + "/decisions/" + c.Number
	form := b.Get(path)
	form.Has(t, `name="extra_meeting"`, "Nytt extra sammanträde den dagen")
	off := freeWorkday(t, ms.Store, "ASN-AU", am.Date.AddDays(1))
	before := ms.MeetingFingerprint()
	p := b.Post(path, url.Values{"version": {formOf(form).Get("version")}, "type": {"tabled"}, "text": {"Ärendet bordläggs."}, "date": {off.String()}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("date"), "ASN arbetsutskott har inget sammanträde "+off.String()) {
		t.Errorf("tabled to a day without a meeting: %d %q", p.Status, p.FieldError("date"))
	}
	if v, _ := p.InputValue("date"); v != off.String() {
		t.Errorf("the date was not kept: %q", v)
	}
	ms.UnchangedMeetings(before)
	sun := nextWeekday(am.Date.AddDays(1), time.Sunday)
	p = b.Post(path, url.Values{"version": {formOf(form).Get("version")}, "type": {"tabled"}, "text": {"Ärendet bordläggs."},
		"date": {sun.String()}, "extra_meeting": {"1"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("tabled to an extra meeting: %d\n%s", p.Status, p.Body)
	}
	b.Get(meetingURL(am.ID)).Has(t, "för "+c.Number+" är registrerad: Bordläggning.",
		html.EscapeString("Ett nytt extra sammanträde är planerat: ASN arbetsutskott "+sun.String()+
			". Obs! Det extra sammanträdet ASN arbetsutskott "+sun.String()+" hålls en söndag"))
}
