package public

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// calendarPast is how far back a feed reaches; older meetings drop out.
const calendarPast = 365

// defaultMeetingLength is the length a calendar shows for a meeting with a
// start time but no end time.
const defaultMeetingLength = 2 * time.Hour

// routesCalendar registers the iCalendar feeds. They need no login: a body's
// meeting dates are public, and a person's feed is opened by its secret token.
func (s *Server) routesCalendar(app *fiber.App) {
	app.Get("/calendar/user/:token.ics", s.PublicShare, s.userCalendar)
	app.Get("/calendar/:body.ics", s.PublicShare, s.bodyCalendar)
}

// bodyCalendar is GET /calendar/{body-code}.ics: the body's meetings.
func (s *Server) bodyCalendar(c *fiber.Ctx) error {
	body, err := s.Store.Body(c.UserContext(), c.Params("body"))
	if err != nil {
		return err
	}
	ms, err := s.Store.Meetings(c.UserContext(), db.MeetingFilter{Body: body.Code, From: s.Today().AddDays(-calendarPast)})
	if err != nil {
		return err
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	published, err := s.Store.PublishedAmong(c.UserContext(), ids)
	if err != nil {
		return err
	}
	// The feed is public: a meeting links to its protokoll once that is
	// published on the web, and to nothing before (the meeting's own page
	// is for staff).
	link := func(m workflow.Meeting) string {
		if !published[m.ID] {
			return ""
		}
		return s.Config.BaseURL + workflow.PublicPath(m)
	}
	return s.sendCalendar(c, body.Name+" – sammanträden", ms, link, nil)
}

// userCalendar is GET /calendar/user/{token}.ics: the meetings of the bodies
// the person works with, and their own open deadlines.
func (s *Server) userCalendar(c *fiber.Ctx) error {
	u, err := s.Store.UserByCalendarToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	bodies, err := s.Store.CalendarBodies(c.UserContext(), u)
	if err != nil {
		return err
	}
	ms, err := s.Store.Meetings(c.UserContext(), db.MeetingFilter{Bodies: bodies, From: s.Today().AddDays(-calendarPast)})
	if err != nil {
		return err
	}
	ds, err := s.Store.OpenDeadlinesOf(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, max-age=300")
	return s.sendCalendar(c, "Beslutsgång – "+u.Name, ms, s.staffMeetingLink, ds)
}

// staffMeetingLink is a meeting's page for staff, where a person's own feed
// links its meetings.
func (s *Server) staffMeetingLink(m workflow.Meeting) string {
	return fmt.Sprintf("%s/meetings/%d", s.Config.BaseURL, m.ID)
}

// sendCalendar answers with the feed of ms and ds; link is a meeting's URL
// in it ("" for none).
func (s *Server) sendCalendar(c *fiber.Ctx, name string, ms []workflow.Meeting, link func(workflow.Meeting) string, ds []db.CalendarDeadline) error {
	cal := calendar(name, s.Config.BaseURL, s.Store.Now(), ms, link, ds)
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	return c.SendString(serializeCalendar(cal))
}

// serializeCalendar writes cal as RFC 5545 content lines: each ends in CRLF
// (section 3.1; the library writes a bare LF unless told), lines longer than
// 75 octets are folded, and TEXT values are escaped (section 3.3.11).
func serializeCalendar(cal *ics.Calendar) string {
	return cal.Serialize(ics.WithNewLineWindows)
}

// calendar builds an RFC 5545 feed. UIDs are stable per meeting and deadline;
// SEQUENCE follows the meeting's moves; times are UTC, dates are Stockholm's.
// Every property value is cleaned by plainValues, so that what people typed
// (a meeting's place, a bevakning's note) cannot break a content line.
func calendar(name, baseURL string, now time.Time, ms []workflow.Meeting, link func(workflow.Meeting) string, ds []db.CalendarDeadline) *ics.Calendar {
	host := "beslutsgang"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	cal := ics.NewCalendarFor("Beslutsgång")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(workflow.Stockholm.String())
	for _, m := range ms {
		ev := cal.AddEvent(fmt.Sprintf("meeting-%d@%s", m.ID, host))
		ev.SetDtStampTime(now)
		ev.SetModifiedAt(m.UpdatedAt)
		ev.SetSequence(m.Sequence)
		ev.SetSummary(m.Body.Name + " – sammanträde")
		ev.SetStatus(ics.ObjectStatusConfirmed)
		if m.Place != "" {
			ev.SetLocation(m.Place)
		}
		if u := link(m); u != "" {
			ev.SetURL(u)
		}
		ev.SetDescription(fmt.Sprintf("%s\nStatus: %s", m.Title(), m.Status.Label()))
		if start, ok := m.StartTime(); ok {
			// DTEND must be later than DTSTART (RFC 5545 section 3.6.1). A
			// meeting stored before times were checked may start in the hour
			// summer time skips (02:45 is read as 03:45) and end before that.
			end, ok := m.EndTime()
			if !ok || !end.After(start) {
				end = start.Add(defaultMeetingLength)
			}
			ev.SetStartAt(start)
			ev.SetEndAt(end)
		} else {
			allDay(ev, m.Date)
		}
	}
	for _, d := range ds {
		ev := cal.AddEvent(fmt.Sprintf("deadline-%d@%s", d.ID, host))
		ev.SetDtStampTime(now)
		ev.SetCreatedTime(d.CreatedAt)
		title := strings.TrimSpace(d.CaseNumber + " " + d.CaseTitle)
		link := baseURL + "/cases/" + url.PathEscape(d.CaseNumber)
		if d.MeetingID != 0 {
			title, link = d.Meeting, fmt.Sprintf("%s/meetings/%d", baseURL, d.MeetingID)
		}
		ev.SetSummary("Bevakning: " + d.Kind.Label() + " – " + title)
		if d.Note != "" {
			ev.SetDescription(d.Note)
		}
		ev.SetURL(link)
		allDay(ev, d.Due)
	}
	plainValues(cal)
	return cal
}

// plainValues cleans every property value of cal: a TEXT value with icsText,
// any other (a URI, a date) by dropping its control characters, since no
// value may hold one (RFC 5545 section 3.1, VALUE-CHAR).
func plainValues(cal *ics.Calendar) {
	clean := func(p *ics.BaseProperty) {
		if p.GetValueType() == ics.ValueDataTypeText {
			p.Value = icsText(p.Value)
		} else {
			p.Value = strings.Map(dropControl, strings.ToValidUTF8(p.Value, "\uFFFD"))
		}
	}
	for i := range cal.CalendarProperties {
		clean(&cal.CalendarProperties[i].BaseProperty)
	}
	for _, c := range cal.Components {
		if ev, ok := c.(*ics.VEvent); ok {
			for i := range ev.Properties {
				clean(&ev.Properties[i].BaseProperty)
			}
		}
	}
}

// icsText makes s a TEXT value as RFC 5545 section 3.3.11 allows it, before
// the library escapes it: a line break (CR LF, a bare CR or LF, NEL, U+2028,
// U+2029) becomes the one LF that the library writes as \n, HTAB stays, and
// every other control character is dropped; invalid UTF-8 becomes U+FFFD
// (section 3.1 requires UTF-8). The library escapes backslash, semicolon and
// comma, and folds the line.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch r {
		case '\r', '\u0085', '\u2028', '\u2029':
			return '\n'
		case '\n':
			return r
		}
		return dropControl(r)
	}, s)
}

// dropControl drops the control characters RFC 5545 allows in no value
// (section 3.1: CONTROL, all of C0 and DEL but HTAB; C1 as well).
func dropControl(r rune) rune {
	if r != '\t' && unicode.IsControl(r) {
		return -1
	}
	return r
}

func allDay(ev *ics.VEvent, d workflow.Date) {
	ev.SetAllDayStartAt(d.Time(time.UTC))
	ev.SetAllDayEndAt(d.AddDays(1).Time(time.UTC))
	ev.SetTimeTransparency(ics.TransparencyTransparent)
}
