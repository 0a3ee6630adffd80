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
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/workflow"
)

func TestAttendanceForm(t *testing.T) {
	ms := newMeetingSite(t)
	m, _ := ms.BoardMeeting()
	sec := ms.Login("sekreterare@kommun.example")
	path := meetingURL(m.ID) + "/attendance"
	if p := sec.Get(path); p.Status != 200 || !strings.Contains(p.Body, "Närvaron registreras när sammanträdet är hållet") || strings.Contains(p.Body, "Spara närvaro") {
		t.Errorf("attendance before the meeting: %d", p.Status)
	}
	sec = ms.Held(m)
	page := sec.Get(path)
	form := formOf(page)
	if len(form["member"]) < 4 || len(form["present"]) != len(form["member"]) {
		t.Fatalf("the attendance form after the meeting: %v", form)
	}
	members, _ := ms.Store.Members(context.Background(), "ASN")
	var noAccount, chair string
	for _, mb := range members {
		if mb.UserID == 0 && noAccount == "" {
			noAccount = strconv.FormatInt(mb.ID, 10)
		}
		if mb.Role == workflow.MemberChair {
			chair = strconv.FormatInt(mb.ID, 10)
		}
	}
	before := ms.MeetingFingerprint()
	bad := url.Values{"member": form["member"], "present": {chair, noAccount}, "adjuster": {chair, noAccount}}
	p := sec.Post(path, bad)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "har inget användarkonto") {
		t.Fatalf("a justerare without an account: %d\n%s", p.Status, p.Body)
	}
	p.Has(t, `class="error-summary"`, `href="#attendees-`)
	// What was ticked is still ticked.
	got := formOf(p)
	if strings.Join(got["present"], ",") != chair+","+noAccount || len(got["adjuster"]) != 2 {
		t.Errorf("the ticks were not kept: %v", got)
	}
	// A ticked box that names no row of the form (edited, or from another
	// page) is refused, not dropped without a word.
	for _, v := range []string{"abc", "999999"} {
		odd := url.Values{"member": form["member"], "present": {chair}, "adjuster": {chair, v}}
		if p := sec.Post(path, odd); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "finns inte bland formulärets rader") {
			t.Errorf("adjuster %q: %d", v, p.Status)
		}
	}
	officer := ms.Login("handlaggare@kommun.example")
	officer.Get(path)
	if p := officer.Post(path, form); p.Status != http.StatusForbidden {
		t.Errorf("an officer sets the attendance: %d", p.Status)
	}
	ms.UnchangedMeetings(before)
	ms.WithAdjusters(sec, m)
	min, _ := ms.Store.Minutes(context.Background(), m.ID)
	if adj := workflow.Adjusters(min.Attendees); len(adj) != 2 {
		t.Errorf("justerare after the form: %+v", adj)
	}
}

// The secretary records a decision per agenda case; the form keeps what was
// typed when refused, and the text comes back as text in the protokoll.
func TestDecisionForm(t *testing.T) {
	const script = "<script>alert(1)</script>"
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	sec := ms.Login("sekreterare@kommun.example")
	path := meetingURL(m.ID) + "/decisions/" + number
	if p := sec.Get(path); p.Status != http.StatusConflict || !strings.Contains(p.Body, "inte hållet") {
		t.Errorf("the decision form before the meeting: %d", p.Status)
	}
	sec = ms.Held(m)
	p := sec.Get(path)
	if p.Status != 200 {
		t.Fatalf("decision form: %d", p.Status)
	}
	p.Has(t, "Bifall enligt förslaget", "Återremiss", "Bordläggning", "Förslag till beslut")
	// The text starts from the proposals, turned into the body's decision.
	if got := p.TextareaValue("text"); !strings.Contains(got, "beslutar att godkänna delårsrapporten") || strings.Contains(got, "föreslås") {
		t.Errorf("the text does not start from the proposals as a decision: %q", got)
	}
	if p := sec.Get(meetingURL(m.ID) + "/decisions/" + demo.SeedNumber); p.Status != http.StatusNotFound {
		t.Errorf("a case not on the agenda: %d", p.Status)
	}
	version := formOf(p).Get("version")
	before := ms.MeetingFingerprint()
	p = sec.Post(path, url.Values{"version": {version}, "type": {"amended"}, "text": {"  "}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("text"), "Skriv beslutets text") {
		t.Errorf("no text: %d %q", p.Status, p.FieldError("text"))
	}
	p.Has(t, `<option value="amended" selected>`)
	// A text that still proposes is refused until the secretary confirms it.
	proposed := "Arbetsmarknads- och socialnämnden föreslås besluta att godkänna delårsrapporten"
	p = sec.Post(path, url.Values{"version": {version}, "type": {"approved"}, "text": {proposed}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("text"), "föreslås") || !strings.Contains(p.Body, `name="confirm"`) {
		t.Errorf("a text that says föreslås: %d %q", p.Status, p.FieldError("text"))
	}
	ms.UnchangedMeetings(before)
	p = sec.Post(path, url.Values{"version": {version}, "type": {"tabled"}, "text": {"Bordläggs"}, "date": {"nästa vecka"}})
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("date") == "" {
		t.Errorf("a date that is no date: %d %q", p.Status, p.FieldError("date"))
	}
	if v, _ := p.InputValue("date"); v != "nästa vecka" || p.TextareaValue("text") != "Bordläggs" {
		t.Errorf("the values were not kept: %q %q", v, p.TextareaValue("text"))
	}
	if p := sec.Post(path, url.Values{"version": {version}, "type": {"maybe"}, "text": {"x"}}); p.Status != http.StatusUnprocessableEntity || p.FieldError("type") == "" {
		t.Errorf("an unknown type: %d", p.Status)
	}
	if p := sec.Post(meetingURL(m.ID)+"/decisions/"+demo.SeedNumber, url.Values{"type": {"approved"}, "text": {"x"}}); p.Status != http.StatusNotFound {
		t.Errorf("a paragraph on a case not on the agenda: %d", p.Status)
	}
	officer := ms.Login("handlaggare@kommun.example")
	officer.Get(meetingURL(m.ID))
	if p := officer.Post(path, url.Values{"version": {version}, "type": {"approved"}, "text": {"x"}}); p.Status != http.StatusForbidden {
		t.Errorf("an officer decides: %d", p.Status)
	}
	ms.UnchangedMeetings(before)

	sec.Get(path)
	p = sec.Post(path, url.Values{"version": {version}, "type": {"approved"}, "text": {"Nämnden godkänner delårsrapporten. " + script}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("the decision: %d\n%s", p.Status, p.Body)
	}
	pars, _ := ms.Store.CaseParagraphs(context.Background(), number)
	label := pars[len(pars)-1].Label
	// The notice names the paragraph and the case, once.
	sec.Get(meetingURL(m.ID)).Has(t, label+"</a> Bifall enligt förslaget", label+" för "+number+" är registrerad: Bifall enligt förslaget.")
	minutes := sec.Get(meetingURL(m.ID) + "/protokoll")
	minutes.HasNot(t, script)
	minutes.Has(t, "Utkast: protokollet är inte justerat", label, "godkänner delårsrapporten. &lt;script&gt;", "utdrag.pdf")
	if p := sec.Post(path, url.Values{"version": {version}, "type": {"approved"}, "text": {"Igen"}}); p.Status != http.StatusConflict {
		t.Errorf("a second decision: %d", p.Status)
	}
	sec.Get("/cases/"+number).Has(t, "Protokollsparagrafer", label, "Inte ännu")
}

// A named justerare signs with their password; others cannot, and a wrong
// password records nothing. Then the anslag, and the case page shows when
// the decision gains legal force.
func TestJusteringAndAnslagForms(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	sec := ms.Login("sekreterare@kommun.example")
	sec = ms.Held(m)
	ms.WithAdjusters(sec, m)
	sec.Get(meetingURL(m.ID) + "/decisions/" + number)
	if p := sec.Post(meetingURL(m.ID)+"/decisions/"+number, url.Values{"type": {"approved"}, "text": {"Nämnden godkänner delårsrapporten."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("decision: %d", p.Status)
	}
	path := meetingURL(m.ID) + "/justering"
	anslag := meetingURL(m.ID) + "/anslag"
	sec.Get(meetingURL(m.ID))
	before := ms.MeetingFingerprint()
	if p := sec.Post(anslag, url.Values{"date": {m.Date.String()}}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "inte justerat") {
		t.Errorf("anslag before justering: %d", p.Status)
	}
	// The secretary is no justerare: the page says so, and the form is refused.
	if p := sec.Get(path); !strings.Contains(p.Body, "Du är inte justerare") || strings.Contains(p.Body, `id="password"`) {
		t.Errorf("the justering page for a non-justerare: %d", p.Status)
	}
	if p := sec.Post(path, url.Values{"password": {demo.Password}}); p.Status != http.StatusForbidden {
		t.Errorf("a non-justerare signs: %d", p.Status)
	}
	chair := ms.Login("ordforande@kommun.example")
	chair.Get(path).Has(t, `id="password"`, `autocomplete="current-password"`, "Anna Ek", "Ej justerat")
	p := chair.Post(path, url.Values{"password": {"fel"}})
	if p.Status != http.StatusForbidden || !strings.Contains(p.FieldError("password"), "Fel lösenord") {
		t.Errorf("a wrong password: %d %q", p.Status, p.FieldError("password"))
	}
	if v, _ := p.InputValue("password"); v != "" {
		t.Error("the password is sent back in the page")
	}
	ms.UnchangedMeetings(before)

	ms.At(m.Date.AddDays(1).At(10, 0))
	chair = ms.Login("ordforande@kommun.example")
	chair.Get(path)
	if p := chair.Post(path, url.Values{"password": {demo.Password}}); p.Status != http.StatusSeeOther {
		t.Fatalf("the chair signs: %d\n%s", p.Status, p.Body)
	}
	chair.Get(path+"?done=signed").Has(t, "Din justering är registrerad", "Du har redan justerat")
	ledamot := ms.Login("ledamot@kommun.example")
	ledamot.Get(path)
	if p := ledamot.Post(path, url.Values{"password": {demo.Password}}); p.Status != http.StatusSeeOther {
		t.Fatalf("the ledamot signs: %d", p.Status)
	}
	evs, _ := ms.Store.Events(context.Background(), number)
	if last := evs[len(evs)-1]; last.Action != "justering" || last.Actor.Name != "Bo Ström" {
		t.Errorf("the history ends with %s by %s", last.Action, last.Actor.Name)
	}

	sec = ms.Login("sekreterare@kommun.example")
	page := sec.Get(meetingURL(m.ID))
	page.Has(t, `id="anslag_date"`, "Registrera anslaget")
	before = ms.MeetingFingerprint()
	justified := m.Date.AddDays(1)
	for _, tt := range []struct{ date, says string }{
		{"i morgon", "ÅÅÅÅ-MM-DD"},
		{justified.AddDays(5).String(), "har inte kommit"},
		{m.Date.String(), "före justeringen"},
	} {
		p := sec.Post(anslag, url.Values{"date": {tt.date}})
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("anslag_date"), tt.says) {
			t.Errorf("anslag %q: %d %q, want %q", tt.date, p.Status, p.FieldError("anslag_date"), tt.says)
		}
		if v, _ := p.InputValue("anslag_date"); v != tt.date {
			t.Errorf("anslag %q was not kept: %q", tt.date, v)
		}
	}
	ms.UnchangedMeetings(before)
	if p := sec.Post(anslag, url.Values{"date": {justified.String()}}); p.Status != http.StatusSeeOther {
		t.Fatalf("anslag: %d\n%s", p.Status, p.Body)
	}
	lf := workflow.LegalForce(justified)
	sec.Get("/cases/"+number).Has(t, "vinner laga kraft "+lf.String(), workflow.AppealEnds(justified).String())
	sec.Get(meetingURL(m.ID)+"/protokoll").Has(t, "Laga kraft", lf.String())
	ms.At(lf.At(9, 0))
	sec = ms.Login("sekreterare@kommun.example")
	sec.Get("/cases/"+number).Has(t, "laga kraft "+lf.String())

	// The PDFs open with the browser's session.
	for _, doc := range []string{meetingURL(m.ID) + "/protokoll.pdf", meetingURL(m.ID) + "/paragraphs/" + strconv.Itoa(lastParagraph(t, ms, number)) + "/utdrag.pdf"} {
		p := sec.Get(doc)
		if p.Status != 200 || p.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: %d %s", doc, p.Status, p.Header.Get("Content-Type"))
		}
		if text := pdftest.Text(t, []byte(p.Body)); !strings.Contains(text, "Nämnden godkänner delårsrapporten.") || !strings.Contains(text, "Justerat digitalt") {
			t.Errorf("%s lacks the decision or the justering:\n%s", doc, text)
		}
	}
	if p := sec.Get(meetingURL(m.ID) + "/paragraphs/999/utdrag.pdf"); p.Status != http.StatusNotFound {
		t.Errorf("an utdrag that does not exist: %d", p.Status)
	}
}

func lastParagraph(t *testing.T, ms *meetingSite, number string) int {
	t.Helper()
	pars, err := ms.Store.CaseParagraphs(context.Background(), number)
	if err != nil || len(pars) == 0 {
		t.Fatalf("paragraphs of %s: %v", number, err)
	}
	return pars[len(pars)-1].Number
}

func TestMembersForm(t *testing.T) {
	const script = "<script>alert(1)</script>"
	ms := newMeetingSite(t)
	sec := ms.Login("sekreterare@kommun.example")
	sec.Get("/bodies/ASN/members").Has(t, "Anna Ek", "Ordförande", "Lägg till ledamot")
	before := ms.MeetingFingerprint()
	p := sec.Post("/bodies/ASN/members", url.Values{"name": {"Gustav Lind"}, "email": {"inte en adress"}, "role": {"member"}})
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("email") == "" {
		t.Errorf("a bad address: %d %q", p.Status, p.FieldError("email"))
	}
	if v, _ := p.InputValue("name"); v != "Gustav Lind" {
		t.Errorf("the name was not kept: %q", v)
	}
	p = sec.Post("/bodies/ASN/members", url.Values{"name": {"Gustav Lind"}, "role": {"member"}, "user": {"ingen@kommun.example"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("user"), "ingen användare") {
		t.Errorf("an unknown account: %d %q", p.Status, p.FieldError("user"))
	}
	if p := sec.Post("/bodies/ASN/members", url.Values{"name": {"X"}, "role": {"boss"}}); p.Status != http.StatusUnprocessableEntity || p.FieldError("role") == "" {
		t.Errorf("an unknown role: %d", p.Status)
	}
	officer := ms.Login("handlaggare@kommun.example")
	page := officer.Get("/bodies/ASN/members")
	page.HasNot(t, "Lägg till ledamot")
	if p := officer.Post("/bodies/ASN/members", url.Values{"name": {"Obehörig"}, "role": {"member"}}); p.Status != http.StatusForbidden {
		t.Errorf("an officer adds a member: %d", p.Status)
	}
	if p := officer.Post("/bodies/ASN/members/1/remove", nil); p.Status != http.StatusForbidden {
		t.Errorf("an officer removes a member: %d", p.Status)
	}
	if p := sec.Get("/bodies/NOPE/members"); p.Status != http.StatusNotFound {
		t.Errorf("an unknown body: %d", p.Status)
	}
	ms.UnchangedMeetings(before)

	sec.Get("/bodies/ASN/members")
	if p := sec.Post("/bodies/ASN/members", url.Values{"name": {"Gustav " + script}, "email": {"gustav@parti.example"}, "role": {"substitute"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("a new member: %d\n%s", p.Status, p.Body)
	}
	page = sec.Get("/bodies/ASN/members?done=added")
	page.HasNot(t, script)
	page.Has(t, "Ledamoten är tillagd.", "Gustav &lt;script&gt;", "Ersättare")
	members, _ := ms.Store.Members(context.Background(), "ASN")
	last := members[len(members)-1]
	if p := sec.Post("/bodies/ASN/members/"+strconv.FormatInt(last.ID, 10)+"/remove", nil); p.Status != http.StatusSeeOther {
		t.Errorf("removing: %d", p.Status)
	}
}

// The personal feed's address is made on the page and shown once; it works
// without a login, and a new one replaces it.
func TestCalendarPage(t *testing.T) {
	ms := newMeetingSite(t)
	sec := ms.Login("sekreterare@kommun.example")
	sec.Get("/calendar").Has(t, "/calendar/ASN.ics", "Skapa en ny kalenderadress")
	p := sec.Post("/calendar", nil)
	if p.Status != 200 {
		t.Fatalf("a new feed: %d", p.Status)
	}
	feed, ok := p.InputValue("feed")
	if !ok || !strings.HasPrefix(feed, ms.Base+"/calendar/user/cal_") {
		t.Fatalf("the feed address %q", feed)
	}
	anon := ms.Browser()
	if got := anon.Get(strings.TrimPrefix(feed, ms.Base)); got.Status != 200 || !strings.Contains(got.Body, "BEGIN:VCALENDAR") ||
		!strings.Contains(got.Body, "Bevakning: Justering") {
		t.Errorf("the feed: %d\n%s", got.Status, got.Body)
	}
	sec.Post("/calendar", nil)
	if got := anon.Get(strings.TrimPrefix(feed, ms.Base)); got.Status != http.StatusNotFound {
		t.Errorf("the replaced feed: %d", got.Status)
	}
}

// Bordläggning without a date moves the case to the body's next meeting, and
// the paragraph says where it went.
func TestDecisionFormTablesToTheNextMeeting(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	later, err := ms.Store.Meetings(context.Background(), db.MeetingFilter{Body: "ASN", From: m.Date.AddDays(1)})
	if err != nil || len(later) == 0 {
		t.Fatalf("the demo has no later nämnd meeting: %v", err)
	}
	sec := ms.Held(m)
	path := meetingURL(m.ID) + "/decisions/" + number
	sec.Get(path).Has(t, "Tomt: organets nästa sammanträde, "+later[0].Date.String())
	if p := sec.Post(path, url.Values{"type": {"tabled"}, "text": {"Nämnden bordlägger ärendet i väntan på bokslutet."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("bordläggning: %d\n%s", p.Status, p.Body)
	}
	c, _ := ms.Store.Case(context.Background(), number)
	if st := c.CurrentStep(); st == nil || st.Date != later[0].Date || st.MeetingID != later[0].ID {
		t.Errorf("the tabled case waits at %+v, want the meeting of %s", st, later[0].Date)
	}
	sec.Get(meetingURL(m.ID)+"/protokoll").Has(t, "Bordläggning", "bordläggs till sammanträdet den "+later[0].Date.String())
	sec.Get(meetingURL(later[0].ID)).Has(t, number)
}
