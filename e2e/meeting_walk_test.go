package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

// meetingServer is the real service on the demo data with a clock the test
// moves, so a meeting weeks ahead can be held, justerat and posted. Its mail
// is composed with the real templates into the outbox, for deliver to send.
type meetingServer struct {
	base  string
	store *db.Store
	clock atomic.Value // time.Time
}

func startMeetingServer(t *testing.T) *meetingServer {
	t.Helper()
	ms := &meetingServer{}
	ms.clock.Store(time.Now())
	ms.base, ms.store = startService(t, handlers.Config{}, ms.now, func(s *db.Store, base string) {
		c, err := notify.NewComposer(notify.Templates(), base, workflow.DefaultPolicy)
		if err != nil {
			t.Fatal(err)
		}
		s.Composer = c
	})
	return ms
}

func (ms *meetingServer) at(t time.Time) { ms.clock.Store(t) }

// now is the service's time.
func (ms *meetingServer) now() time.Time { return ms.clock.Load().(time.Time) }

// caseForTheBoard registers a case, signed off, waiting for the nämnd on day,
// a nytt extra sammanträde with this case alone on its agenda: what the
// officer and the manager did before the secretary's part.
func (ms *meetingServer) caseForTheBoard(t *testing.T, title string, day workflow.Date) workflow.Case {
	t.Helper()
	ctx := context.Background()
	officer, err := ms.store.UserByEmail(ctx, "handlaggare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	chef, err := ms.store.UserByEmail(ctx, "chef@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ms.store.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: title,
		Summary:    "Förvaltningen föreslår riktlinjer för hur nämnden följer upp sina avtal.",
		Proposals:  []string{"Arbetsmarknads- och socialnämnden föreslås besluta att anta riktlinjerna"},
		Route:      []db.StepInput{{Body: "ASN", Date: day.String(), ExtraMeeting: true}, {Body: "KS"}},
		Approvers:  []db.ApproverInput{{Email: chef.Email}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "kommunstyrelsen@kommun.example"}}}, officer)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = ms.store.Act(ctx, c.Number, officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	if c, err = ms.store.Act(ctx, c.Number, chef, workflow.Command{Action: workflow.ActApprove, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMeetingFromAgendaToLegalForce walks one nämnd meeting in a real browser
// as the secretary and the two justerare do it: the secretary builds the
// agenda (adds a point, reorders), sends the kallelse, marks the meeting held,
// names the justerare and records the decision with its paragraph; the chair
// and a ledamot sign with their passwords; the secretary posts the anslag;
// the case page shows the paragraph and the day it gains legal force; the
// secretary dispatches the decision, and the mail kommunstyrelsen receives
// over SMTP (Mailpit) carries the protokollsutdrag as a PDF with the § and
// the decision. Every meeting page is checked with axe-core and saved as a
// screenshot.
func TestMeetingFromAgendaToLegalForce(t *testing.T) {
	axe := axeSource(t)
	ms := startMeetingServer(t)
	b := newBrowser(t, ms.base)
	today := workflow.Today(time.Now())
	day := workflow.NextWorkday(today.AddDays(40))
	c := ms.caseForTheBoard(t, "Riktlinjer för avtalsuppföljning "+xss, day)
	meetingID := c.Route[0].MeetingID
	path := fmt.Sprintf("/meetings/%d", meetingID)

	b.open("/login")
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	b.submit(`a[href="/meetings"]`)
	b.expect("h1", "Sammanträden")
	b.expect("main", "Kommande sammanträden", "Tidigare sammanträden", day.String(), "Planera ett sammanträde")
	b.checkAccessibility(axe, "meetings list")
	b.screenshot("meetings")

	b.submit(`a[href="` + path + `"]`)
	b.expect("h1", "Arbetsmarknads- och socialnämnden "+day.String())
	b.expect("main", "Planerat", "Skicka kallelse senast", c.Number, "Mötets öppnande", "Val av justerare")
	b.checkAccessibility(axe, "meeting page (planned)")

	// The agenda: a point of the secretary's own, then the case moved up
	// above the delegation decisions, and the new point above the case.
	b.set("#item_kind", "other")
	b.set("#item_title", "Information från förvaltningschefen "+xss)
	if st := b.submit(`form[action="` + path + `/agenda"] button[type=submit]`); st != http.StatusOK {
		t.Fatalf("adding a point: %d", st)
	}
	b.expect("[role=status]", "Föredragningslistan är ändrad")
	b.expect(".agenda", "Information från förvaltningschefen "+xss)
	items, err := ms.store.Agenda(context.Background(), meetingID)
	if err != nil {
		t.Fatal(err)
	}
	var caseItem, ownItem int64
	for _, it := range items {
		if it.Case != nil {
			caseItem = it.ID
		}
		if it.Kind == db.ItemOther {
			ownItem = it.ID
		}
	}
	move := func(item int64, dir string) {
		t.Helper()
		b.submit(fmt.Sprintf(`form[action="%s/agenda/%d/move"] input[name=dir][value=%s] ~ button`, path, item, dir))
	}
	move(caseItem, "up")
	move(ownItem, "up")
	move(ownItem, "up")
	rows := agendaTitles(t, ms, meetingID)
	if want := "Mötets öppnande|Val av justerare|Information från förvaltningschefen " + xss + "|" + c.Title + "|Anmälan av delegationsbeslut"; rows != want {
		t.Errorf("the agenda after reordering:\n%s\nwant\n%s", rows, want)
	}
	b.checkAccessibility(axe, "meeting page (agenda built)")
	b.screenshot("meeting-agenda")

	if st := b.submit(`form[action="` + path + `/notice"] button`); st != http.StatusOK {
		t.Fatalf("kallelse: %d", st)
	}
	b.expect("[role=status]", "Kallelsen är registrerad som skickad")
	b.expect("main", "Kallelse skickad", "Justera protokollet senast "+workflow.JusteringDue(day).String())

	// The meeting day.
	ms.at(day.At(19, 0))
	b.open("/login?next=" + path)
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	if st := b.submit(`form[action="` + path + `/held"] button`); st != http.StatusOK {
		t.Fatalf("held: %d", st)
	}
	b.expect("[role=status]", "Sammanträdet är registrerat som hållet")
	b.submit(`a[href="` + path + `/attendance"]`)
	b.expect("h1", "Närvaro och justerare")
	b.markJusterare(ms)
	b.checkAccessibility(axe, "attendance form")
	b.submit(`main form button[type=submit]`)
	b.expect("main", "Anna Ek (ej justerat)", "Bo Ström (ej justerat)")

	b.submit(`a[href="` + path + `/decisions/` + c.Number + `"]`)
	b.expect("h1", "Beslut: "+c.Title)
	b.checkAccessibility(axe, "decision form")
	b.screenshot("decision-form")
	b.set("#type", "approved")
	b.set("#text", "Arbetsmarknads- och socialnämnden beslutar att anta riktlinjerna för avtalsuppfölning.") // corrected below
	b.submit(`main form button[type=submit]`)
	b.expect("[role=status]", "är registrerad: Bifall enligt förslaget")
	pars, err := ms.store.CaseParagraphs(context.Background(), c.Number)
	if err != nil || len(pars) != 1 {
		t.Fatalf("paragraphs of the case: %+v, %v", pars, err)
	}
	label := pars[0].Label
	b.expect(".agenda", label, "Bifall enligt förslaget")
	// The typo is corrected before the justering; the utdrag mailed at the
	// dispatch below carries the corrected text.
	b.submit(`a[href="` + path + `/decisions/` + c.Number + `/correction"]`)
	b.expect("h1", "Rätta beslutet: "+c.Title)
	b.checkAccessibility(axe, "decision correction form")
	b.set("#text", "Arbetsmarknads- och socialnämnden beslutar att anta riktlinjerna för avtalsuppföljning.")
	b.submit(`main form button[type=submit]`)
	b.expect("[role=status]", label+" för "+c.Number+" är rättad: Bifall enligt förslaget")
	b.screenshot("meeting-held")
	b.submit(`a[href="` + path + `/protokoll"]`)
	b.expect("main", "Utkast: protokollet är inte justerat", label, "beslutar att anta riktlinjerna", "Anna Ek", "Ej justerat")
	b.checkAccessibility(axe, "protokoll (draft)")
	b.logout()

	// The justerare sign the next day, each with their password.
	ms.at(day.AddDays(1).At(10, 0))
	for _, who := range []string{"ordforande@kommun.example", "ledamot@kommun.example"} {
		// The protokoll waits for them on their start page.
		b.open("/login")
		b.login(who, "demo", http.StatusOK)
		b.expect("main", "Väntar på mig")
		b.submit(`main a[href="` + path + `/justering"]`)
		b.expect("h1", "Justering av protokollet")
		b.checkAccessibility(axe, "justering page")
		b.set("#password", "fel lösenord")
		if st := b.submit(`main form button[type=submit]`); st != http.StatusForbidden {
			t.Errorf("%s with a wrong password: %d", who, st)
		}
		b.expect(".error-summary", "Fel lösenord")
		b.set("#password", "demo")
		b.submit(`main form button[type=submit]`)
		b.expect("[role=status]", "Din justering är registrerad")
		if who == "ordforande@kommun.example" {
			b.screenshot("justering")
		}
		b.logout()
	}

	// The secretary posts the anslag the day after justering.
	posted := day.AddDays(2)
	ms.at(posted.At(9, 0))
	b.open("/login?next=" + path)
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	b.expect("main", "Protokollet justerat", "Anslå justeringen senast")
	if got := b.value("#anslag_date"); got != posted.String() {
		t.Errorf("the anslag day starts as %q, want today %s", got, posted)
	}
	b.submit(`form[action="` + path + `/anslag"] button`)
	b.expect("[role=status]", "Anslaget är registrerat")
	legalForce := workflow.LegalForce(posted)
	b.expect("main", "Anslaget", posted.String(), legalForce.String())
	b.checkAccessibility(axe, "meeting page (posted)")
	b.screenshot("meeting-posted")
	b.submit(`a[href="` + path + `/protokoll"]`)
	b.expect("main", label, "Justerat", "Laga kraft", legalForce.String())
	b.refuse("main", "Utkast")
	b.checkAccessibility(axe, "protokoll (justerat)")
	b.screenshot("protokoll")

	// The case page shows the paragraph and when the decision gains legal force.
	b.open("/cases/" + c.Number)
	b.expect(".paragraphs", label, "Arbetsmarknads- och socialnämnden "+day.String(), "Bifall enligt förslaget",
		posted.String(), workflow.AppealEnds(posted).String(), "vinner laga kraft "+legalForce.String())
	b.expect("section[aria-labelledby=history-title]", "Protokollet justerat", "Justeringen anslagen", "Anna Ek", "Bo Ström")
	b.checkAccessibility(axe, "case page with its paragraph")
	b.screenshot("case-paragraph")

	// The secretary dispatches the decision; the mail to kommunstyrelsen,
	// delivered over SMTP, carries the protokollsutdrag as a PDF.
	mp := notifytest.StartMailpit(t)
	if st := b.submit(`form[action="/cases/` + c.Number + `/actions/dispatch"] button[type=submit]`); st != http.StatusOK {
		t.Fatalf("dispatch: %d", st)
	}
	b.expect("[role=status]", "Beslutet i "+c.Number+" är expedierat till Kommunstyrelsen")
	if res := ms.deliver(t, mp); res.Sent == 0 {
		t.Fatalf("the outbox sent nothing: %+v", res)
	}
	mail := receivedMail(t, mp, "kommunstyrelsen@kommun.example", "Beslut: "+c.Number)
	atts := mp.Attachments(mail.ID)
	extractName := fmt.Sprintf("protokollsutdrag-ASN-%d-paragraf-%s.pdf", day.Year, strings.TrimPrefix(label, "§ "))
	if len(atts) != 1 || atts[0].FileName != extractName || atts[0].ContentType != "application/pdf" {
		t.Fatalf("the dispatch mail carries %+v, want the one PDF %s", atts, extractName)
	}
	extract := strings.Join(strings.Fields(pdftest.Text(t, mp.Part(mail.ID, atts[0].PartID))), " ")
	for _, want := range []string{"PROTOKOLLSUTDRAG", "Arbetsmarknads- och socialnämnden", label + " Riktlinjer för avtalsuppföljning",
		"Diarienummer " + c.Number, "Arbetsmarknads- och socialnämnden beslutar att anta riktlinjerna för avtalsuppföljning."} {
		if !strings.Contains(extract, want) {
			t.Errorf("the attached protokollsutdrag lacks %q:\n%s", want, extract)
		}
	}
	if !strings.Contains(mail.Text, label) || !strings.Contains(mail.Text, "finns i den bifogade filen "+extractName) {
		t.Errorf("the dispatch mail's text does not name the paragraph and the file:\n%s", mail.Text)
	}

	b.open("/bodies/ASN/members")
	b.expect("h1", "Ledamöter i Arbetsmarknads- och socialnämnden")
	b.checkAccessibility(axe, "member list")
	b.open("/calendar")
	b.submit(`main form button[type=submit]`)
	if feed := b.value("#feed"); !strings.HasPrefix(feed, ms.base+"/calendar/user/") {
		t.Errorf("the personal calendar address: %q", feed)
	}
	b.checkAccessibility(axe, "calendar page")
	b.logout()
}

// markJusterare ticks the demo's two justerare, Anna Ek and Bo Ström, on the
// nämnd's attendance form.
func (b *browser) markJusterare(ms *meetingServer) {
	b.t.Helper()
	members, err := ms.store.Members(context.Background(), "ASN")
	if err != nil {
		b.t.Fatal(err)
	}
	for _, mb := range members {
		if mb.Name == "Anna Ek" || mb.Name == "Bo Ström" {
			b.click(fmt.Sprintf(`input[name=adjuster][value="%d"]`, mb.ID))
		}
	}
}

// agendaTitles is the meeting's agenda as "title|title|...".
func agendaTitles(t *testing.T, ms *meetingServer, id int64) string {
	t.Helper()
	items, err := ms.store.Agenda(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return strings.Join(out, "|")
}
