package db

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// The bulk path is held to the normal one by a twin: one scenario (cases
// created, attached to, rejected, signed off, handled at meetings, tabled,
// decided, justerade, posted, dispatched, closed, withdrawn, left waiting
// with overdue reminders; meetings planned, held, lapsed) is played through
// the store's own methods with a clock and the daily jobs, and through the
// workflow functions into a BulkLoader. The two databases must hold the same
// rows, event hashes included.

type twinKind int

const (
	twinMeeting twinKind = iota
	twinCreate
	twinAttach
	twinAct
	twinNotice
	twinHeld
	twinDecide
	twinSign
	twinPost
	twinDaily // the 06:15 job: laga kraft, lapsed kallelser
	twinScan  // the reminder scan
)

type twinBeat struct {
	at   time.Time
	kind twinKind
	cs   string // case
	mt   string // meeting
	by   string // who acts: officer, approver, secretary, chair, ledamot
	in   CaseInput
	cmd  workflow.Command
	dec  DecisionInput
	day  workflow.Date
	file NewAttachment
}

// twinAsOf is when the scenario ends.
var twinAsOf = workflow.MustDate("2026-04-15").At(12, 0)

var twinMeetings = []struct{ key, body, date string }{
	{"AU0", "ASN-AU", "2026-03-05"}, // never called: its kallelse lapses
	{"PR1", "ASN-PR", "2026-03-09"}, // keeps no protokoll: no §
	{"AU1", "ASN-AU", "2026-03-12"}, {"N1", "ASN", "2026-03-19"},
	{"AU2", "ASN-AU", "2026-03-26"}, {"N2", "ASN", "2026-04-02"},
	{"AU3", "ASN-AU", "2026-04-23"}, {"N3", "ASN", "2026-04-30"},
}

func bodyOf(key string) string {
	for _, m := range twinMeetings {
		if m.key == key {
			return m.body
		}
	}
	panic(key)
}

func twinDate(key string) string {
	for _, m := range twinMeetings {
		if m.key == key {
			return m.date
		}
	}
	panic(key)
}

func twinScenario() []twinBeat {
	at := func(day string, h, m int) time.Time { return workflow.MustDate(day).At(h, m) }
	input := func(title string, secret bool, au, n string) CaseInput {
		in := CaseInput{Board: "ASN", Title: title, Secret: secret,
			Summary:    "Förvaltningen redovisar " + strings.ToLower(title) + ".",
			Proposals:  []string{"Arbetsmarknads- och socialnämnden föreslås besluta att godkänna " + strings.ToLower(title)},
			Background: "Bakgrund till ärendet.",
			Route:      []StepInput{{Body: "ASN-AU", Date: twinDate(au)}, {Body: "ASN", Date: twinDate(n)}},
			Approvers:  []ApproverInput{{Email: "lena@kommun.example", Position: "Enhetschef"}},
			Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}, {Name: "Revisionen"}}}
		return in
	}
	act := func(when time.Time, cs, by string, a workflow.Action, reason string) twinBeat {
		return twinBeat{at: when, kind: twinAct, cs: cs, by: by, cmd: workflow.Command{Action: a, Reason: reason}}
	}
	decide := func(when time.Time, mt, cs string, typ workflow.DecisionType, text, next string) twinBeat {
		in := DecisionInput{Case: cs, Type: typ, Text: text}
		if next != "" {
			in.Date = workflow.MustDate(twinDate(next))
		}
		return twinBeat{at: when, kind: twinDecide, mt: mt, dec: in}
	}
	meeting := func(mt string, signed, posted string) []twinBeat {
		date := twinDate(mt)
		d := workflow.MustDate(date)
		notice := workflow.NoticeDue(d, 5)
		out := []twinBeat{{at: notice.At(9, 0), kind: twinNotice, mt: mt}, {at: at(date, 13, 0), kind: twinHeld, mt: mt}}
		if signed != "" {
			out = append(out, twinBeat{at: at(signed, 10, 0), kind: twinSign, mt: mt, by: "chair"},
				twinBeat{at: at(signed, 10, 30), kind: twinSign, mt: mt, by: "ledamot"})
		}
		if posted != "" {
			out = append(out, twinBeat{at: at(posted, 9, 0), kind: twinPost, mt: mt, day: workflow.MustDate(posted)})
		}
		return out
	}
	var beats []twinBeat
	for i, m := range twinMeetings {
		beats = append(beats, twinBeat{at: at("2026-03-02", 9, i), kind: twinMeeting, mt: m.key})
	}
	beats = append(beats,
		twinBeat{at: at("2026-03-02", 10, 0), kind: twinCreate, cs: "A", in: input("Internationell redovisning 2019", false, "AU1", "N1")},
		twinBeat{at: at("2026-03-02", 10, 5), kind: twinAttach, cs: "A",
			file: NewAttachment{Name: "Redovisning 2019.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 redovisning")}},
		twinBeat{at: at("2026-03-02", 11, 0), kind: twinCreate, cs: "B", in: input("Yttrande över remiss om EU-projekt i Hyllie", false, "AU1", "N1")},
		twinBeat{at: at("2026-03-02", 12, 0), kind: twinCreate, cs: "F", in: withPresidium(input("Taxa för färdtjänst 2027", false, "AU1", "N1"))},
		act(at("2026-03-02", 13, 0), "F", "officer", workflow.ActSubmit, ""),
		act(at("2026-03-02", 14, 0), "F", "approver", workflow.ActApprove, ""),
		decide(at("2026-03-09", 14, 0), "PR1", "F", workflow.DecisionHandled, "Presidiet har berett ärendet.", ""),
		decide(at("2026-03-12", 14, 10), "AU1", "F", workflow.DecisionApproved, "Arbetsutskottet föreslår nämnden att fastställa taxan.", ""),
		decide(at("2026-03-19", 14, 5), "N1", "F", workflow.DecisionRejected, "Nämnden beslutar att avslå förslaget.", ""),
		act(at("2026-03-23", 10, 30), "F", "secretary", workflow.ActDispatch, ""),
		act(at("2026-03-23", 11, 30), "F", "secretary", workflow.ActClose, ""),
		act(at("2026-03-03", 9, 30), "A", "officer", workflow.ActSubmit, ""),
		act(at("2026-03-03", 14, 0), "A", "approver", workflow.ActReject, "Komplettera med budgeten"),
		act(at("2026-03-04", 9, 0), "A", "officer", workflow.ActSubmit, ""),
		act(at("2026-03-04", 11, 0), "A", "approver", workflow.ActApprove, ""),
		act(at("2026-03-04", 13, 0), "B", "officer", workflow.ActSubmit, ""),
		act(at("2026-03-04", 15, 0), "B", "approver", workflow.ActApprove, ""),
		twinBeat{at: at("2026-03-05", 10, 0), kind: twinCreate, cs: "C", in: input("Upphandling av skolskjuts", false, "AU2", "N2")},
		act(at("2026-03-06", 10, 0), "C", "officer", workflow.ActSubmit, ""), // never signed off: overdue
		twinBeat{at: at("2026-03-09", 10, 0), kind: twinCreate, cs: "D", in: input("Ansökan om bistånd", true, "AU2", "N2")},
		act(at("2026-03-10", 10, 0), "D", "officer", workflow.ActWithdraw, "Sökanden har återkallat ansökan"),
		decide(at("2026-03-12", 14, 0), "AU1", "A", workflow.DecisionApproved, "Arbetsutskottet föreslår nämnden att godkänna redovisningen.", ""),
		decide(at("2026-03-12", 14, 5), "AU1", "B", workflow.DecisionTabled, "Ärendet bordläggs.", "AU2"),
		decide(at("2026-03-19", 14, 0), "N1", "A", workflow.DecisionApproved, "Nämnden beslutar att godkänna redovisningen.", ""),
		act(at("2026-03-23", 10, 0), "A", "secretary", workflow.ActDispatch, ""),
		act(at("2026-03-23", 11, 0), "A", "secretary", workflow.ActClose, ""),
		decide(at("2026-03-26", 14, 0), "AU2", "B", workflow.DecisionApproved, "Arbetsutskottet föreslår nämnden att lämna yttrandet.", ""),
		decide(at("2026-04-02", 14, 0), "N2", "B", workflow.DecisionAmended, "Nämnden beslutar att lämna yttrandet med ett tillägg.", ""),
		act(at("2026-04-08", 10, 0), "B", "secretary", workflow.ActDispatch, ""),
		twinBeat{at: at("2026-04-14", 10, 0), kind: twinCreate, cs: "E", in: input("Delårsrapport april 2026", false, "AU3", "N3")},
	)
	beats = append(beats, meeting("PR1", "2026-03-10", "2026-03-11")...)
	beats = append(beats, meeting("AU1", "2026-03-13", "2026-03-16")...)
	beats = append(beats, meeting("N1", "2026-03-20", "2026-03-23")...)
	beats = append(beats, meeting("AU2", "2026-03-27", "2026-03-30")...)
	beats = append(beats, meeting("N2", "2026-04-07", "2026-04-08")...)
	for d := workflow.MustDate("2026-03-03"); !d.At(0, 0).After(twinAsOf); d = d.AddDays(1) {
		beats = append(beats, twinBeat{at: d.At(6, 15), kind: twinDaily}, twinBeat{at: d.At(8, 0), kind: twinScan})
	}
	slices.SortStableFunc(beats, func(a, b twinBeat) int { return a.at.Compare(b.at) })
	return beats
}

// withPresidium routes a case through the presidium's meeting first.
func withPresidium(in CaseInput) CaseInput {
	in.Route = append([]StepInput{{Body: "ASN-PR", Date: twinDate("PR1")}}, in.Route...)
	return in
}

func (w *meetingWorld) user(key string) workflow.User {
	return map[string]workflow.User{"officer": w.officer, "approver": w.approver, "secretary": w.secretary,
		"chair": w.chair, "ledamot": w.ledamot}[key]
}

// playNormal plays the scenario through the store's methods.
func playNormal(t *testing.T, w *meetingWorld, beats []twinBeat) {
	ctx := w.ctx
	numbers := map[string]string{}
	meetings := map[string]int64{}
	for _, b := range beats {
		w.now = b.at
		var err error
		switch b.kind {
		case twinMeeting:
			var m workflow.Meeting
			for _, tm := range twinMeetings {
				if tm.key == b.mt {
					m, err = w.s.CreateMeeting(ctx, NewMeetingInput{Body: tm.body, Date: workflow.MustDate(tm.date), Start: "13:00"}, w.secretary)
				}
			}
			meetings[b.mt] = m.ID
		case twinCreate:
			var c workflow.Case
			c, err = w.s.CreateCase(ctx, b.in, w.officer)
			numbers[b.cs] = c.Number
		case twinAttach:
			_, err = w.s.AddAttachment(ctx, numbers[b.cs], w.officer, b.file)
		case twinAct:
			var c workflow.Case
			if c, err = w.s.Case(ctx, numbers[b.cs]); err == nil {
				b.cmd.Version = c.Version
				_, err = w.s.Act(ctx, c.Number, w.user(b.by), b.cmd)
			}
		case twinNotice:
			_, err = w.s.MarkNoticeSent(ctx, meetings[b.mt], w.secretary)
		case twinHeld:
			if _, err = w.s.MarkHeld(ctx, meetings[b.mt], w.secretary); err == nil {
				_, err = w.s.SetAttendance(ctx, meetings[b.mt], w.secretary, twinAttendance(t, w, bodyOf(b.mt)))
			}
		case twinDecide:
			b.dec.Case = numbers[b.dec.Case]
			_, _, err = w.s.Decide(ctx, meetings[b.mt], w.secretary, b.dec)
		case twinSign:
			_, err = w.s.Sign(ctx, meetings[b.mt], w.user(b.by))
		case twinPost:
			_, err = w.s.Post(ctx, meetings[b.mt], w.secretary, b.day)
		case twinDaily:
			if _, err = w.s.NoteLegalForce(ctx, b.at); err == nil {
				_, err = w.s.LapseNotices(ctx, b.at)
			}
		case twinScan:
			_, err = w.s.SendDueReminders(ctx, b.at, ScanOptions{Compose: benchComposer{}})
		}
		if err != nil {
			t.Fatalf("normal path, %v at %s: %v", b.kind, b.at, err)
		}
	}
	w.now = twinAsOf
	if _, err := w.s.SendDueReminders(ctx, twinAsOf, ScanOptions{Compose: benchComposer{}}); err != nil {
		t.Fatal(err)
	}
}

// newTwinWorld is a meeting world with a presidium too, whose arbetsutskott
// and presidium have the nämnd's chair and ledamot as members.
func newTwinWorld(t *testing.T, path string) *meetingWorld {
	w := newMeetingWorldAt(t, path)
	w.must(w.s.CreateBody(w.ctx, workflow.Body{Code: "ASN-PR", Name: "ASN presidium", Kind: workflow.KindPresidium, Board: "ASN"}))
	for _, body := range []string{"ASN-AU", "ASN-PR"} {
		w.member(body, MemberInput{Role: workflow.MemberChair, User: w.chair.Email})
		w.member(body, MemberInput{Role: workflow.MemberRegular, User: w.ledamot.Email})
	}
	return w
}

// twinAttendance is who attends a meeting of body: the chair and the
// ledamot, who justera, and everyone else listed as present.
func twinAttendance(t *testing.T, w *meetingWorld, body string) []AttendanceInput {
	members, err := w.s.Members(w.ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	var out []AttendanceInput
	for _, m := range members {
		adjuster := m.UserID == w.chair.ID || m.UserID == w.ledamot.ID
		out = append(out, AttendanceInput{Member: m.ID, Present: m.Role != workflow.MemberSubstitute, Adjuster: adjuster})
	}
	return out
}

// twinMeetingState is a meeting as far as the scenario has taken it.
type twinMeetingState struct {
	m         workflow.Meeting
	attendees []workflow.Attendee
	decided   []twinDecided
}

type twinDecided struct {
	cs        string
	paragraph int
	typ       workflow.DecisionType
	noted     bool // laga kraft
}

// playBulk plays the scenario with the workflow functions and writes it
// through a BulkLoader.
func playBulk(t *testing.T, w *meetingWorld, beats []twinBeat) {
	ctx := w.ctx
	l, err := w.s.NewBulkLoader(ctx, BulkOptions{AsOf: twinAsOf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() }) // a failed test gives the writer back too
	cases := map[string]*BulkCase{}
	var order []string
	meetings := map[string]*twinMeetingState{}
	var meetingOrder []string
	decidedAt := map[string]string{} // case -> meeting of its decision with a paragraph
	paragraphs := map[string]int{}
	// relink is loadCase's view of the route: each dated step's meeting and
	// its status now, and whether the decision awaits justering.
	relink := func(c *workflow.Case) {
		for i := range c.Route {
			st := &c.Route[i]
			st.MeetingID, st.MeetingStatus, st.MeetingOrigin = 0, "", ""
			for _, ms := range meetings {
				if ms.m.Body.ID == st.Body.ID && ms.m.Date == st.Date {
					st.MeetingID, st.MeetingStatus, st.MeetingOrigin = ms.m.ID, ms.m.Status, ms.m.Origin
				}
			}
		}
		if d := c.Decision; d != nil && d.Paragraph != "" && d.DispatchedAt == nil {
			for key, ms := range meetings {
				if decidedAt[c.Title] == key {
					d.AwaitsJustering = !ms.m.Status.AtLeast(workflow.MeetingJustified)
				}
			}
		}
	}
	note := func(ms *twinMeetingState, fn func(c *workflow.Case, d twinDecided) BulkChange) {
		for _, d := range ms.decided {
			bc := cases[d.cs]
			bc.History = append(bc.History, fn(&bc.Case, d))
		}
	}
	for _, b := range beats {
		var err error
		secEnv := func(c *workflow.Case) workflow.Env { return l.Env(c.Board.Code, w.secretary, b.at) }
		switch b.kind {
		case twinMeeting:
			date := workflow.MustDate(twinDate(b.mt))
			var body workflow.Body
			for _, tm := range twinMeetings {
				if tm.key == b.mt {
					body, err = w.s.Body(ctx, tm.body)
				}
			}
			var m workflow.Meeting
			m, err = workflow.NewMeeting(body, workflow.MeetingInput{Date: date, Start: "13:00"}, l.Env("ASN", w.secretary, b.at))
			m.ID = int64(len(meetingOrder) + 1)
			meetings[b.mt] = &twinMeetingState{m: m}
			meetingOrder = append(meetingOrder, b.mt)
		case twinCreate:
			draft, p := resolve(ctx, w.s.r, b.in, w.officer, b.at)
			if err = p.Err(); err != nil {
				break
			}
			var res workflow.Result
			if res, err = workflow.NewCase(draft, l.Env("ASN", w.officer, b.at), false); err == nil {
				cases[b.cs] = &BulkCase{Case: res.Case, History: []BulkChange{ChangeOf(res)}}
				order = append(order, b.cs)
			}
		case twinAttach:
			err = l.Attach(cases[b.cs], w.officer, b.at, b.file)
		case twinAct:
			bc := cases[b.cs]
			relink(&bc.Case)
			b.cmd.Version = bc.Case.Version
			var res workflow.Result
			if res, err = workflow.Apply(bc.Case, b.cmd, l.Env(bc.Case.Board.Code, w.user(b.by), b.at)); err == nil {
				bc.Case = res.Case
				bc.History = append(bc.History, ChangeOf(res))
			}
		case twinNotice:
			ms := meetings[b.mt]
			ms.m, err = workflow.MarkNoticeSent(ms.m, l.Env("ASN", w.secretary, b.at))
		case twinHeld:
			ms := meetings[b.mt]
			ms.m, err = workflow.MarkHeld(ms.m, l.Env("ASN", w.secretary, b.at))
			members, _ := w.s.Members(ctx, bodyOf(b.mt))
			for _, a := range twinAttendance(t, w, bodyOf(b.mt)) {
				for _, mb := range members {
					if mb.ID == a.Member {
						ms.attendees = append(ms.attendees, workflow.Attendee{Member: mb, Present: a.Present, Adjuster: a.Adjuster})
					}
				}
			}
		case twinDecide:
			ms := meetings[b.mt]
			bc := cases[b.dec.Case]
			relink(&bc.Case)
			key := fmt.Sprintf("%d/%d", ms.m.Body.ID, ms.m.Date.Year)
			d := workflow.MeetingDecision{Type: b.dec.Type, Text: b.dec.Text, NextDate: b.dec.Date}
			if ms.m.Body.Kind.KeepsMinutes() {
				paragraphs[key]++
				d.Paragraph = paragraphs[key]
			}
			step := bc.Case.Step
			env := secEnv(&bc.Case)
			if d.Type == workflow.DecisionTabled { // withMeetingDays
				env.Meetings = workflow.MeetingDays{}
				for _, st := range bc.Case.Route[bc.Case.Step:] {
					days := []workflow.MeetingDay{}
					for _, key := range meetingOrder {
						if m := meetings[key].m; m.Body.ID == st.Body.ID {
							days = append(days, workflow.MeetingDay{Date: m.Date, Origin: m.Origin, Status: m.Status})
						}
					}
					slices.SortFunc(days, func(a, b workflow.MeetingDay) int { return a.Date.Compare(b.Date) })
					env.Meetings[st.Body.ID] = days
				}
			}
			var res workflow.Result
			if res, err = workflow.DecideAtMeeting(bc.Case, ms.m, d, env); err == nil {
				bc.Case = res.Case
				bc.History = append(bc.History, DecisionChange(res, ms.m, step, d, w.secretary.Person()))
				ms.decided = append(ms.decided, twinDecided{cs: b.dec.Case, paragraph: d.Paragraph, typ: d.Type})
				if res.Case.Decision != nil && res.Case.Decision.Paragraph != "" {
					decidedAt[res.Case.Title] = b.mt
				}
			}
		case twinSign:
			ms := meetings[b.mt]
			signer := w.user(b.by)
			var i int
			if ms.m, ms.attendees, i, err = workflow.Sign(ms.m, ms.attendees, signer, l.Env("ASN", signer, b.at).Now); err == nil {
				name, done := ms.attendees[i].Member.Name, ms.m.Status == workflow.MeetingJustified
				note(ms, func(c *workflow.Case, d twinDecided) BulkChange {
					return BulkJustering(c, ms.m, d.paragraph, signer.Person(), name, done, l.Env("ASN", signer, b.at).Now)
				})
			}
		case twinPost:
			ms := meetings[b.mt]
			if ms.m, err = workflow.Post(ms.m, b.day, l.Env("ASN", w.secretary, b.at)); err == nil {
				note(ms, func(c *workflow.Case, d twinDecided) BulkChange {
					return BulkAnslag(c, ms.m, d.paragraph, w.secretary.Person(), l.Env("ASN", w.secretary, b.at).Now)
				})
			}
		case twinDaily:
			for _, key := range meetingOrder {
				ms := meetings[key]
				if ms.m.Status != workflow.MeetingPosted || !ms.m.Body.Kind.Decides() {
					continue
				}
				for i := range ms.decided {
					d := &ms.decided[i]
					typ := d.typ
					if d.noted || (typ != workflow.DecisionApproved && typ != workflow.DecisionAmended && typ != workflow.DecisionRejected) ||
						workflow.Today(b.at).Before(workflow.LegalForce(ms.m.PostedOn)) {
						continue
					}
					d.noted = true
					bc := cases[d.cs]
					bc.History = append(bc.History, BulkLegalForce(&bc.Case, ms.m, d.paragraph, l.Env("ASN", w.secretary, b.at).Now))
				}
			}
		}
		if err != nil {
			t.Fatalf("bulk path, %v at %s: %v", b.kind, b.at, err)
		}
	}
	for _, key := range meetingOrder {
		ms := meetings[key]
		id := ms.m.ID
		if err := l.AddMeeting(&BulkMeeting{Meeting: ms.m, Attendees: ms.attendees}); err != nil {
			t.Fatal(err)
		}
		if ms.m.ID != id {
			t.Fatalf("meeting %s: id %d, want the one it brought, %d", key, ms.m.ID, id)
		}
	}
	for _, key := range order {
		if err := l.AddCase(cases[key]); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// twinQueries read every table the bulk path writes, without the ids that
// only say in which order rows of different cases and meetings were written.
var twinQueries = []string{
	`SELECT * FROM cases ORDER BY id`,
	`SELECT * FROM case_series ORDER BY board_id, year`,
	`SELECT * FROM case_proposals ORDER BY case_id, pos`,
	`SELECT * FROM route_steps ORDER BY case_id, pos`,
	`SELECT * FROM case_approvers ORDER BY case_id, pos`,
	`SELECT * FROM case_recipients ORDER BY case_id, pos`,
	`SELECT * FROM attachments ORDER BY id`,
	`SELECT * FROM blobs ORDER BY sha256`,
	`SELECT case_id, seq, at, actor_id, actor_name, action, from_stage, to_stage, reason, payload, prev_hash, hash FROM events ORDER BY case_id, seq`,
	// Not agenda_changed_at: the bulk path leaves it empty (bulk.go).
	`SELECT id, body_id, date, start_time, end_time, place, status, sequence, notice_sent_at, held_at, justified_at,
		posted_on, secretary_id, created_at, updated_at, body_code, origin FROM meetings ORDER BY id`,
	`SELECT meeting_id, pos, kind, case_id, title FROM agenda_items ORDER BY meeting_id, pos`,
	`SELECT * FROM attendees ORDER BY meeting_id, pos`,
	`SELECT meeting_id, body_id, year, paragraph, case_id, step, type, text, next_date, decided_by, decided_at, event_seq, legal_force_at
		FROM decisions ORDER BY body_id, year, paragraph`,
	`SELECT * FROM paragraph_series ORDER BY body_id, year`,
	`SELECT case_id, meeting_id, kind, ref, due, responsible_id, note, state, created_by, created_at, closed_at, closed_by
		FROM deadlines ORDER BY case_id, meeting_id, created_at, kind, ref`,
	`SELECT d.case_id, d.meeting_id, d.kind, d.ref, d.created_at, r.slot, r.on_date, r.remind_at, r.offset_days, r.copy_manager, r.sent_at, r.channel
		FROM reminders r JOIN deadlines d ON d.id = r.deadline_id ORDER BY 1, 2, 5, 3, 4, r.remind_at, r.slot`,
}

func TestBulkWritesWhatTheNormalPathWrites(t *testing.T) {
	sqliteOnly(t, "the bulk path of bench/gen writes SQLite files")
	dir := t.TempDir()
	normal := newTwinWorld(t, filepath.Join(dir, "normal.db"))
	bulk := newTwinWorld(t, filepath.Join(dir, "bulk.db"))
	beats := twinScenario()
	playNormal(t, normal, beats)
	playBulk(t, bulk, beats)
	a, b := rawDB(t, normal.s.Path()), rawDB(t, bulk.s.Path())
	for _, q := range twinQueries {
		want, got := queryText(t, a, q), queryText(t, b, q)
		if got != want {
			t.Errorf("%s\nnormal path:\n%s\nbulk path:\n%s", q, want, got)
		}
	}
	// The scenario reaches what it is meant to cover.
	for q, want := range map[string]int{
		`SELECT COUNT(*) FROM reminders WHERE sent_at IS NOT NULL AND offset_days > 0`: 10, // C's overdue series, at least
		`SELECT COUNT(*) FROM events WHERE action = 'legal_force'`:                     1,
		`SELECT COUNT(*) FROM decisions WHERE type = 'tabled'`:                         1,
		`SELECT COUNT(*) FROM deadlines WHERE meeting_id = 1 AND state = 'done'`:       1, // AU0's lapsed kallelse
		`SELECT COUNT(*) FROM decisions WHERE paragraph IS NULL`:                       1, // the presidium's handling
	} {
		if got := count(t, b, q); got < want {
			t.Errorf("%s: %d, want at least %d", q, got, want)
		}
	}
	if _, broken, err := bulk.s.Verify(bulk.ctx); err != nil || len(broken) > 0 {
		t.Fatalf("verify: %v %v", broken, err)
	}
	// Indexed for search, the bulk-written cases are found as those written
	// one by one are.
	if FullTextSearch {
		if err := bulk.s.Reindex(bulk.ctx, nil); err != nil {
			t.Fatal(err)
		}
		q := `SELECT * FROM search_text ORDER BY id`
		if want, got := queryText(t, a, q), queryText(t, b, q); got != want || want == "" {
			t.Errorf("%s\nnormal path:\n%s\nbulk path, reindexed:\n%s", q, want, got)
		}
	}
	if fk := queryText(t, b, `PRAGMA foreign_key_check`); fk != "" {
		t.Fatalf("rows pointing at nothing:\n%s", fk)
	}
}

// A bulk-written case is an ordinary case afterwards: the normal path acts on it.
func TestBulkCaseTakesActions(t *testing.T) {
	sqliteOnly(t, "the bulk path of bench/gen writes SQLite files")
	w := newMeetingWorld(t)
	l, err := w.s.NewBulkLoader(w.ctx, BulkOptions{AsOf: w.now, BatchCases: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	draft, p := resolve(w.ctx, w.s.r, CaseInput{Board: "ASN", Title: "Riktlinjer för ekonomiskt bistånd", Proposals: []string{"Godkänna riktlinjerna"},
		Route:     []StepInput{{Body: "ASN-AU", Date: "2026-03-19"}, {Body: "ASN", Date: "2026-03-26"}},
		Approvers: []ApproverInput{{Email: w.approver.Email}}}, w.officer, w.now)
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ body, date string }{{"ASN-AU", "2026-03-19"}, {"ASN", "2026-03-26"}} {
		body, _ := w.s.Body(w.ctx, m.body)
		bm := &BulkMeeting{Meeting: workflow.PlanMeeting(body, workflow.MustDate(m.date), workflow.OriginPlan, w.now.Add(-time.Hour))}
		if err := l.AddMeeting(bm); err != nil {
			t.Fatal(err)
		}
	}
	var numbers []string
	for i := range 3 {
		res, err := workflow.NewCase(draft, l.Env("ASN", w.officer, w.now.Add(-time.Duration(30-i)*time.Minute)), false)
		if err != nil {
			t.Fatal(err)
		}
		bc := &BulkCase{Case: res.Case, History: []BulkChange{ChangeOf(res)}}
		if err := l.AddCase(bc); err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, bc.Case.Number)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"ASN-2026-1", "ASN-2026-2", "ASN-2026-3"}; !slices.Equal(numbers, want) {
		t.Fatalf("numbers %v, want %v", numbers, want)
	}
	// The series goes on where the bulk path left it.
	first := readBack(t, w, numbers[0])
	in := InputOf(&first)
	in.Number = ""
	c, err := w.s.CreateCase(w.ctx, in, w.officer)
	if err != nil {
		t.Fatal(err)
	}
	if c.Number != "ASN-2026-4" {
		t.Fatalf("next number %s, want ASN-2026-4", c.Number)
	}
	got, err := w.s.Case(w.ctx, numbers[1])
	if err != nil {
		t.Fatal(err)
	}
	if got, err = w.s.Act(w.ctx, got.Number, w.officer, workflow.Command{Action: workflow.ActSubmit, Version: got.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err = w.s.Act(w.ctx, got.Number, w.approver, workflow.Command{Action: workflow.ActApprove, Version: got.Version}); err != nil {
		t.Fatal(err)
	}
	agenda, err := w.s.Agenda(w.ctx, got.Route[0].MeetingID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(agenda); n != 4 || agenda[3].Case == nil || agenda[3].Case.Number != numbers[1] {
		t.Fatalf("agenda after approval: %+v", agenda)
	}
	if _, broken, err := w.s.Verify(w.ctx); err != nil || len(broken) > 0 {
		t.Fatalf("verify: %v %v", broken, err)
	}
}

// readBack reads a case back with its history, which is its create event.
func readBack(t *testing.T, w *meetingWorld, number string) workflow.Case {
	t.Helper()
	c, err := w.s.Case(w.ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := w.s.Events(w.ctx, number)
	if err != nil || len(evs) != 1 || evs[0].Action != "create" {
		t.Fatalf("events of %s: %v %v", number, evs, err)
	}
	return c
}
