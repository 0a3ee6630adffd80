package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// routesUIMeetings registers the pages of meetings, member lists and
// calendars on the logged-in group. Everyone logged in reads them; the board's
// secretary runs the meetings, and the named justerare sign.
func (w *web) routesUIMeetings(in fiber.Router) {
	in.Get("/meetings", w.showMeetingsPage)
	in.Post("/meetings", w.submitNewMeeting)
	w.routesUIMeetingPlan(in)
	in.Get("/meetings/:id", w.showMeetingPage)
	in.Post("/meetings/:id/details", w.submitMeetingDetails)
	in.Post("/meetings/:id/notice", w.submitMeetingNotice)
	in.Post("/meetings/:id/held", w.submitMeetingHeld)
	in.Post("/meetings/:id/anslag", w.submitAnslag)
	in.Post("/meetings/:id/agenda", w.submitAgendaItem)
	in.Post("/meetings/:id/agenda/:item/move", w.submitAgendaMove)
	in.Post("/meetings/:id/agenda/:item/remove", w.submitAgendaRemove)
	in.Get("/meetings/:id/attendance", w.showAttendancePage)
	in.Post("/meetings/:id/attendance", w.submitAttendance)
	in.Get("/meetings/:id/decisions/:number", w.showDecisionPage)
	in.Post("/meetings/:id/decisions/:number", w.submitDecision)
	in.Get("/meetings/:id/decisions/:number/correction", w.showCorrectionPage)
	in.Post("/meetings/:id/decisions/:number/correction", w.submitCorrection)
	in.Get("/meetings/:id/protokoll", w.showMinutesPage)
	in.Get("/meetings/:id/agenda.pdf", w.AgendaPDF)
	in.Get("/meetings/:id/protokoll.pdf", w.MinutesPDF)
	in.Get("/meetings/:id/paragraphs/:n/utdrag.pdf", w.ExtractPDF)
	in.Get("/meetings/:id/justering", w.showJusteringPage)
	in.Post("/meetings/:id/justering", w.submitJustering)
	w.routesUIPublication(in)
	in.Get("/bodies/:code/members", w.showMembersPage)
	in.Post("/bodies/:code/members", w.submitNewMember)
	in.Post("/bodies/:code/members/:member/remove", w.submitRemoveMember)
	in.Get("/calendar", w.showCalendarPage)
	in.Post("/calendar", w.submitCalendarToken)
}

// withToken serves a document to an API client that sends a bearer token,
// with problem+json errors; a request without one goes on to the page route
// of the same address, which uses the browser's session.
func (w *web) withToken(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if c.Get(fiber.HeaderAuthorization) == "" {
			return c.Next()
		}
		if err := w.Authenticate(c); err != nil {
			return err
		}
		return h(c)
	}
}

// meetingOf loads the meeting of the :id parameter.
func (w *web) meetingOf(c *fiber.Ctx) (workflow.Meeting, error) {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return workflow.Meeting{}, err
	}
	return w.Store.Meeting(c.UserContext(), id)
}

// meetingPath is the address of a meeting's page, with a confirmation to show.
func meetingPath(id int64, done string) string {
	p := "/meetings/" + strconv.FormatInt(id, 10)
	if done != "" {
		p += "?done=" + done
	}
	return p
}
