package notify_test

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

var board = workflow.Body{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden", Kind: workflow.KindBoard, Board: "ASN"}

func TestComposeNotice(t *testing.T) {
	c := newComposer(t)
	m := workflow.Meeting{ID: 41, Body: board, Date: workflow.MustDate("2026-04-30"), Start: "17:00", End: "19:00", Place: "Stadshuset, sessionssalen"}
	n := db.Notice{Meeting: m, Secretary: erik, Agenda: []db.AgendaItem{
		{Pos: 1, Kind: db.ItemOpening, Title: "Mötets öppnande"},
		{Pos: 2, Kind: db.ItemCase, Case: &db.AgendaCase{Number: "ASN-2026-17", Title: "Internationell redovisning 2025"}},
		{Pos: 3, Kind: db.ItemCase, Case: &db.AgendaCase{Number: "ASN-2026-18", Title: "Placering av Lisa", Secret: true}},
		{Pos: 4, Kind: db.ItemOther, Title: "Information <b>från</b> förvaltningen"},
	}}
	to := workflow.Member{Name: "Anna Ek", Email: "anna.ek@parti.example", Role: workflow.MemberChair, UserID: 20} // she can log in: links
	mail, err := c.ComposeNotice(n, to)
	if err != nil {
		t.Fatal(err)
	}
	if mail.To != to.Email || mail.Subject != "Kallelse: Arbetsmarknads- och socialnämnden torsdag 30 april 2026" {
		t.Errorf("to %q subject %q", mail.To, mail.Subject)
	}
	for _, s := range []string{"Till Anna Ek", "Tid: 17:00–19:00", "Plats: Stadshuset, sessionssalen",
		"1. Mötets öppnande", "2. ASN-2026-17 Internationell redovisning 2025\n   https://beslut.kommun.example/cases/ASN-2026-17",
		"3. ASN-2026-18 (sekretessmarkerat ärende)", "4. Information <b>från</b> förvaltningen",
		"meddela nämndsekreteraren Erik Nyström (erik@kommun.example)",
		"https://beslut.kommun.example/meetings/41", "https://beslut.kommun.example/calendar/ASN.ics"} {
		if !strings.Contains(mail.Text, s) {
			t.Errorf("the kallelse lacks %q:\n%s", s, mail.Text)
		}
	}
	if strings.Contains(mail.Text+mail.HTML, "Lisa") {
		t.Error("a secret case's title left the service in the kallelse")
	}
	if strings.Contains(mail.HTML, "<b>från</b>") || !strings.Contains(mail.HTML, "&lt;b&gt;från&lt;/b&gt;") ||
		!strings.Contains(mail.HTML, `href="https://beslut.kommun.example/cases/ASN-2026-17"`) {
		t.Errorf("the HTML kallelse does not escape the free item or lacks the case link:\n%s", mail.HTML)
	}
}

func TestComposeMeetingReminderAndDigest(t *testing.T) {
	c := newComposer(t)
	d := workflow.Deadline{MeetingID: 41, Kind: workflow.DeadlineJustering, Due: workflow.MustDate("2026-05-14"), Responsible: erik, State: workflow.DeadlineOpen}
	r := db.DueReminder{Reminder: workflow.Reminder{On: workflow.MustDate("2026-05-11"), Offset: -3}, Deadline: d,
		MeetingTitle: "Arbetsmarknads- och socialnämnden 2026-04-30", Board: asn, SentAt: time.Date(2026, 5, 11, 8, 0, 5, 0, workflow.Stockholm)}
	m, err := c.ComposeReminder(r)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Påminnelse: Justering torsdag 14 maj 2026 – Arbetsmarknads- och socialnämnden 2026-04-30" || m.To != erik.Email {
		t.Errorf("reminder %q to %q", m.Subject, m.To)
	}
	for _, s := range []string{"Justering för sammanträdet är torsdag 14 maj 2026", "justerat av justerarna senast",
		"Öppna sammanträdet: https://beslut.kommun.example/meetings/41"} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("the meeting reminder lacks %q:\n%s", s, m.Text)
		}
	}
	if strings.Contains(m.Text, "/cases/") || !strings.Contains(m.HTML, `href="https://beslut.kommun.example/meetings/41"`) {
		t.Errorf("the meeting reminder links to a case, or not to the meeting:\n%s", m.HTML)
	}

	dg, err := c.ComposeDigest(db.Digest{To: erik, Day: workflow.MustDate("2026-05-11"), Deadlines: []db.DeadlineItem{
		{Deadline: d, MeetingTitle: "Arbetsmarknads- och socialnämnden 2026-04-30"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dg.Text, "- torsdag 14 maj 2026: Justering, Arbetsmarknads- och socialnämnden 2026-04-30\n  https://beslut.kommun.example/meetings/41") {
		t.Errorf("the digest does not list the meeting deadline with its link:\n%s", dg.Text)
	}
}

// A template folder made before the kallelse existed keeps working: the
// kallelse is written from the built-in templates.
func TestTemplateFolderWithoutKallelse(t *testing.T) {
	old := fstest.MapFS{}
	builtin := notify.Templates()
	for _, kind := range notify.Kinds {
		if kind == "notice" {
			continue
		}
		for _, name := range []string{kind + ".txt", kind + ".html"} {
			b, err := fsRead(builtin, name)
			if err != nil {
				t.Fatal(err)
			}
			if name == "submitted.txt" {
				b = []byte(strings.Replace(string(b), "Att godkänna:", "Egen rubrik:", 1))
			}
			old[name] = &fstest.MapFile{Data: b}
		}
	}
	for _, name := range []string{"common.txt", "common.html", "layout.html"} {
		b, _ := fsRead(builtin, name)
		old[name] = &fstest.MapFile{Data: b}
	}
	c, err := notify.NewComposer(old, "https://beslut.kommun.example", workflow.DefaultPolicy)
	if err != nil {
		t.Fatalf("a folder without notice.txt: %v", err)
	}
	m, err := c.ComposeNotice(db.Notice{Meeting: workflow.Meeting{ID: 1, Body: board, Date: workflow.MustDate("2026-04-30")}},
		workflow.Member{Name: "Anna Ek", Email: "anna@parti.example"})
	if err != nil || !strings.HasPrefix(m.Subject, "Kallelse:") {
		t.Errorf("kallelse from the built-in template: %q, %v", m.Subject, err)
	}
	cs := caseAt(workflow.StageApproval, -1)
	if m, _ := c.Compose(&cs, workflow.Event{At: eventAt, Actor: erik}, workflow.Notification{Kind: workflow.NotifySubmitted, To: jonas}); !strings.HasPrefix(m.Subject, "Egen rubrik:") {
		t.Errorf("the folder's own template was not used: %q", m.Subject)
	}
}

// meetingMailWorld is a mail world whose ASN has members: the approver can log
// in and justera, two politicians have addresses, one has none.
func meetingMailWorld(t *testing.T) *notifytest.World {
	t.Helper()
	w := mailWorld(t)
	for _, body := range []string{"ASN-AU", "ASN"} {
		for _, in := range []db.MemberInput{
			{Role: workflow.MemberChair, User: w.Approver.Email},
			{Name: "Cecilia Holm", Email: "cecilia.holm@parti.example", Role: workflow.MemberRegular},
			{Name: "Daniel Berg", Role: workflow.MemberRegular},
		} {
			if _, err := w.Store.AddMember(w.Ctx, body, w.Secretary, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	return w
}

// signedOff is a case submitted and approved, at the AU on 16 April 2026 and
// then the nämnd on 30 April.
func signedOff(w *notifytest.World) workflow.Case {
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)
	c = w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	return w.Act(c, w.Approver, workflow.Command{Action: workflow.ActApprove})
}

func TestKallelseArrivesOverSMTP(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	w := meetingMailWorld(t)
	c := signedOff(w)
	d := smtpDelivery(t, w, mp.SMTPURL())
	drain(t, w, d) // the approval's mail to the secretary
	before := len(mp.Messages())

	if _, err := w.Store.MarkNoticeSent(w.Ctx, c.Route[0].MeetingID, w.Secretary); err != nil {
		t.Fatal(err)
	}
	if res := drain(t, w, d); res.Sent != 2 {
		t.Fatalf("drain = %+v, want the kallelse to the two members with an address", res)
	}
	msgs := mp.Messages()[before:]
	if got := notifytest.Recipients(msgs); !slices.Equal(slices.Sorted(slices.Values(got)), []string{"cecilia.holm@parti.example", w.Approver.Email}) {
		t.Errorf("the kallelse went to %q", got)
	}
	for _, m := range msgs {
		if m.Subject != "Kallelse: ASN arbetsutskott torsdag 16 april 2026" {
			t.Errorf("subject %q", m.Subject)
		}
		want := []string{"Du kallas till sammanträde med ASN arbetsutskott", "Mötets öppnande",
			c.Number + " Internationell redovisning 2025", "Erik Nyström (erik@kommun.example)"}
		if m.To[0].Address == w.Approver.Email { // only a member who can log in gets links to the pages behind the login
			want = append(want, baseURL+"/cases/"+c.Number, baseURL+"/meetings/")
		}
		for _, s := range want {
			if !strings.Contains(m.Text, s) {
				t.Errorf("the kallelse to %v lacks %q:\n%s", m.To, s, m.Text)
			}
		}
	}
	// A second kallelse is refused and sends nothing.
	if _, err := w.Store.MarkNoticeSent(w.Ctx, c.Route[0].MeetingID, w.Secretary); workflow.ErrorCode(err) != workflow.ECONFLICT {
		t.Errorf("second kallelse: %v", err)
	}
	if res := drain(t, w, d); res.Sent != 0 {
		t.Errorf("the refused kallelse sent %d", res.Sent)
	}
}

// A decision taken at a meeting is dispatched after justering, and the mail
// to each recipient carries the protokollsutdrag, its PDF attached; a
// recipient without an account gets no link to it (TestDispatchCarriesExtractPDF).
func TestExtractArrivesOnDispatch(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	w := meetingMailWorld(t)
	c := signedOff(w)
	c = w.Handle(c, workflow.DecisionApproved, "Arbetsutskottet föreslår nämnden att godkänna förslaget.")
	id := c.Route[1].MeetingID
	par, c := w.DecideAt(id, c, "2026-04-30", "Arbetsmarknads- och socialnämnden godkänner redovisningen.")
	d := smtpDelivery(t, w, mp.SMTPURL())
	drain(t, w, d)
	before := len(mp.Messages())
	queued := len(w.Outbox())

	// Not before justering: the extract is of a justerat protokoll.
	if _, err := w.Store.Act(w.Ctx, c.Number, w.Secretary, workflow.Command{Action: workflow.ActDispatch, Version: c.Version}); workflow.ErrorCode(err) != workflow.ECONFLICT ||
		!strings.Contains(err.Error(), "inte är justerat") {
		t.Fatalf("dispatch before justering: %v", err)
	}
	if n := len(w.Outbox()); n != queued {
		t.Errorf("the refused dispatch queued %d messages", n-queued)
	}
	w.Clock.At("2026-05-04", 10, 0)
	if _, err := w.Store.Sign(w.Ctx, id, w.Approver); err != nil {
		t.Fatal(err)
	}
	w.Clock.At("2026-05-05", 9, 0)
	if _, err := w.Store.Post(w.Ctx, id, w.Secretary, workflow.MustDate("2026-05-05")); err != nil {
		t.Fatal(err)
	}
	c, _ = w.Store.Case(w.Ctx, c.Number)
	c = w.Act(c, w.Secretary, workflow.Command{Action: workflow.ActDispatch})
	if res := drain(t, w, d); res.Sent != 1 {
		t.Fatalf("drain = %+v, want the decision to its one recipient", res)
	}
	msgs := mp.Messages()[before:]
	m := msgs[0]
	if len(m.To) != 1 || m.To[0].Address != "ks@kommun.example" || m.Subject != "Beslut: "+c.Number+" Internationell redovisning 2025" {
		t.Fatalf("the decision went to %v with subject %q", m.To, m.Subject)
	}
	link := baseURL + "/meetings/" + itoa(id) + "/paragraphs/" + itoa(int64(par.Number)) + "/utdrag.pdf"
	for _, s := range []string{"Protokollsutdrag", "Arbetsmarknads- och socialnämnden, sammanträde torsdag 30 april 2026, " + par.Label(),
		"godkänner redovisningen", "Protokollet justerades måndag 4 maj 2026 av Jonas Magnusson.",
		"Justeringen anslogs tisdag 5 maj 2026", "senast tisdag 26 maj 2026", "laga kraft onsdag 27 maj 2026",
		"finns i den bifogade filen protokollsutdrag-ASN-2026-paragraf-" + itoa(int64(par.Number)) + ".pdf"} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("the decision mail lacks %q:\n%s", s, m.Text)
		}
	}
	if strings.Contains(m.Text+m.HTML, link) || !strings.Contains(m.HTML, par.Label()) {
		t.Errorf("the HTML mail lacks the extract, or links a recipient without an account to its PDF:\n%s", m.HTML)
	}
}

func fsRead(f fs.FS, name string) ([]byte, error) { return fs.ReadFile(f, name) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
