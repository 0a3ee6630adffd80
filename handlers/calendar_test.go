package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// parseFeed fetches a feed and parses it with the iCalendar library.
func (ms *meetingServer) parseFeed(path string) *ics.Calendar {
	ms.t.Helper()
	status, body, h := ms.call("GET", path, "", nil)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") {
		ms.t.Fatalf("GET %s: %d %s", path, status, h.Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		ms.t.Fatalf("parse %s: %v\n%s", path, err, body)
	}
	return cal
}

func eventByUID(cal *ics.Calendar, uid string) *ics.VEvent {
	for _, ev := range cal.Events() {
		if ev.Id() == uid {
			return ev
		}
	}
	return nil
}

func prop(ev *ics.VEvent, p ics.ComponentProperty) string {
	if v := ev.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestBodyCalendar(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	var list []meetingOut
	ms.ok(200, "GET", "/api/v1/meetings?body=ASN-AU&from="+workflow.Today(time.Now()).AddDays(-365).String(), sec, nil, &list)

	cal := ms.parseFeed("/calendar/ASN-AU.ics")
	if len(cal.Events()) != len(list) || len(list) == 0 {
		t.Fatalf("feed has %d events, the API %d meetings", len(cal.Events()), len(list))
	}
	host := strings.Split(strings.TrimPrefix(ms.base, "http://"), ":")[0]
	m := list[len(list)-1]
	uid := fmt.Sprintf("meeting-%d@%s", m.ID, host)
	ev := eventByUID(cal, uid)
	if ev == nil {
		t.Fatalf("no event %s", uid)
	}
	start, err := ev.GetStartAt()
	if err != nil || !start.Equal(m.Date.At(13, 0)) {
		t.Errorf("DTSTART %v (%v), want %v", start, err, m.Date.At(13, 0))
	}
	end, err := ev.GetEndAt()
	// public.defaultMeetingLength: a meeting without an end time lasts 2 hours in the feed
	if err != nil || end.Sub(start) != 2*time.Hour {
		t.Errorf("DTEND %v (%v)", end, err)
	}
	if _, err := ev.GetDtStampTime(); err != nil {
		t.Errorf("DTSTAMP: %v", err)
	}
	// A public feed links a meeting only to its published protokoll, which
	// anyone may read, never to the staff's page, which asks for a login.
	linked := 0
	for _, ev := range cal.Events() {
		u := prop(ev, ics.ComponentPropertyUrl)
		if u == "" {
			continue
		}
		linked++
		if status, _, _ := ms.call("GET", strings.TrimPrefix(u, ms.base), "", nil); !strings.HasPrefix(u, ms.base+"/protokoll/") || status != 200 {
			t.Errorf("%s links to %s (%d without a login)", ev.Id(), u, status)
		}
	}
	if linked == 0 || linked == len(cal.Events()) {
		t.Errorf("%d of %d meetings linked; the fixture publishes some protokoll, not all", linked, len(cal.Events()))
	}
	if prop(ev, ics.ComponentPropertyLocation) != "Stadshuset, sal Malmöhus" || !strings.Contains(prop(ev, ics.ComponentPropertySummary), "ASN arbetsutskott") {
		t.Errorf("event %s / %s", prop(ev, ics.ComponentPropertyLocation), prop(ev, ics.ComponentPropertySummary))
	}

	// Moving the meeting bumps SEQUENCE, under the same UID.
	seq := prop(ev, ics.ComponentPropertySequence)
	ms.ok(200, "PATCH", fmt.Sprintf("/api/v1/meetings/%d", m.ID), sec, map[string]any{"time": "14:30", "end_time": "16:00"}, nil)
	ev = eventByUID(ms.parseFeed("/calendar/ASN-AU.ics"), uid)
	start, _ = ev.GetStartAt()
	end, _ = ev.GetEndAt()
	if prop(ev, ics.ComponentPropertySequence) != fmt.Sprint(m.Seq+1) || seq != fmt.Sprint(m.Seq) ||
		!start.Equal(m.Date.At(14, 30)) || !end.Equal(m.Date.At(16, 0)) {
		t.Errorf("after the move: SEQUENCE %s (was %s), %v–%v", prop(ev, ics.ComponentPropertySequence), seq, start, end)
	}

	if status, _, _ := ms.call("GET", "/calendar/NOPE.ics", "", nil); status != 404 {
		t.Errorf("unknown body: %d", status)
	}
}

func TestUserCalendar(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	var out struct{ URL string }
	ms.ok(201, "POST", "/api/v1/me/calendar", sec, nil, &out)
	u, err := url.Parse(out.URL)
	if err != nil || !strings.HasPrefix(out.URL, ms.base+"/calendar/user/") {
		t.Fatalf("feed url %q", out.URL)
	}
	cal := ms.parseFeed(u.Path)
	var meetings, deadlines int
	for _, ev := range cal.Events() {
		switch {
		case strings.HasPrefix(ev.Id(), "meeting-"):
			meetings++
		case strings.HasPrefix(ev.Id(), "deadline-"):
			deadlines++
			if _, err := ev.GetAllDayStartAt(); err != nil || !strings.HasPrefix(prop(ev, ics.ComponentPropertySummary), "Bevakning: ") {
				t.Errorf("deadline event %s: %v", prop(ev, ics.ComponentPropertySummary), err)
			}
		}
	}
	// The secretary works for ASN and KS: all their bodies' meetings, and the
	// stage deadlines of the cases on the route are theirs.
	if meetings == 0 || deadlines == 0 {
		t.Errorf("secretary's feed: %d meetings, %d deadlines", meetings, deadlines)
	}

	// The politician sees the meetings of the bodies they sit on.
	var chairOut struct{ URL string }
	ms.ok(201, "POST", "/api/v1/me/calendar", ms.login("ordforande@kommun.example"), nil, &chairOut)
	cu, _ := url.Parse(chairOut.URL)
	for _, ev := range ms.parseFeed(cu.Path).Events() {
		if s := prop(ev, ics.ComponentPropertySummary); strings.Contains(s, "Kommunstyrelsen") {
			t.Errorf("the ASN chair's feed has %q", s)
		}
	}

	// A new address replaces the old one.
	ms.ok(201, "POST", "/api/v1/me/calendar", sec, nil, nil)
	if status, _, _ := ms.call("GET", u.Path, "", nil); status != 404 {
		t.Errorf("the old feed address answers %d", status)
	}
	if status, _, _ := ms.call("POST", "/api/v1/me/calendar", "", nil); status != 401 {
		t.Errorf("a feed address without login: %d", status)
	}
}

// feedBytes fetches a feed as the calendar client receives it.
func (ms *meetingServer) feedBytes(path string) []byte {
	ms.t.Helper()
	status, body, h := ms.call("GET", path, "", nil)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") {
		ms.t.Fatalf("GET %s: %d %s", path, status, h.Get("Content-Type"))
	}
	return body
}

// checkContentLines checks RFC 5545 section 3.1 on a whole feed: every line
// ends in CRLF, there is no other CR or LF, no control character but HTAB,
// and no line is longer than 75 octets.
func checkContentLines(t *testing.T, path string, body []byte) {
	t.Helper()
	if !bytes.HasSuffix(body, []byte("\r\n")) {
		t.Errorf("%s does not end in CRLF", path)
	}
	bad := 0
	for i, line := range bytes.SplitAfter(body, []byte("\r\n")) {
		content := bytes.TrimSuffix(line, []byte("\r\n"))
		problem := ""
		if len(content) > 75 {
			problem = fmt.Sprintf("is %d octets", len(content))
		}
		for _, b := range content {
			if (b < 0x20 && b != '\t') || b == 0x7f {
				problem = fmt.Sprintf("has the control character %#x", b)
				break
			}
		}
		if problem != "" {
			if bad++; bad > 3 {
				t.Errorf("%s: and more", path)
				return
			}
			t.Errorf("%s line %d %s: %.200q", path, i+1, problem, content)
		}
	}
}

// Both feeds end every content line in CRLF (RFC 5545 section 3.1).
func TestCalendarFeedsEndLinesInCRLF(t *testing.T) {
	ms := startMeetingServer(t)
	var out struct{ URL string }
	ms.ok(201, "POST", "/api/v1/me/calendar", ms.login("sekreterare@kommun.example"), nil, &out)
	u, err := url.Parse(out.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/calendar/ASN-AU.ics", u.Path} {
		body := ms.feedBytes(path)
		if n := bytes.Count(body, []byte("\n")); n < 10 || n != bytes.Count(body, []byte("\r\n")) {
			t.Errorf("%s: %d LF, %d of them after a CR", path, n, bytes.Count(body, []byte("\r\n")))
		}
		checkContentLines(t, path, body)
	}
}

// A CR, a CR LF or another control character typed into a meeting's place or
// a bevakning's note reaches the feed as the escaped newline \n of RFC 5545
// section 3.3.11, or not at all; never raw.
func TestCalendarTextControlCharacters(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	var list []meetingOut
	ms.ok(200, "GET", "/api/v1/meetings?body=ASN-AU&from="+workflow.Today(time.Now()).String(), sec, nil, &list)
	if len(list) == 0 {
		t.Fatal("no coming ASN-AU meeting")
	}
	m := list[0]
	// Control characters are refused at input; the feed must still be safe
	// for text stored before that rule, so they go in underneath the API.
	if status, _, _ := ms.call("PATCH", fmt.Sprintf("/api/v1/meetings/%d", m.ID), sec, map[string]any{"place": "Stadshuset\x07"}); status != 422 {
		t.Errorf("a BEL in a meeting place: %d, want 422", status)
	}
	ms.ok(200, "PATCH", fmt.Sprintf("/api/v1/meetings/%d", m.ID), sec,
		map[string]any{"place": "Stadshuset\r\nsal 2\rplan 3, dörr; A\\B"}, nil)
	ms.rawExec(`UPDATE meetings SET place = ? WHERE id = ?`, "Stadshuset\r\nsal 2\rplan 3\x07, dörr; A\\B", m.ID)

	var page db.CasePage
	ms.ok(200, "GET", "/api/v1/cases?q=Delårsrapport", sec, nil, &page)
	if len(page.Items) == 0 {
		t.Fatal("no cases")
	}
	var d struct{ ID int64 }
	ms.ok(201, "POST", "/api/v1/cases/"+page.Items[0].Number+"/deadlines", sec, map[string]string{
		"due":  workflow.Today(time.Now()).AddDays(20).String(),
		"note": "Rad ett\r\nRad två\rRad tre\tflik"}, &d)
	nul := "\x00" // PostgreSQL cannot store it at all
	if ms.store.Engine() == db.PostgreSQL {
		nul = ""
	}
	ms.rawExec(`UPDATE deadlines SET note = ? WHERE id = ?`, "Rad ett\r\nRad två\rRad tre\x1b[31m"+nul+"\x7f\u0085slut\tflik", d.ID)

	var out struct{ URL string }
	ms.ok(201, "POST", "/api/v1/me/calendar", sec, nil, &out)
	u, _ := url.Parse(out.URL)
	host := strings.Split(strings.TrimPrefix(ms.base, "http://"), ":")[0]
	for _, path := range []string{"/calendar/ASN-AU.ics", u.Path} {
		body := ms.feedBytes(path)
		checkContentLines(t, path, body)
		if n := bytes.Count(body, []byte("\r")); n != bytes.Count(body, []byte("\r\n")) {
			t.Errorf("%s has %d CR, only %d of them end a line", path, n, bytes.Count(body, []byte("\r\n")))
		}
		unfolded := string(bytes.ReplaceAll(body, []byte("\r\n "), nil))
		if want := "\r\nLOCATION:Stadshuset\\nsal 2\\nplan 3\\, dörr\\; A\\\\B\r\n"; !strings.Contains(unfolded, want) {
			i := strings.Index(unfolded, "LOCATION:Stadshuset")
			t.Errorf("%s: %.80q, want %q", path, unfolded[max(i, 0):], want)
		}
		ev := eventByUID(ms.parseFeed(path), fmt.Sprintf("meeting-%d@%s", m.ID, host))
		if ev == nil {
			t.Fatalf("%s: no event for meeting %d", path, m.ID)
		}
		if got := prop(ev, ics.ComponentPropertyLocation); got != "Stadshuset\nsal 2\nplan 3, dörr; A\\B" {
			t.Errorf("%s: LOCATION reads %q", path, got)
		}
	}
	ev := eventByUID(ms.parseFeed(u.Path), fmt.Sprintf("deadline-%d@%s", d.ID, host))
	if ev == nil {
		t.Fatalf("no event for bevakning %d", d.ID)
	}
	if got := prop(ev, ics.ComponentPropertyDescription); got != "Rad ett\nRad två\nRad tre[31m\nslut\tflik" {
		t.Errorf("DESCRIPTION reads %q", got)
	}
}

// rawExec changes the database underneath the service, as an older version
// or another tool might have.
func (ms *meetingServer) rawExec(query string, args ...any) {
	ms.t.Helper()
	conn, err := db.OpenRaw(ms.store.Path())
	if err != nil {
		ms.t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(query, args...); err != nil {
		ms.t.Fatalf("%s: %v", query, err)
	}
}

// lastSunday is the last Sunday of month in year: summer time starts on the
// one in March and ends on the one in October, in Europe/Stockholm.
func lastSunday(year int, month time.Month) workflow.Date {
	d := workflow.NewDate(year, month+1, 1).AddDays(-1)
	for d.Weekday() != time.Sunday {
		d = d.AddDays(-1)
	}
	return d
}

// A time that does not exist in Stockholm, or that occurs twice, is refused
// on its field with a Swedish reason, through the API as well.
func TestMeetingTimeAtDSTChangeRefused(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	year := time.Now().Year() + 1
	spring, autumn := lastSunday(year, time.March), lastSunday(year, time.October)
	tests := []struct {
		name        string
		date        workflow.Date
		start, end  string
		field, word string
	}{
		{"02:30 when summer time starts", spring, "02:30", "", "time", "finns inte"},
		{"ending 02:15 when summer time starts", spring, "01:00", "02:15", "end_time", "finns inte"},
		{"02:30 when summer time ends", autumn, "02:30", "04:00", "time", "två gånger"},
		{"ending 02:00 when summer time ends", autumn, "01:00", "02:00", "end_time", "två gånger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := ms.call("POST", "/api/v1/meetings", sec, map[string]any{
				"body": "ASN-AU", "date": tt.date.String(), "time": tt.start, "end_time": tt.end, "place": "Stadshuset"})
			var p httpx.Problem
			if err := json.Unmarshal(body, &p); status != 422 || err != nil || len(p.Errors) != 1 ||
				p.Errors[0].Field != tt.field || !strings.Contains(p.Errors[0].Message, tt.word) {
				t.Errorf("POST %s %s–%s: %d %s", tt.date, tt.start, tt.end, status, body)
			}
		})
	}
	// The same times are fine on another Sunday.
	ms.ok(201, "POST", "/api/v1/meetings", sec, map[string]any{
		"body": "ASN-AU", "date": spring.AddDays(-7).String(), "time": "02:30", "end_time": "03:15"}, nil)
}

// A meeting stored before times were checked may start at a time summer time
// skips (02:45 is read as 03:45) and end before it: DTEND is then never
// before DTSTART (RFC 5545 section 3.6.1), the default length is shown.
func TestCalendarEndNeverBeforeStart(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	day := lastSunday(time.Now().Year()+1, time.March)
	var m meetingOut
	ms.ok(201, "POST", "/api/v1/meetings", sec, map[string]any{"body": "ASN-AU", "date": day.String(), "time": "01:00"}, &m)
	raw, err := db.OpenRaw(ms.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	host := strings.Split(strings.TrimPrefix(ms.base, "http://"), ":")[0]
	for _, times := range [][2]string{{"02:45", "03:15"}, {"02:00", "03:00"}} {
		if _, err := raw.Exec(`UPDATE meetings SET start_time = ?, end_time = ? WHERE id = ?`, times[0], times[1], m.ID); err != nil {
			t.Fatal(err)
		}
		ev := eventByUID(ms.parseFeed("/calendar/ASN-AU.ics"), fmt.Sprintf("meeting-%d@%s", m.ID, host))
		if ev == nil {
			t.Fatalf("no event for meeting %d", m.ID)
		}
		start, err := ev.GetStartAt()
		if err != nil {
			t.Fatal(err)
		}
		if ev.GetProperty(ics.ComponentPropertyDtEnd) == nil {
			continue
		}
		if end, err := ev.GetEndAt(); err != nil || !end.After(start) {
			t.Errorf("%s–%s: DTSTART %v, DTEND %v (%v)", times[0], times[1], start, end, err)
		}
	}
}
