package db

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// attachingComposer writes every kallelse and dispatched decision with a file
// attached, and notes what the store told it of each recipient.
type attachingComposer struct {
	mailComposer
	file       []byte
	account    map[string]int64 // address: the user it told the composer of, 0 for none
	proposals  map[string][]string
	extractsOf []int // the paragraph of each dispatched decision's extract, 0 for none
}

func (a *attachingComposer) attach(to string) []MailAttachment {
	return []MailAttachment{{Name: "föredragningslista ASN.pdf", ContentType: "application/pdf", Data: a.file}}
}

func (a *attachingComposer) ComposeNotice(n Notice, to workflow.Member) (Mail, error) {
	a.account[to.Email], a.proposals = to.UserID, n.Proposals
	return Mail{To: to.Email, Subject: "Kallelse " + n.Meeting.Title(), Text: "Se bilagan.", Attachments: a.attach(to.Email)}, nil
}

func (a *attachingComposer) ComposeExtract(c *workflow.Case, ev workflow.Event, n workflow.Notification, ex Extract) (Mail, error) {
	a.account[n.To.Email] = n.To.ID
	a.extractsOf = append(a.extractsOf, ex.Paragraph.Number)
	return Mail{To: n.To.Email, Subject: "Beslut " + c.Number, Text: "Se utdraget.", Attachments: a.attach(n.To.Email)}, nil
}

// A kallelse's file is written with its outbox row, once per content however
// many members it goes to; delivery reads it back, lists only name and size.
// The composer learns which member can log in, matched on the address.
func TestNoticeAttachments(t *testing.T) {
	w := newMeetingWorld(t)
	ac := &attachingComposer{file: bytes.Repeat([]byte("%PDF-1.3 föredragningslista\n"), 200), account: map[string]int64{}}
	w.s.Composer = ac
	// A member whose address is a user's in other letter case, and one whose
	// account is deactivated.
	w.member("ASN", MemberInput{Name: "Nils Berg", Email: "NILS@Kommun.example", Role: workflow.MemberSubstitute})
	gone, err := w.s.CreateUser(w.ctx, NewUser{Email: "gone@kommun.example", Name: "Greta Borta", Password: meetingPassword})
	if err != nil {
		t.Fatal(err)
	}
	w.member("ASN", MemberInput{Role: workflow.MemberSubstitute, User: gone.Email})
	if err := w.s.SetActive(w.ctx, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	c := w.throughAU(w.caseOn("Internationell redovisning 2025", meetingDay(14), meetingDay(28)))
	secret, err := w.s.CreateCase(w.ctx, CaseInput{Board: "ASN", Title: "Placering av Lisa", Secret: true,
		Proposals: []string{"Nämnden föreslås besluta att placera Lisa"}, Route: []StepInput{{Body: "ASN", Date: meetingDay(28).String()}},
		Approvers: []ApproverInput{{Email: w.approver.Email}}}, w.officer)
	if err != nil {
		t.Fatal(err)
	}
	secret = w.act(secret, w.officer, workflow.ActSubmit)
	w.act(secret, w.approver, workflow.ActApprove)
	m := w.meetingAt("ASN", meetingDay(28))
	items, err := w.s.Agenda(w.ctx, m.ID)
	if err != nil || len(items) != 5 {
		t.Fatalf("the agenda: %+v, %v; want the fixed items and both cases", items, err)
	}
	before := len(w.outboxRows())
	if _, err := w.s.MarkNoticeSent(w.ctx, m.ID, w.secretary); err != nil {
		t.Fatal(err)
	}

	want := map[string]int64{w.chair.Email: w.chair.ID, w.ledamot.Email: w.ledamot.ID, w.secretary.Email: w.secretary.ID,
		"cilla@parti.example": 0, "NILS@kommun.example": w.outsider.ID, gone.Email: 0}
	if fmt.Sprint(ac.account) != fmt.Sprint(want) {
		t.Errorf("the composer was told of accounts %v, want %v", ac.account, want)
	}
	if got := ac.proposals[c.Number]; len(got) != 1 || !strings.Contains(got[0], "godkänna Internationell redovisning 2025") {
		t.Errorf("the proposals of %s: %q", c.Number, got)
	}
	if _, ok := ac.proposals[secret.Number]; ok {
		t.Errorf("the kallelse was given the proposals of the secret case %s", secret.Number)
	}

	rows := w.outboxRows()[before:]
	if len(rows) != len(want) {
		t.Fatalf("%d kallelser queued, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		if len(r.Attachments) != 1 || r.Attachments[0].Name != "föredragningslista ASN.pdf" ||
			r.Attachments[0].ContentType != "application/pdf" || r.Attachments[0].Size != len(ac.file) || r.Attachments[0].Data != nil {
			t.Errorf("the outbox lists the kallelse to %s with %+v", r.To, r.Attachments)
		}
	}
	due, err := w.s.DueMail(w.ctx, w.now.AddDate(0, 0, 1), 100)
	if err != nil {
		t.Fatal(err)
	}
	withFile := 0
	for _, d := range due {
		if strings.HasPrefix(d.Subject, "Kallelse") {
			if len(d.Attachments) != 1 || !bytes.Equal(d.Attachments[0].Data, ac.file) {
				t.Errorf("delivery reads the kallelse to %s with %d attachments", d.To, len(d.Attachments))
			}
			withFile++
		}
	}
	if withFile != len(want) {
		t.Errorf("delivery reads %d kallelser, want %d", withFile, len(want))
	}
	sum := sha256.Sum256(ac.file)
	var blobs, refs int
	if err := w.s.r.QueryRowContext(w.ctx, `SELECT (SELECT COUNT(*) FROM blobs WHERE sha256 = ?),
		(SELECT COUNT(*) FROM outbox_attachments WHERE sha256 = ?)`, hex.EncodeToString(sum[:]), hex.EncodeToString(sum[:])).Scan(&blobs, &refs); err != nil {
		t.Fatal(err)
	}
	if blobs != 1 || refs != len(want) {
		t.Errorf("the file is stored %d times for %d messages, want once", blobs, refs)
	}
}

// Files beyond the bound refuse the kallelse as a whole: the meeting stays
// planned and nothing is queued.
func TestNoticeAttachmentsAreBounded(t *testing.T) {
	w := newMeetingWorld(t)
	ac := &attachingComposer{file: make([]byte, MaxMailAttachmentBytes+1), account: map[string]int64{}}
	w.s.Composer = ac
	w.caseOn("Internationell redovisning 2025", meetingDay(14), meetingDay(28))
	m := w.meetingAt("ASN", meetingDay(28))
	before, rows := w.counts(), len(w.outboxRows())
	if _, err := w.s.MarkNoticeSent(w.ctx, m.ID, w.secretary); err == nil || !strings.Contains(err.Error(), "kB") {
		t.Fatalf("a kallelse with %d bytes attached: %v", len(ac.file), err)
	}
	if w.counts() != before || len(w.outboxRows()) != rows {
		t.Error("the refused kallelse changed the meeting or queued mail")
	}
	if got, _ := w.s.Meeting(w.ctx, m.ID); got.Status != workflow.MeetingPlanned {
		t.Errorf("the meeting is %s after the refused kallelse", got.Status)
	}
	for _, bad := range []MailAttachment{
		{Name: "", ContentType: "application/pdf"},
		{Name: "../utdrag.pdf", ContentType: "application/pdf"},
		{Name: "utdrag\r\n.pdf", ContentType: "application/pdf"},
		{Name: "utdrag.pdf", ContentType: "application/pdf\r\nBcc: x@example.org"},
		{Name: "utdrag.pdf", ContentType: "inte en typ"},
	} {
		if err := checkAttachments([]MailAttachment{bad}); err == nil {
			t.Errorf("the attachment %q (%q) was accepted", bad.Name, bad.ContentType)
		}
	}
	if err := checkAttachments(make([]MailAttachment, MaxMailAttachments+1)); err == nil {
		t.Errorf("%d attachments were accepted", MaxMailAttachments+1)
	}
}

// A dispatched decision taken at a meeting is composed with its extract; the
// composer learns which recipient can log in, the officer's address typed in
// other letter case included.
func TestDispatchComposesWithAccounts(t *testing.T) {
	w := newMeetingWorld(t)
	ac := &attachingComposer{file: []byte("%PDF-1.3 utdrag"), account: map[string]int64{}}
	w.s.Composer = ac
	c, err := w.s.CreateCase(w.ctx, CaseInput{Board: "ASN", Title: "Internationell redovisning 2025",
		Proposals: []string{"Nämnden föreslås besluta att godkänna redovisningen"},
		Route:     []StepInput{{Body: "ASN-AU", Date: meetingDay(14).String()}, {Body: "ASN", Date: meetingDay(28).String()}},
		Approvers: []ApproverInput{{Email: w.approver.Email}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"},
			{Name: "Sara Lind", Email: "Sara@Kommun.example"}}}, w.officer)
	if err != nil {
		t.Fatal(err)
	}
	c = w.act(c, w.officer, workflow.ActSubmit)
	c = w.act(c, w.approver, workflow.ActApprove)
	c = w.throughAU(c)
	m := w.hold(w.meetingAt("ASN", meetingDay(28)))
	par, _ := w.decide(m, c.Number, workflow.DecisionApproved)
	if _, err := w.s.SetAttendance(w.ctx, m.ID, w.secretary, []AttendanceInput{{Member: w.chairMember.ID, Present: true, Adjuster: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Sign(w.ctx, m.ID, w.chair); err != nil {
		t.Fatal(err)
	}
	c, _ = w.s.Case(w.ctx, c.Number)
	clear(ac.account)
	w.act(c, w.secretary, workflow.ActDispatch)
	if want := map[string]int64{"ks@kommun.example": 0, "Sara@kommun.example": w.officer.ID}; fmt.Sprint(ac.account) != fmt.Sprint(want) {
		t.Errorf("the composer was told of accounts %v, want %v", ac.account, want)
	}
	if len(ac.extractsOf) != 2 || ac.extractsOf[0] != par.Number || ac.extractsOf[1] != par.Number {
		t.Errorf("the dispatched decisions were composed with the extracts of %v, want § %d", ac.extractsOf, par.Number)
	}
	var files int
	for _, r := range w.outboxRows() {
		if r.Kind == string(workflow.NotifyDispatched) && len(r.Attachments) == 1 {
			files++
		}
	}
	if files != 2 {
		t.Errorf("%d dispatched decisions carry their file, want 2", files)
	}
}

// throughAU takes c, at the AU, on to the nämnd the way the AU does: its
// meeting is held and sends the case on. The clock is back where it was after.
func (w *meetingWorld) throughAU(c workflow.Case) workflow.Case {
	w.t.Helper()
	defer func(now time.Time) { w.now = now }(w.now)
	m := w.hold(w.meetingAt("ASN-AU", c.Route[0].Date))
	_, c = w.decide(m, c.Number, workflow.DecisionApproved)
	return c
}

// outboxRows lists every message in the outbox, oldest first.
func (w *meetingWorld) outboxRows() []OutboxMail {
	w.t.Helper()
	page, err := w.s.Outbox(w.ctx, OutboxFilter{PerPage: MaxPerPage})
	if err != nil {
		w.t.Fatal(err)
	}
	out := page.Items
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
