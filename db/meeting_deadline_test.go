package db

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// openMeetingDeadlines lists the open deadlines of a meeting as "kind due".
func (w *meetingWorld) openMeetingDeadlines(id int64) []string {
	w.t.Helper()
	ds, err := w.s.MeetingDeadlines(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		if d.State == workflow.DeadlineOpen {
			out = append(out, fmt.Sprintf("%s %s", d.Kind, d.Due))
		}
	}
	return out
}

// A meeting's deadlines follow it: the kallelse while planned, then the
// justering (14 days after the meeting), then the anslag (2 days after
// justering), each closed in the transaction of the step that meets it, with
// its reminders.
func TestMeetingDeadlinesOpenAndClose(t *testing.T) {
	w := newMeetingWorld(t)
	c := w.caseOn("Internationell redovisning", meetingDay(3), meetingDay(10))
	c = w.handle(c)
	m := w.meetingAt("ASN", meetingDay(10)) // Thursday 12 March 2026

	// Kallelse 5 days before: Saturday 7 March, so Friday the 6th.
	if got := w.openMeetingDeadlines(m.ID); !slices.Equal(got, []string{"notice 2026-03-06"}) {
		t.Fatalf("planned meeting: %q", got)
	}
	ds, _ := w.s.MeetingDeadlines(w.ctx, m.ID)
	notice := ds[0]
	if notice.Responsible.ID != w.secretary.ID || notice.MeetingTitle != "Arbetsmarknads- och socialnämnden 2026-03-12" ||
		notice.CaseNumber != "" || notice.Board != "ASN" || notice.NextReminder == nil {
		t.Errorf("the kallelse deadline: %+v", notice)
	}
	mine, err := w.s.UserDeadlines(w.ctx, w.secretary.ID, workflow.Date{})
	if err != nil || !slices.ContainsFunc(mine, func(d DeadlineItem) bool { return d.ID == notice.ID }) {
		t.Errorf("the secretary's deadlines %+v lack the kallelse (%v)", mine, err)
	}
	rs, _ := w.s.Reminders(w.ctx, notice.ID)
	var slots []string
	for _, r := range rs {
		slots = append(slots, r.Slot)
	}
	if want := []string{"2026-03-06/before-3", "2026-03-06/before-1", "2026-03-06/due", "2026-03-06/overdue-2026-03-09"}; !slices.Equal(slots, want) {
		t.Errorf("kallelse reminders %q, want %q", slots, want)
	}

	if _, err := w.s.MarkNoticeSent(w.ctx, m.ID, w.secretary); err != nil {
		t.Fatal(err)
	}
	if got := w.openMeetingDeadlines(m.ID); !slices.Equal(got, []string{"justering 2026-03-26"}) {
		t.Errorf("after the kallelse: %q", got)
	}
	if rs, _ := w.s.Reminders(w.ctx, notice.ID); len(rs) != 0 {
		t.Errorf("the met kallelse deadline keeps reminders %+v", rs)
	}
	w.at(m.Date, 18)
	if _, err := w.s.MarkHeld(w.ctx, m.ID, w.secretary); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.SetAttendance(w.ctx, m.ID, w.secretary, []AttendanceInput{
		{Member: w.chairMember.ID, Present: true, Adjuster: true}, {Member: w.ledamotMember.ID, Present: true, Adjuster: true}}); err != nil {
		t.Fatal(err)
	}
	w.decide(m, c.Number, workflow.DecisionApproved)
	w.at(meetingDay(12), 10)
	w.must(w.s.Sign(w.ctx, m.ID, w.chair))
	if got := w.openMeetingDeadlines(m.ID); !slices.Equal(got, []string{"justering 2026-03-26"}) {
		t.Errorf("after one of two justerare: %q", got)
	}
	w.must(w.s.Sign(w.ctx, m.ID, w.ledamot))
	// Justerat Saturday 14 March: anslag at the latest Monday the 16th.
	if got := w.openMeetingDeadlines(m.ID); !slices.Equal(got, []string{"anslag 2026-03-16"}) {
		t.Errorf("after justering: %q", got)
	}
	w.at(meetingDay(14), 9)
	w.must(w.s.Post(w.ctx, m.ID, w.secretary, meetingDay(14)))
	if got := w.openMeetingDeadlines(m.ID); len(got) != 0 {
		t.Errorf("after anslag: %q", got)
	}
	all, _ := w.s.MeetingDeadlines(w.ctx, m.ID)
	var closed []string
	for _, d := range all {
		closed = append(closed, fmt.Sprintf("%s %s %s", d.Kind, d.State, workflow.Today(*d.ClosedAt)))
	}
	want := []string{"notice done 2026-03-02", "justering done 2026-03-14", "anslag done 2026-03-16"}
	slices.Sort(closed)
	slices.Sort(want)
	if !slices.Equal(closed, want) {
		t.Errorf("closed deadlines %q, want %q", closed, want)
	}
}

// A meeting planned for a day already past, as an imported case's route
// plans it, asks for no kallelse.
func TestPastMeetingHasNoKallelseDeadline(t *testing.T) {
	w := newMeetingWorld(t)
	_, err := w.s.ImportCase(w.ctx, CaseInput{Board: "ASN", Number: "ASN-2019-17886", Title: "Internationell redovisning 2019",
		Route: []StepInput{{Body: "ASN-AU", Date: "2020-01-16"}, {Body: "ASN", Date: "2020-01-30"}}}, w.officer)
	if err != nil {
		t.Fatal(err)
	}
	m := w.meetingAt("ASN", workflow.MustDate("2020-01-30"))
	if got := w.openMeetingDeadlines(m.ID); len(got) != 0 {
		t.Errorf("a meeting in 2020 planned in 2026 has deadlines %q", got)
	}
}

// The reminder scan sends a meeting deadline's reminder to the secretary,
// naming the meeting; nobody can acknowledge it away.
func TestMeetingDeadlineReminderAndAcknowledge(t *testing.T) {
	w := newMeetingWorld(t)
	w.caseOn("Internationell redovisning", meetingDay(3), meetingDay(10))
	m := w.meetingAt("ASN", meetingDay(10))
	ds, _ := w.s.MeetingDeadlines(w.ctx, m.ID)
	notice := ds[0]

	before := w.counts() + w.deadlineState()
	_, err := w.s.AcknowledgeDeadline(w.ctx, notice.ID, w.secretary)
	wantMeetingErr(t, err, workflow.ECONFLICT)
	if !strings.Contains(err.Error(), "stängs av sig själv") {
		t.Errorf("acknowledge: %v", err)
	}
	if after := w.counts() + w.deadlineState(); after != before {
		t.Errorf("the refused acknowledgement changed things:\n%s\n%s", before, after)
	}

	w.at(workflow.MustDate("2026-03-03"), 8) // three work days before Friday the 6th
	sent, err := w.s.SendDueReminders(w.ctx, w.now, ScanOptions{Compose: meetingReminderMail{}})
	if err != nil {
		t.Fatal(err)
	}
	var forMeeting []SentReminder
	for _, r := range sent {
		if r.Deadline.MeetingID == m.ID {
			forMeeting = append(forMeeting, r)
		}
	}
	if len(forMeeting) != 1 || forMeeting[0].To != w.secretary.Email || forMeeting[0].Channel != "mail" ||
		forMeeting[0].MeetingTitle != m.Title() || forMeeting[0].Deadline.Kind != workflow.DeadlineNotice {
		t.Fatalf("sent %+v, want the kallelse reminder to the secretary", forMeeting)
	}
	var queued int
	if err := w.s.r.QueryRowContext(w.ctx, `SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND subject = ? AND case_id IS NULL`,
		"Kallelse "+m.Title()).Scan(&queued); err != nil || queued != 1 {
		t.Errorf("queued %d reminders for the meeting (%v), want one without a case", queued, err)
	}
}

// meetingReminderMail writes a reminder's subject from its deadline and meeting.
type meetingReminderMail struct{}

func (meetingReminderMail) ComposeReminder(r DueReminder) (Mail, error) {
	return Mail{To: r.Deadline.Responsible.Email, Subject: r.Deadline.Kind.Label() + " " + r.MeetingTitle}, nil
}

func (meetingReminderMail) ComposeDigest(Digest) (Mail, error) { return Mail{}, nil }

func (w *meetingWorld) deadlineState() string {
	w.t.Helper()
	var v string
	if err := w.s.r.QueryRowContext(w.ctx, `SELECT COUNT(*) || '/' || group_concat(state || due, ',') || '/' ||
		(SELECT COUNT(*) FROM reminders) FROM deadlines`).Scan(&v); err != nil {
		w.t.Fatal(err)
	}
	return v
}

// Once the day of a meeting still planned has passed, its kallelse deadline
// lapses, with its reminders, on the daily run.
func TestLapseNotices(t *testing.T) {
	w := newMeetingWorld(t)
	w.caseOn("Internationell redovisning", meetingDay(3), meetingDay(10))
	m := w.meetingAt("ASN", meetingDay(10))
	w.at(meetingDay(10), 20) // the meeting's own day: still open
	if n, err := w.s.LapseNotices(w.ctx, w.now); err != nil || n != 1 {
		// the AU's meeting on day 3 has passed
		t.Fatalf("on the day: lapsed %d, %v; want only the AU's", n, err)
	}
	if got := w.openMeetingDeadlines(m.ID); !slices.Equal(got, []string{"notice 2026-03-06"}) {
		t.Errorf("on the meeting's day: %q", got)
	}
	w.at(meetingDay(11), 6)
	if n, err := w.s.LapseNotices(w.ctx, w.now); err != nil || n != 1 {
		t.Fatalf("the day after: lapsed %d, %v", n, err)
	}
	if got := w.openMeetingDeadlines(m.ID); len(got) != 0 {
		t.Errorf("after the meeting's day: %q", got)
	}
	var unsent int
	w.s.r.QueryRowContext(w.ctx, `SELECT COUNT(*) FROM reminders r JOIN deadlines d ON d.id = r.deadline_id
		WHERE d.meeting_id IS NOT NULL AND r.sent_at IS NULL`).Scan(&unsent)
	if unsent != 0 {
		t.Errorf("%d reminders left for lapsed deadlines", unsent)
	}
	if n, _ := w.s.LapseNotices(w.ctx, w.now); n != 0 {
		t.Errorf("a second run lapsed %d", n)
	}
}
