package notify_test

import (
	"bufio"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pdftest"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

// flat joins the words of a text with single spaces, so a phrase is found
// wherever a page or a line wrapped it.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// secretOnAU registers a case marked secret and brings it, signed off, to
// the AU of 16 April 2026, beside signedOff's case.
func secretOnAU(t *testing.T, w *notifytest.World) workflow.Case {
	t.Helper()
	c, err := w.Store.CreateCase(w.Ctx, db.CaseInput{Board: "ASN", Title: "Placering av Lisa", Secret: true,
		Proposals: []string{"Nämnden föreslås besluta att placera Lisa i familjehem"},
		Route:     []db.StepInput{{Body: "ASN-AU", Date: "2026-04-16"}, {Body: "ASN", Date: "2026-04-30"}},
		Approvers: []db.ApproverInput{{Email: w.Approver.Email}}}, w.Officer)
	if err != nil {
		t.Fatal(err)
	}
	c = w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	return w.Act(c, w.Approver, workflow.Command{Action: workflow.ActApprove})
}

// wantAgenda checks the text of a föredragningslista of the AU with the open
// case c and the secret case s on it.
func wantAgenda(t *testing.T, who, text string, c, s workflow.Case) {
	t.Helper()
	text = flat(text)
	for _, want := range []string{"ASN arbetsutskott", "FÖREDRAGNINGSLISTA", "Sammanträdesdatum 2026-04-16",
		"1. Mötets öppnande", "2. Val av justerare",
		"Internationell redovisning 2025", "Diarienummer " + c.Number, "Förslag till beslut",
		"1. Nämnden föreslås besluta att godkänna internationell redovisning 2025",
		"Ärende som omfattas av sekretess", "Diarienummer " + s.Number} {
		if !strings.Contains(text, want) {
			t.Errorf("the föredragningslista to %s lacks %q:\n%s", who, want, text)
		}
	}
	if strings.Contains(text, "Lisa") {
		t.Errorf("the föredragningslista to %s names the secret case: %s", who, text)
	}
}

// The kallelse arrives over SMTP with the föredragningslista attached as a
// PDF: every point, a case with its proposals, the secret case by number
// only. The member without an account gets no link to a page behind the
// login; the member who can log in keeps them.
func TestKallelseCarriesAgendaPDF(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	w := meetingMailWorld(t)
	c := signedOff(w)
	secret := secretOnAU(t, w)
	d := smtpDelivery(t, w, mp.SMTPURL())
	drain(t, w, d)
	before := len(mp.Messages())

	if _, err := w.Store.MarkNoticeSent(w.Ctx, c.Route[0].MeetingID, w.Secretary); err != nil {
		t.Fatal(err)
	}
	if res := drain(t, w, d); res.Sent != 2 {
		t.Fatalf("drain = %+v, want the kallelse to the two members with an address", res)
	}
	msgs := mp.Messages()[before:]
	if got := slices.Sorted(slices.Values(notifytest.Recipients(msgs))); !slices.Equal(got, []string{"cecilia.holm@parti.example", w.Approver.Email}) {
		t.Fatalf("the kallelse went to %q", got)
	}
	const file = "foredragningslista-ASN-AU-2026-04-16.pdf"
	for _, m := range msgs {
		to := m.To[0].Address
		atts := mp.Attachments(m.ID)
		if len(atts) != 1 || atts[0].FileName != file || atts[0].ContentType != "application/pdf" {
			t.Fatalf("the kallelse to %s carries %+v, want %s", to, atts, file)
		}
		wantAgenda(t, to, pdftest.Text(t, mp.Part(m.ID, atts[0].PartID)), c, secret)
		if !strings.Contains(flat(m.Text), "finns i den bifogade filen "+file) {
			t.Errorf("the kallelse to %s does not say what is attached:\n%s", to, m.Text)
		}
		if strings.Contains(m.Text+m.HTML, "Lisa") {
			t.Errorf("the kallelse to %s names the secret case", to)
		}
		if !strings.Contains(m.Text, baseURL+"/calendar/ASN-AU.ics") {
			t.Errorf("the kallelse to %s lacks the calendar feed, which needs no login:\n%s", to, m.Text)
		}
		loginPages := []string{baseURL + "/cases/", baseURL + "/meetings/"}
		for _, page := range loginPages {
			has := strings.Contains(m.Text, page) || strings.Contains(m.HTML, `href="`+page)
			if account := to == w.Approver.Email; has != account {
				t.Errorf("the kallelse to %s (account: %v) links to %s: %v\n%s", to, account, page, has, m.Text)
			}
		}
	}
}

// decidedAndPosted takes c, signed off and at the AU, through the AU of 16
// April 2026 to the nämnd of 30 April, which decides it; the protokoll is
// justerat on 4 May and posted on 5 May. It returns the paragraph and the
// case as it then is.
func decidedAndPosted(t *testing.T, w *notifytest.World, c workflow.Case) (workflow.Paragraph, workflow.Case) {
	t.Helper()
	au := c.Route[0].MeetingID
	if _, err := w.Store.MarkNoticeSent(w.Ctx, au, w.Secretary); err != nil {
		t.Fatal(err)
	}
	w.Clock.At("2026-04-16", 19, 0)
	if _, err := w.Store.MarkHeld(w.Ctx, au, w.Secretary); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.Store.Decide(w.Ctx, au, w.Secretary, db.DecisionInput{Case: c.Number, Type: workflow.DecisionApproved,
		Text: "Arbetsutskottet föreslår nämnden att godkänna redovisningen."}); err != nil {
		t.Fatal(err)
	}
	id := c.Route[1].MeetingID
	par, c := w.DecideAt(id, c, "2026-04-30", "Arbetsmarknads- och socialnämnden godkänner redovisningen.")
	w.Clock.At("2026-05-04", 10, 0)
	if _, err := w.Store.Sign(w.Ctx, id, w.Approver); err != nil {
		t.Fatal(err)
	}
	w.Clock.At("2026-05-05", 9, 0)
	if _, err := w.Store.Post(w.Ctx, id, w.Secretary, workflow.MustDate("2026-05-05")); err != nil {
		t.Fatal(err)
	}
	c, err := w.Store.Case(w.Ctx, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	return par, c
}

// A dispatched decision arrives with its protokollsutdrag attached as a PDF
// that holds the § and the decision. The recipient without an account gets
// neither the case's page nor the utdrag's address; the recipient who can
// log in (the officer, by address) keeps both.
func TestDispatchCarriesExtractPDF(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	w := meetingMailWorld(t)
	c, err := w.Store.CreateCase(w.Ctx, db.CaseInput{Board: "ASN", Title: "Internationell redovisning 2025",
		Proposals: []string{"Nämnden föreslås besluta att godkänna redovisningen"},
		Route:     []db.StepInput{{Body: "ASN-AU", Date: "2026-04-16"}, {Body: "ASN", Date: "2026-04-30"}},
		Approvers: []db.ApproverInput{{Email: w.Approver.Email}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"},
			{Name: w.Officer.Name, Email: w.Officer.Email}}}, w.Officer)
	if err != nil {
		t.Fatal(err)
	}
	c = w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	c = w.Act(c, w.Approver, workflow.Command{Action: workflow.ActApprove})
	par, c := decidedAndPosted(t, w, c)
	d := smtpDelivery(t, w, mp.SMTPURL())
	drain(t, w, d)
	before := len(mp.Messages())

	w.Act(c, w.Secretary, workflow.Command{Action: workflow.ActDispatch})
	drain(t, w, d)
	var msgs []notifytest.Message
	for _, m := range mp.Messages()[before:] {
		if strings.HasPrefix(m.Subject, "Beslut: ") {
			msgs = append(msgs, m)
		}
	}
	if got := slices.Sorted(slices.Values(notifytest.Recipients(msgs))); !slices.Equal(got, []string{"ks@kommun.example", w.Officer.Email}) {
		t.Fatalf("the decision went to %q", got)
	}
	file := "protokollsutdrag-ASN-2026-paragraf-" + itoa(int64(par.Number)) + ".pdf"
	pdfLink := baseURL + "/meetings/" + itoa(c.Route[1].MeetingID) + "/paragraphs/" + itoa(int64(par.Number)) + "/utdrag.pdf"
	caseLink := baseURL + "/cases/" + c.Number
	for _, m := range msgs {
		to := m.To[0].Address
		atts := mp.Attachments(m.ID)
		if len(atts) != 1 || atts[0].FileName != file || atts[0].ContentType != "application/pdf" {
			t.Fatalf("the decision to %s carries %+v, want %s", to, atts, file)
		}
		text := flat(pdftest.Text(t, mp.Part(m.ID, atts[0].PartID)))
		for _, want := range []string{"PROTOKOLLSUTDRAG", par.Label() + " Internationell redovisning 2025", "Diarienummer " + c.Number,
			"Beslut – Bifall enligt förslaget", "Arbetsmarknads- och socialnämnden godkänner redovisningen.",
			"Beslutet skickas till Kommunstyrelsen", "Justerat digitalt 2026-05-04", "Laga kraft 2026-05-27"} {
			if !strings.Contains(text, want) {
				t.Errorf("the utdrag to %s lacks %q:\n%s", to, want, text)
			}
		}
		for _, want := range []string{"Protokollsutdrag", par.Label(), "godkänner redovisningen", "finns i den bifogade filen " + file} {
			if !strings.Contains(flat(m.Text), want) {
				t.Errorf("the decision mail to %s lacks %q:\n%s", to, want, m.Text)
			}
		}
		account := to == w.Officer.Email
		for _, link := range []string{pdfLink, caseLink} {
			if has := strings.Contains(m.Text, link) || strings.Contains(m.HTML, `href="`+link); has != account {
				t.Errorf("the decision to %s (account: %v) links to %s: %v\n%s", to, account, link, has, m.Text)
			}
		}
		if !account && strings.Contains(m.Text+m.HTML, baseURL) {
			t.Errorf("the decision to %s, who has no account, links into the service:\n%s", to, m.Text)
		}
	}
}

// Without SMTP, the .eml file of a kallelse holds its föredragningslista.
func TestFolderDeliveryWritesAttachment(t *testing.T) {
	w := meetingMailWorld(t)
	c := signedOff(w)
	secret := secretOnAU(t, w)
	dir := t.TempDir()
	d, err := notify.NewFolderDelivery(w.Store, dir, "Beslutsgång <beslut@kommun.example>")
	if err != nil {
		t.Fatal(err)
	}
	d.Now = w.Clock.Now
	drain(t, w, d)
	if _, err := w.Store.MarkNoticeSent(w.Ctx, c.Route[0].MeetingID, w.Secretary); err != nil {
		t.Fatal(err)
	}
	drain(t, w, d)
	files, err := notify.MailFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range files {
		if !strings.HasPrefix(f.Subject, "Kallelse:") {
			continue
		}
		found++
		name, pdf := emlAttachment(t, filepath.Join(dir, f.Name))
		if name != "foredragningslista-ASN-AU-2026-04-16.pdf" {
			t.Errorf("%s carries %q", f.Name, name)
		}
		wantAgenda(t, f.To, pdftest.Text(t, pdf), c, secret)
		msg, err := notify.ReadMailFile(dir, f.Name)
		if err != nil || !strings.Contains(msg.Text, "Du kallas till sammanträde") {
			t.Errorf("the admin page reads %s as %q, %v", f.Name, msg.Text, err)
		}
	}
	if found != 2 {
		t.Errorf("%d kallelser in the folder, want 2", found)
	}
}

// emlAttachment reads the one attachment of an .eml file: its file name and
// its content.
func emlAttachment(t *testing.T, path string) (string, []byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msg, err := mail.ReadMessage(bufio.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	media, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || media != "multipart/mixed" {
		t.Fatalf("%s is %s, not multipart/mixed: %v", path, media, err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	var name string
	var data []byte
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		disp, dp, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if disp != "attachment" {
			continue
		}
		if name != "" {
			t.Fatalf("%s has more than one attachment", path)
		}
		if ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct != "application/pdf" ||
			!strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
			t.Errorf("the attachment is %s in %s", ct, p.Header.Get("Content-Transfer-Encoding"))
		}
		name = dp["filename"]
		if data, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, p)); err != nil {
			t.Fatal(err)
		}
	}
	if name == "" {
		t.Fatalf("%s has no attachment", path)
	}
	return name, data
}

// ComposeNotice and ComposeExtract link to pages behind the login only for
// someone who can log in; the föredragningslista and the utdrag go along
// either way, and a decision taken without a meeting has no file.
func TestComposeLinksOnlyForAccounts(t *testing.T) {
	c := newComposer(t)
	const site = "https://beslut.kommun.example"
	m := workflow.Meeting{ID: 41, Body: board, Date: workflow.MustDate("2026-04-30"), Start: "17:00", Place: "Stadshuset"}
	n := db.Notice{Meeting: m, Secretary: erik, Agenda: []db.AgendaItem{
		{Pos: 1, Kind: db.ItemOpening, Title: "Mötets öppnande"},
		{Pos: 2, Kind: db.ItemCase, Case: &db.AgendaCase{Number: "ASN-2026-17", Title: "Internationell redovisning 2025"}},
	}, Proposals: map[string][]string{"ASN-2026-17": {"Nämnden föreslås besluta att godkänna redovisningen"}}}
	for _, to := range []workflow.Member{
		{Name: "Anna Ek", Email: "anna.ek@parti.example", Role: workflow.MemberChair},
		{Name: "Bo Ström", Email: "bo@kommun.example", Role: workflow.MemberRegular, UserID: 7},
	} {
		mail, err := c.ComposeNotice(n, to)
		if err != nil {
			t.Fatal(err)
		}
		account := to.UserID != 0
		for _, page := range []string{site + "/cases/ASN-2026-17", site + "/meetings/41"} {
			if has := strings.Contains(mail.Text, page) || strings.Contains(mail.HTML, `href="`+page+`"`); has != account {
				t.Errorf("the kallelse to %s (account: %v) links to %s: %v\n%s", to.Email, account, page, has, mail.Text)
			}
		}
		if !strings.Contains(mail.Text, "2. ASN-2026-17 Internationell redovisning 2025") || !strings.Contains(mail.Text, site+"/calendar/ASN.ics") {
			t.Errorf("the kallelse to %s lacks the point or the calendar:\n%s", to.Email, mail.Text)
		}
		if len(mail.Attachments) != 1 || mail.Attachments[0].Name != "foredragningslista-ASN-2026-04-30.pdf" ||
			mail.Attachments[0].ContentType != "application/pdf" {
			t.Fatalf("the kallelse to %s carries %+v", to.Email, mail.Attachments)
		}
		if text := flat(pdftest.Text(t, mail.Attachments[0].Data)); !strings.Contains(text, "1. Nämnden föreslås besluta att godkänna redovisningen") {
			t.Errorf("the attached föredragningslista lacks the proposal:\n%s", text)
		}
	}

	cs := caseAt(workflow.StageBoard, 0)
	cs.Decision = &workflow.Decision{Type: workflow.DecisionApproved, Text: "Nämnden godkänner redovisningen.", DecidedAt: eventAt}
	ev := workflow.Event{CaseNumber: cs.Number, Seq: 9, At: eventAt, Actor: erik}
	for _, to := range []workflow.Person{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}, sara} {
		mail, err := c.ComposeExtract(&cs, ev, workflow.Notification{Kind: workflow.NotifyDispatched, To: to}, db.Extract{})
		if err != nil {
			t.Fatal(err)
		}
		account := to.ID != 0
		if has := strings.Contains(mail.Text+mail.HTML, site); has != account {
			t.Errorf("the decision to %s (account: %v) links into the service: %v\n%s", to.Email, account, has, mail.Text)
		}
		if len(mail.Attachments) != 0 || strings.Contains(mail.Text, "Protokollsutdrag") || !strings.Contains(mail.Text, "Nämnden godkänner redovisningen.") {
			t.Errorf("the decision taken without a meeting, to %s: %d files\n%s", to.Email, len(mail.Attachments), mail.Text)
		}
		if strings.Contains(mail.Text, "\n\n\n") || strings.HasSuffix(mail.Text, "\n\n") {
			t.Errorf("stray blank lines:\n%q", mail.Text)
		}
	}
}
