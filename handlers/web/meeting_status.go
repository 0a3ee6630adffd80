package web

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// submitMeetingDetails is POST /meetings/:id/details: time and place, until held.
func (w *web) submitMeetingDetails(c *fiber.Ctx) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	f := &detailsForm{Time: strings.TrimSpace(value(c, "time")), End: strings.TrimSpace(value(c, "end_time")), Place: value(c, "place")}
	if _, err := w.Store.ChangeMeeting(c.UserContext(), id, httpx.CurrentUser(c), &f.Time, &f.End, &f.Place); err != nil {
		return w.meetingFailed(c, &meetingPage{Details: f}, "details_", err)
	}
	return c.Redirect(meetingPath(id, "details"), fiber.StatusSeeOther)
}

// submitMeetingNotice is POST /meetings/:id/notice: the kallelse goes out.
func (w *web) submitMeetingNotice(c *fiber.Ctx) error {
	return w.meetingStep(c, w.Store.MarkNoticeSent, "notice")
}

// submitMeetingHeld is POST /meetings/:id/held.
func (w *web) submitMeetingHeld(c *fiber.Ctx) error {
	return w.meetingStep(c, w.Store.MarkHeld, "held")
}

// meetingStep takes a status step without input and shows the meeting again.
func (w *web) meetingStep(c *fiber.Ctx, step func(context.Context, int64, workflow.User) (workflow.Meeting, error), done string) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	if _, err := step(c.UserContext(), id, httpx.CurrentUser(c)); err != nil {
		return w.meetingFailed(c, &meetingPage{}, "", err)
	}
	return w.meetingDone(c, id, done)
}

// submitAnslag is POST /meetings/:id/anslag: the day the justering was posted.
func (w *web) submitAnslag(c *fiber.Ctx) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	p := &meetingPage{AnslagDate: strings.TrimSpace(value(c, "date"))}
	var day workflow.Date
	if p.AnslagDate != "" {
		if day, err = workflow.ParseDate(p.AnslagDate); err != nil {
			return w.meetingFailed(c, p, "anslag_", httpx.FieldError("date", err.Error()))
		}
	}
	if _, err := w.Store.Post(c.UserContext(), id, httpx.CurrentUser(c), day); err != nil {
		return w.meetingFailed(c, p, "anslag_", err)
	}
	return w.meetingDone(c, id, "anslag")
}
