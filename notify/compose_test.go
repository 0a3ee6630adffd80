package notify_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
)

func mailTemplates(t *testing.T) fs.FS {
	t.Helper()
	return notify.Templates()
}

func newComposer(t *testing.T) *notify.Composer {
	t.Helper()
	c, err := notify.NewComposer(mailTemplates(t), "https://beslut.kommun.example/", workflow.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	asn     = workflow.Board{Code: "ASN", Name: "Arbetsmarknads- och socialnämnden"}
	au      = workflow.Body{Code: "ASN-AU", Name: "ASN arbetsutskott", Kind: workflow.KindWorkingCommittee, Board: "ASN"}
	sara    = workflow.Person{ID: 1, Name: "Sara Lindqvist", Email: "sara@kommun.example"}
	jonas   = workflow.Person{ID: 2, Name: "Jonas Magnusson", Email: "jonas@kommun.example"}
	erik    = workflow.Person{ID: 3, Name: "Erik Nyström", Email: "erik@kommun.example"}
	eventAt = time.Date(2026, 3, 10, 10, 0, 0, 0, workflow.Stockholm)
)

func caseAt(stage workflow.Stage, step int) workflow.Case {
	return workflow.Case{Number: "ASN-2026-17", Board: asn, Title: "Internationell redovisning 2025", Stage: stage, Step: step,
		Officer: sara, Approvers: []workflow.Approver{{Person: jonas}},
		Route: []workflow.RouteStep{{Body: au, Date: workflow.MustDate("2026-04-16")}}}
}

func TestComposeNotifications(t *testing.T) {
	c := newComposer(t)
	ev := workflow.Event{CaseNumber: "ASN-2026-17", Seq: 3, At: eventAt, Actor: erik}
	decided := caseAt(workflow.StageBoard, 0)
	decided.Decision = &workflow.Decision{Type: workflow.DecisionApproved, Text: "Nämnden godkänner redovisningen.", DecidedAt: eventAt, Paragraph: "§ 41"}
	tests := []struct {
		kind    workflow.NotificationKind
		c       workflow.Case
		to      workflow.Person
		reason  string
		subject string
		says    []string
	}{
		{workflow.NotifySubmitted, caseAt(workflow.StageApproval, -1), jonas, "",
			"Att godkänna: ASN-2026-17 Internationell redovisning 2025", []string{"Hej Jonas Magnusson", "ditt godkännande", "Inlämningsdagen är tisdag 31 mars 2026"}},
		{workflow.NotifyApproved, caseAt(workflow.StageWorkingCommittee, 0), erik, "",
			"Godkänt, klart att planera: ASN-2026-17 Internationell redovisning 2025", []string{"ASN arbetsutskott torsdag 16 april 2026"}},
		{workflow.NotifyRejected, caseAt(workflow.StageDraft, -1), sara, "Ekonomin saknas",
			"Återvisat till dig: ASN-2026-17 Internationell redovisning 2025", []string{"Skäl: Ekonomin saknas", "Erik Nyström har återvisat"}},
		{workflow.NotifyReturned, caseAt(workflow.StageDraft, -1), sara, "Beskriv konsekvenserna",
			"Återremitterat: ASN-2026-17 Internationell redovisning 2025", []string{"Skäl: Beskriv konsekvenserna"}},
		{workflow.NotifyAdvanced, caseAt(workflow.StageWorkingCommittee, 0), sara, "",
			"Vidare till ASN arbetsutskott: ASN-2026-17 Internationell redovisning 2025", []string{"sammanträder torsdag 16 april 2026"}},
		{workflow.NotifyPostponed, caseAt(workflow.StageWorkingCommittee, 0), sara, "Mer tid behövs",
			"Bordlagt: ASN-2026-17 Internationell redovisning 2025", []string{"igen torsdag 16 april 2026", "Skäl: Mer tid behövs"}},
		{workflow.NotifyDispatched, decided, workflow.Person{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}, "",
			"Beslut: ASN-2026-17 Internationell redovisning 2025", []string{"Till Kommunstyrelsen", "(§ 41)", "Beslut (Bifall enligt förslaget):\nNämnden godkänner redovisningen."}},
		{workflow.NotifyClosed, caseAt(workflow.StageClosed, 1), sara, "",
			"Avslutat: ASN-2026-17 Internationell redovisning 2025", []string{"Ärendet är avslutat."}},
		{workflow.NotifyWithdrawn, caseAt(workflow.StageClosed, -1), sara, "Ingen ansökan i år",
			"Återkallat: ASN-2026-17 Internationell redovisning 2025", []string{"Skäl: Ingen ansökan i år"}},
	}
	if len(tests) != len(notify.NotificationKinds) {
		t.Fatalf("the test covers %d kinds, notify has %d notification kinds", len(tests), len(notify.NotificationKinds))
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			m, err := c.Compose(&tt.c, ev, workflow.Notification{Kind: tt.kind, To: tt.to, Reason: tt.reason})
			if err != nil {
				t.Fatal(err)
			}
			if m.To != tt.to.Email || m.Subject != tt.subject {
				t.Errorf("to %q subject %q, want %q %q", m.To, m.Subject, tt.to.Email, tt.subject)
			}
			link := "https://beslut.kommun.example/cases/ASN-2026-17"
			for _, s := range append(tt.says, link) {
				if !strings.Contains(m.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, m.Text)
				}
			}
			if !strings.Contains(m.HTML, `href="`+link+`"`) || !strings.Contains(m.HTML, "<title>"+tt.subject+"</title>") {
				t.Errorf("HTML lacks the link or the subject:\n%s", m.HTML)
			}
			if strings.Contains(m.Text, "\n\n\n") || strings.HasPrefix(m.Text, "\n") {
				t.Errorf("text has stray blank lines:\n%q", m.Text)
			}
		})
	}
}

func TestComposeEscapesAndWithholdsSecrets(t *testing.T) {
	c := newComposer(t)
	cs := caseAt(workflow.StageDraft, -1)
	cs.Title = `Avtal <script>alert(1)</script> & "villkor"`
	m, err := c.Compose(&cs, workflow.Event{At: eventAt, Actor: erik}, workflow.Notification{Kind: workflow.NotifyRejected, To: sara, Reason: "<b>nej</b>"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<b>nej</b>") || !strings.Contains(m.HTML, "&lt;script&gt;") {
		t.Errorf("HTML does not escape the title and reason:\n%s", m.HTML)
	}
	cs.Secret = true
	m, err = c.Compose(&cs, workflow.Event{At: eventAt, Actor: erik}, workflow.Notification{Kind: workflow.NotifyRejected, To: sara, Reason: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Subject+m.Text+m.HTML, "Avtal") || !strings.Contains(m.Subject, "ASN-2026-17 (sekretessmarkerat ärende)") {
		t.Errorf("a secret case's title left the service: %q\n%s", m.Subject, m.Text)
	}
}

func TestComposeReminder(t *testing.T) {
	c := newComposer(t)
	d := workflow.Deadline{CaseNumber: "ASN-2026-17", Kind: workflow.DeadlineSubmission, Due: workflow.MustDate("2026-03-31"),
		Responsible: sara, State: workflow.DeadlineOpen}
	before := db.DueReminder{Reminder: workflow.Reminder{On: workflow.MustDate("2026-03-24"), Offset: -5}, Deadline: d,
		CaseTitle: "Internationell redovisning 2025", Board: asn, SentAt: time.Date(2026, 3, 24, 8, 0, 20, 0, workflow.Stockholm)}
	m, err := c.ComposeReminder(before)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Påminnelse: Inlämningsdag tisdag 31 mars 2026 – ASN-2026-17 Internationell redovisning 2025" || m.To != sara.Email || len(m.Cc) != 0 {
		t.Errorf("reminder %q to %q cc %q", m.Subject, m.To, m.Cc)
	}
	if strings.Contains(m.Text, "senare än avsett") {
		t.Errorf("an on-time reminder says it is late:\n%s", m.Text)
	}
	onTime := before
	onTime.Reminder = workflow.Reminder{On: workflow.MustDate("2026-04-02"), Offset: 2}
	onTime.SentAt = time.Date(2026, 4, 2, 8, 0, 20, 0, workflow.Stockholm)
	if m, _ := c.ComposeReminder(onTime); m.Subject != "Försenad 2 arbetsdagar: Inlämningsdag – ASN-2026-17 Internationell redovisning 2025" {
		t.Errorf("overdue reminder subject %q", m.Subject)
	}

	// Sent on 2 April after downtime, for 1 April, copied to the manager.
	late := before
	late.Reminder = workflow.Reminder{On: workflow.MustDate("2026-04-01"), Offset: 2, CopyManager: true}
	late.Manager = &jonas
	late.SentAt = time.Date(2026, 4, 2, 10, 0, 0, 0, workflow.Stockholm)
	m, err = c.ComposeReminder(late)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Påminnelse för onsdag 1 april 2026 (skickad torsdag 2 april 2026, senare än avsett",
		"är tisdag 31 mars 2026, och det är 2 arbetsdagar sedan", "Kopia till Jonas Magnusson",
		"https://beslut.kommun.example/cases/ASN-2026-17"} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("late reminder lacks %q:\n%s", s, m.Text)
		}
	}
	if m.Subject != "Missad påminnelse onsdag 1 april 2026: Inlämningsdag tisdag 31 mars 2026 – ASN-2026-17 Internationell redovisning 2025" ||
		len(m.Cc) != 1 || m.Cc[0] != jonas.Email {
		t.Errorf("late reminder %q cc %q", m.Subject, m.Cc)
	}
}

func TestComposeDigest(t *testing.T) {
	c := newComposer(t)
	items := []db.DeadlineItem{
		{Deadline: workflow.Deadline{CaseNumber: "ASN-2026-17", Kind: workflow.DeadlineSubmission, Due: workflow.MustDate("2026-03-30")}, CaseTitle: "Internationell redovisning 2025"},
		{Deadline: workflow.Deadline{CaseNumber: "ASN-2026-20", Kind: workflow.DeadlineCustom, Due: workflow.MustDate("2026-04-02"), Note: "Stäm av med ekonomi"}, CaseTitle: "Delårsrapport"},
	}
	m, err := c.ComposeDigest(db.Digest{To: sara, Day: workflow.MustDate("2026-03-31"), Deadlines: items})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Dina bevakningar tisdag 31 mars 2026: 2 st" || m.To != sara.Email {
		t.Errorf("digest %q to %q", m.Subject, m.To)
	}
	for _, s := range []string{"- måndag 30 mars 2026 (försenad): Inlämningsdag, ASN-2026-17", "- torsdag 2 april 2026: Bevakning, ASN-2026-20 Delårsrapport – Stäm av med ekonomi",
		"https://beslut.kommun.example/cases/ASN-2026-20", "fram till och med tisdag 7 april 2026"} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("digest lacks %q:\n%s", s, m.Text)
		}
	}
}

func TestNewComposerRejectsBadTemplates(t *testing.T) {
	good := mailTemplates(t)
	with := func(name, body string) fs.FS {
		m := fstest.MapFS{}
		fs.WalkDir(good, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := fs.ReadFile(good, p)
				m[p] = &fstest.MapFile{Data: b}
			}
			return nil
		})
		if body == "" {
			delete(m, name)
		} else {
			m[name] = &fstest.MapFile{Data: []byte(body)}
		}
		return m
	}
	bad := []struct {
		name  string
		files fs.FS
		says  string
	}{
		{"syntax error", with("advanced.txt", `{{define "subject"}}{{.Case.Number{{end}}`), "advanced.txt"},
		{"no subject", with("closed.txt", `{{define "text"}}x{{end}}`), `closed.txt definierar inte {{define "subject"}}`},
		{"missing file", with("digest.html", ""), "digest.html"},
		{"unknown field", with("reminder.txt", `{{define "subject"}}{{.Ärende}}{{end}}{{define "text"}}x{{end}}`), "e-postmallen reminder"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := notify.NewComposer(tt.files, "https://beslut.kommun.example", workflow.DefaultPolicy)
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("NewComposer = %v, want an error naming %q", err, tt.says)
			}
		})
	}
	for _, base := range []string{"", "beslut.kommun.example", "ftp://x", "https://x/?a=1", "http://"} {
		if _, err := notify.NewComposer(good, base, workflow.DefaultPolicy); err == nil || !strings.Contains(err.Error(), "basadressen") {
			t.Errorf("base URL %q: %v, want refused", base, err)
		}
	}
}
