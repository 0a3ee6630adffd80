package handlers_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// Text nobody types is refused with a Swedish 4xx that names the field, and
// changes nothing: broken UTF-8, U+FFFD from a lone surrogate, control
// characters, and the characters that turn the writing direction (fault 8).
func TestTextThatIsNotTextIsRefused(t *testing.T) {
	s := startServer(t)
	s.Token(officer)
	s.Token(secretary)
	before := s.Fingerprint(demo.DraftNumber)
	withTitle := func(title string) string {
		return `{"board":"ASN","title":"` + title + `","summary":"x","proposals":["att x"],"route":[]}`
	}
	for _, tt := range []struct {
		name, path, body string
		status           int
		field            string
	}{
		{"invalid UTF-8", "/api/v1/cases", withTitle("Trasig \xff titel"), 400, ""},
		{"lone surrogate", "/api/v1/cases", withTitle(`Halv \udc00 titel`), 422, "title"},
		{"NUL", "/api/v1/cases", withTitle(`Titel\u0000`), 422, "title"},
		{"escape", "/api/v1/cases", withTitle(`\u001b[31mRöd`), 422, "title"},
		{"right-to-left override", "/api/v1/cases", withTitle("Protokoll \u202egnp.exe"), 422, "title"},
		{"override in a list", "/api/v1/cases", `{"board":"ASN","title":"x","proposals":["att \u2066x"]}`, 422, "proposals[0]"},
		{"override in a bevakning", "/api/v1/cases/" + demo.DraftNumber + "/deadlines", `{"due":"2026-04-01","note":"Ring \u202e"}`, 422, "note"},
		{"NUL in a patch", "/api/v1/cases/ASN-2026-1", `{"version":1,"summary":"a\u0000b"}`, 422, "summary"},
		{"a key twice", "/api/v1/cases", `{"board":"ASN","title":"x","title":"y"}`, 422, "title"},
		{"a key twice, deeper", "/api/v1/cases", `{"board":"ASN","title":"x","route":[{"body":"ASN","body":"KS"}]}`, 422, "route[0].body"},
	} {
		method := "POST"
		if strings.Contains(tt.name, "patch") {
			method = "PATCH"
		}
		r := s.As(officer, method, tt.path, tt.body)
		p := wantProblem(t, r, tt.status)
		if tt.field != "" && !strings.Contains(string(r.Body), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: the problem names no field %q: %s", tt.name, tt.field, r.Body)
		}
		if d, _ := p["detail"].(string); strings.Contains(d, "invalid") || strings.Contains(d, "json:") {
			t.Errorf("%s: detail in English: %q", tt.name, d)
		}
	}
	// A query parameter, and a file name that hides ".exe".
	wantProblem(t, s.As(officer, "GET", "/api/v1/cases?q=%FF", nil), 422)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "Bilaga \u202egnp.exe")
	fw.Write([]byte("MZ"))
	w.Close()
	req, _ := http.NewRequest("POST", s.Base+"/api/v1/cases/ASN-2026-1/attachments", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.Token(secretary))
	wantProblem(t, s.Do(req), 422)
	// A control character the multipart parser itself cannot read: Swedish too.
	raw := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\x01b.pdf\"\r\n\r\nx\r\n--b--\r\n"
	req, _ = http.NewRequest("POST", s.Base+"/api/v1/cases/ASN-2026-1/attachments", strings.NewReader(raw))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	req.Header.Set("Authorization", "Bearer "+s.Token(secretary))
	r := s.Do(req)
	if p := wantProblem(t, r, 400); strings.Contains(p["detail"].(string), "multipart") {
		t.Errorf("the parser's English: %v", p["detail"])
	}
	if after := s.Fingerprint(demo.DraftNumber); after != before {
		t.Errorf("refused text changed the database:\n%s\n%s", before, after)
	}
}

// The same in a browser's form: the form comes back (422) with what was
// typed, less the characters nobody types, and the message in Swedish beside
// the field, together with the form's other problems; nothing is saved,
// even when nothing else is wrong.
func TestFormTextThatIsNotTextIsRefused(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	before := s.Fingerprint()
	b.Get("/cases/new")
	p := b.Post("/cases", url.Values{"board": {"ASN"}, "title": {"Titel\x00 för året"}, "summary": {"Sammanfattning\u202e"}})
	if p.Status != 422 || !strings.Contains(p.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("a NUL in a form: %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	if e := p.FieldError("title"); !strings.Contains(e, "”Rubrik” innehöll styrtecknet U+0000") {
		t.Errorf("the title's message: %q", e)
	}
	if e := p.FieldError("summary"); !strings.Contains(e, "innehöll tecknet U+202E") {
		t.Errorf("the summary's message: %q", e)
	}
	if v, _ := p.InputValue("title"); v != "Titel för året" {
		t.Errorf("the title comes back as %q", v)
	}
	if v := p.TextareaValue("summary"); v != "Sammanfattning" {
		t.Errorf("the summary comes back as %q", v)
	}
	p.Has(t, "Uppgifterna behöver rättas", `href="#title"`)
	s.Unchanged(before)

	// A notice with nothing else wrong: still nothing is saved.
	secB := s.Browser()
	secB.Login("sekreterare@kommun.example")
	secB.Get("/anslagstavla/new")
	today := workflow.Today(time.Now())
	before = s.Fingerprint()
	p = secB.Post("/anslagstavla/new", url.Values{"board": {"ASN"}, "title": {"Ändrad lokal"}, "text": {"Sal\x07 B"},
		"posted_on": {today.String()}, "down_on": {today.AddDays(7).String()}})
	if p.Status != 422 {
		t.Fatalf("a bell in a notice: %d", p.Status)
	}
	if e := p.FieldError("text"); !strings.Contains(e, "Texten innehöll styrtecknet U+0007") {
		t.Errorf("the text's message: %q", e)
	}
	if v, _ := p.InputValue("title"); v != "Ändrad lokal" {
		t.Errorf("the title comes back as %q", v)
	}
	if v := p.TextareaValue("text"); v != "Sal B" {
		t.Errorf("the text comes back as %q", v)
	}
	if v, _ := p.InputValue("down_on"); v != today.AddDays(7).String() {
		t.Errorf("down_on comes back as %q", v)
	}
	s.Unchanged(before)
	// Sent again as it came back, it is posted.
	if p := secB.Post("/anslagstavla/new", formOf(p)); p.Status != http.StatusSeeOther {
		t.Errorf("the cleaned form sent again: %d", p.Status)
	}
}

// A JSON body without Content-Type is 415, as the README promises (fault 8).
func TestJSONWithoutContentType(t *testing.T) {
	s := startServer(t)
	token := s.Token(officer)
	before := s.Fingerprint(demo.DraftNumber)
	req, _ := http.NewRequest("POST", s.Base+"/api/v1/cases", strings.NewReader(`{"board":"ASN","title":"Utan typ"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Del("Content-Type")
	wantProblem(t, s.Do(req), http.StatusUnsupportedMediaType)
	if s.Fingerprint(demo.DraftNumber) != before {
		t.Error("the database changed")
	}
}

// A page number past any list is refused, not read as page 1 (fault 8).
func TestHugePageNumber(t *testing.T) {
	s := startServer(t)
	for _, path := range []string{"/api/v1/cases?page=9223372036854775807", "/api/v1/cases?page=9223372036854775807&per_page=200",
		"/api/v1/diary?page=9223372036854775807", "/api/v1/outbox?page=4611686018427387904"} {
		who := officer
		if strings.Contains(path, "outbox") {
			who = admin
		}
		r := s.As(who, "GET", path, nil)
		wantProblem(t, r, 422)
		if !strings.Contains(string(r.Body), `"field":"page"`) {
			t.Errorf("%s: %s", path, r.Body)
		}
	}
	// Past the last page, but a page number all the same: an empty page.
	var page casePage
	s.GetJSON(officer, "/api/v1/cases?page=100000", &page)
	if len(page.Items) != 0 || page.Page != 100000 {
		t.Errorf("page 100000: %d items, page %d", len(page.Items), page.Page)
	}
}

// Messages name the field as the API does and never a Go type (fault 10).
func TestTypeErrorsSpeakSwedish(t *testing.T) {
	s := startServer(t)
	for body, want := range map[string]string{
		`{"board":"ASN","title":"x","approvers":{"email":"chef@kommun.example"}}`: `ska vara en lista`,
		`{"board":"ASN","title":17}`:                                           `ska vara text`,
		`{"board":"ASN","title":"x","secret":"ja"}`:                            `ska vara true eller false`,
		`{"board":"ASN","title":"x","route":[{"body":"ASN","date":20270101}]}`: `ska vara text`,
		`{"board":"ASN",`:             `tar slut för tidigt`,
		`{"board":"ASN" "title":"x"}`: `Felaktig JSON vid tecken`,
		`[]`:                          `Begärans JSON ska vara ett objekt`, // not a field named ""
	} {
		r := s.As(officer, "POST", "/api/v1/cases", body)
		if r.Status != 400 && r.Status != 422 {
			t.Errorf("%s: %d", body, r.Status)
		}
		if b := string(r.Body); !strings.Contains(b, want) || strings.Contains(b, "db.") || strings.Contains(b, "invalid character") || strings.Contains(b, "[]") {
			t.Errorf("%s: %s, want %q", body, b, want)
		}
	}
}

// Headers past the server's read buffer are refused before any handler, with
// a Swedish problem, not the HTTP server's English (found by fuzzing).
func TestOversizedHeaders(t *testing.T) {
	s := startServer(t)
	req, _ := http.NewRequest("POST", s.Base+"/api/v1/cases", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", strings.Repeat("h", 5000))
	r := s.Do(req)
	if r.Status < 400 || r.Status >= 500 {
		t.Fatalf("status %d, want 4xx", r.Status)
	}
	if b := string(r.Body); strings.Contains(b, "error when") || strings.Contains(b, "buffer") || !strings.Contains(b, "Begäran kunde inte läsas") {
		t.Errorf("%d %s", r.Status, b)
	}
}

// The case list refuses an order, a direction or a board it does not know,
// as it refuses an unknown stage, instead of ignoring it (found by a
// fresh-user trial: ?sort=bogus listed by update time).
func TestListRefusesUnknownChoices(t *testing.T) {
	s := startServer(t)
	for query, field := range map[string]string{"sort=bogus": "sort", "order=upp": "order", "board=XYZ": "board", "stage=bogus": "stage"} {
		r := s.As(officer, "GET", "/api/v1/cases?"+query, nil)
		p := wantProblem(t, r, 422)
		if !strings.Contains(fmt.Sprint(p), field) {
			t.Errorf("?%s: %v, want a problem on %q", query, p, field)
		}
	}
	for _, query := range []string{"sort=title&order=asc", "sort=date&order=desc", "board=ASN"} {
		if r := s.As(officer, "GET", "/api/v1/cases?"+query, nil); r.Status != 200 {
			t.Errorf("?%s: %d", query, r.Status)
		}
	}
}

// A search typed into a page with text nobody types comes back as the
// page, the search box holding the search less that character and the
// message beside it (the trial lost the search box and its text), on the
// staff's case list and the public diary alike; the API still refuses.
func TestSearchTextThatIsNotTextComesBack(t *testing.T) {
	s, b := loggedIn(t, "sekreterare@kommun.example")
	for _, path := range []string{"/cases", "/diarium"} {
		req, err := http.NewRequest(http.MethodGet, b.Base+path+"?q="+url.QueryEscape("EU\x01projekt"), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		p := b.Do(req)
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %s", path, p.Status, p.Header.Get("Content-Type"))
		}
		if v, _ := p.InputValue("q"); v != "EUprojekt" {
			t.Errorf("%s: the search box holds %q", path, v)
		}
		if e := p.FieldError("q"); !strings.Contains(e, "”Sök” innehöll styrtecknet U+0001") || !strings.Contains(e, "sök igen") {
			t.Errorf("%s: the search's message: %q", path, e)
		}
	}
	if p := b.Get("/api/v1/diary?q=" + url.QueryEscape("EU\x01projekt")); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("the API's diary: %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	_ = s
}

// A bad page number names the parameter in Swedish for the person who reads
// it (the trial read "page ska vara ett positivt heltal"), and by its own
// name for an API client.
func TestBadPageNumberIsNamedInSwedish(t *testing.T) {
	_, b := loggedIn(t, "sekreterare@kommun.example")
	if p := b.Get("/diarium?page=abc"); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "Sidnumret (page) ska vara ett positivt heltal") {
		t.Errorf("the diary's page=abc: %d", p.Status)
	}
	if p := b.Get("/api/v1/diary?per_page=0"); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "Antalet per sida (per_page) ska vara") {
		t.Errorf("the API's per_page=0: %d %s", p.Status, p.Body)
	}
}

// A JSON name is the API's name as it is spelled: encoding/json also takes
// "ACTION" for "action" and keeps the last of the two, so a body that any
// other reader (a proxy's rule, an audit log) sees as a withdraw submitted
// the case, and {"secret":true,"Secret":false} made a case public. Such a
// name is refused as unknown (422, naming it) and changes nothing.
func TestJSONNamesAreSpelledExactly(t *testing.T) {
	s := startServer(t)
	s.Token(officer)
	v := s.GetCase(officer, demo.DraftNumber).Version
	before := s.Fingerprint(demo.DraftNumber)
	actions := "/api/v1/cases/" + demo.DraftNumber + "/actions"
	for _, tt := range []struct {
		name, path, body, field string
	}{
		{"the name twice, in two cases", actions, fmt.Sprintf(`{"action":"withdraw","ACTION":"submit","version":%d}`, v), "ACTION"},
		{"names in another case", actions, fmt.Sprintf(`{"Action":"submit","Version":%d}`, v), "Action"},
		{"secret and Secret", "/api/v1/cases", `{"board":"ASN","title":"Dubbelnyckel","summary":"x","proposals":["att x"],"secret":true,"Secret":false}`, "Secret"},
		{"deeper", "/api/v1/cases", `{"board":"ASN","title":"Dubbelnyckel","summary":"x","proposals":["att x"],"route":[{"Body":"ASN","date":"2027-01-01"}]}`, "route[0].Body"},
	} {
		r := s.As(officer, "POST", tt.path, tt.body)
		wantProblem(t, r, 422)
		if !strings.Contains(string(r.Body), `"field":"`+tt.field+`"`) {
			t.Errorf("%s: the problem names no field %q: %s", tt.name, tt.field, r.Body)
		}
	}
	if after := s.Fingerprint(demo.DraftNumber); after != before {
		t.Errorf("refused names changed the database:\n%s\n%s", before, after)
	}
	if r := s.As(officer, "GET", "/api/v1/diary?q=Dubbelnyckel", nil); strings.Contains(string(r.Body), "Dubbelnyckel\"") {
		t.Errorf("a refused case reached the diary: %s", r.Body)
	}
}

// An action without a version, or with one no case has, is bad input
// (422 naming "version"), not a conflict with someone else's change.
func TestActionNeedsAVersion(t *testing.T) {
	s := startServer(t)
	s.Token(officer)
	before := s.Fingerprint(demo.DraftNumber)
	for _, body := range []string{`{"action":"submit"}`, `{"action":"submit","version":0}`, `{"action":"submit","version":-1}`} {
		r := s.As(officer, "POST", "/api/v1/cases/"+demo.DraftNumber+"/actions", body)
		wantProblem(t, r, 422)
		if !strings.Contains(string(r.Body), `"field":"version"`) {
			t.Errorf("%s: the problem names no version: %s", body, r.Body)
		}
	}
	if after := s.Fingerprint(demo.DraftNumber); after != before {
		t.Errorf("actions without a version changed the database")
	}
}
