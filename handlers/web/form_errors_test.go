package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// impossible is a date on the form ÅÅÅÅ-MM-DD that the calendar does not have.
const (
	impossible     = "2027-02-30"
	impossibleSays = "2027-02-30 finns inte; februari 2027 har 28 dagar"
)

// fieldErrors returns every message shown beside the input with this id, one
// per line as the page draws them.
func fieldErrors(p page, id string) []string {
	span := regexp.MustCompile(`<span class="field-error" id="` + regexp.QuoteMeta(id) + `-error">(.*?)</span>\n`)
	m := span.FindStringSubmatch(p.Body + "\n")
	if m == nil {
		return nil
	}
	var out []string
	for _, part := range strings.Split(m[1], `<span class="visually-hidden">Fel: </span>`)[1:] {
		out = append(out, html.UnescapeString(strings.NewReplacer(`</span>`, "", `<span class="field-error-line">`, "").Replace(part)))
	}
	return out
}

// expectErrors fails the test unless the field shows exactly these messages
// (each as a part), one per line, and is marked invalid.
func expectErrors(p page, t *testing.T, id string, want ...string) {
	t.Helper()
	got := fieldErrors(p, id)
	if len(got) != len(want) {
		t.Errorf("beside %s: %q, want %d messages containing %q", id, got, len(want), want)
		return
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("beside %s, line %d: %q, want it to contain %q", id, i+1, got[i], want[i])
		}
	}
	if len(want) > 1 && strings.Count(p.Body, `<span class="field-error-line">`) < len(want) {
		t.Errorf("the messages beside %s are not on lines of their own", id)
	}
	if !regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*aria-invalid="true"`).MatchString(p.Body) {
		t.Errorf("%s is not marked aria-invalid", id)
	}
	p.Has(t, `href="#`+id+`"`)
}

// A new case with the board missing, no title, a date February does not have
// and a recipient with neither name nor a valid address: every problem is on
// the page at once, each beside its field on its own line. So are the admin's
// new user form's.
func TestCaseAndUserFormsShowEveryErrorAtOnce(t *testing.T) {
	s, b := loggedIn(t, "sekreterare@kommun.example") // secretary of ASN and KS: no board is chosen for her
	b.Get("/cases/new")
	before := s.Fingerprint()
	form := validCase()
	form.Set("board", "")
	form.Set("title", "")
	form["route_date"] = []string{impossible, day(28)}
	form.Set("recipient_name", "")
	form.Set("recipient_email", "inte en adress")
	p := b.Post("/cases", form)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid case form: %d, want 422", p.Status)
	}
	expectErrors(p, t, "board", "Välj en nämnd")
	expectErrors(p, t, "title", "Ange en rubrik")
	expectErrors(p, t, "route-0", impossibleSays)
	expectErrors(p, t, "recipients-0", "Mottagaren saknar namn", "ingen giltig e-postadress")
	if n := strings.Count(p.Body[strings.Index(p.Body, `class="error-summary"`):], "<li><a href=\"#"); n != 5 {
		t.Errorf("the error summary lists %d problems, want 5", n)
	}
	s.Unchanged(before)

	// A draft edited to the same date says the same.
	draft := validCase()
	draft.Set("officer", "handlaggare@kommun.example")
	number := createCase(t, b, draft)
	f := formOf(b.Get("/cases/" + number + "/edit"))
	f["route_date"][0] = impossible
	f.Set("op", "save")
	before = s.Fingerprint()
	p = b.Post("/cases/"+number+"/edit", f)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("editing the draft to %s: %d", impossible, p.Status)
	}
	expectErrors(p, t, "route-0", impossibleSays)
	s.Unchanged(before)

	// The admin's new user form, too.
	admin := s.Browser()
	admin.Login("admin@kommun.example")
	admin.Get("/admin/users/new")
	before = s.Fingerprint()
	p = admin.Post("/admin/users", url.Values{"email": {"inte-en-adress"}, "name": {" "}, "password": {"kort"}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid user: %d", p.Status)
	}
	expectErrors(p, t, "email", "inte-en-adress")
	expectErrors(p, t, "name", "Ange namn")
	expectErrors(p, t, "password", "minst 10 tecken")
	s.Unchanged(before)
}

// A bevakning on a day that does not exist, for nobody known, about nothing.
func TestDeadlineFormShowsEveryErrorAtOnce(t *testing.T) {
	s, officer := loggedIn(t, "handlaggare@kommun.example")
	number := findCase(t, officer, "feriearbete")
	officer.Get("/cases/" + number)
	before := s.Fingerprint()
	p := officer.Post("/cases/"+number+"/deadlines", url.Values{"due": {impossible}, "responsible": {"vem@kommun.example"}, "note": {" "}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid bevakning: %d", p.Status)
	}
	expectErrors(p, t, "deadline_due", impossibleSays)
	expectErrors(p, t, "deadline_responsible", "vem@kommun.example")
	expectErrors(p, t, "deadline_note", "Skriv vad bevakningen gäller")
	s.Unchanged(before)
}

// Postponing to a day that does not exist says so, not that the format is wrong.
func TestPostponeToADayThatDoesNotExist(t *testing.T) {
	s, b := loggedIn(t, "sekreterare@kommun.example")
	number := findCase(t, b, "internkontrollplan")
	before := s.Fingerprint()
	p := act(t, b, number, workflow.ActPostpone, url.Values{"date": {impossible}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("postpone to %s: %d", impossible, p.Status)
	}
	expectErrors(p, t, "date", impossibleSays)
	s.Unchanged(before)
}

// The meeting forms: a new meeting on a day that does not exist at an hour
// that does not exist, and a bordläggning without text to such a day.
func TestMeetingFormsShowEveryErrorAtOnce(t *testing.T) {
	ms := newMeetingSite(t)
	sec := ms.Login("sekreterare@kommun.example")
	sec.Get("/meetings")
	before := ms.MeetingFingerprint()
	p := sec.Post("/meetings", url.Values{"body": {"ASN"}, "date": {impossible}, "time": {"25:00"}, "place": {"Kvar"}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid meeting: %d", p.Status)
	}
	expectErrors(p, t, "new_date", impossibleSays)
	expectErrors(p, t, "new_time", "TT:MM")

	m, number := ms.BoardMeeting()
	sec = ms.Held(m)
	path := meetingURL(m.ID) + "/decisions/" + number
	version := formOf(sec.Get(path)).Get("version")
	before = ms.MeetingFingerprint()
	p = sec.Post(path, url.Values{"version": {version}, "type": {"tabled"}, "text": {" "}, "date": {impossible}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid decision: %d", p.Status)
	}
	expectErrors(p, t, "text", "Skriv beslutets text")
	expectErrors(p, t, "date", impossibleSays)
	ms.UnchangedMeetings(before)
}

// A file too large to attach stops the save; the form's other problems show
// with it, on a new case and on an edited draft, and nothing is saved.
func TestCaseFormShowsFileAndFieldErrorsTogether(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	restore := setMaxAttachment(t, 32<<10)
	defer restore()
	big := upload{Field: "files", Name: "stor.bin", Data: make([]byte, 64<<10)}

	b.Get("/cases/new")
	before := s.Fingerprint()
	form := validCase()
	form.Set("title", "")
	form["route_date"] = []string{impossible, day(28)}
	p := b.PostMultipart("/cases", form, big)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a new case with a too large file and no title: %d", p.Status)
	}
	expectErrors(p, t, "title", "Ange en rubrik")
	expectErrors(p, t, "route-0", impossibleSays)
	if got := p.FieldError("files"); !strings.Contains(got, "stor.bin är för stor") {
		t.Errorf("message beside files = %q", got)
	}
	s.Unchanged(before)

	number := createCase(t, b, validCase())
	f := formOf(b.Get("/cases/" + number + "/edit"))
	f.Set("title", " ")
	f.Set("op", "save")
	before = s.Fingerprint()
	p = b.PostMultipart("/cases/"+number+"/edit", f, big)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an edited draft with a too large file and no title: %d", p.Status)
	}
	expectErrors(p, t, "title", "Ange en rubrik")
	if got := p.FieldError("files"); !strings.Contains(got, "stor.bin är för stor") {
		t.Errorf("message beside files = %q", got)
	}
	s.Unchanged(before)
}

// The anslagstavla's notice form says a date does not exist rather than how
// to write a date, beside both date fields, with its other problems.
func TestNoticeFormSaysTheDateDoesNotExist(t *testing.T) {
	_, sec := loggedIn(t, "sekreterare@kommun.example")
	sec.Get("/anslagstavla/new")
	p := sec.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {" "}, "text": {"Text"},
		"posted_on": {impossible}, "down_on": {"2027-13-01"}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a notice on %s: %d", impossible, p.Status)
	}
	expectErrors(p, t, "posted_on", impossibleSays)
	expectErrors(p, t, "down_on", "månad 13 finns inte")
	expectErrors(p, t, "title", "Ange en rubrik")
}
