package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// justeringPage is where a named justerare signs the protokoll by entering
// their password again: the signature is recorded with its time in the
// history of every case in the protokoll.
type justeringPage struct {
	Meeting    workflow.Meeting
	Adjusters  []workflow.Attendee
	Paragraphs []workflow.Paragraph
	Refusal    string // why the viewer cannot sign now, or ""
}

// showJusteringPage is GET /meetings/:id/justering.
func (w *web) showJusteringPage(c *fiber.Ctx) error {
	return w.renderJustering(c, fiber.StatusOK, &httpx.View{Notice: httpx.NoticeOr(c, meetingNotices[c.Query("done")])})
}

func (w *web) renderJustering(c *fiber.Ctx, status int, v *httpx.View) error {
	min, err := w.MinutesOf(c)
	if err != nil {
		return err
	}
	p := &justeringPage{Meeting: min.Meeting, Adjusters: workflow.Adjusters(min.Attendees), Paragraphs: min.Paragraphs}
	if _, _, _, err := workflow.Sign(min.Meeting, min.Attendees, httpx.CurrentUser(c), w.Store.Now()); err != nil {
		p.Refusal = workflow.ErrorMessage(err)
	}
	v.Title, v.Section, v.Page = "Justering – "+min.Meeting.Title(), "meetings", p
	return w.Render(c, status, "meeting_justering", v)
}

// submitJustering is POST /meetings/:id/justering. The refusals come before
// the password is checked, so someone who is not a justerare learns nothing
// about their password; wrong passwords count against the login limit.
func (w *web) submitJustering(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	min, err := w.MinutesOf(c)
	if err != nil {
		return err
	}
	id := min.Meeting.ID
	if _, _, _, err := workflow.Sign(min.Meeting, min.Attendees, u, w.Store.Now()); err != nil {
		return w.renderJustering(c, httpx.StatusOf[workflow.ErrorCode(err)], &httpx.View{Alert: workflow.ErrorMessage(err)})
	}
	if _, err := w.Login(c, u.Email, c.FormValue("password")); err != nil {
		if workflow.ErrorCode(err) == workflow.EUNAUTHORIZED {
			return w.renderJustering(c, fiber.StatusForbidden, &httpx.View{Errors: httpx.FormErrors{{Field: "password",
				Message: "Fel lösenord; justeringen är inte registrerad"}}})
		}
		pr := httpx.ToProblem(err)
		if pr.Status >= 500 {
			return err
		}
		return w.renderJustering(c, pr.Status, &httpx.View{Alert: pr.Detail})
	}
	if _, err := w.Store.Sign(c.UserContext(), id, u); err != nil {
		code := workflow.ErrorCode(err)
		if code != workflow.ECONFLICT && code != workflow.EFORBIDDEN {
			return err
		}
		return w.renderJustering(c, httpx.StatusOf[code], &httpx.View{Alert: workflow.ErrorMessage(err)})
	}
	return w.justeringDone(c, id)
}
