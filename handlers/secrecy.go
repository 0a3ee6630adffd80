package handlers

import (
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// A case marked secret shows what it is about only to the people it involves
// (workflow.Case.Involves); anyone else logged in sees its registration: the
// number, board, stage and route, as in the public diary.

// viewCase loads a case as the logged-in user may see it.
func (s *Server) viewCase(c *fiber.Ctx, number string) (workflow.Case, error) {
	cs, err := s.store.Case(c.UserContext(), number)
	if err != nil || cs.Involves(currentUser(c)) {
		return cs, err
	}
	return cs.Withhold(), nil
}

// viewEvents loads a case's history as the logged-in user may see it: without
// reasons and details when the case is secret and does not involve them.
func (s *Server) viewEvents(c *fiber.Ctx, cs *workflow.Case) ([]workflow.Event, error) {
	evs, err := s.store.Events(c.UserContext(), cs.Number)
	if err != nil || !cs.Secret || cs.Involves(currentUser(c)) {
		return evs, err
	}
	for i := range evs {
		evs[i].Reason, evs[i].Payload = "", nil
	}
	return evs, nil
}

// mayReadFiles reports whether the user may download the case's attachments.
func mayReadFiles(cs *workflow.Case, u workflow.User) error {
	if cs.Secret && !cs.Involves(u) {
		return workflow.Errorf(workflow.EFORBIDDEN, "Handlingen omfattas av sekretess; bara de som arbetar med ärendet kan öppna den")
	}
	return nil
}

// withholdAgenda names a secret case on a meeting's agenda by number only for
// people outside the body's board.
func withholdAgenda(items []db.AgendaItem, body workflow.Body, u workflow.User) []db.AgendaItem {
	if u.WorksFor(body.Board) {
		return items
	}
	out := slices.Clone(items)
	for i, it := range out {
		if it.Case == nil || !it.Case.Secret {
			continue
		}
		ac := *it.Case
		ac.Title = workflow.WithheldText
		out[i].Case, out[i].Title = &ac, ac.Title
		if it.Paragraph != nil {
			p := withholdParagraph(*it.Paragraph)
			out[i].Paragraph = &p
		}
	}
	return out
}

// withholdMinutes does the same for a protokoll.
func withholdMinutes(min workflow.Minutes, u workflow.User) workflow.Minutes {
	if u.WorksFor(min.Meeting.Body.Board) {
		return min
	}
	min.Paragraphs = slices.Clone(min.Paragraphs)
	for i, p := range min.Paragraphs {
		if p.Secret {
			min.Paragraphs[i] = withholdParagraph(p)
		}
	}
	return min
}

func withholdParagraph(p workflow.Paragraph) workflow.Paragraph {
	p.CaseTitle, p.Text, p.Proposals, p.Recipients = workflow.WithheldText, "", nil, nil
	return p
}
