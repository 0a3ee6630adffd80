package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// postedMeeting is the demo's anslagen meeting of ASN's bodies with the
// most numbered paragraphs, and its protokoll.
func (ms *meetingSite) postedMeeting() (workflow.Meeting, workflow.Minutes) {
	ms.t.Helper()
	ctx := context.Background()
	var best workflow.Minutes
	for _, body := range []string{"ASN", "ASN-AU"} {
		meetings, err := ms.store.Meetings(ctx, db.MeetingFilter{Body: body})
		if err != nil {
			ms.t.Fatal(err)
		}
		for _, m := range meetings {
			if m.Status != workflow.MeetingPosted {
				continue
			}
			min, err := ms.store.Minutes(ctx, m.ID)
			if err != nil {
				ms.t.Fatal(err)
			}
			if len(min.Paragraphs) > len(best.Paragraphs) {
				best = min
			}
		}
	}
	if len(best.Paragraphs) < 2 {
		ms.t.Fatalf("the demo has no anslagen meeting with two paragraphs: %+v", best.Meeting)
	}
	return best.Meeting, best
}

// rows counts the rows of a table, behind the service's back.
func (ms *meetingSite) rows(table string) int {
	ms.t.Helper()
	raw, err := db.OpenRaw(ms.file)
	if err != nil {
		ms.t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		ms.t.Fatal(err)
	}
	return n
}

// The secretary reviews and publishes a justerat protokoll; the public then
// reads it as a page and a PDF, with a withheld paragraph and a secret case
// by registration only and a listed name replaced.
func TestPublishProtokoll(t *testing.T) {
	ms := newMeetingSite(t)
	ctx := context.Background()
	m, min := ms.postedMeeting()
	secret, withheld := min.Paragraphs[0], min.Paragraphs[1]
	chair := workflow.Adjusters(min.Attendees)[0].Member.Name
	raw, err := db.OpenRaw(ms.file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE cases SET secret = TRUE WHERE number = ?`, secret.CaseNumber); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	public := workflow.PublicPath(m)
	path := meetingURL(m.ID) + "/publicering"

	anon := ms.browser()
	for _, p := range []string{public, public + ".pdf", "/protokoll/ASN/2020-02-30", "/protokoll/XYZ/2020-01-30"} {
		if page := anon.get(p); page.Status != http.StatusNotFound || !strings.Contains(page.Body, "publicerat på webben") && !strings.Contains(page.Body, "inget protokoll") {
			t.Errorf("%s before publication: %d", p, page.Status)
		}
	}

	officer := ms.login("handlaggare@kommun.example")
	if p := officer.get(path); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Bara nämndsekreteraren") {
		t.Errorf("an officer opens the review: %d", p.Status)
	}
	officer.get(meetingURL(m.ID))
	if p := officer.post(path, url.Values{"action": {"publish"}}); p.Status != http.StatusForbidden {
		t.Errorf("an officer publishes: %d", p.Status)
	}

	sec := ms.login("sekreterare@kommun.example")
	sec.get(meetingURL(m.ID)).has(t, path)
	page := sec.get(path)
	if page.Status != 200 {
		t.Fatalf("the review: %d\n%s", page.Status, page.Body)
	}
	page.has(t, `name="withheld" value="`+strconv.Itoa(withheld.Number)+`"`, "publicera inte på webben", "sekretess – visas bara med paragraf och diarienummer",
		`id="names"`, `value="publish"`, "Protokollet är inte publicerat", "Förhandsvisning")

	// Bad input: field errors in Swedish, and nothing saved.
	events := ms.rows("events")
	p := sec.post(path, url.Values{"withheld": {"999"}, "names": {"Anna\tEk"}, "action": {"publish"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.fieldError("withheld"), "ingen paragraf ”999”") ||
		!strings.Contains(p.fieldError("names"), "styrtecken") {
		t.Errorf("bad choices: %d %q %q", p.Status, p.fieldError("withheld"), p.fieldError("names"))
	}
	p.has(t, `class="error-summary"`, `href="#withheld"`, `href="#names"`)
	if p := sec.post(path, url.Values{"names": {"Anna\x01Ek"}, "action": {"save"}}); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.Body, "Namn att ta bort") || !strings.Contains(p.Body, "innehåller styrtecknet") {
		t.Errorf("a control character: %d\n%s", p.Status, p.Body)
	}
	if n := ms.rows("protokoll_publications"); n != 0 || ms.rows("events") != events {
		t.Errorf("refused choices saved %d rows", n)
	}

	// Saved, not published: the public still sees nothing.
	form := url.Values{"withheld": {strconv.Itoa(withheld.Number)}, "names": {chair}}
	sec.get(path)
	form.Set("action", "save")
	if p := sec.post(path, form); p.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", p.Status, p.Body)
	}
	sec.get(path+"?done=saved").has(t, "Valen är sparade", "Sparade val, inte publicerade", `value="`+strconv.Itoa(withheld.Number)+`" checked`)
	if p := anon.get(public); p.Status != http.StatusNotFound {
		t.Errorf("saved choices are public: %d", p.Status)
	}

	form.Set("action", "publish")
	if p := sec.post(path, form); p.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", p.Status, p.Body)
	}
	review := sec.get(path + "?done=published")
	secretary, err := ms.store.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	review.has(t, "Protokollet är publicerat på webben", public, "Publicera igen", withheld.Label(), secretary.Name)

	pub := anon.get(public)
	if pub.Status != 200 {
		t.Fatalf("the public protokoll: %d\n%s", pub.Status, pub.Body)
	}
	pub.has(t, `<html lang="sv">`, withheld.Label()+" Paragrafen publiceras inte på webben", withheld.CaseNumber,
		secret.Label()+" Ärende som omfattas av sekretess", secret.CaseNumber, "[namn borttaget]", public+".pdf")
	pub.hasNot(t, withheld.CaseTitle, secret.CaseTitle, chair, "/meetings/")
	for _, par := range min.Paragraphs[2:] {
		pub.has(t, par.CaseTitle)
	}

	doc := anon.get(public + ".pdf")
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
		evs, err := ms.store.Events(ctx, par.CaseNumber)
		if err != nil {
			t.Fatal(err)
		}
		if last := evs[len(evs)-1]; last.Action != "published" || last.Actor.ID != secretary.ID {
			t.Errorf("%s: the history ends with %s by %s", par.CaseNumber, last.Action, last.Actor.Name)
		}
	}
	sec.get("/cases/"+withheld.CaseNumber).has(t, "Protokollet publicerat på webben")
	sec.get(meetingURL(m.ID)).has(t, `href="`+public+`"`)

	// Published again with nothing withheld: both publications are kept.
	sec.get(path)
	if p := sec.post(path, url.Values{"action": {"publish"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("publish again: %d", p.Status)
	}
	if n := ms.rows("protokoll_publications"); n != 2 {
		t.Errorf("publications kept: %d", n)
	}
	anon.get(public).has(t, withheld.CaseTitle, chair)
}

// A protokoll not yet justerat is reviewed but not published.
func TestPublishRefusedBeforeJustering(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.boardMeeting()
	sec := ms.held(m)
	sec.get(meetingURL(m.ID) + "/decisions/" + number)
	if p := sec.post(meetingURL(m.ID)+"/decisions/"+number, url.Values{"type": {"approved"}, "text": {"Nämnden godkänner delårsrapporten."}}); p.Status != http.StatusSeeOther {
		t.Fatalf("decision: %d", p.Status)
	}
	path := meetingURL(m.ID) + "/publicering"
	page := sec.get(path)
	page.has(t, "Protokollet kan publiceras när det är justerat", "Delårsrapport augusti 2026")
	page.hasNot(t, `value="publish"`)
	p := sec.post(path, url.Values{"action": {"publish"}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "inte justerat") {
		t.Errorf("publish before justering: %d", p.Status)
	}
	if n := ms.rows("protokoll_publications"); n != 0 {
		t.Errorf("a refused publication left %d rows", n)
	}
	if p := ms.browser().get(workflow.PublicPath(m)); p.Status != http.StatusNotFound {
		t.Errorf("the public protokoll before justering: %d", p.Status)
	}
}
