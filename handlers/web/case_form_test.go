package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// day is a work day n days from today, as the forms write dates.
func day(n int) string {
	return workflow.NextWorkday(workflow.Today(time.Now()).AddDays(n)).String()
}

// validCase is a new case form that the store accepts; its dates are each a
// nytt extra sammanträde, unless the demo's plan has a meeting that day.
func validCase() url.Values {
	return url.Values{
		"board": {"ASN"}, "title": {"Riktlinjer för föreningsbidrag"}, "summary": {"Kort sammanfattning."},
		"proposals":  {"Nämnden föreslås besluta att anta riktlinjerna"},
		"route_body": {"ASN-AU", "ASN"}, "route_date": {day(14), day(28)}, "route_extra": {"0", "1"},
		"approver_email": {"chef@kommun.example"}, "approver_position": {""},
		"recipient_name": {"Kommunstyrelsen"}, "recipient_email": {"ks@kommun.example"},
		"background": {"Bakgrund."}, "op": {"save"},
	}
}

func TestNewCaseFormInvalid(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	b.Get("/cases/new")
	form := validCase()
	form.Set("title", "")
	form["route_date"] = []string{"2020-13-45", day(28)}
	form["approver_email"] = []string{"sekreterare@kommun.example"} // not an approver
	form.Set("recipient_email", "inte en adress")
	form.Set("summary", "Summering som ska finnas kvar")
	before := s.Fingerprint()
	p := b.Post("/cases", form)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid case form: %d, want 422", p.Status)
	}
	for id, want := range map[string]string{
		"title":        "Ange en rubrik",
		"route-0":      "inte ett datum på formen ÅÅÅÅ-MM-DD",
		"approvers-0":  "är inte ansvarig chef för ASN",
		"recipients-0": "ingen giltig e-postadress",
	} {
		if got := p.FieldError(id); !strings.Contains(got, want) {
			t.Errorf("message beside %s = %q, want it to contain %q", id, got, want)
		}
		p.Has(t, `href="#`+id+`"`) // the error summary links to the field
	}
	p.Has(t, `class="error-summary"`, `aria-invalid="true"`)
	if got := p.TextareaValue("summary"); got != "Summering som ska finnas kvar" {
		t.Errorf("the summary was not kept: %q", got)
	}
	if got, _ := p.InputValue("route-0-date"); got != "2020-13-45" {
		t.Errorf("the wrong date was not kept for correcting: %q", got)
	}
	if got, _ := p.InputValue("recipients-0-email"); got != "inte en adress" {
		t.Errorf("the recipient address was not kept: %q", got)
	}
	p.Has(t, `<option value="sekreterare@kommun.example" selected>`, `<option value="ASN" selected>`)
	s.Unchanged(before)
}

func TestNewCaseFormRowButtons(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	b.Get("/cases/new")
	before := s.Fingerprint()

	form := validCase()
	form.Set("op", "add:proposals")
	p := b.Post("/cases", form)
	if p.Status != http.StatusOK {
		t.Fatalf("add a proposal row: %d", p.Status)
	}
	p.Has(t, `id="proposals-1"`)
	if got := p.TextareaValue("proposals-0"); got != "Nämnden föreslås besluta att anta riktlinjerna" {
		t.Errorf("adding a row lost the first proposal: %q", got)
	}

	form.Set("op", "remove:route:0")
	p = b.Post("/cases", form)
	if got, _ := p.InputValue("route-0-date"); got != day(28) {
		t.Errorf("after removing step 1, step 1 should be the old step 2 (%s), is %q", day(28), got)
	}
	p.HasNot(t, `id="route-1"`)
	s.Unchanged(before)
}

func TestNewCaseWithUploads(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	b.Get("/cases/new")
	p := b.PostMultipart("/cases", validCase(),
		upload{Field: "files", Name: "../../etc/passwd", Data: []byte("inte ett lösenord")},
		upload{Field: "files", Name: "Bilaga <img src=x onerror=alert(1)>.pdf", Data: []byte("%PDF-1.4")})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/cases/ASN-") {
		t.Fatalf("create with files: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	number := strings.TrimPrefix(strings.SplitN(p.Location, "?", 2)[0], "/cases/")
	cs, err := s.Store.Case(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Attachments) != 2 || cs.Attachments[0].Name != "passwd" || cs.Attachments[1].Name != "Bilaga <img src=x onerror=alert(1)>.pdf" {
		t.Fatalf("attachments: %+v", cs.Attachments)
	}
	// The name is for display only, and shown as text.
	p = b.Get("/cases/" + number)
	p.Has(t, "Bilaga &lt;img src=x onerror=alert(1)&gt;.pdf")
	p.HasNot(t, "<img src=x")
	p = b.Get("/cases/" + number + "/attachments/" + itoa(cs.Attachments[0].ID))
	if p.Status != http.StatusOK || p.Body != "inte ett lösenord" {
		t.Fatalf("download: %d %q", p.Status, p.Body)
	}
	if cd := p.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, `filename=passwd`) {
		t.Errorf("Content-Disposition = %q", cd)
	}
}

func TestNewCaseRefusesTooLargeFileBeforeSaving(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	b.Get("/cases/new")
	before := s.Fingerprint()
	big := make([]byte, 64<<10)
	restore := setMaxAttachment(t, 32<<10)
	defer restore()
	p := b.PostMultipart("/cases", validCase(), upload{Field: "files", Name: "stor.bin", Data: big})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("too large file: %d", p.Status)
	}
	if got := p.FieldError("files"); !strings.Contains(got, "stor.bin är för stor") {
		t.Errorf("message beside files = %q", got)
	}
	p.Has(t, "välj dem igen")
	s.Unchanged(before)
}

func TestEditDraft(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	p := b.Get("/cases/" + demo.DraftNumber + "/edit")
	if p.Status != http.StatusOK {
		t.Fatalf("edit form: %d", p.Status)
	}
	if v, _ := p.InputValue("title"); v != "Handlingsplan mot hemlöshet 2027–2030" {
		t.Errorf("the form does not start from the case: title %q", v)
	}
	planned, _ := s.Store.Case(context.Background(), demo.DraftNumber)
	form := formOf(p)
	version := form.Get("version")
	form.Set("title", strings.Repeat("x", workflow.MaxTitle+1))
	before := s.Fingerprint()
	p = b.Post("/cases/"+demo.DraftNumber+"/edit", form)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("too long title: %d", p.Status)
	}
	if got := p.FieldError("title"); !strings.Contains(got, "högst 300 tecken") {
		t.Errorf("message beside title = %q", got)
	}
	s.Unchanged(before)

	// Someone else saves first: this edit comes back with its values and a message.
	form.Set("title", "Handlingsplan mot hemlöshet 2027–2030, reviderad")
	form.Set("version", version)
	other := s.Browser()
	other.Login("sekreterare@kommun.example")
	op := other.Get("/cases/" + demo.DraftNumber + "/edit")
	of := formOf(op)
	of.Set("summary", "Sekreterarens ändring.")
	if r := other.Post("/cases/"+demo.DraftNumber+"/edit", of); r.Status != http.StatusSeeOther {
		t.Fatalf("the other edit: %d", r.Status)
	}
	before = s.Fingerprint()
	p = b.Post("/cases/"+demo.DraftNumber+"/edit", form)
	if p.Status != http.StatusConflict {
		t.Fatalf("stale edit: %d, want 409", p.Status)
	}
	p.Has(t, "Någon annan har sparat utkastet")
	if v, _ := p.InputValue("title"); v != "Handlingsplan mot hemlöshet 2027–2030, reviderad" {
		t.Errorf("the stale edit lost its values: %q", v)
	}
	s.Unchanged(before)

	// Saved again knowingly, it goes through.
	form.Set("version", formOf(p).Get("version"))
	if r := b.Post("/cases/"+demo.DraftNumber+"/edit", form); r.Status != http.StatusSeeOther {
		t.Fatalf("saving again: %d\n%s", r.Status, r.Body)
	}
	cs, _ := s.Store.Case(context.Background(), demo.DraftNumber)
	if cs.Title != "Handlingsplan mot hemlöshet 2027–2030, reviderad" || len(cs.Route) != 4 || cs.Route[0].Date != planned.Route[0].Date {
		t.Errorf("after the edit: %q, route %v", cs.Title, cs.Route)
	}
}

// The edit form saved as it came writes nothing: no new version, no
// "ändrat" in the history, and a colleague who opened the same version
// can still save theirs. Before, each such save made a new version.
func TestEditDraftSavedUnchanged(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	form := formOf(b.Get("/cases/" + demo.DraftNumber + "/edit"))
	other := s.Browser()
	other.Login("sekreterare@kommun.example")
	of := formOf(other.Get("/cases/" + demo.DraftNumber + "/edit"))

	before := s.Fingerprint()
	p := b.Post("/cases/"+demo.DraftNumber+"/edit", form)
	if p.Status != http.StatusSeeOther || p.Location != "/cases/"+demo.DraftNumber+"?done=unchanged" {
		t.Fatalf("the form saved as it came: %d to %q", p.Status, p.Location)
	}
	s.Unchanged(before)
	b.Get(p.Location).Has(t, "Inga ändringar att spara")

	of.Set("summary", "Sekreterarens ändring.")
	if r := other.Post("/cases/"+demo.DraftNumber+"/edit", of); r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location, "?done=saved") {
		t.Errorf("the colleague's edit of the same version: %d to %q", r.Status, r.Location)
	}
}

// The new case form sent twice (a double click, or sent again after a lost
// answer) registers one case: the second post leads to the first's case.
// Before, each post got a diarienummer of its own.
func TestNewCaseFormSentTwice(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	page := b.Get("/cases/new")
	id := formOf(page).Get("submission")
	if len(id) != 32 {
		t.Fatalf("the form's id: %q", id)
	}
	form := validCase()
	form.Set("submission", id)
	first := b.Post("/cases", form)
	if first.Status != http.StatusSeeOther || !strings.HasPrefix(first.Location, "/cases/") {
		t.Fatalf("first post: %d to %q", first.Status, first.Location)
	}
	number := strings.TrimPrefix(strings.SplitN(first.Location, "?", 2)[0], "/cases/")
	before := s.Fingerprint()
	again := b.Post("/cases", form)
	if again.Status != http.StatusSeeOther || again.Location != "/cases/"+number {
		t.Fatalf("second post: %d to %q, want the first's case %s", again.Status, again.Location, number)
	}
	s.Unchanged(before)
	b.Get("/cases/"+number).Has(t, "Formuläret hade redan skickats: ärendet "+number+" är skapat")
	// Back, changed and sent again: said so, with a new id to save it as a new case knowingly.
	form.Set("title", "Ändrad efter att formuläret skickats")
	changed := b.Post("/cases", form)
	if changed.Status != http.StatusConflict || !strings.Contains(changed.Body, "Formuläret har redan skickats en gång med andra uppgifter") {
		t.Fatalf("changed and sent again: %d", changed.Status)
	}
	if next := formOf(changed).Get("submission"); len(next) != 32 || next == id {
		t.Errorf("the form's id after the refusal: %q (was %q)", next, id)
	}
	s.Unchanged(before)
	// An edited id is no id: the form is sent once and gets a new one.
	form.Set("submission", "abc!<x>")
	if p := b.Post("/cases", form); p.Status != http.StatusSeeOther {
		t.Errorf("an edited id: %d", p.Status)
	}
	form.Set("submission", id)
	form.Set("title", validCase().Get("title"))
	// A new form is a new case.
	fresh := formOf(b.Get("/cases/new")).Get("submission")
	form.Set("submission", fresh)
	if p := b.Post("/cases", form); p.Status != http.StatusSeeOther || strings.SplitN(p.Location, "?", 2)[0] == "/cases/"+number {
		t.Errorf("a new form: %d to %q", p.Status, p.Location)
	}
}
