package handlers

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
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
	if err != nil || end.Sub(start) != defaultMeetingLength {
		t.Errorf("DTEND %v (%v)", end, err)
	}
	if _, err := ev.GetDtStampTime(); err != nil {
		t.Errorf("DTSTAMP: %v", err)
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
