package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// Everyone logged in reads the meeting pages; only the secretary gets the forms.
func TestMeetingPagesForReadersAndSecretary(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	officer := ms.Login("handlaggare@kommun.example")
	p := officer.Get("/meetings")
	if p.Status != 200 {
		t.Fatalf("/meetings: %d", p.Status)
	}
	p.Has(t, `<a href="/meetings" aria-current="page">Sammanträden</a>`, "Kommande sammanträden", "Tidigare sammanträden",
		`href="/meetings/`+strconv.FormatInt(m.ID, 10)+`"`, "Kallelse skickad", "/calendar/ASN.ics")
	p.HasNot(t, `method="post" action="/meetings"`, "Planera ett sammanträde")
	p = officer.Get(meetingURL(m.ID))
	p.Has(t, "Föredragningslista", number, "Justering senast", m.Dates().JusteringDue.String())
	p.HasNot(t, `/held"`, `/agenda"`, "Flytta", `/details"`)
	if p := officer.Get("/meetings?body=NOPE"); p.Status != 404 {
		t.Errorf("an unknown body: %d", p.Status)
	}
	if p := officer.Get("/meetings/999999"); p.Status != 404 {
		t.Errorf("a meeting that does not exist: %d", p.Status)
	}

	sec := ms.Login("sekreterare@kommun.example")
	p = sec.Get(meetingURL(m.ID))
	p.Has(t, `/held"`, `action="`+meetingURL(m.ID)+`/agenda"`, "Lägg till punkten", `/details"`, "Spara tid och plats")
	sec.Get("/meetings").Has(t, `method="post" action="/meetings"`, "Planera ett sammanträde")
}

// Every meeting form is refused without the session's CSRF token, and the
// refusal changes nothing.
func TestMeetingFormsRefuseMissingCSRFToken(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	sec := ms.Login("sekreterare@kommun.example")
	path := meetingURL(m.ID)
	forms := map[string]url.Values{
		"/meetings":                    {"body": {"ASN"}, "date": {workflow.Today(ms.Store.Now()).AddDays(60).String()}},
		path + "/details":              {"time": {"18:00"}},
		path + "/notice":               nil,
		path + "/held":                 nil,
		path + "/anslag":               {"date": {m.Date.String()}},
		path + "/agenda":               {"kind": {"other"}, "title": {"Information"}},
		path + "/agenda/1/move":        {"dir": {"down"}},
		path + "/agenda/1/remove":      nil,
		path + "/attendance":           {"member": {"1"}, "present": {"1"}},
		path + "/decisions/" + number:  {"type": {"approved"}, "text": {"Beslut"}},
		path + "/justering":            {"password": {demo.Password}},
		"/bodies/ASN/members":          {"name": {"Ny Ledamot"}, "role": {"member"}},
		"/bodies/ASN/members/1/remove": nil,
		"/calendar":                    nil,
	}
	before := ms.MeetingFingerprint()
	for path, form := range forms {
		for _, token := range []string{"", "not-the-token"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if token != "" {
				f.Set("_csrf", token)
			}
			p := sec.PostRaw(path, f)
			if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "säkerhetskoden") {
				t.Errorf("POST %s with token %q: %d, want 403 explaining the token", path, token, p.Status)
			}
		}
	}
	ms.UnchangedMeetings(before)
}

func TestNewMeetingForm(t *testing.T) {
	ms := newMeetingSite(t)
	sec := ms.Login("sekreterare@kommun.example")
	sec.Get("/meetings")
	before := ms.MeetingFingerprint()
	today := workflow.Today(ms.Store.Now())
	for _, tt := range []struct {
		form  url.Values
		field string
		says  string
	}{
		{url.Values{"body": {"ASN"}, "date": {"2026-02-30"}, "place": {"Kvar"}}, "new_date", "2026-02-30 finns inte; februari 2026 har 28 dagar"},
		{url.Values{"body": {"ASN"}, "date": {"30/1"}, "place": {"Kvar"}}, "new_date", "ÅÅÅÅ-MM-DD"},
		{url.Values{"body": {"ASN"}, "date": {today.AddDays(-1).String()}, "place": {"Kvar"}}, "new_date", "redan passerat"},
		{url.Values{"body": {"ASN"}, "date": {today.AddDays(30).String()}, "time": {"25:00"}, "place": {"Kvar"}}, "new_time", "TT:MM"},
		{url.Values{"body": {"NOPE"}, "date": {today.AddDays(30).String()}, "place": {"Kvar"}}, "new_body", "finns inte"},
	} {
		p := sec.Post("/meetings", tt.form)
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError(tt.field), tt.says) {
			t.Errorf("%v: %d, beside %s %q, want 422 saying %q", tt.form, p.Status, tt.field, p.FieldError(tt.field), tt.says)
		}
		if v, _ := p.InputValue("new_place"); v != "Kvar" {
			t.Errorf("%v: the place was not kept: %q", tt.form, v)
		}
		if v, _ := p.InputValue("new_date"); v != tt.form.Get("date") {
			t.Errorf("%v: the date was not kept: %q", tt.form, v)
		}
	}
	// Only a secretary of the body's board plans its meetings.
	officer := ms.Login("handlaggare@kommun.example")
	officer.Get("/meetings")
	if p := officer.Post("/meetings", url.Values{"body": {"ASN"}, "date": {today.AddDays(30).String()}}); p.Status != http.StatusForbidden {
		t.Errorf("an officer plans a meeting: %d", p.Status)
	}
	ms.UnchangedMeetings(before)

	day := workflow.NextWorkday(today.AddDays(90))
	p := sec.Post("/meetings", url.Values{"body": {"ASN"}, "date": {day.String()}, "time": {"17:00"}, "place": {"Stadshuset"}})
	if p.Status != http.StatusSeeOther || !strings.Contains(p.Location, "done=planned") {
		t.Fatalf("a valid meeting: %d %q", p.Status, p.Location)
	}
	sec.Get(p.Location).Has(t, "Sammanträdet är planerat.", "Arbetsmarknads- och socialnämnden "+day.String(), "Mötets öppnande", "Skicka kallelsen")
	if p := sec.Post("/meetings", url.Values{"body": {"ASN"}, "date": {day.String()}}); p.Status != http.StatusConflict ||
		!strings.Contains(p.Body, "har redan ett sammanträde") {
		t.Errorf("a second meeting the same day: %d", p.Status)
	}
}

// The secretary builds the agenda without JavaScript: items added, moved up
// and down, removed; a wrong step is a message and changes nothing.
func TestAgendaForms(t *testing.T) {
	const script = "<script>alert(1)</script>"
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	sec := ms.Login("sekreterare@kommun.example")
	path := meetingURL(m.ID)
	sec.Get(path)
	before := ms.MeetingFingerprint()
	p := sec.Post(path+"/agenda", url.Values{"kind": {"other"}, "title": {"  "}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("item_title"), "rubrik") {
		t.Errorf("a free item without title: %d %q", p.Status, p.FieldError("item_title"))
	}
	p.Has(t, `<option value="other" selected>`)
	p = sec.Post(path+"/agenda", url.Values{"kind": {"case"}, "title": {"Fusk"}})
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("item_kind") == "" {
		t.Errorf("a case as an item: %d %q", p.Status, p.FieldError("item_kind"))
	}
	if v, _ := p.InputValue("item_title"); v != "Fusk" {
		t.Errorf("the title was not kept: %q", v)
	}
	items, _ := ms.Store.Agenda(context.Background(), m.ID)
	first := items[0]
	if p := sec.Post(path+"/agenda/"+strconv.FormatInt(first.ID, 10)+"/move", url.Values{"dir": {"up"}}); p.Status != http.StatusConflict ||
		!strings.Contains(p.Body, "redan först") {
		t.Errorf("moving the first item up: %d", p.Status)
	}
	caseItem := items[len(items)-1]
	if p := sec.Post(path+"/agenda/"+strconv.FormatInt(caseItem.ID, 10)+"/remove", nil); p.Status != http.StatusConflict {
		t.Errorf("removing a case: %d", p.Status)
	}
	officer := ms.Login("handlaggare@kommun.example")
	officer.Get(path)
	if p := officer.Post(path+"/agenda", url.Values{"kind": {"other"}, "title": {"Obehörig"}}); p.Status != http.StatusForbidden {
		t.Errorf("an officer adds an item: %d", p.Status)
	}
	ms.UnchangedMeetings(before)

	p = sec.Post(path+"/agenda", url.Values{"kind": {"other"}, "title": {"Information " + script}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("a free item: %d\n%s", p.Status, p.Body)
	}
	page := sec.Get(p.Location)
	page.HasNot(t, script)
	page.Has(t, "Information &lt;script&gt;alert(1)&lt;/script&gt;", "Föredragningslistan är ändrad.")
	// The case moves up to the top, one press at a time.
	for range len(items) - 1 {
		if p := sec.Post(path+"/agenda/"+strconv.FormatInt(caseItem.ID, 10)+"/move", url.Values{"dir": {"up"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("move up: %d", p.Status)
		}
	}
	items, _ = ms.Store.Agenda(context.Background(), m.ID)
	if items[0].Case == nil || items[0].Case.Number != number || items[len(items)-1].Title != "Information "+script {
		t.Errorf("the agenda after the moves: %+v", items)
	}
	if p := sec.Post(path+"/agenda/"+strconv.FormatInt(first.ID, 10)+"/remove", nil); p.Status != http.StatusSeeOther {
		t.Errorf("removing Mötets öppnande: %d", p.Status)
	}
	if items, _ := ms.Store.Agenda(context.Background(), m.ID); len(items) != 4 {
		t.Errorf("%d items after the removal, want 4", len(items))
	}
}

func TestMeetingDetailsForm(t *testing.T) {
	ms := newMeetingSite(t)
	m, _ := ms.BoardMeeting()
	sec := ms.Login("sekreterare@kommun.example")
	path := meetingURL(m.ID)
	sec.Get(path)
	before := ms.MeetingFingerprint()
	p := sec.Post(path+"/details", url.Values{"time": {"9"}, "end_time": {"08:00"}, "place": {"Rådhuset"}})
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("details_time") == "" {
		t.Fatalf("time 9: %d %q", p.Status, p.FieldError("details_time"))
	}
	if v, _ := p.InputValue("details_place"); v != "Rådhuset" {
		t.Errorf("the place was not kept: %q", v)
	}
	ms.UnchangedMeetings(before)
	if p := sec.Post(path+"/details", url.Values{"time": {"18:00"}, "end_time": {"20:00"}, "place": {"Rådhuset"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("valid details: %d", p.Status)
	}
	got, _ := ms.Store.Meeting(context.Background(), m.ID)
	if got.Start != "18:00" || got.End != "20:00" || got.Place != "Rådhuset" || got.Sequence != m.Sequence+1 {
		t.Errorf("after the change: %+v", got)
	}
}

// The kallelse button queues the kallelse to the members with an address;
// the meeting cannot be held before its day.
func TestKallelseAndHeldButtons(t *testing.T) {
	ms := newMeetingSite(t)
	sec := ms.Login("sekreterare@kommun.example")
	day := workflow.NextWorkday(workflow.Today(ms.Store.Now()).AddDays(60))
	sec.Get("/meetings")
	p := sec.Post("/meetings", url.Values{"body": {"ASN"}, "date": {day.String()}})
	id, _ := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(p.Location, "?", 2)[0], "/meetings/"), 10, 64)
	path := meetingURL(id)
	sec.Get(path)
	before := ms.MeetingFingerprint()
	if p := sec.Post(path+"/held", nil); p.Status != http.StatusConflict || !strings.Contains(p.Body, "Kallelsen till sammanträdet är inte skickad") {
		t.Errorf("held before the kallelse: %d", p.Status)
	}
	ms.UnchangedMeetings(before)
	p = sec.Post(path+"/notice", nil)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("kallelse: %d\n%s", p.Status, p.Body)
	}
	done := p.Location
	ctx := context.Background()
	members, _ := ms.Store.Members(ctx, "ASN")
	withAddress := 0
	for _, mb := range members {
		if mb.Email != "" {
			withAddress++
		}
	}
	queued := 0
	outbox, _ := ms.Store.Outbox(ctx, dbOutboxAll())
	for _, o := range outbox.Items {
		if o.Kind == "notice" && strings.HasPrefix(o.Subject, "Kallelse: Arbetsmarknads- och socialnämnden") {
			queued++
		}
	}
	if queued != withAddress || queued == 0 {
		t.Errorf("%d kallelser queued, want one per member with an address (%d)", queued, withAddress)
	}
	sec.Get(done).Has(t, "Kallelsen är registrerad som skickad", "Sammanträdet är hållet")
	before = ms.MeetingFingerprint()
	p = sec.Post(path+"/held", nil)
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "kan inte ha hållits ännu") {
		t.Errorf("held before its day: %d", p.Status)
	}
	if p := sec.Post(path+"/notice", nil); p.Status != http.StatusConflict {
		t.Errorf("a second kallelse: %d", p.Status)
	}
	ms.UnchangedMeetings(before)
}

// A secret case on an agenda is named by number only to those who do not
// work for the body's board.
func TestSecretCaseOnTheAgenda(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	raw, err := db.OpenRaw(ms.File)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE cases SET secret = TRUE WHERE number = ?`, number); err != nil {
		t.Fatal(err)
	}
	ms.Login("ordforande@kommun.example").Get(meetingURL(m.ID)).HasNot(t, "Delårsrapport")
	ms.Login("sekreterare@kommun.example").Get(meetingURL(m.ID)).Has(t, "Delårsrapport augusti 2026")
}

// A kallelse sent after its last day is registered all the same, and the
// meeting page says it went out late (issue 9: a late kallelse is recorded).
func TestLateKallelseIsShown(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	sec, err := ms.Store.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	day := workflow.NextWorkday(workflow.Today(ms.Store.Now()).AddDays(100))
	m, err := ms.Store.CreateMeeting(ctx, db.NewMeetingInput{Body: "ASN-AU", Date: day, Start: "13:00"}, sec)
	if err != nil {
		t.Fatal(err)
	}
	ms.At(day.AddDays(-1).At(9, 0)) // the day before: days after the last day for a kallelse
	b := ms.Login("sekreterare@kommun.example")
	b.Get(meetingURL(m.ID))
	if p := b.Post(meetingURL(m.ID)+"/notice", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("kallelse: %d", p.Status)
	}
	b.Get(meetingURL(m.ID)).Has(t, "För sent: sista dag var "+m.Dates().NoticeDue.String())
}
