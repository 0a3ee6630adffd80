package handlers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// intakeDates are two meeting dates ahead, of ASN arbetsutskott and of the
// nämnd after it, from the demo's plan.
func intakeDates(t *testing.T, store *db.Store, today workflow.Date) (au, asn string) {
	t.Helper()
	ctx := context.Background()
	ms, err := store.Meetings(ctx, db.MeetingFilter{Body: "ASN", From: today.AddDays(21)})
	if err != nil || len(ms) == 0 {
		t.Fatalf("ASN meetings: %v %v", ms, err)
	}
	n := ms[len(ms)-1].Date
	aus, err := store.Meetings(ctx, db.MeetingFilter{Body: "ASN-AU", From: today.AddDays(14), To: n})
	if err != nil || len(aus) == 0 {
		t.Fatalf("ASN-AU meetings: %v %v", aus, err)
	}
	return aus[len(aus)-1].Date.String(), n.String()
}

// intakeDoc is a tjänsteskrivelse as plain text: its first route line names
// a body the installation does not have, and its second person under
// Ansvariga is not a user.
func intakeDoc(au, asn string) []byte {
	return []byte(`Tjänsteskrivelse

Handlingsplan för feriearbete 2027

Sammanfattning
Kommunstyrelsen har gett nämnden i uppdrag att ta fram en handlingsplan för feriearbete.

Förslag till beslut
1. Arbetsmarknads- och socialnämnden föreslås besluta att anta handlingsplanen
2. Arbetsmarknads- och socialnämnden skickar handlingsplanen till kommunstyrelsen

Beslutsunderlag
- Handlingsplan för feriearbete 2027, förslag

Beslutsplanering
Referensgruppen för ungdomsfrågor ` + au + `
Arbetsmarknads- och socialnämnden ` + asn + `

Beslutet skickas till
Kommunstyrelsen

Ärendet
Förvaltningen har tagit fram ett förslag tillsammans med näringslivet.

Ansvariga
Jonas Magnusson  Enhetschef
Okänd Okändsson  Avdelningschef
`)
}

var reviewPath = regexp.MustCompile(`^/cases/new/document/([0-9a-f]{32})(\?board=ASN)?$`)

func TestIntakeWebFlow(t *testing.T) {
	s, b := loggedIn(t, officer)
	au, asn := intakeDates(t, s.Store, workflow.Today(time.Now()))
	// The document carries another registry's diarienummer, kept as written.
	doc := bytes.Replace(intakeDoc(au, asn), []byte("Tjänsteskrivelse\n"), []byte("Tjänsteskrivelse\nDnr ASN 2026/77\n"), 1)

	p := b.Get("/cases")
	p.Has(t, `href="/cases/new/document"`)
	p = b.Get("/cases/new/document")
	if p.Status != http.StatusOK {
		t.Fatalf("GET /cases/new/document: %d", p.Status)
	}
	p.Has(t, `name="file"`, `accept=".pdf,.docx,.txt`, `<select id="board" name="board"`)

	// A file that cannot be read comes back with the reason beside the field; nothing is kept.
	before := s.Fingerprint()
	p = b.PostMultipart("/cases/new/document", url.Values{"board": {"ASN"}}, upload{Field: "file", Name: "bild.png", Data: []byte("\x89PNG\r\n\x1a\n\x00\x00")})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("file"), "Filen kan inte läsas") {
		t.Errorf("unreadable file: %d, field error %q", p.Status, p.FieldError("file"))
	}
	p = b.PostMultipart("/cases/new/document", url.Values{"board": {"ASN"}}, upload{Field: "file", Name: "tom.txt", Data: []byte(" \n\n")})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("file"), "ingen text") {
		t.Errorf("empty file: %d, field error %q", p.Status, p.FieldError("file"))
	}
	p = b.PostMultipart("/cases/new/document", url.Values{"board": {"ASN"}})
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("file") == "" {
		t.Errorf("no file: %d, field error %q", p.Status, p.FieldError("file"))
	}
	s.Unchanged(before)
	if n := uploads(t, s); n != 0 {
		t.Errorf("%d uploads kept after refused files", n)
	}

	// The document is read and kept; the review shows what to check beside its field.
	p = b.PostMultipart("/cases/new/document", url.Values{"board": {"ASN"}}, upload{Field: "file", Name: "feriearbete.txt", Data: doc})
	m := reviewPath.FindStringSubmatch(p.Location)
	if p.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("upload: %d to %q", p.Status, p.Location)
	}
	review := "/cases/new/document/" + m[1]
	s.Unchanged(before)
	p = b.Get(p.Location)
	if p.Status != http.StatusOK {
		t.Fatalf("review: %d", p.Status)
	}
	p.Has(t, "Granska ärendet från dokumentet", "feriearbete.txt", "sparas som ärendets första bilaga",
		"Handlingsplan för feriearbete 2027, förslag", `class="warning-summary"`, `href="#route-0"`, `href="#approvers-1"`,
		`<fieldset class="row has-warning">`, `aria-describedby="route-0-warning"`, "Registrera ärendet")
	if w := warningOf(p, "route-0"); !strings.HasPrefix(w, "Kontrollera: ") || !strings.Contains(w, "Referensgruppen för ungdomsfrågor") {
		t.Errorf("route-0 warning %q", w)
	}
	if w := warningOf(p, "approvers-1"); !strings.Contains(w, "Okänd Okändsson") {
		t.Errorf("approvers-1 warning %q", w)
	}
	if w := warningOf(p, "route-1"); w != "" {
		t.Errorf("route-1, a known body, has the warning %q", w)
	}
	if v, _ := p.InputValue("title"); v != "Handlingsplan för feriearbete 2027" {
		t.Errorf("title %q", v)
	}
	if v, _ := p.InputValue("recipients-0-email"); v != "kommunstyrelsen@kommun.example" {
		t.Errorf("the known recipient's address: %q", v)
	}
	form := formOf(p)
	if got := form["route_body"]; len(got) != 2 || got[0] != "" || got[1] != "ASN" {
		t.Errorf("route bodies %q, want the unknown one empty", got)
	}

	// Another user cannot see the upload.
	other := s.Browser()
	other.Login(secretary)
	if q := other.Get(review); q.Status != http.StatusNotFound {
		t.Errorf("another user's review: %d", q.Status)
	}

	// A row button works on the review; the warnings stay with their rows.
	form.Set("op", "remove:approvers:1")
	p = b.PostMultipart(review, form)
	if p.Status != http.StatusOK {
		t.Fatalf("remove a row: %d", p.Status)
	}
	if warningOf(p, "route-0") == "" || warningOf(p, "approvers-1") != "" || strings.Contains(p.Body, `id="approvers-1"`) {
		t.Errorf("after removing approver 2: route-0 %q, approvers-1 %q", warningOf(p, "route-0"), warningOf(p, "approvers-1"))
	}

	// The store's refusal shows on the review, and nothing is registered.
	form = formOf(p)
	form.Set("title", "")
	form.Set("op", "save")
	p = b.PostMultipart(review, form)
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("title") == "" || warningOf(p, "route-0") == "" {
		t.Errorf("without title: %d, error %q", p.Status, p.FieldError("title"))
	}
	s.Unchanged(before)

	// Correct the body and confirm.
	form = formOf(p)
	form.Set("title", "Handlingsplan för feriearbete 2027")
	form["route_body"][0] = "ASN-AU"
	form.Set("op", "save")
	p = b.PostMultipart(review, form)
	if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.Location, "?done=created") {
		t.Fatalf("confirm: %d to %q: %s", p.Status, p.Location, errorsIn(p))
	}
	number := strings.TrimSuffix(strings.TrimPrefix(p.Location, "/cases/"), "?done=created")
	c, err := s.Store.Case(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(doc)
	if c.Title != "Handlingsplan för feriearbete 2027" || len(c.Route) != 2 || c.Route[0].Body.Code != "ASN-AU" || c.Route[1].Body.Code != "ASN" {
		t.Errorf("case %s %q route %+v", c.Number, c.Title, c.Route)
	}
	if len(c.Attachments) != 2 || c.Attachments[0].Name != "feriearbete.txt" || c.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) ||
		c.Attachments[1].Name != "Handlingsplan för feriearbete 2027, förslag" || c.Attachments[1].HasContent {
		t.Errorf("attachments %+v", c.Attachments)
	}
	if len(c.Approvers) != 1 || c.Approvers[0].Email != jonas {
		t.Errorf("approvers %+v", c.Approvers)
	}
	if c.Reference != "ASN 2026/77" || c.Number == c.Reference {
		t.Errorf("case %s, reference %q", c.Number, c.Reference)
	}
	// The history tells the file from the Beslutsunderlag listed by name.
	b.Get("/cases/"+number).Has(t, "<dt>Diarienummer i dokumentet</dt><dd>ASN 2026/77</dd>",
		"Bilaga tillagd", "Beslutsunderlag förtecknat (utan fil)")
	if n := uploads(t, s); n != 0 {
		t.Errorf("%d uploads with their file left after the case was registered", n)
	}
	// The same confirmation again registers nothing, and the review page
	// (the back button) leads to the case; another user's still finds nothing.
	before = s.Fingerprint()
	if p = b.PostMultipart(review, form); p.Status != http.StatusSeeOther || p.Location != "/cases/"+number {
		t.Errorf("second confirmation: %d to %q", p.Status, p.Location)
	}
	s.Unchanged(before)
	if p = b.Get(review); p.Status != http.StatusSeeOther || p.Location != "/cases/"+number {
		t.Errorf("the review page after registering: %d to %q", p.Status, p.Location)
	}
	b.Get("/cases/"+number).Has(t, "Dokumentet är redan registrerat som ärende "+number)
	if q := other.Get(review); q.Status != http.StatusNotFound {
		t.Errorf("another user's registered review: %d", q.Status)
	}
}

func TestIntakeWebForbidden(t *testing.T) {
	_, b := loggedIn(t, manager)
	if p := b.Get("/cases/new/document"); p.Status != http.StatusForbidden {
		t.Errorf("GET as an approver: %d", p.Status)
	}
	b.Get("/")
	if p := b.PostMultipart("/cases/new/document", nil, upload{Field: "file", Name: "ts.txt", Data: []byte("Tjänsteskrivelse\n\nRubrik\n")}); p.Status != http.StatusForbidden {
		t.Errorf("POST as an approver: %d", p.Status)
	}
}

// warningOf is the warning shown beside the input with this id, without markup.
func warningOf(p page, id string) string {
	re := regexp.MustCompile(`<span class="field-warning" id="` + regexp.QuoteMeta(id) + `-warning">(.*?)</span></span>`)
	m := re.FindStringSubmatch(p.Body)
	if m == nil {
		return ""
	}
	return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "")
}

// errorsIn is the page's error messages, for a failure's message.
func errorsIn(p page) string {
	return strings.Join(regexp.MustCompile(`class="field-error"[^>]*>(.*?)</span>`).FindAllString(p.Body, -1), "; ")
}

func uploads(t *testing.T, s *site) int {
	t.Helper()
	conn, err := db.OpenRaw(s.File)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM intake_uploads WHERE length(data) > 0`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// postIntake posts a file to POST /api/v1/intake with the form fields.
func postIntake(s *server, email, query, name string, data []byte, fields map[string]string) response {
	s.T.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	part, _ := w.CreateFormFile("file", name)
	part.Write(data)
	w.Close()
	req, err := http.NewRequest("POST", s.Base+"/api/v1/intake"+query, &body)
	if err != nil {
		s.T.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.Token(email))
	return s.Do(req)
}

func TestIntakeAPI(t *testing.T) {
	s := startServer(t)
	au, asn := intakeDates(t, s.Store, workflow.Today(now))
	doc := intakeDoc(au, asn)
	s.Token(officer) // logging in writes a token
	s.Token(manager)
	before := s.Fingerprint("")

	// dry_run: the case as read, the warnings, and nothing registered.
	r := postIntake(s, officer, "?dry_run=1", "feriearbete.txt", doc, map[string]string{"board": "ASN"})
	if r.Status != http.StatusOK {
		t.Fatalf("dry run: %d %s", r.Status, r.Body)
	}
	var dry struct {
		Case struct {
			Board string `json:"board"`
			Title string `json:"title"`
			Route []struct {
				Body string `json:"body"`
				Date string `json:"date"`
			} `json:"route"`
		} `json:"case"`
		Warnings []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"warnings"`
		Attachments []string `json:"attachments"`
		File        struct {
			Name   string `json:"name"`
			Size   int64  `json:"size"`
			SHA256 string `json:"sha256"`
		} `json:"file"`
	}
	r.Decode(t, &dry)
	sum := sha256.Sum256(doc)
	if dry.Case.Board != "ASN" || dry.Case.Title != "Handlingsplan för feriearbete 2027" || len(dry.Case.Route) != 2 ||
		dry.Case.Route[0].Body != "" || dry.Case.Route[1].Body != "ASN" || dry.File.Name != "feriearbete.txt" ||
		dry.File.Size != int64(len(doc)) || dry.File.SHA256 != hex.EncodeToString(sum[:]) || len(dry.Attachments) != 1 {
		t.Errorf("dry run: %s", r.Body)
	}
	fields := map[string]bool{}
	for _, w := range dry.Warnings {
		fields[w.Field] = true
	}
	if !fields["route[0]"] || !fields["approvers[1]"] {
		t.Errorf("warnings %+v", dry.Warnings)
	}
	if after := s.Fingerprint(""); after != before {
		t.Errorf("the dry run changed the store: %s, then %s", before, after)
	}

	// Without dry_run, what could not be mapped refuses the case.
	p := wantProblem(t, postIntake(s, officer, "", "feriearbete.txt", doc, map[string]string{"board": "ASN"}), http.StatusUnprocessableEntity)
	if errs, _ := p["errors"].([]any); len(errs) != 2 || fmt.Sprint(errs[0].(map[string]any)["field"]) != "route[0]" {
		t.Errorf("problem %v", p)
	}
	// A file that cannot be read is 422, in Swedish.
	p = wantProblem(t, postIntake(s, officer, "?dry_run=1", "bild.png", []byte("\x89PNG\r\n\x1a\n\x00"), nil), http.StatusUnprocessableEntity)
	if d, _ := p["detail"].(string); !strings.Contains(d, "Filen kan inte läsas") {
		t.Errorf("problem %v", p)
	}
	if after := s.Fingerprint(""); after != before {
		t.Errorf("refused intakes changed the store: %s, then %s", before, after)
	}
	wantProblem(t, postIntake(s, manager, "?dry_run=1", "feriearbete.txt", doc, nil), http.StatusForbidden)

	// dry_run without a value is a dry run; a value that is neither yes nor
	// no, or two values, is refused; nothing registers by a slip.
	if r := postIntake(s, officer, "?dry_run", "feriearbete.txt", doc, map[string]string{"board": "ASN"}); r.Status != http.StatusOK {
		t.Errorf("?dry_run: %d %s", r.Status, r.Body)
	}
	for _, q := range []string{"?dry_run=yes", "?dry_run=0&dry_run=1", "?DRY_RUN=1", "?dry-run=1", "?dryrun"} {
		wantProblem(t, postIntake(s, officer, q, "feriearbete.txt", doc, map[string]string{"board": "ASN"}), http.StatusUnprocessableEntity)
	}
	// The dry run says what the registration would be refused for: here,
	// in a document that maps, an officer who is not a user.
	mapped := bytes.Replace(doc, []byte("Referensgruppen för ungdomsfrågor"), []byte("ASN arbetsutskott"), 1)
	mapped = bytes.Replace(mapped, []byte("Okänd Okändsson  Avdelningschef\n"), nil, 1)
	var refused struct {
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	r = postIntake(s, officer, "?dry_run=1", "feriearbete.txt", mapped, map[string]string{"board": "ASN"})
	if r.Decode(t, &refused); r.Status != http.StatusOK || len(refused.Errors) != 0 {
		t.Errorf("dry run of an intake that registers: %d %s", r.Status, r.Body)
	}
	r = postIntake(s, officer, "?dry_run=1", "feriearbete.txt", mapped, map[string]string{"board": "ASN", "officer": "ingen@kommun.example"})
	if r.Decode(t, &refused); r.Status != http.StatusOK || len(refused.Errors) != 1 || refused.Errors[0].Field != "officer" {
		t.Errorf("dry run of a refused intake: %d %s", r.Status, r.Body)
	}
	text := bytes.Replace(doc, []byte("Handlingsplan för feriearbete 2027\n"), []byte("Handlingsplan \u202efor feriearbete\n"), 1)
	wantProblem(t, postIntake(s, officer, "?dry_run=1", "feriearbete.txt", text, map[string]string{"board": "ASN"}), http.StatusUnprocessableEntity)
	if after := s.Fingerprint(""); after != before {
		t.Errorf("dry runs changed the store: %s, then %s", before, after)
	}

	// A document that maps registers, with the file first.
	fixed := bytes.Replace(doc, []byte("Referensgruppen för ungdomsfrågor"), []byte("ASN arbetsutskott"), 1)
	fixed = bytes.Replace(fixed, []byte("Okänd Okändsson  Avdelningschef\n"), nil, 1)
	r = postIntake(s, officer, "", "feriearbete.txt", fixed, nil) // the board: the officer's two boards, the document names none
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("without a board: %d %s", r.Status, r.Body)
	}
	r = postIntake(s, officer, "", "feriearbete.txt", fixed, map[string]string{"board": "ASN"})
	if r.Status != http.StatusCreated {
		t.Fatalf("intake: %d %s", r.Status, r.Body)
	}
	var c caseJSON
	r.Decode(t, &c)
	sum = sha256.Sum256(fixed)
	if r.Header.Get("Location") != "/api/v1/cases/"+c.Number || len(c.Attachments) != 2 || c.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) ||
		c.Attachments[0].Name != "feriearbete.txt" || len(c.Route) != 2 || c.Route[0].Body != "ASN-AU" {
		t.Errorf("registered %s: %s", r.Header.Get("Location"), r.Body)
	}

	// Another registry's diarienummer is kept as written, beside the new number.
	foreign := bytes.Replace(fixed, []byte("Tjänsteskrivelse\n"), []byte("Tjänsteskrivelse\nDnr ASN 2026/1044\n"), 1)
	r = postIntake(s, officer, "", "feriearbete.txt", foreign, map[string]string{"board": "ASN"})
	if r.Status != http.StatusCreated {
		t.Fatalf("intake with a foreign diarienummer: %d %s", r.Status, r.Body)
	}
	var ref struct {
		Number    string `json:"number"`
		Reference string `json:"reference"`
	}
	r.Decode(t, &ref)
	if ref.Reference != "ASN 2026/1044" || ref.Number == "ASN 2026/1044" {
		t.Errorf("registered %s with reference %q", ref.Number, ref.Reference)
	}
}

// Text nobody types in a page's form is refused as a page in Swedish, not
// as the API's problem+json, and saves nothing: here a title with a
// writing-direction override on the review of an uploaded document (a
// multipart form). The form comes back with what was typed, less the
// override, and the message beside the field.
func TestPageFormRefusesOverrideAsPage(t *testing.T) {
	s, b := loggedIn(t, officer)
	au, asn := intakeDates(t, s.Store, workflow.Today(time.Now()))
	review := uploadForReview(t, b, intakeDoc(au, asn))
	form := formOf(b.Get(review))
	form.Set("title", "Handlingsplan \u202eför feriearbete")
	form.Set("op", "save")
	before := s.Fingerprint()
	p := b.PostMultipart(review, form)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("override in a page form: %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	// The review comes back as typed, less the override, the message beside the title.
	if e := p.FieldError("title"); !strings.Contains(e, "”Rubrik” innehöll tecknet U+202E") || !strings.Contains(e, "borttaget") {
		t.Errorf("the title's message: %q", e)
	}
	if v, _ := p.InputValue("title"); v != "Handlingsplan för feriearbete" {
		t.Errorf("the title comes back as %q", v)
	}
	if got := formOf(p); got.Get("summary") != form.Get("summary") || got.Get("background") != form.Get("background") {
		t.Errorf("the other fields come back changed: %q %q", got.Get("summary"), got.Get("background"))
	}
	s.Unchanged(before)
}

// A document whose number is already taken is registered with the next
// number, its own kept as the document's diarienummer, instead of a review
// that cannot be confirmed.
func TestIntakeNumberTaken(t *testing.T) {
	s, b := loggedIn(t, officer)
	au, asn := intakeDates(t, s.Store, workflow.Today(time.Now()))
	doc := bytes.Replace(intakeDoc(au, asn), []byte("Tjänsteskrivelse\n"), []byte("Tjänsteskrivelse\n"+demo.SeedNumber+"\n"), 1)
	doc = bytes.Replace(doc, []byte("Referensgruppen för ungdomsfrågor"), []byte("ASN arbetsutskott"), 1)
	doc = bytes.Replace(doc, []byte("Okänd Okändsson  Avdelningschef\n"), nil, 1)
	review := uploadForReview(t, b, doc)
	p := b.Get(review)
	p.Has(t, "Diarienumret "+demo.SeedNumber+" finns redan i Beslutsgång")
	form := formOf(p)
	form.Set("op", "save")
	p = b.PostMultipart(review, form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", p.Status, errorsIn(p))
	}
	number := strings.TrimSuffix(strings.TrimPrefix(p.Location, "/cases/"), "?done=created")
	c, err := s.Store.Case(context.Background(), number)
	if err != nil || c.Number == demo.SeedNumber || c.Reference != demo.SeedNumber {
		t.Errorf("case %s with reference %q: %v", c.Number, c.Reference, err)
	}
}

// A secretary who is no handläggare reviews a document with the officer to
// choose marked, before the store would refuse "Jag själv".
func TestIntakeReviewAsSecretary(t *testing.T) {
	s, b := loggedIn(t, secretary)
	au, asn := intakeDates(t, s.Store, workflow.Today(time.Now()))
	b.Get(uploadForReview(t, b, intakeDoc(au, asn))).Has(t, `id="officer-warning"`, "Du är inte handläggare för ASN: välj ärendets handläggare", "officer-hint officer-warning")
}

// uploadForReview uploads doc as an ASN tjänsteskrivelse and returns the
// address of its review.
func uploadForReview(t *testing.T, b *browser, doc []byte) string {
	t.Helper()
	p := b.PostMultipart("/cases/new/document", url.Values{"board": {"ASN"}}, upload{Field: "file", Name: "feriearbete.txt", Data: doc})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d", p.Status)
	}
	return p.Location
}
