package workflow

import (
	"strings"
	"testing"
	"time"
)

// The legal dates, checked by hand against the calendar: each row says why the
// day is what it is.
func TestLegalDates(t *testing.T) {
	tests := []struct {
		name string
		fn   func(Date) Date
		from string
		want string
	}{
		// Justering: 14 days after the meeting, moved to the next work day.
		{"justering on a plain Thursday", JusteringDue, "2020-01-30", "2020-02-13"},
		{"justering day is julafton: juldagen and annandag jul follow", JusteringDue, "2019-12-10", "2019-12-27"},
		{"justering day is nyårsafton, then nyårsdagen and a weekend", JusteringDue, "2020-12-17", "2021-01-04"},
		{"justering day is långfredagen, over Easter to the Tuesday", JusteringDue, "2024-03-15", "2024-04-02"},
		{"justering day is långfredagen 2025", JusteringDue, "2025-04-04", "2025-04-22"},
		// Anslag: the second day after justering.
		{"anslag day is a Saturday", AnslagDue, "2020-02-13", "2020-02-17"},
		{"anslag day is midsommarafton", AnslagDue, "2024-06-19", "2024-06-24"},
		{"anslag day is julafton, then the holidays and a weekend", AnslagDue, "2025-12-22", "2025-12-29"},
		{"anslag on a work day", AnslagDue, "2020-02-03", "2020-02-05"},
		// Appeal: three weeks from the day of anslag.
		{"appeal ends three weeks later", AppealEnds, "2020-02-14", "2020-03-06"},
		{"appeal end is julafton", AppealEnds, "2024-12-03", "2024-12-27"},
		{"appeal end is nationaldagen", AppealEnds, "2024-05-16", "2024-06-07"},
		{"appeal end is midsommarafton", AppealEnds, "2025-05-30", "2025-06-23"},
		// Laga kraft: the day after the appeal period, whatever day that is.
		{"legal force the day after", LegalForce, "2020-02-14", "2020-03-07"},
		{"legal force after Christmas is a Saturday", LegalForce, "2024-12-03", "2024-12-28"},
		{"legal force after midsummer", LegalForce, "2025-05-30", "2025-06-24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(MustDate(tt.from)); got != MustDate(tt.want) {
				t.Errorf("from %s: got %s, want %s", tt.from, got, tt.want)
			}
		})
	}
}

func TestNoticeDue(t *testing.T) {
	tests := []struct {
		name    string
		meeting string
		days    int
		want    string
	}{
		{"five days before a Wednesday is a Friday", "2020-01-08", 5, "2020-01-03"},
		{"five days before falls on a Saturday: the Friday before", "2020-01-30", 5, "2020-01-24"},
		{"KF: a week before a Monday", "2020-02-24", 7, "2020-02-17"},
		{"a week before is trettondedag jul, then a weekend", "2020-01-13", 7, "2020-01-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NoticeDue(MustDate(tt.meeting), tt.days); got != MustDate(tt.want) {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func boardMeeting(status MeetingStatus) Meeting {
	return Meeting{ID: 103, Body: bodyBoard, Date: MustDate("2020-01-30"), Start: "13:00", Place: "Rådhuset", Status: status}
}

func TestMeetingStatusMachine(t *testing.T) {
	day := MustDate("2020-01-30")
	m, err := NewMeeting(bodyBoard, MeetingInput{Date: day, Start: "13:00", Place: " Rådhuset "}, envFor(secretary))
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != MeetingPlanned || m.Place != "Rådhuset" {
		t.Fatalf("new meeting = %+v", m)
	}
	_, err = MarkHeld(m, envAt(secretary, day.At(18, 0)))
	wantCode(t, err, ECONFLICT) // no kallelse yet
	m, err = MarkNoticeSent(m, envFor(secretary))
	if err != nil || m.Status != MeetingNoticeSent || m.NoticeSentAt == nil {
		t.Fatalf("notice: %+v, %v", m, err)
	}
	_, err = MarkNoticeSent(m, envFor(secretary))
	wantCode(t, err, ECONFLICT)
	_, err = MarkHeld(m, envAt(secretary, day.AddDays(-1).At(18, 0)))
	wantCode(t, err, ECONFLICT) // the day before the meeting
	_, err = MarkHeld(m, envAt(outsider, day.At(18, 0)))
	wantCode(t, err, EFORBIDDEN)
	m, err = MarkHeld(m, envAt(secretary, day.At(18, 0)))
	if err != nil || m.Status != MeetingHeld || m.Secretary.ID != secretary.ID {
		t.Fatalf("held: %+v, %v", m, err)
	}
	_, err = Post(m, day.AddDays(3), envAt(secretary, day.AddDays(5).At(9, 0)))
	wantCode(t, err, ECONFLICT) // posting before justering
	_, err = ChangeMeeting(m, nil, nil, ptr("Stadshuset"), envFor(secretary))
	wantCode(t, err, ECONFLICT)
}

func ptr(s string) *string { return &s }

func TestNewMeetingRefusals(t *testing.T) {
	_, err := NewMeeting(bodyBoard, MeetingInput{Date: MustDate("2020-01-01")}, envFor(secretary))
	wantFields(t, err, "date")
	_, err = NewMeeting(bodyBoard, MeetingInput{Date: MustDate("2020-01-30"), Start: "25:00", End: "12:00"}, envFor(secretary))
	wantFields(t, err, "time", "end_time")
	_, err = NewMeeting(bodyBoard, MeetingInput{Date: MustDate("2020-01-30"), Start: "13:00", End: "12:00"}, envFor(secretary))
	wantFields(t, err, "end_time")
	_, err = NewMeeting(bodyBoard, MeetingInput{Date: MustDate("2020-01-30")}, envFor(ksSecretary))
	wantCode(t, err, EFORBIDDEN)
	if _, err := NewMeeting(bodyBoard, MeetingInput{Date: Today(clock)}, envFor(secretary)); err != nil {
		t.Errorf("a meeting today: %v", err)
	}
	// A slip such as 9999 (the trial's meeting plan) is not a meeting.
	_, err = NewMeeting(bodyBoard, MeetingInput{Date: MustDate("9999-12-01")}, envFor(secretary))
	wantFields(t, err, "date")
	if !strings.Contains(err.Error(), "högst 10 år framåt") {
		t.Errorf("far ahead: %v", err)
	}
	if _, err := NewMeeting(bodyBoard, MeetingInput{Date: LastMeetingDay(Today(clock))}, envFor(secretary)); err != nil {
		t.Errorf("a meeting on the last day allowed: %v", err)
	}
}

func TestChangeMeetingBumpsSequence(t *testing.T) {
	m := boardMeeting(MeetingNoticeSent)
	same, err := ChangeMeeting(m, ptr("13:00"), nil, nil, envFor(secretary))
	if err != nil || same.Sequence != 0 {
		t.Fatalf("unchanged time: sequence %d, %v", same.Sequence, err)
	}
	moved, err := ChangeMeeting(m, ptr("14:00"), ptr("16:30"), nil, envFor(secretary))
	if err != nil || moved.Sequence != 1 || moved.Start != "14:00" || moved.End != "16:30" {
		t.Fatalf("moved: %+v, %v", moved, err)
	}
	start, ok := moved.StartTime()
	if !ok || !start.Equal(time.Date(2020, 1, 30, 14, 0, 0, 0, Stockholm)) {
		t.Errorf("start = %v", start)
	}
	_, err = ChangeMeeting(m, ptr("14"), nil, nil, envFor(secretary))
	wantFields(t, err, "time")
}

func TestPost(t *testing.T) {
	m := boardMeeting(MeetingJustified)
	justified := MustDate("2020-02-10").At(16, 0)
	m.JustifiedAt = &justified
	now := MustDate("2020-02-12").At(9, 0)
	_, err := Post(m, MustDate("2020-02-09"), envAt(secretary, now))
	wantFields(t, err, "date") // before justering
	_, err = Post(m, MustDate("2020-02-13"), envAt(secretary, now))
	wantFields(t, err, "date") // in the future
	posted, err := Post(m, MustDate("2020-02-11"), envAt(secretary, now))
	if err != nil {
		t.Fatal(err)
	}
	d := posted.Dates()
	want := MeetingDates{NoticeDue: MustDate("2020-01-24"), JusteringDue: MustDate("2020-02-13"), AnslagDue: MustDate("2020-02-12"),
		AppealEnds: MustDate("2020-03-03"), LegalForce: MustDate("2020-03-04"), JustifiedOn: MustDate("2020-02-10")}
	if d != want {
		t.Errorf("dates = %+v\nwant    %+v", d, want)
	}
	if d := posted.OpenDeadlines(MustDate("2020-02-12")); d != nil {
		t.Errorf("a posted meeting has deadlines %v", d)
	}
	_, err = Post(posted, MustDate("2020-02-11"), envAt(secretary, now))
	wantCode(t, err, ECONFLICT)
}

func TestOpenDeadlines(t *testing.T) {
	tests := []struct {
		status MeetingStatus
		kind   string
		due    string
	}{
		{MeetingPlanned, "notice", "2020-01-24"},
		{MeetingNoticeSent, "justering", "2020-02-13"},
		{MeetingHeld, "justering", "2020-02-13"},
		{MeetingJustified, "anslag", "2020-02-17"},
	}
	for _, tt := range tests {
		m := boardMeeting(tt.status)
		justified := MustDate("2020-02-13").At(10, 0)
		if tt.status == MeetingJustified {
			m.JustifiedAt = &justified
		}
		got := m.OpenDeadlines(MustDate("2020-01-20"))
		if len(got) != 1 || string(got[0].Kind) != tt.kind || got[0].Due != MustDate(tt.due) {
			t.Errorf("%s: deadlines %+v, want %s on %s", tt.status, got, tt.kind, tt.due)
		}
	}
}

var (
	chairMember = Member{ID: 1, Body: "ASN", Name: "Anna Ek", Role: MemberChair, UserID: 20, Active: true}
	ledamot     = Member{ID: 2, Body: "ASN", Name: "Bo Ström", Role: MemberRegular, UserID: 21, Active: true}
	noAccount   = Member{ID: 3, Body: "ASN", Name: "Cilla Ås", Role: MemberRegular, Active: true}
	staffMember = Member{ID: 4, Body: "ASN", Name: "Eva Nilsson", Role: MemberStaff, UserID: secretary.ID, Active: true}
	chairUser   = User{ID: 20, Name: "Anna Ek", Email: "anna.ek@malmo.se", Active: true}
	ledamotUser = User{ID: 21, Name: "Bo Ström", Email: "bo.strom@malmo.se", Active: true}
)

func TestCheckAttendance(t *testing.T) {
	m := boardMeeting(MeetingHeld)
	ok := []Attendee{{Member: chairMember, Present: true, Adjuster: true}, {Member: ledamot, Present: true, Adjuster: true},
		{Member: noAccount, Present: false}, {Member: staffMember, Present: true}}
	if err := CheckAttendance(m, nil, ok, envFor(secretary)); err != nil {
		t.Fatal(err)
	}
	bad := []Attendee{{Member: chairMember, Present: false, Adjuster: true}, {Member: noAccount, Present: true, Adjuster: true},
		{Member: staffMember, Present: true, Adjuster: true}, {Member: ledamot, Present: true}, {Member: ledamot}}
	wantFields(t, CheckAttendance(m, nil, bad, envFor(secretary)), "attendees[0]", "attendees[1]", "attendees[2]", "attendees[4]")
	wantCode(t, CheckAttendance(m, nil, ok, envFor(outsider)), EFORBIDDEN)
	signed := clock
	started := []Attendee{{Member: chairMember, Present: true, Adjuster: true, SignedAt: &signed}}
	wantCode(t, CheckAttendance(m, started, ok, envFor(secretary)), ECONFLICT)
}

func TestSign(t *testing.T) {
	att := []Attendee{{Member: chairMember, Present: true, Adjuster: true}, {Member: ledamot, Present: true, Adjuster: true},
		{Member: staffMember, Present: true}}
	planned := boardMeeting(MeetingNoticeSent)
	_, _, _, err := Sign(planned, att, chairUser, clock)
	wantCode(t, err, ECONFLICT)

	m := boardMeeting(MeetingHeld)
	_, _, _, err = Sign(m, att, secretary, clock)
	wantCode(t, err, EFORBIDDEN) // staff, not a justerare
	first := MustDate("2020-02-03").At(10, 0)
	m1, att1, i, err := Sign(m, att, chairUser, first)
	if err != nil || i != 0 || att1[0].SignedAt == nil || m1.Status != MeetingHeld {
		t.Fatalf("first signature: %+v %+v %d %v", m1, att1, i, err)
	}
	if att[0].SignedAt != nil {
		t.Error("Sign changed its input")
	}
	_, _, _, err = Sign(m1, att1, chairUser, first)
	wantCode(t, err, ECONFLICT)
	second := MustDate("2020-02-04").At(11, 0)
	m2, att2, i, err := Sign(m1, att1, ledamotUser, second)
	if err != nil || i != 1 || m2.Status != MeetingJustified || !m2.JustifiedAt.Equal(second) {
		t.Fatalf("second signature: %+v %+v %d %v", m2, att2, i, err)
	}
	if m2.JustifiedOn() != MustDate("2020-02-04") {
		t.Errorf("justified on %s", m2.JustifiedOn())
	}
	_, _, _, err = Sign(m2, att2, ledamotUser, second)
	wantCode(t, err, ECONFLICT)
}
