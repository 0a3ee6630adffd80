package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// apiDecide is POST /meetings/{id}/decisions: a decision on an agenda case,
// answered with its paragraph and the case as it now stands.
func (s *Server) apiDecide(c *fiber.Ctx) error {
	id, req, err := meetingRequestOf[db.DecisionInput](c)
	if err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	p, cs, err := s.Store.Decide(c.UserContext(), id, u, req)
	if err != nil {
		return err
	}
	c.Location("/api/v1/meetings/" + strconv.FormatInt(id, 10) + "/protokoll")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"paragraph": paragraphJSON{Paragraph: p, Label: p.Label()},
		"case": toCaseJSON(cs, u)})
}

// paragraphJSON shows a paragraph with its written label, "§ 12".
type paragraphJSON struct {
	workflow.Paragraph
	Label string `json:"paragraph"`
}

// apiCorrectDecision is PATCH /meetings/{id}/decisions/{number}: the decision
// on the case corrected before the justering begins (db.CorrectDecision;
// the body's case field, if given, must name the same case), answered with
// its paragraph.
func (s *Server) apiCorrectDecision(c *fiber.Ctx) error {
	id, req, err := meetingRequestOf[db.DecisionCorrectionInput](c)
	if err != nil {
		return err
	}
	number := c.Params("number")
	if req.Case != "" && req.Case != number {
		return httpx.FieldError("case", "Ärendet i begäran ("+req.Case+") är inte det i adressen ("+number+")")
	}
	req.Case = number
	p, err := s.Store.CorrectDecision(c.UserContext(), id, httpx.CurrentUser(c), req)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"paragraph": paragraphJSON{Paragraph: p, Label: p.Label()}})
}
