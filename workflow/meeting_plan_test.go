package workflow

import (
	"errors"
	"strings"
	"testing"
)

// A plan is read line by line: date, then an optional time or span (13:00,
// 13.00, 13:00–16:00), then an optional place; blank and comment lines are
// skipped but counted, so each line keeps the number the secretary sees.
func TestParseMeetingPlanGoodLines(t *testing.T) {
	text := "# ASN 2027\r\n" +
		"2027-01-14 13:00 Stadshuset, sal Malmöhus\r\n" +
		"\r\n" +
		"2027-01-28 13:00–16:00 Stadshuset\r\n" +
		"2027-02-11\r\n" +
		"// våren\r\n" +
		"2027-02-25 13.00 Rådhuset\r\n" +
		"2027-03-11 kl. 9.30-12.00, Stadshuset\r\n" +
		"2027-03-25\t13:00\tStadshuset\tsal 2\r\n" +
		"2027-04-08 Stadshuset,  rum   412\r\n" +
		"  2027-04-22 ,  08:30 – 10:00 ;  Rådhuset  \r\n"
	got, err := ParseMeetingPlan("\ufeff" + text)
	if err != nil {
		t.Fatalf("a good plan: %v", err)
	}
	want := []PlannedMeeting{
		{Line: 2, Date: MustDate("2027-01-14"), Start: "13:00", Place: "Stadshuset, sal Malmöhus"},
		{Line: 4, Date: MustDate("2027-01-28"), Start: "13:00", End: "16:00", Place: "Stadshuset"},
		{Line: 5, Date: MustDate("2027-02-11")},
		{Line: 7, Date: MustDate("2027-02-25"), Start: "13:00", Place: "Rådhuset"},
		{Line: 8, Date: MustDate("2027-03-11"), Start: "09:30", End: "12:00", Place: "Stadshuset"},
		{Line: 9, Date: MustDate("2027-03-25"), Start: "13:00", Place: "Stadshuset, sal 2"},
		{Line: 10, Date: MustDate("2027-04-08"), Place: "Stadshuset, rum 412"},
		{Line: 11, Date: MustDate("2027-04-22"), Start: "08:30", End: "10:00", Place: "Rådhuset"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: got %+v, want %+v", want[i].Line, got[i], want[i])
		}
	}
}

// Every bad line is named with its number and what is wrong, in Swedish, and
// the good lines are still returned.
func TestParseMeetingPlanBadLines(t *testing.T) {
	tests := []struct {
		name, line string
		want       []string // each must be in the line's message
	}{
		{"a day the calendar lacks", "2027-02-30 13:00 Stadshuset", []string{"Rad 2: 2027-02-30 finns inte", "februari 2027 har 28 dagar"}},
		{"a month the calendar lacks", "2027-13-01", []string{"Rad 2:", "månad 13 finns inte"}},
		{"a date written some other way", "14 januari 2027 13:00", []string{"Rad 2: ”14” är inget datum", "ÅÅÅÅ-MM-DD"}},
		{"a date with slashes", "2027/01/14", []string{"Rad 2: ”2027/01/14” är inget datum"}},
		{"no hour 25", "2027-01-14 25:00 Stadshuset", []string{"Rad 2: 25:00 är ingen tid på dygnet"}},
		{"a time cut short", "2027-01-14 13:0 Stadshuset", []string{"Rad 2: ”13:0” är ingen tid"}},
		{"a span without its end", "2027-01-14 13:00– Stadshuset", []string{"Rad 2: ”13:00–” är ingen tid"}},
		{"the end before the start", "2027-01-14 16:00–13:00", []string{"Rad 2: Sluttiden ska vara efter starttiden 16:00"}},
		{"the hour skipped as summer time starts", "2027-03-28 02:30 Stadshuset", []string{"Rad 2: Starttiden 02:30 finns inte den 2027-03-28", "ställs klockan fram"}},
		{"the hour that occurs twice as summer time ends", "2027-10-31 10:00–02:30", []string{"Rad 2: Sluttiden ska vara efter"}},
		{"an ambiguous start", "2027-10-31 02:30", []string{"Rad 2: Starttiden 02:30 är tvetydig den 2027-10-31"}},
		{"a place too long", "2027-01-14 13:00 " + strings.Repeat("x", MaxPlace+1), []string{"Rad 2: Platsen får vara högst 200 tecken"}},
		{"a bad date and a bad time at once", "2027-02-29 25:00", []string{"Rad 2: 2027-02-29 finns inte", "Rad 2: 25:00 är ingen tid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := ParseMeetingPlan("2027-01-07 13:00 Stadshuset\n" + tt.line + "\n2027-01-21\n")
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID {
				t.Fatalf("got %v, want a refusal", err)
			}
			var msgs []string
			for _, f := range e.Fields {
				if f.Field != "line-2" {
					t.Errorf("an error about %s: %s", f.Field, f.Message)
				}
				msgs = append(msgs, f.Message)
			}
			all := strings.Join(msgs, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("the errors do not say %q:\n%s", w, all)
				}
			}
			if len(lines) != 2 || lines[0].Line != 1 || lines[1].Line != 3 {
				t.Errorf("the good lines: %+v", lines)
			}
		})
	}
}

// All bad lines are reported at once, in line order.
func TestParseMeetingPlanReportsEveryLine(t *testing.T) {
	_, err := ParseMeetingPlan("2027-01-14\nmorgondagen\n2027-02-30\n2027-03-11 9:60\n")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v", err)
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	if got := strings.Join(fields, " "); got != "line-2 line-3 line-4" {
		t.Errorf("fields %q, want every bad line once", got)
	}
	if _, err := ParseMeetingPlan("\n# bara en kommentar\n  \n"); err == nil || !strings.Contains(err.Error(), "minst ett sammanträde") {
		t.Errorf("an empty plan: %v", err)
	}
}

// A day that is not a work day is a warning naming the day, until the
// secretary confirms it; a past day, a day the body already has a meeting on
// and a day twice in the plan are errors, confirmed or not.
func TestNewMeetingPlanDays(t *testing.T) {
	tests := []struct {
		name      string
		date      string
		confirmed bool
		want      string // in the message; empty: accepted
	}{
		{"a Thursday", "2027-01-14", false, ""},
		{"a Saturday", "2027-01-16", false, "Rad 1: 2027-01-16 är en lördag, ingen arbetsdag. Kryssa i ”Planera ändå”"},
		{"a Sunday", "2027-01-17", false, "är en söndag"},
		{"julafton", "2027-12-24", false, "Rad 1: 2027-12-24 är julafton, ingen arbetsdag"},
		{"midsommarafton", "2027-06-25", false, "2027-06-25 är midsommarafton"},
		{"nyårsafton", "2027-12-31", false, "är nyårsafton"},
		{"juldagen on a Saturday", "2027-12-25", false, "är juldagen (lördag)"},
		{"trettondedag jul", "2027-01-06", false, "är trettondedag jul"},
		{"Kristi himmelsfärdsdag keeps its capital", "2027-05-06", false, "är Kristi himmelsfärdsdag"},
		{"nationaldagen", "2028-06-06", false, "är Sveriges nationaldag"},
		{"julafton confirmed", "2027-12-24", true, ""},
		{"a Saturday confirmed", "2027-01-16", true, ""},
		{"the day before today", "2020-01-01", true, "Rad 1: 2020-01-01 har redan passerat"},
		{"today", "2020-01-02", false, ""},
		{"a day the body meets already", "2027-02-11", true, "Rad 1: Arbetsmarknads- och socialnämnden har redan ett sammanträde den 2027-02-11"},
	}
	taken := []Date{MustDate("2027-02-11")}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := []PlannedMeeting{{Line: 1, Date: MustDate(tt.date), Start: "13:00", Place: "Stadshuset"}}
			ms, err := NewMeetingPlan(bodyBoard, lines, taken, tt.confirmed, envFor(secretary))
			if tt.want == "" {
				if err != nil || len(ms) != 1 {
					t.Fatalf("got %v, %v; want the meeting", ms, err)
				}
				m := ms[0]
				if m.Date != MustDate(tt.date) || m.Start != "13:00" || m.Place != "Stadshuset" || m.Status != MeetingPlanned || m.Body != bodyBoard {
					t.Errorf("the meeting: %+v", m)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) != 1 {
				t.Fatalf("got %v, %v; want one line refused", ms, err)
			}
			if f := e.Fields[0]; f.Field != "line-1" || !strings.Contains(f.Message, tt.want) {
				t.Errorf("got %s: %q, want %q", f.Field, f.Message, tt.want)
			}
		})
	}
}

func TestNewMeetingPlanAllOrNothing(t *testing.T) {
	lines, err := ParseMeetingPlan("2027-01-14 13:00\n2027-01-16 13:00\n2027-01-28 13:00\n2027-01-14 09:00\n2027-12-24\n")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := NewMeetingPlan(bodyBoard, lines, nil, false, envFor(secretary))
	if ms != nil {
		t.Errorf("a plan with bad lines gave meetings: %v", ms)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v", err)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field+": "+f.Message)
	}
	want := []string{
		"line-2: Rad 2: 2027-01-16 är en lördag",
		"line-4: Rad 4: 2027-01-14 står redan på rad 1",
		"line-5: Rad 5: 2027-12-24 är julafton",
	}
	if len(got) != len(want) {
		t.Fatalf("got\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("got %q, want %q", got[i], want[i])
		}
	}
	if w := PlanWarnings(lines); len(w) != 2 || w[0].Field != "line-2" || w[1].Field != "line-5" {
		t.Errorf("warnings: %+v", w)
	}

	// Confirmed, the weekend and julafton pass; the repeated day does not.
	if _, err := NewMeetingPlan(bodyBoard, lines, nil, true, envFor(secretary)); err == nil || !strings.Contains(err.Error(), "står redan på rad 1") {
		t.Errorf("confirmed with a repeated day: %v", err)
	}
	ms, err = NewMeetingPlan(bodyBoard, append(lines[:3:3], lines[4]), nil, true, envFor(secretary))
	if err != nil || len(ms) != 4 {
		t.Fatalf("confirmed: %v, %v", ms, err)
	}
}

func TestNewMeetingPlanOnlyTheSecretary(t *testing.T) {
	lines := []PlannedMeeting{{Line: 1, Date: MustDate("2027-01-14")}}
	for _, u := range []User{officer, ksSecretary, admin, outsider} {
		_, err := NewMeetingPlan(bodyBoard, lines, nil, false, envFor(u))
		if ErrorCode(err) != EFORBIDDEN || !strings.Contains(err.Error(), "Bara nämndsekreteraren för ASN") {
			t.Errorf("%s: %v", u.Name, err)
		}
	}
	if _, err := NewMeetingPlan(bodyBoard, nil, nil, false, envFor(secretary)); err == nil || !strings.Contains(err.Error(), "minst ett sammanträde") {
		t.Errorf("no lines: %v", err)
	}
}

// The errors of reading and of checking come together in line order; a
// refusal that is not about the lines stands alone.
func TestJoinPlanErrors(t *testing.T) {
	read := Problems{{Field: "line-3", Message: "c"}, {Field: "line-7", Message: "g"}}.Err()
	check := Problems{{Field: "line-1", Message: "a"}, {Field: "line-5", Message: "e"}}.Err()
	var e *Error
	if !errors.As(JoinPlanErrors(read, check), &e) || e.Error() != "Uppgifterna behöver rättas: a; c; e; g" {
		t.Errorf("joined: %v", e)
	}
	forbidden := Errorf(EFORBIDDEN, "nej")
	if JoinPlanErrors(read, forbidden) != forbidden || JoinPlanErrors(nil, check) != check || JoinPlanErrors(read, nil) != read {
		t.Error("a lone error is not itself")
	}
}
