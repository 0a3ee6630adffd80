package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// DecisionCorrectionInput is a correction of the decision recorded on a case
// at a meeting: its new type and text, the case version seen (0: not
// checked) and the confirmation of a text that still says "föreslås".
type DecisionCorrectionInput struct {
	Case    string                `json:"case"`
	Type    workflow.DecisionType `json:"type"`
	Text    string                `json:"text"`
	Version int                   `json:"version,omitempty"`
	Confirm bool                  `json:"confirm,omitempty"`
}

// CorrectDecision corrects the decision recorded on a case at a held meeting
// before the justering begins (workflow.CorrectDecision): the protokoll's
// paragraph, and the case's own decision when the paragraph is it, keep
// their § and time of decision; the history notes "decision_corrected" with
// the text before and after, and the search index takes the new text, all
// in one transaction. A correction that changes nothing writes nothing.
//
// Errors: ENOTFOUND for no such meeting, or no decision on the case there;
// EFORBIDDEN for anyone but the body's secretary; ECONFLICT once a
// justerare has signed, or for a stale in.Version; EINVALID for the fields.
func (s *Store) CorrectDecision(ctx context.Context, meetingID int64, actor workflow.User, in DecisionCorrectionInput) (workflow.Paragraph, error) {
	var out workflow.Paragraph
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, att, err := writableProtokoll(ctx, tx, meetingID, actor)
		if err != nil {
			return err
		}
		number := strings.TrimSpace(in.Case)
		var decision int64
		var step int
		var par nullParagraph
		err = tx.QueryRowContext(ctx, `SELECT d.id, d.step, `+paragraphCols+` FROM decisions d
			JOIN cases c ON c.id = d.case_id JOIN users du ON du.id = d.decided_by
			WHERE d.meeting_id = ? AND c.number = ?`, meetingID, number).Scan(append([]any{&decision, &step}, par.dest()...)...)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Ärende %s har inget beslut vid %s", quote(number), m.Title())
		}
		if err != nil {
			return err
		}
		before, _ := par.paragraph()
		c, err := loadCase(ctx, tx, number)
		if err != nil {
			return err
		}
		deciding := step == c.DecidingStep()
		after, err := workflow.CorrectDecision(c, m, att, before, deciding, workflow.DecisionCorrection{Type: in.Type, Text: in.Text,
			Version: in.Version, Confirmed: in.Confirm}, actor)
		if err != nil {
			return err
		}
		after.MeetingID, after.CaseNumber, after.CaseTitle, after.Secret = m.ID, c.Number, c.Title, c.Secret
		out = after
		if after.Type == before.Type && after.Text == before.Text {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE decisions SET type = ?, text = ? WHERE id = ?`, after.Type, after.Text, decision); err != nil {
			return err
		}
		// The case's own decision is this paragraph when it was recorded at
		// the deciding step (bifall, ändrat förslag, avslag).
		if deciding && c.Decision != nil && !isMoving(before.Type) {
			if _, err := tx.ExecContext(ctx, `UPDATE cases SET decision_type = ?, decision_text = ? WHERE id = ?`, after.Type, after.Text, c.ID); err != nil {
				return err
			}
		}
		payload := map[string]any{"meeting": m.ID, "body": m.Body.Code, "meeting_date": m.Date.String(),
			"type": after.Type, "decision": after.Text, "previous_type": before.Type, "previous_decision": before.Text}
		if before.Number > 0 {
			payload["paragraph"] = workflow.ParagraphLabel(before.Number)
		}
		if err := noteOnCase(ctx, tx, c.ID, c.Number, c.Stage, actor.Person(), s.now(), "decision_corrected", payload); err != nil {
			return err
		}
		return s.indexCase(ctx, tx, c.ID)
	})
	return out, err
}

// isMoving is a decision that moved the case away (återremiss, bordläggning).
func isMoving(t workflow.DecisionType) bool {
	return t == workflow.DecisionReturned || t == workflow.DecisionTabled
}
