package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// apiCreate makes a case through the form and returns its number.
func createCase(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	b.Get("/cases/new")
	p := b.Post("/cases", form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("create case: %d\n%s", p.Status, p.Body)
	}
	return strings.TrimPrefix(strings.SplitN(p.Location, "?", 2)[0], "/cases/")
}

// act presses an action's button on the case page, with the version shown there.
func act(t *testing.T, b *browser, number string, a workflow.Action, extra url.Values) page {
	t.Helper()
	p := b.Get("/cases/" + number)
	form := url.Values{"version": {versionOf(t, p)}}
	for k, v := range extra {
		form[k] = v
	}
	return b.Post("/cases/"+number+"/actions/"+string(a), form)
}

// versionOf is the case version the case page shows.
func versionOf(t *testing.T, p page) string {
	t.Helper()
	return regexpFind(t, p.Body, `\(version (\d+)\)`)
}

// submitted is a case the officer has submitted, waiting for chef@.
func submitted(t *testing.T, s *site) string {
	t.Helper()
	officer := s.Browser()
	officer.Login("handlaggare@kommun.example")
	number := createCase(t, officer, validCase())
	if p := act(t, officer, number, workflow.ActSubmit, nil); p.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", p.Status)
	}
	return number
}

func TestActionButtonsFollowTheWorkflow(t *testing.T) {
	s := newSite(t)
	number := submitted(t, s)
	for _, tc := range []struct {
		email string
		show  []workflow.Action
		hide  []workflow.Action
	}{
		{"chef@kommun.example", []workflow.Action{workflow.ActApprove, workflow.ActReject}, []workflow.Action{workflow.ActAdvance, workflow.ActSubmit}},
		{"handlaggare@kommun.example", []workflow.Action{workflow.ActWithdraw}, []workflow.Action{workflow.ActApprove, workflow.ActSubmit}},
		{"jonas.magnusson@kommun.example", nil, []workflow.Action{workflow.ActApprove, workflow.ActReject, workflow.ActWithdraw}},
	} {
		b := s.Browser()
		b.Login(tc.email)
		p := b.Get("/cases/" + number)
		for _, a := range tc.show {
			p.Has(t, "/actions/"+string(a)+`"`)
		}
		for _, a := range tc.hide {
			if strings.Contains(p.Body, "/actions/"+string(a)+`"`) {
				t.Errorf("%s is offered %s", tc.email, a)
			}
		}
	}
}

func TestActionNeedsReason(t *testing.T) {
	s := newSite(t)
	number := submitted(t, s)
	b := s.Browser()
	b.Login("chef@kommun.example")
	if p := b.Get("/cases/" + number + "/actions/reject"); p.Status != http.StatusOK {
		t.Fatalf("reject form: %d", p.Status)
	} else {
		p.Has(t, `<label for="reason">Skäl</label>`)
	}
	before := s.Fingerprint()
	p := act(t, b, number, workflow.ActReject, url.Values{"reason": {"   "}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("reject without reason: %d", p.Status)
	}
	if got := p.FieldError("reason"); !strings.Contains(got, "Ange ett skäl") {
		t.Errorf("message beside reason = %q", got)
	}
	s.Unchanged(before)
}

func TestPostponeFormInvalid(t *testing.T) {
	s, b := loggedIn(t, "sekreterare@kommun.example")
	// "Uppföljning av internkontrollplan" waits at the working committee.
	number := findCase(t, b, "internkontrollplan")
	before := s.Fingerprint()
	for _, date := range []string{"", "2026-02-30", "inte ett datum", "2000-01-03"} {
		p := act(t, b, number, workflow.ActPostpone, url.Values{"date": {date}, "reason": {"Skäl som ska finnas kvar"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Errorf("postpone to %q: %d, want 422", date, p.Status)
			continue
		}
		if p.FieldError("date") == "" {
			t.Errorf("postpone to %q: no message beside the date", date)
		}
		if v, _ := p.InputValue("date"); v != date {
			t.Errorf("postpone to %q: the date was not kept (%q)", date, v)
		}
		if got := p.TextareaValue("reason"); got != "Skäl som ska finnas kvar" {
			t.Errorf("the reason was not kept: %q", got)
		}
	}
	s.Unchanged(before)
}

// The nämnd decides at its meeting: the case's own decide form is refused
// and says where to record the decision (its §), changing nothing.
func TestDecideOnlyAtTheMeeting(t *testing.T) {
	s, b := loggedIn(t, "sekreterare@kommun.example")
	number := findCase(t, b, "Delårsrapport")
	before := s.Fingerprint()
	for _, form := range []url.Values{{"decision": {""}, "decision_type": {"approved"}}, {"decision": {"Nämnden godkänner."}}} {
		p := act(t, b, number, workflow.ActDecide, form)
		if p.Status != http.StatusConflict || !strings.Contains(p.Body, "sammanträdets sida") {
			t.Errorf("decide on the case: %d", p.Status)
		}
	}
	if p := b.Get("/cases/" + number); strings.Contains(p.Body, "/actions/decide") {
		t.Error("the case page offers a decide that would be refused")
	}
	s.Unchanged(before)
}

func TestStaleVersionShowsTheFreshCase(t *testing.T) {
	s := newSite(t)
	number := submitted(t, s)
	b := s.Browser()
	b.Login("chef@kommun.example")
	stale := versionOf(t, b.Get("/cases/"+number))
	// The manager's other tab approves first.
	if p := act(t, b, number, workflow.ActApprove, nil); p.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d", p.Status)
	}
	before := s.Fingerprint()
	p := b.Post("/cases/"+number+"/actions/reject", url.Values{"version": {stale}, "reason": {"För sent"}})
	if p.Status != http.StatusConflict {
		t.Fatalf("stale action: %d, want 409", p.Status)
	}
	p.Has(t, "Ärendet har ändrats sedan du öppnade det", "Steg: Arbetsutskott", "Riktlinjer för föreningsbidrag")
	s.Unchanged(before)

	// The same version twice (a double click) is refused the same way.
	p = b.Post("/cases/"+number+"/actions/approve", url.Values{"version": {stale}})
	if p.Status != http.StatusConflict {
		t.Errorf("approve again: %d, want 409", p.Status)
	}
	s.Unchanged(before)
}

func TestForbiddenActionShowsTheCase(t *testing.T) {
	s := newSite(t)
	number := submitted(t, s)
	b := s.Browser()
	b.Login("handlaggare@kommun.example")
	before := s.Fingerprint()
	p := act(t, b, number, workflow.ActApprove, nil)
	if p.Status != http.StatusForbidden {
		t.Fatalf("officer approves: %d, want 403", p.Status)
	}
	p.Has(t, "Du får inte utföra åtgärden", "Lena Holm", "Steg: För godkännande")
	if p := b.Get("/cases/" + number + "/actions/approve"); p.Status != http.StatusForbidden {
		t.Errorf("the approve form for the officer: %d, want 403", p.Status)
	}
	if p := b.Get("/cases/" + number + "/actions/nonsense"); p.Status != http.StatusNotFound {
		t.Errorf("an unknown action: %d, want 404", p.Status)
	}
	s.Unchanged(before)
}

func TestAttachmentUploadOnCasePage(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	b.Get("/cases/" + demo.DraftNumber)
	before := s.Fingerprint()
	p := b.PostMultipart("/cases/"+demo.DraftNumber+"/attachments", nil)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("upload without a file: %d", p.Status)
	}
	p.Has(t, "Välj en fil att ladda upp", "Handlingsplan mot hemlöshet 2027–2030")
	s.Unchanged(before)

	p = b.PostMultipart("/cases/"+demo.DraftNumber+"/attachments", nil, upload{Field: "file", Name: `C:\Users\sara\Bilaga 3.txt`,
		Data: []byte(strings.Repeat("text ", 10_300))})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d", p.Status)
	}
	// The size as the form before upload writes it, not in bytes.
	page := b.Get("/cases/" + demo.DraftNumber)
	page.Has(t, "Bilaga 3.txt</a> <span class=\"muted\">(51 kB)</span>")
	page.HasNot(t, "51500 byte")
	cs, _ := s.Store.Case(context.Background(), demo.DraftNumber)
	if last := cs.Attachments[len(cs.Attachments)-1]; last.Name != "Bilaga 3.txt" {
		t.Errorf("stored name %q, want the base name only", last.Name)
	}

	// The manager may not add to someone else's draft.
	m := s.Browser()
	m.Login("chef@kommun.example")
	m.Get("/cases/" + demo.DraftNumber)
	before = s.Fingerprint()
	p = m.PostMultipart("/cases/"+demo.DraftNumber+"/attachments", nil, upload{Field: "file", Name: "x.txt", Data: []byte("x")})
	if p.Status != http.StatusForbidden {
		t.Errorf("upload by the manager: %d, want 403", p.Status)
	}
	s.Unchanged(before)
}

func TestCasePageReadsLikeTheSeed(t *testing.T) {
	_, b := loggedIn(t, "handlaggare@kommun.example")
	p := b.Get("/cases/" + demo.SeedNumber)
	if p.Status != http.StatusOK {
		t.Fatalf("seed case: %d", p.Status)
	}
	order := []string{"<h1 id=\"case-title\">Internationell redovisning 2019</h1>", "ASN-2019-17886",
		"<h2>Sammanfattning</h2>", "har uppdragits av kommunstyrelsen",
		"<h2>Förslag till beslut</h2>", `<ol class="proposals">`, "föreslås besluta att godkänna redovisningen",
		"<h2 id=\"underlag\">Beslutsunderlag</h2>", "G-Tjänsteskrivelse - ASN 200130",
		"<h2>Beslutsplanering</h2>", "ASN presidieberedning", "2020-01-08", "ASN arbetsutskott", "2020-01-16",
		"Arbetsmarknads- och socialnämnden", "2020-01-30", "Kommunstyrelsen", "datum ej bestämt",
		"<h2>Beslutet skickas till</h2>", "Kommunstyrelsen",
		"<h2>Ärendet</h2>", "<li>Förvaltningarnas prioriterade områden", "<h3>Förvaltningens internationella arbete 2019</h3>",
		"<caption>Utbetalda EU-medel 2019</caption>", `<th scope="col">Projektnamn</th>`, "Hela familjen", "1 680 158 SEK", "Malmö Innovationsarena",
		"<tfoot>", "TOTALT", "4 029 253 SEK",
		"<h3>Förvaltningens överväganden</h3>",
		"<h2>Ansvariga</h2>", "Jonas Magnusson, Enhetschef", "Katarina Lindeberg, Avdelningschef", "Britt-Marie Pettersson, Förvaltningschef",
	}
	at := 0
	for _, want := range order {
		i := strings.Index(p.Body[at:], want)
		if i < 0 {
			t.Fatalf("the case page lacks %q after position %d, or has it out of the document's order", want, at)
		}
		at += i + len(want)
	}
}

// A draft that lacks what submitting needs says so on the case page, where
// the edit button is.
func TestSubmitIncompleteDraft(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	form := validCase()
	form.Del("route_body")
	form.Del("route_date")
	form.Del("approver_email")
	number := createCase(t, b, form)
	before := s.Fingerprint()
	p := act(t, b, number, workflow.ActSubmit, nil)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("submit without route: %d, want 422", p.Status)
	}
	p.Has(t, "saknar beslutsplanering", "saknar ansvariga chefer", "Ändra utkastet", "Steg: Utkast")
	s.Unchanged(before)
}
