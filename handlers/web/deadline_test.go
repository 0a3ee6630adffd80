package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/workflow"
)

// A bevakning set on the case page is listed there and on the responsible
// person's start page, where they kvittera it; the history records both.
func TestSetAndAcknowledgeDeadline(t *testing.T) {
	s, officer := loggedIn(t, "handlaggare@kommun.example")
	number := findCase(t, officer, "feriearbete")
	officer.Get("/cases/" + number)
	due := soon(3)
	p := officer.Post("/cases/"+number+"/deadlines", url.Values{"due": {due}, "responsible": {"handlaggare@kommun.example"},
		"note": {"Stäm av siffrorna med ekonomienheten"}})
	if p.Status != http.StatusSeeOther || p.Location != "/cases/"+number+"?done=deadline#bevakningar" {
		t.Fatalf("set bevakning: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	p = officer.Get("/cases/" + number + "?done=deadline")
	p.Has(t, "Bevakningen är satt.", "Stäm av siffrorna med ekonomienheten", "Satt av Sara Lindqvist", "Om 3 dagar", "Bevakning satt")

	home := officer.Get("/")
	home.Has(t, "Mina bevakningar", "Stäm av siffrorna med ekonomienheten", due)
	id := ""
	for _, d := range mustCaseDeadlines(t, s, number) {
		if d.Note == "Stäm av siffrorna med ekonomienheten" {
			id = itoa(d.ID)
		}
		// Only custom bevakningar are kvitterade; the workflow's close by themselves.
		if button := `action="/deadlines/` + itoa(d.ID) + `/acknowledge"`; strings.Contains(home.Body, button) != (d.Kind == workflow.DeadlineCustom) {
			t.Errorf("the start page's kvittera button for a %s deadline: %v", d.Kind, !strings.Contains(home.Body, button))
		}
	}
	p = officer.Post("/deadlines/"+id+"/acknowledge", url.Values{"back": {"/"}})
	if p.Status != http.StatusSeeOther || p.Location != "/?done=acknowledged" {
		t.Fatalf("kvittera: %d %q", p.Status, p.Location)
	}
	home = officer.Get(p.Location)
	home.Has(t, "Bevakningen är kvitterad.")
	home.HasNot(t, "Stäm av siffrorna med ekonomienheten")
	p = officer.Get("/cases/" + number)
	p.Has(t, "Kvitterad ", "av Sara Lindqvist", "Bevakning kvitterad")
	if strings.Contains(p.Body, `action="/deadlines/`+id+`/acknowledge"`) {
		t.Error("a kvitterad bevakning still has its button")
	}
	var acked int
	for _, d := range mustCaseDeadlines(t, s, number) {
		if d.Kind == workflow.DeadlineCustom && d.State == workflow.DeadlineAcknowledged && d.ClosedBy != nil && d.ClosedBy.Name == "Sara Lindqvist" {
			acked++
		}
	}
	if acked != 1 {
		t.Errorf("%d kvitterade bevakningar in the store, want 1", acked)
	}
}

func mustCaseDeadlines(t *testing.T, s *site, number string) []db.DeadlineItem {
	t.Helper()
	ds, err := s.Store.CaseDeadlines(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// Another person can be made responsible; it is on their start page, not the setter's.
func TestDeadlineForSomeoneElse(t *testing.T) {
	s, officer := loggedIn(t, "handlaggare@kommun.example")
	number := findCase(t, officer, "feriearbete")
	officer.Get("/cases/" + number)
	p := officer.Post("/cases/"+number+"/deadlines", url.Values{"due": {soon(40)}, "responsible": {"sekreterare@kommun.example"},
		"note": {"Kontrollera att yttrandet har kommit in"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("set bevakning: %d", p.Status)
	}
	officer.Get("/").HasNot(t, "Kontrollera att yttrandet har kommit in")
	secretary := s.Browser()
	secretary.Login("sekreterare@kommun.example")
	// Forty days ahead is past the start page's four weeks: it is counted and linked.
	home := secretary.Get("/")
	home.HasNot(t, "Kontrollera att yttrandet har kommit in")
	home.Has(t, `href="/deadlines"`, "längre fram")
	all := secretary.Get("/deadlines")
	all.Has(t, "Kontrollera att yttrandet har kommit in", soon(40), "Kvittera")
}

func TestSetDeadlineInvalid(t *testing.T) {
	const script = "<script>alert(1)</script>"
	s, officer := loggedIn(t, "handlaggare@kommun.example")
	number := findCase(t, officer, "feriearbete")
	officer.Get("/cases/" + number)
	before := s.Fingerprint()

	p := officer.Post("/cases/"+number+"/deadlines", url.Values{"due": {"2020-01-01"}, "responsible": {"vem@kommun.example"},
		"note": {"Anteckning " + script}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid bevakning: %d", p.Status)
	}
	if msg := p.FieldError("deadline_due"); !strings.Contains(msg, "har redan passerat") {
		t.Errorf("message beside the date: %q", msg)
	}
	if msg := p.FieldError("deadline_responsible"); !strings.Contains(msg, "vem@kommun.example") {
		t.Errorf("message beside the responsible person: %q", msg)
	}
	if v, _ := p.InputValue("deadline_due"); v != "2020-01-01" {
		t.Errorf("the date was not kept: %q", v)
	}
	if v := p.TextareaValue("deadline_note"); v != "Anteckning "+script {
		t.Errorf("the note was not kept: %q", v)
	}
	p.Has(t, `href="#deadline_due"`, `href="#deadline_responsible"`, "&lt;script&gt;")
	p.HasNot(t, script)

	for _, form := range []url.Values{
		{"due": {"30/1 2027"}, "responsible": {"handlaggare@kommun.example"}, "note": {"Något"}},
		{"due": {soon(3)}, "responsible": {"handlaggare@kommun.example"}, "note": {"  "}},
		{"due": {""}, "responsible": {"handlaggare@kommun.example"}, "note": {"Något"}},
		{"due": {soon(366 * 6)}, "responsible": {"handlaggare@kommun.example"}, "note": {"Något"}},
	} {
		p := officer.Post("/cases/"+number+"/deadlines", form)
		if p.Status != http.StatusUnprocessableEntity || p.FieldError("deadline_due")+p.FieldError("deadline_note") == "" {
			t.Errorf("%v: %d, messages %q %q", form, p.Status, p.FieldError("deadline_due"), p.FieldError("deadline_note"))
		}
	}
	if p := officer.Post("/cases/ASN-2099-1/deadlines", url.Values{"due": {soon(3)}, "note": {"x"}}); p.Status != http.StatusNotFound {
		t.Errorf("a case that does not exist: %d", p.Status)
	}
	s.Unchanged(before)

	// Saved, the script is text on the case page and the start page.
	officer.Get("/cases/" + number)
	if p := officer.Post("/cases/"+number+"/deadlines", url.Values{"due": {soon(3)}, "responsible": {"handlaggare@kommun.example"},
		"note": {"Anteckning " + script}}); p.Status != http.StatusSeeOther {
		t.Fatalf("valid bevakning: %d", p.Status)
	}
	for _, path := range []string{"/cases/" + number, "/", "/deadlines"} {
		p := officer.Get(path)
		p.Has(t, "Anteckning &lt;script&gt;alert(1)&lt;/script&gt;")
		p.HasNot(t, script)
	}
}

func TestAcknowledgeRefused(t *testing.T) {
	s, officer := loggedIn(t, "handlaggare@kommun.example")
	ctx := context.Background()
	number := findCase(t, officer, "feriearbete")
	u, _ := s.Store.UserByEmail(ctx, "handlaggare@kommun.example")
	custom, err := s.Store.AddDeadline(ctx, number, db.DeadlineInput{Due: soon(5), Note: "Ring regionen"}, u)
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := s.Store.UserDeadlines(ctx, u.ID, workflow.Date{})
	var submission int64
	for _, d := range ds {
		if d.Kind == workflow.DeadlineSubmission {
			submission = d.ID
		}
	}
	if submission == 0 {
		t.Fatalf("the officer has no submission deadline: %+v", ds)
	}

	manager := s.Browser()
	manager.Login("chef@kommun.example")
	manager.Get("/")
	officer.Get("/")
	before := s.Fingerprint()
	p := manager.Post("/deadlines/"+itoa(custom.ID)+"/acknowledge", url.Values{"back": {"/"}})
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "kvitteras av den som ansvarar för den") {
		t.Errorf("someone else's bevakning: %d", p.Status)
	}
	p.Has(t, "Ring regionen", `id="bevakningar"`) // the case page, as it is
	p = officer.Post("/deadlines/"+itoa(submission)+"/acknowledge", url.Values{"back": {"/"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "stängs av sig själv") {
		t.Errorf("a workflow deadline: %d", p.Status)
	}
	for _, id := range []string{"999999", "x", "0"} {
		if p := officer.Post("/deadlines/"+id+"/acknowledge", nil); p.Status != http.StatusNotFound {
			t.Errorf("bevakning %s: %d, want 404", id, p.Status)
		}
	}
	s.Unchanged(before)

	// A return address elsewhere is not followed; twice is a conflict.
	p = officer.Post("/deadlines/"+itoa(custom.ID)+"/acknowledge", url.Values{"back": {"https://elsewhere.example/"}})
	if p.Status != http.StatusSeeOther || p.Location != "/?done=acknowledged" {
		t.Errorf("kvittera with a foreign back address: %d %q", p.Status, p.Location)
	}
	if p := officer.Post("/deadlines/"+itoa(custom.ID)+"/acknowledge", nil); p.Status != http.StatusConflict {
		t.Errorf("kvittera twice: %d", p.Status)
	}
}

// A reminder that reached its person only in the service (no mail) is on
// their start page.
func TestRemindersWithoutMailOnTheStartPage(t *testing.T) {
	s := newSiteWith(t, handlers.Config{}, func(store *db.Store) { lateBevakning(t, store) })
	officer := s.Browser()
	officer.Login("handlaggare@kommun.example")
	sent, err := s.Store.SendDueReminders(context.Background(), time.Now(), db.ScanOptions{})
	if err != nil || len(sent) == 0 {
		t.Fatalf("scan: %d sent, %v; the late bevakning has reminders due", len(sent), err)
	}
	var mine []db.SentReminder
	for _, r := range sent {
		if r.Deadline.Responsible.Email == "handlaggare@kommun.example" {
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 || mine[0].Channel != "ui" {
		t.Fatalf("the officer's reminders: %+v", mine)
	}
	home := officer.Get("/")
	home.Has(t, "Påminnelser till dig", "kunde inte skickas med e-post", mine[0].Deadline.CaseNumber, mine[0].On.String())
	other := s.Browser()
	other.Login("ledamot@kommun.example")
	other.Get("/").HasNot(t, "Påminnelser till dig")
}

// Meeting deadlines (kallelse, justering, anslag) belong to no case: the
// secretary's list links them to their meeting.
func TestMeetingDeadlinesLinkToTheMeeting(t *testing.T) {
	_, b := loggedIn(t, "sekreterare@kommun.example")
	p := b.Get("/deadlines")
	if p.Status != 200 {
		t.Fatalf("GET /deadlines: %d", p.Status)
	}
	p.Has(t, `<a href="/meetings/`)
	p.HasNot(t, `href="/cases/#bevakningar"`)
}
