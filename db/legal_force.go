package db

import (
	"context"
	"database/sql"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// LegalForceNote is a decision noted as having gained legal force.
type LegalForceNote struct {
	Case       string        `json:"case"`
	Paragraph  string        `json:"paragraph"`
	Body       string        `json:"body"`
	LegalForce workflow.Date `json:"legal_force"`
}

// System is the actor of what the service records on its own.
var System = workflow.Person{Name: "Beslutsgång"}

// pendingLegalForce reads the decisions in substance of the deciding bodies
// whose legal force is not noted, in a posted protokoll. It goes from the
// bodies (CROSS JOIN keeps them the outer loop) to their pending decisions
// through decisions_legal_force_pending (0012), so it reads what is pending,
// not every decision ever taken (TestLegalForcePlan).
const pendingLegalForce = `SELECT d.id, c.id, c.number, c.stage, d.paragraph, m.id, m.date, m.posted_on, b.code
	FROM bodies b CROSS JOIN decisions d ON d.body_id = b.id JOIN meetings m ON m.id = d.meeting_id JOIN cases c ON c.id = d.case_id
	WHERE b.kind IN ('board', 'executive_board', 'council') AND d.legal_force_at IS NULL
	AND d.type IN ('approved', 'amended', 'rejected') AND m.status = 'posted' ORDER BY m.posted_on, d.paragraph`

// NoteLegalForce records, once per decision, that a decision in substance of
// a deciding body (nämnd, kommunstyrelse, fullmäktige) has gained legal force
// (vunnit laga kraft): its protokoll was posted and the appeal period (3 weeks
// from the day of anslag, KL 13 kap 5 §) has ended by the day of now. The
// event goes into the case's history and, as every event, makes a new version
// of the case. The dates follow from the day of anslag whether or not this
// has run; it only writes down what the calendar already says. An appeal is
// not registered in Beslutsgång, so a decision appealed in time is noted too:
// the history says when the appeal period ended, not that nobody appealed.
func (s *Store) NoteLegalForce(ctx context.Context, now time.Time) ([]LegalForceNote, error) {
	today := workflow.Today(now)
	var out []LegalForceNote
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, pendingLegalForce)
		if err != nil {
			return err
		}
		type due struct {
			decision, caseID, meeting int64
			number                    string
			stage                     workflow.Stage
			par                       int
			date, posted              workflow.Date
			body                      string
		}
		var dues []due
		for rows.Next() {
			var d due
			var date, posted string
			if err := rows.Scan(&d.decision, &d.caseID, &d.number, &d.stage, &d.par, &d.meeting, &date, &posted, &d.body); err != nil {
				rows.Close()
				return err
			}
			d.date, d.posted = parseDate(date), parseDate(posted)
			if !today.Before(workflow.LegalForce(d.posted)) {
				dues = append(dues, d)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		at := s.now()
		for _, d := range dues {
			lf := workflow.LegalForce(d.posted)
			payload := map[string]any{"meeting": d.meeting, "body": d.body, "meeting_date": d.date.String(),
				"paragraph": workflow.ParagraphLabel(d.par), "posted_on": d.posted.String(),
				"appeal_ends": workflow.AppealEnds(d.posted).String(), "legal_force": lf.String()}
			if err := noteOnCase(ctx, tx, d.caseID, d.number, d.stage, System, at, "legal_force", payload); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE decisions SET legal_force_at = ? WHERE id = ?`, fmtTime(at), d.decision); err != nil {
				return err
			}
			out = append(out, LegalForceNote{Case: d.number, Paragraph: workflow.ParagraphLabel(d.par), Body: d.body, LegalForce: lf})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
