package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// postedMeeting is the demo's anslagen meeting of ASN's bodies with the
// most numbered paragraphs whose protokoll is not yet published (the demo
// leaves each body's newest for review), and its protokoll.
func postedMeeting(ms *meetingSite) (workflow.Meeting, workflow.Minutes) {
	ms.T.Helper()
	ctx := context.Background()
	var best workflow.Minutes
	for _, body := range []string{"ASN", "ASN-AU"} {
		meetings, err := ms.Store.Meetings(ctx, db.MeetingFilter{Body: body})
		if err != nil {
			ms.T.Fatal(err)
		}
		for _, m := range meetings {
			if m.Status != workflow.MeetingPosted {
				continue
			}
			if pubs, err := ms.Store.Publications(ctx, m.ID); err != nil || len(pubs) > 0 {
				continue
			}
			min, err := ms.Store.Minutes(ctx, m.ID)
			if err != nil {
				ms.T.Fatal(err)
			}
			if len(min.Paragraphs) > len(best.Paragraphs) {
				best = min
			}
		}
	}
	if len(best.Paragraphs) < 2 {
		ms.T.Fatalf("the demo has no anslagen meeting with two paragraphs: %+v", best.Meeting)
	}
	return best.Meeting, best
}

// publicationRows counts the rows of protokoll_publications of the test's
// meeting (postedMeeting), behind the service's back; the demo's secretary
// published the others.
func publicationRows(ms *meetingSite, meetingID int64) int {
	return rawCount(ms, `SELECT COUNT(*) FROM protokoll_publications WHERE meeting_id = ?`, meetingID)
}

// countRows counts the rows of a table, behind the service's back.
func countRows(ms *meetingSite, table string) int {
	return rawCount(ms, `SELECT COUNT(*) FROM `+table)
}

// rawCount runs a COUNT query on a connection of its own to the site's
// database.
func rawCount(ms *meetingSite, query string, args ...any) int {
	ms.T.Helper()
	raw, err := db.OpenRaw(ms.File)
	if err != nil {
		ms.T.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query, args...).Scan(&n); err != nil {
		ms.T.Fatal(err)
	}
	return n
}

// The secretary reviews and publishes a justerat protokoll; the public then
// reads it as a page and a PDF, with a withheld paragraph and a secret case
// by registration only and a listed name replaced.
func TestPublishProtokoll(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	m, min := postedMeeting(ms)
	secret, withheld := min.Paragraphs[0], min.Paragraphs[1]
	chair := workflow.Adjusters(min.Attendees)[0].Member.Name
	raw, err := db.OpenRaw(ms.File)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE cases SET secret = TRUE WHERE number = ?`, secret.CaseNumber); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	public := workflow.PublicPath(m)
	path := meetingURL(m.ID) + "/publicering"

	anon := ms.Browser()
	for _, p := range []string{public, public + ".pdf", "/protokoll/ASN/2020-02-30", "/protokoll/XYZ/2020-01-30"} {
		if page := anon.Get(p); page.Status != http.StatusNotFound || !strings.Contains(page.Body, "publicerat på webben") && !strings.Contains(page.Body, "inget protokoll") {
			t.Errorf("%s before publication: %d", p, page.Status)
		}
	}

	officer := ms.Login("handlaggare@kommun.example")
	if p := officer.Get(path); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Bara nämndsekreteraren") {
		t.Errorf("an officer opens the review: %d", p.Status)
	}
	officer.Get(meetingURL(m.ID))
	if p := officer.Post(path, url.Values{"action": {"publish"}}); p.Status != http.StatusForbidden {
		t.Errorf("an officer publishes: %d", p.Status)
	}

	sec := ms.Login("sekreterare@kommun.example")
	sec.Get(meetingURL(m.ID)).Has(t, path)
	page := sec.Get(path)
	if page.Status != 200 {
		t.Fatalf("the review: %d\n%s", page.Status, page.Body)
	}
	page.Has(t, `name="withheld" value="`+strconv.Itoa(withheld.Number)+`"`, "publicera inte på webben", "sekretess – visas bara med paragraf och diarienummer",
		`id="names"`, `value="publish"`, "Protokollet är inte publicerat", "Förhandsvisning")

	// Bad input: field errors in Swedish, and nothing saved.
	events := countRows(ms, "events")
	p := sec.Post(path, url.Values{"withheld": {"999"}, "names": {"Anna\tEk"}, "action": {"publish"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("withheld"), "ingen paragraf ”999”") ||
		!strings.Contains(p.FieldError("names"), "styrtecken") {
		t.Errorf("bad choices: %d %q %q", p.Status, p.FieldError("withheld"), p.FieldError("names"))
	}
	p.Has(t, `class="error-summary"`, `href="#withheld"`, `href="#names"`)
	if p := sec.Post(path, url.Values{"names": {"Anna\x01Ek"}, "action": {"save"}}); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.Body, "Namn att ta bort") || !strings.Contains(p.FieldError("names"), "innehöll styrtecknet U+0001") {
		t.Errorf("a control character: %d\n%s", p.Status, p.Body)
	}
	// An action that is neither save nor publish is refused, not taken as save.
	if p := sec.Post(path, url.Values{"action": {"delete"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("action=delete: %d", p.Status)
	}
	if n := publicationRows(ms, m.ID); n != 0 || countRows(ms, "events") != events {
		t.Errorf("refused choices saved %d rows", n)
	}

	// Saved, not published: the public still sees nothing.
	form := url.Values{"withheld": {strconv.Itoa(withheld.Number)}, "names": {chair}, "version": {"0"}}
	sec.Get(path)
	form.Set("action", "save")
	if p := sec.Post(path, form); p.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", p.Status, p.Body)
	}
	sec.Get(path+"?done=saved").Has(t, "Valen är sparade", "Sparade val, inte publicerade", `value="`+strconv.Itoa(withheld.Number)+`" checked`)
	if p := anon.Get(public); p.Status != http.StatusNotFound {
		t.Errorf("saved choices are public: %d", p.Status)
	}

	form.Set("action", "publish")
	if p := sec.Post(path, form); p.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", p.Status, p.Body)
	}
	review := sec.Get(path + "?done=published")
	secretary, err := ms.Store.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	review.Has(t, "Protokollet är publicerat på webben", public, "Publicera igen", withheld.Label(), secretary.Name)

	pub := anon.Get(public)
	if pub.Status != 200 {
		t.Fatalf("the public protokoll: %d\n%s", pub.Status, pub.Body)
	}
	pub.Has(t, `<html lang="sv">`, withheld.Label()+" Paragrafen publiceras inte på webben", withheld.CaseNumber,
		secret.Label()+" Ärende som omfattas av sekretess", secret.CaseNumber, "[namn borttaget]", public+".pdf")
	pub.HasNot(t, withheld.CaseTitle, secret.CaseTitle, chair, "/meetings/")
	for _, par := range min.Paragraphs[2:] {
		pub.Has(t, par.CaseTitle)
	}

	doc := anon.Get(public + ".pdf")
	if doc.Status != 200 || doc.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the public PDF: %d %s", doc.Status, doc.Header.Get("Content-Type"))
	}
	if protokoll.FindChromium() != "" {
		info := pdftest.Info(t, []byte(doc.Body))
		if info["Tagged"] != "yes" || !strings.Contains(info["Title"], m.Body.Name) {
			t.Errorf("the PDF is not tagged or has no title: %v", info)
		}
		for _, want := range []string{"/StructTreeRoot", "/Marked true", "/Lang (sv)"} {
			if !strings.Contains(doc.Body, want) {
				t.Errorf("the PDF lacks %s", want)
			}
		}
	}
	text := pdftest.Text(t, []byte(doc.Body))
	for _, want := range []string{"Paragrafen publiceras inte på webben", "Ärende som omfattas av sekretess", withheld.CaseNumber, "[namn borttaget]"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	for _, not := range []string{withheld.CaseTitle, secret.CaseTitle, chair} {
		if strings.Contains(text, not) {
			t.Errorf("the PDF shows %q", not)
		}
	}

	// The audit trail: an event on every case of the protokoll.
	for _, par := range min.Paragraphs {
		evs, err := ms.Store.Events(ctx, par.CaseNumber)
		if err != nil {
			t.Fatal(err)
		}
		if last := evs[len(evs)-1]; last.Action != "published" || last.Actor.ID != secretary.ID {
			t.Errorf("%s: the history ends with %s by %s", par.CaseNumber, last.Action, last.Actor.Name)
		}
	}
	sec.Get("/cases/"+withheld.CaseNumber).Has(t, "Protokollet publicerat på webben")
	sec.Get(meetingURL(m.ID)).Has(t, `href="`+public+`"`)

	// Published again with nothing withheld: both publications are kept.
	sec.Get(path).Has(t, `name="version" value="1"`)
	if p := sec.Post(path, url.Values{"action": {"publish"}, "version": {"1"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("publish again: %d", p.Status)
	}
	if n := publicationRows(ms, m.ID); n != 2 {
		t.Errorf("publications kept: %d", n)
	}
	anon.Get(public).Has(t, withheld.CaseTitle, chair)
}

// A protokoll not yet justerat is reviewed but not published.
func TestPublishRefusedBeforeJustering(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	sec := ms.Held(m)
	sec.Get(meetingURL(m.ID) + "/decisions/" + number)
	if p := sec.Post(meetingURL(m.ID)+"/decisions/"+number, url.Values{"type": {"approved"}, "text": {"Nämnden godkänner delårsrapporten."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("decision: %d", p.Status)
	}
	path := meetingURL(m.ID) + "/publicering"
	page := sec.Get(path)
	page.Has(t, "Protokollet kan publiceras när det är justerat", "Delårsrapport augusti 2026")
	page.HasNot(t, `value="publish"`)
	p := sec.Post(path, url.Values{"action": {"publish"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "inte justerat") {
		t.Errorf("publish before justering: %d", p.Status)
	}
	if n := publicationRows(ms, m.ID); n != 0 {
		t.Errorf("a refused publication left %d rows", n)
	}
	if p := ms.Browser().Get(workflow.PublicPath(m)); p.Status != http.StatusNotFound {
		t.Errorf("the public protokoll before justering: %d", p.Status)
	}
}

// postConcurrently sends every form to path at once, from b's session, and
// returns each answer's status and body, in the order of forms.
func postConcurrently(t *testing.T, b *browser, path string, forms []url.Values) ([]int, []string) {
	t.Helper()
	status, bodies := make([]int, len(forms)), make([]string, len(forms))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, f := range forms {
		f.Set("_csrf", b.CSRF)
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodPost, b.Base+path, strings.NewReader(f.Encode()))
			if err != nil {
				status[i] = -1
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			<-start
			resp, err := b.C.Do(req)
			if err != nil {
				status[i], bodies[i] = -1, err.Error()
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			status[i], bodies[i] = resp.StatusCode, string(body)
		}()
	}
	close(start)
	wg.Wait()
	return status, bodies
}

// Publicera pressed several times at once publishes once: the presses with
// the winner's choices are sent to it, those with other choices are told
// in Swedish that it was published meanwhile, and nothing is published twice.
func TestPublishPressedTwiceAtOncePublishesOnce(t *testing.T) {
	t.Setenv(protokoll.ChromiumEnv, "off") // six Chromiums on a shared machine: the fallback PDF is enough here
	ms := newMeetingSite(t)
	m, min := postedMeeting(ms)
	path := meetingURL(m.ID) + "/publicering"
	sec := ms.Login("sekreterare@kommun.example")
	sec.Get(path).Has(t, `name="version" value="0"`)
	events := countRows(ms, "events")

	same := func() url.Values {
		return url.Values{"action": {"publish"}, "version": {"0"}, "withheld": {strconv.Itoa(min.Paragraphs[1].Number)}}
	}
	var forms []url.Values
	for range 6 {
		forms = append(forms, same())
	}
	status, bodies := postConcurrently(t, sec, path, forms)
	for i, st := range status {
		if st != http.StatusSeeOther {
			t.Errorf("press %d: %d\n%s", i, st, bodies[i])
		}
	}
	if n := publicationRows(ms, m.ID); n != 1 {
		t.Fatalf("six presses at once made %d publications", n)
	}
	if got, want := countRows(ms, "events"), events+len(min.Paragraphs); got != want {
		t.Errorf("events: %d, want %d (one publication's)", got, want)
	}

	// Two secretaries' windows at once, with other choices: one publishes,
	// the others with its choices get it, the rest a Swedish conflict.
	sec.Get(path).Has(t, `name="version" value="1"`)
	forms = nil
	for i := range 6 {
		f := url.Values{"action": {"publish"}, "version": {"1"}}
		if i%2 == 1 {
			f.Set("names", min.Attendees[0].Member.Name)
		}
		forms = append(forms, f)
	}
	status, bodies = postConcurrently(t, sec, path, forms)
	if n := publicationRows(ms, m.ID); n != 2 {
		t.Fatalf("the second round made %d publications in all, want 2", n)
	}
	pubs, err := ms.Store.Publications(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	winner := len(pubs[0].Names) // 1: the odd forms won
	for i, st := range status {
		want := http.StatusConflict
		if i%2 == winner {
			want = http.StatusSeeOther
		}
		if st != want {
			t.Errorf("second round, form %d: %d, want %d\n%s", i, st, want, bodies[i])
		}
		if want == http.StatusConflict && !strings.Contains(bodies[i], "har publicerats på nytt medan du granskade") {
			t.Errorf("form %d: the conflict does not say why:\n%s", i, bodies[i])
		}
	}

	// A form without the version it was shown, or an old one, publishes nothing.
	for _, v := range []string{"", "x", "7"} {
		if p := sec.Post(path, url.Values{"action": {"publish"}, "version": {v}}); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "ladda om sidan") {
			t.Errorf("version %q: %d", v, p.Status)
		}
	}
	if p := sec.Post(path, url.Values{"action": {"publish"}, "version": {"0"}}); p.Status != http.StatusConflict {
		t.Errorf("a stale version: %d", p.Status)
	}
	if n := publicationRows(ms, m.ID); n != 2 {
		t.Errorf("refused forms published: %d rows", n)
	}
}

// A case marked secret after its protokoll was published is not in the
// public PDF any more: the PDF made at publication still shows it, so the
// public one is made anew from the public view until the secretary
// publishes again, and the review page asks for that (the second trial
// found its title and decision in the PDF and OParl's File).
func TestCaseMarkedSecretLeavesThePublishedPDF(t *testing.T) {
	t.Setenv(protokoll.ChromiumEnv, "off")
	ms := newMeetingSite(t)
	m, min := postedMeeting(ms)
	path := meetingURL(m.ID) + "/publicering"
	sec := ms.Login("sekreterare@kommun.example")
	sec.Get(path)
	if p := sec.Post(path, url.Values{"action": {"publish"}, "version": {"0"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", p.Status, p.Body)
	}
	var par workflow.Paragraph
	for _, p := range min.Paragraphs {
		if !p.Secret && len(strings.Fields(p.Text)) >= 4 {
			par = p
			break
		}
	}
	if par.CaseNumber == "" {
		t.Fatal("the protokoll has no public paragraph with a decision")
	}
	words := strings.Fields(par.Text)
	marker := strings.Join(words[:4], " ")
	pdfPath := workflow.PublicPath(m) + ".pdf"
	anon := ms.Browser()
	if text := pdftest.Text(t, []byte(anon.Get(pdfPath).Body)); !strings.Contains(text, par.CaseTitle) {
		t.Fatalf("the published PDF lacks %q:\n%s", par.CaseTitle, text)
	}
	raw, err := db.OpenRaw(ms.File)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE cases SET secret = (1=1) WHERE number = ?`, par.CaseNumber); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	p := anon.Get(pdfPath)
	text := pdftest.Text(t, []byte(p.Body))
	if p.Status != http.StatusOK || strings.Contains(text, par.CaseTitle) || strings.Contains(text, marker) {
		t.Errorf("the case marked secret is still in the public PDF (%d):\n%s", p.Status, text)
	}
	if !strings.Contains(text, par.CaseNumber) || !strings.Contains(text, "sekretess") {
		t.Errorf("the PDF does not register the secret paragraph:\n%s", text)
	}
	sec.Get(path).Has(t, "har fått sekretess sedan protokollet publicerades")
	// Published again, the PDF made then is served as it is.
	sec.Get(path)
	if p := sec.Post(path, url.Values{"action": {"publish"}, "version": {"1"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("publish again: %d\n%s", p.Status, p.Body)
	}
	if strings.Contains(sec.Get(path).Body, "har fått sekretess sedan protokollet publicerades") {
		t.Error("the review still asks to publish again")
	}
	if text := pdftest.Text(t, []byte(anon.Get(pdfPath).Body)); strings.Contains(text, par.CaseTitle) {
		t.Errorf("the new publication's PDF shows the secret case:\n%s", text)
	}
}
