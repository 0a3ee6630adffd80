package workflow

import "testing"

// What was decided and who a bevakning is about are the case's content: an
// outsider sees a paragraph's number and date, a bevakning's kind and date.
func TestWithholdKeepsOnlyTheRegistration(t *testing.T) {
	p := WithholdParagraph(Paragraph{Number: 12, CaseTitle: "Placering av Lisa", Type: DecisionApproved, Text: "Bifall",
		Proposals: []string{"att placera"}, Recipients: []Recipient{{Name: "Lisa"}}})
	if p.Number != 12 || p.Type != "" || p.Text != "" || p.CaseTitle != WithheldText || p.Proposals != nil || p.Recipients != nil {
		t.Errorf("withheld paragraph %+v", p)
	}
	by := Person{ID: 7, Name: "Sara"}
	d := WithholdDeadline(Deadline{Kind: DeadlineApproval, Ref: "approver:2", Due: MustDate("2026-12-01"), Note: "x",
		Responsible: Person{ID: 2, Name: "Lena Holm"}, CreatedBy: &by})
	if d.Ref != string(DeadlineApproval) || d.Responsible.ID != 0 || d.CreatedBy.ID != 0 || d.Note != WithheldText || d.Due.IsZero() {
		t.Errorf("withheld deadline %+v", d)
	}
	if by.ID != 7 {
		t.Error("withholding changed the person it was given")
	}
	c := decidedCase(t)
	c.Secret = true
	if w := c.Withhold(); w.Decision.Type != "" || w.Decision.Text != "" {
		t.Errorf("withheld decision %+v", w.Decision)
	}
}
