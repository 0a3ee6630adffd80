package web

import (
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// paragraphRow is a paragraph taken on a case, as the case page lists it:
// where and when, the decision, and how far the protokoll has come towards
// laga kraft.
type paragraphRow struct {
	db.CaseParagraph
	// LegalForce says when the decision gains legal force: "vinner laga kraft
	// 2020-03-07" before that day, "laga kraft 2020-03-07" from it, or why it
	// cannot be said yet.
	LegalForce string
	Decides    bool // a decision in substance of a deciding body: one that can gain legal force
}

// paragraphRowsOf describes a case's paragraphs on the day today.
func paragraphRowsOf(pars []db.CaseParagraph, bodies map[string]workflow.Body, today workflow.Date) []paragraphRow {
	var out []paragraphRow
	for _, p := range pars {
		r := paragraphRow{CaseParagraph: p}
		substantive := p.Type == workflow.DecisionApproved || p.Type == workflow.DecisionAmended || p.Type == workflow.DecisionRejected
		r.Decides = bodies[p.Body].Kind.Decides() && substantive
		switch {
		case !r.Decides:
			r.LegalForce = "–"
		case p.LegalForce.IsZero():
			r.LegalForce = "Tre veckor och en dag efter anslaget"
		case today.Before(p.LegalForce):
			r.LegalForce = "vinner laga kraft " + p.LegalForce.String()
		default:
			r.LegalForce = "laga kraft " + p.LegalForce.String()
		}
		out = append(out, r)
	}
	return out
}
